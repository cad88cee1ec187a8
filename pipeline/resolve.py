"""One park, many names: name keys, spelling variants and resolution to a known park.

The same machinery serves the census tables (which spell one park several ways)
and, later, park mentions found in crawled documents. Resolution is layered:
exact key of any alias → key with leading place names stripped (the stripped
places must agree with the park's location) → character-bigram similarity with a
margin over the runner-up. Each result says which layer matched, so callers can
auto-link exact matches and send fuzzy ones to review.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import rules
from .places import find_places
from .textnorm import normalize_text


@functools.cache
def _rules() -> dict:
    return rules.document("names.yaml")


def name_key(name: str) -> str:
    """Normalized form of a name: NFKC, simplified, no spaces/quotes/dots, fixed typos."""
    s = normalize_text(name or "").lower()
    r = _rules()
    s = "".join(c for c in s if c not in r["strip_chars"] and not c.isspace())
    for a, b in r["rewrites"]:
        s = s.replace(a, b)
    s = s.replace("[", "(").replace("]", ")").replace("【", "(").replace("】", ")")
    return s


def is_distinctive(key: str) -> bool:
    """Something is left after removing generic words (高新园区 → nothing)."""
    rest = key
    for w in sorted(_rules()["generic_words"], key=len, reverse=True):
        rest = rest.replace(w, "")
    rest = re.sub(r"[()+\-\d]", "", rest)
    return len(rest) >= 2 or bool(re.search(r"[a-z]{2,}", rest))


_PAREN = re.compile(r"\(([^()]*)\)")


def variants(name: str) -> list[str]:
    """Keys under which a spelling is known: the whole name, the name without its
    brackets, the part outside a trailing bracket, and the bracketed part when it is
    a name of its own (黄埔链谷, 重庆市数字经济区块链产业园, APBC)."""
    k = name_key(name)
    out = [k]

    def add(v: str) -> None:
        if v and v not in out:
            out.append(v)

    for c in _rules()["connectors"]:
        if c in k:
            add(k.replace(c, ""))
    add(k.replace("(", "").replace(")", ""))
    m = re.search(r"\(([^()]*)\)$", k)
    if m:
        outer = k[:m.start()]
        add(_PAREN.sub(lambda mm: mm.group(1), outer))
        inner = m.group(1)
        if is_distinctive(inner):
            add(inner)
    return out


def strip_places(key: str) -> tuple[str, list]:
    """Drop leading place names and national prefixes: 湖南星沙区块链产业园 → 星沙区块链产业园."""
    places = []
    changed = True
    while changed:
        changed = False
        for p in _rules()["prefixes"]:
            if key.startswith(p) and is_distinctive(key[len(p):]):
                key, changed = key[len(p):], True
        found = [p for p in find_places(key) if p.start == 0]
        if found and len(key) > found[0].end + 2:
            rest = key[found[0].end:]
            # keep 市/省 that the gazetteer short left behind: 娄底市 → 娄底 + 市
            if rest[:1] in "市省":
                rest = rest[1:]
            if not is_distinctive(rest):
                break
            places.append(found)
            key, changed = rest, True
    return key, places


def bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def dice(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass
class Park:
    id: str
    province: str | None = None   # short or full: compared through the gazetteer
    city: str | None = None
    names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Match:
    park_id: str | None
    method: str            # exact | stripped | fuzzy | ambiguous | none
    score: float
    candidates: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.park_id is not None


def _loc_norm(s: str | None) -> str:
    if not s:
        return ""
    s = normalize_text(s)
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"):
        if s.endswith(suffix) and len(s) > len(suffix):
            return s[: -len(suffix)]
    return s


def _agrees(places: Iterable, park: Park) -> bool:
    """Every place stripped from a mention fits the park's province or city."""
    prov, city = _loc_norm(park.province), _loc_norm(park.city)
    for group in places:
        ok = False
        for p in group:
            if _loc_norm(p.province) == prov or (city and (_loc_norm(p.city) == city or _loc_norm(p.name) == city)):
                ok = True
        if not ok:
            return False
    return True


class Resolver:
    """Resolves a spelling to one of a set of known parks."""

    def __init__(self, parks: Iterable[Park] = ()):
        self.parks: dict[str, Park] = {}
        self._exact: dict[str, set[str]] = {}
        self._stripped: dict[str, set[str]] = {}
        self._keys: dict[str, set[str]] = {}
        for p in parks:
            self.add_park(p)

    def add_park(self, park: Park) -> None:
        self.parks[park.id] = park
        for n in list(park.names):
            self._index(park.id, n)

    def add_alias(self, park_id: str, name: str) -> None:
        park = self.parks[park_id]
        if name not in park.names:
            park.names.append(name)
        self._index(park_id, name)

    def _index(self, park_id: str, name: str) -> None:
        for v in variants(name):
            self._exact.setdefault(v, set()).add(park_id)
            self._keys.setdefault(park_id, set()).add(v)
            core, _ = strip_places(v)
            if is_distinctive(core) or core != v:
                self._stripped.setdefault(core, set()).add(park_id)

    def collisions(self) -> dict[str, set[str]]:
        """Keys that point at more than one park."""
        return {k: ids for k, ids in self._exact.items() if len(ids) > 1}

    def resolve(self, mention: str, *, province: str | None = None) -> Match:
        vs = variants(mention)
        hits: set[str] = set()
        for v in vs:
            hits |= self._exact.get(v, set())
        if len(hits) == 1:
            return Match(next(iter(hits)), "exact", 1.0)
        if len(hits) > 1:
            return Match(None, "ambiguous", 1.0, tuple(sorted(hits)))
        for v in vs:
            core, places = strip_places(v)
            if not is_distinctive(core):
                continue
            ids = {i for i in self._stripped.get(core, set()) if _agrees(places, self.parks[i])}
            if len(ids) == 1:
                return Match(next(iter(ids)), "stripped", 0.9)
            if len(ids) > 1:
                return Match(None, "ambiguous", 0.9, tuple(sorted(ids)))
        return self._fuzzy(vs, province)

    def _fuzzy(self, vs: list[str], province: str | None) -> Match:
        r = _rules()
        scores: dict[str, float] = {}
        for pid, keys in self._keys.items():
            if province and self.parks[pid].province and \
                    _loc_norm(self.parks[pid].province) != _loc_norm(province):
                continue
            scores[pid] = max(dice(v, k) for v in vs for k in keys)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < r["fuzzy_min"]:
            return Match(None, "none", ranked[0][1] if ranked else 0.0)
        best, second = ranked[0], ranked[1] if len(ranked) > 1 else (None, 0.0)
        places = [[p] for p in find_places(vs[0])]
        if best[1] - second[1] < r["fuzzy_margin"]:
            return Match(None, "ambiguous", best[1], tuple(pid for pid, s in ranked[:3]))
        if places and not any(_agrees([g], self.parks[best[0]]) for g in places):
            return Match(None, "none", best[1])
        return Match(best[0], "fuzzy", round(best[1], 3))
