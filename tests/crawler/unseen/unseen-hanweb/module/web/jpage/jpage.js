/* jpage 3.2 - column list loader (JCMS) */
var jpage = (function () {
  function post(url, data, cb) {
    var x = new XMLHttpRequest();
    x.open("POST", url, true);
    x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    x.onreadystatechange = function () { if (x.readyState == 4 && x.status == 200) cb(x.responseText); };
    x.send(data);
  }
  function init(unitid, proxyUrl, conf) {
    var per = parseInt(conf.perpage, 10) || 15, group = 3;
    function load(start) {
      var q = "col=1&appid=" + conf.appid + "&webid=" + conf.webid + "&path=" + encodeURIComponent(conf.path) +
              "&columnid=" + conf.columnid + "&sourceContentType=" + (conf.sourceContentType || 1) +
              "&unitid=" + conf.unitid + "&webname=" + encodeURIComponent(conf.webname || "") +
              "&permissiontype=" + (conf.permissiontype || 0) +
              "&startrecord=" + start + "&endrecord=" + (start + per * group - 1) + "&perpage=" + per;
      post(proxyUrl, q, function (xml) {
        var recs = xml.match(/<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g) || [];
        var html = "<ul class=\"bt-list-ul\">";
        for (var i = 0; i < recs.length && i < per; i++) html += recs[i].replace(/^<record><!\[CDATA\[/, "").replace(/\]\]><\/record>$/, "");
        document.getElementById(unitid).innerHTML = html + "</ul>";
      });
    }
    load(1);
  }
  return { init: init };
})();
