"""Province / city / district names in text, from the gazetteer (data/gazetteer.csv)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from pipeline import rules


@dataclass(frozen=True)
class Place:
    name: str        # full name in the gazetteer (长沙市)
    level: str       # province | city | district | zone
    province: str    # full province name
    city: str        # full city name ('' for provinces and some zones)
    text: str        # the spelling found (长沙)
    start: int
    end: int


@functools.cache
def _index() -> dict[str, list[dict]]:
    """spelling → gazetteer rows (full names and shorts; a short may name several places)."""
    idx: dict[str, list[dict]] = {}
    for r in rules.table("gazetteer.csv"):
        for spelling in {r["name"], r["short"]}:
            if spelling and len(spelling) >= 2:
                idx.setdefault(spelling, []).append(r)
    return idx


@functools.cache
def _maxlen() -> int:
    return max(len(k) for k in _index())


def find_places(text: str) -> list[Place]:
    """Longest-first scan; a district ending in 区 before 块链 gives the 区 back
    (上海宝山区块链 is 宝山 + 区块链, not 宝山区 + 块链)."""
    idx, out, i, n = _index(), [], 0, len(text)
    while i < n:
        hit = None
        for L in range(min(_maxlen(), n - i), 1, -1):
            s = text[i:i + L]
            if s in idx:
                if s.endswith("区") and text.startswith("块链", i + L):
                    continue
                hit = s
                break
        if hit is None:
            i += 1
            continue
        for r in idx[hit]:
            out.append(Place(r["name"], r["level"], r["province"], r["city"], hit, i, i + len(hit)))
        i += len(hit)
    return out
