"""Text of an HTML element with line breaks at block elements; scripts and forms left out.

An explicit stack instead of recursion: a page of 10,000 nested elements is read like
any other (a recursive walk fails near 1,000 levels).
"""
from __future__ import annotations

import re

_BLOCK = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
          "ul", "ol", "dd", "dt", "blockquote", "pre", "center"}
_SKIP = {"script", "style", "noscript", "iframe", "select", "option", "button", "svg", "form", "head"}
_SPACES = re.compile(r"[ \t\r\f\v]+")
_END = object()   # marks the end of an element on the stack: (its block break, its tail)


def pieces(node, known: dict | None = None) -> list[str]:
    """The raw strings of `node` (its tail left out), before lines are cleaned; an element of
    `known` is not walked again: its pieces, computed before, stand in for it."""
    out: list[str] = []
    stack: list = [node]
    root = True
    while stack:
        el = stack.pop()
        if isinstance(el, tuple):                    # (_END, block, tail) of an element left
            _, block, tail = el
            if block:
                out.append("\n")
            if tail:
                out.append(tail)
            continue
        tail, root = (None if root else el.tail), False
        if known and el in known:
            out.extend(known[el])
            if tail:
                out.append(tail)
            continue
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP:
            if tail:
                out.append(tail)
            continue
        block = tag in _BLOCK
        if block:
            out.append("\n")
        if el.text and isinstance(el.tag, str):
            out.append(el.text)
        stack.append((_END, block, tail))
        stack.extend(reversed(list(el)))
    return out


def joined(parts: list[str]) -> str:
    """Pieces as text: one line per block, runs of spaces as one, no empty line."""
    text = "".join(parts).replace("\xa0", " ").replace("\u3000", " ")
    lines = (_SPACES.sub(" ", ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def html_text(node) -> str:
    """The text of `node` and of its tail."""
    return joined([*pieces(node), node.tail or ""])
