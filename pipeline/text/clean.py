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


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Control and bidi characters made visible (\\x1b, \\u202e) for a terminal or a CSV file."""
    def esc(m):
        c = m.group(0)
        if keep_newlines and c in "\n\t":
            return c
        return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return _SHOWN.sub(esc, text)


def escape_json_controls(text: str) -> str:
    """JSON text with the C1 and bidi characters (which json.dumps leaves raw) as \\u escapes."""
    return _C1_BIDI.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_C1_BIDI = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
