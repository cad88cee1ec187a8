"""Decoding pages whose declared charset is missing or wrong (GBK served as UTF-8 …)."""
from __future__ import annotations

import re

from scrapy.http import TextResponse

_LATIN_MOJIBAKE = re.compile(r"[\u0080-\u00ff]")


def _badness(text: str) -> int:
    # replacement characters, and Latin-1 letters that GBK bytes become when read as cp1252
    return text.count("\ufffd") * 4 + len(_LATIN_MOJIBAKE.findall(text))


def replacement_ratio(text: str) -> float:
    n = len(text) or 1
    return round(text.count("\ufffd") / n, 4)


def fix_encoding(response: TextResponse, forced: str | None = None) -> tuple[TextResponse, str, float]:
    """The response decoded with the encoding that reads it best, and the share of bad characters.

    Order: a source's encoding override; else what Scrapy chose (header, BOM, meta, guess),
    compared with UTF-8 and GB18030 (a superset of GBK/GB2312) — a page whose header or meta
    declares the wrong charset, or none, is still read correctly.
    """
    if forced:
        r = response.replace(encoding=forced)
        return r, forced, replacement_ratio(r.text)
    body = response.body
    chosen = response.encoding
    best_enc, best_bad = chosen, _badness(response.text)
    if best_bad:
        for enc in ("utf-8", "gb18030"):
            if enc == chosen:
                continue
            bad = _badness(body.decode(enc, errors="replace"))
            if bad < best_bad:
                best_enc, best_bad = enc, bad
    r = response if best_enc == chosen else response.replace(encoding=best_enc)
    return r, best_enc, replacement_ratio(r.text)
