"""Crawled text is untrusted: control characters out before it is stored or shown.

C0 controls (except tab and newline), DEL, C1 controls (U+0080–U+009F, among them the
single-character CSI U+009B) and the bidirectional overrides and isolates that can
reorder what a terminal or a page shows. NUL bytes go too.
"""
from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str | None) -> str | None:
    """The text without control and bidi characters (carriage returns become nothing)."""
    if text is None:
        return None
    return _CONTROL.sub("", text)


def has_controls(text: str) -> bool:
    return bool(_CONTROL.search(text))
