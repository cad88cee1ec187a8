// The review page's keys. Each key presses the element marked data-key="…" (a form button that
// POSTs and is redirected to the next card, or a link), so the mouse and a page without scripts
// do exactly the same. No inline script anywhere: the CSP allows only this file.
(function () {
  "use strict";
  var sent = false;                           // one decision per page: a second key press waits

  function typing(el) {                      // a text field keeps its letters; a chosen radio does not
    if (!el) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !/^(radio|checkbox|button|submit|reset)$/.test(el.type);
  }

  function mergeTarget() {
    var typed = document.getElementById("into");
    return document.querySelector('input[name="into_pick"]:checked') || (typed && typed.value.trim());
  }

  function press(key) {
    var el = document.querySelector('[data-key="' + key + '"]');
    if (!el || el.disabled) return false;
    if (key === "m" && !mergeTarget()) {      // nothing chosen: ask for a park id instead of guessing
      document.getElementById("into").focus();
      return true;
    }
    if (el.tagName === "A") {
      window.location.href = el.href;
      return true;
    }
    if (sent) return true;
    sent = true;
    el.form.requestSubmit(el);
    return true;
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (typing(ev.target)) {
      if (ev.key === "Escape") ev.target.blur();
      return;
    }
    var key = ev.key.toLowerCase();
    if (/^[1-9]$/.test(key)) {
      var radio = document.querySelector('input[name="into_pick"][data-n="' + key + '"]');
      if (radio) {
        radio.checked = true;
        ev.preventDefault();
      }
      return;
    }
    if (press(key)) ev.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var current = document.querySelector(".item.current");   // deep in a page: bring it up
    if (current && current.getBoundingClientRect().top > window.innerHeight / 2) current.scrollIntoView();
  });
})();
