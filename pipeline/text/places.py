"""Province / city / district names in text, from the gazetteer (data/gazetteer.csv)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from pipeline import rules

from .normalize import normalize_text


@dataclass(frozen=True)
class Place:
    name: str        # full name in the gazetteer (长沙市)
    level: str       # province | city | district | zone
    province: str    # full province name
    city: str        # full city name ('' for provinces and some zones)
    text: str        # the spelling found (长沙)
    start: int
    end: int
    host: str = ""   # a zone's county-level division (星沙 → 长沙县)


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
def _lengths() -> dict[str, tuple[int, ...]]:
    """first character → the lengths of the spellings that start with it, longest first."""
    by_first: dict[str, set[int]] = {}
    for k in _index():
        by_first.setdefault(k[0], set()).add(len(k))
    return {c: tuple(sorted(ls, reverse=True)) for c, ls in by_first.items()}


@functools.lru_cache(maxsize=8192)
def find_places(text: str) -> tuple[Place, ...]:
    """Longest-first scan; a district ending in 区 before 块链 gives the 区 back
    (上海宝山区块链 is 宝山 + 区块链, not 宝山区 + 块链). The places come as a tuple
    (, cached: one sentence is placed by several stages)."""
    idx, lengths, out, i, n = _index(), _lengths(), [], 0, len(text)
    while i < n:
        hit = None
        for L in lengths.get(text[i], ()):
            if L > n - i:
                continue
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
            out.append(Place(r["name"], r["level"], r["province"], r["city"], hit, i, i + len(hit),
                             r.get("host") or ""))
        i += len(hit)
    return tuple(out)


def loc_norm(s: str | None) -> str:
    """The short form of a province or city: 湖南省 → 湖南, 广西壮族自治区 → 广西, 长沙市 → 长沙."""
    if not s:
        return ""
    s = normalize_text(s)
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"):
        if s.endswith(suffix) and len(s) > len(suffix):
            return s[: -len(suffix)]
    return s


@dataclass(frozen=True)
class Location:
    province: str | None = None    # short forms: 福建
    city: str | None = None        # 厦门
    district: str | None = None    # full name: 海沧区

    def __bool__(self) -> bool:
        return bool(self.province)


_LEVEL_RANK = {"province": 0, "zone": 1, "city": 2, "district": 3}


@functools.cache
def _needs_support() -> frozenset[str]:
    return frozenset(rules.document("place_rules.yaml")["needs_support"])


def _agree(a: Place, b: Place) -> bool:
    return a.province == b.province and (not a.city or not b.city or a.city == b.city)


def _readings(places: list[Place], support: list[Place]) -> list[Place]:
    """One place per spelling found. A spelling with readings that disagree (鼓楼区: four cities),
    a name that is also a common word (城区), or a short form that a fuller name of the context
    starts with (雨花, when the text speaks of 雨花台区), is read the way the other places of the
    name or its context agree with, or not at all."""
    spots: dict[tuple[int, int], list[Place]] = {}
    for p in places:
        spots.setdefault((p.start, p.end), []).append(p)
    chosen = []
    for spot, rs in spots.items():
        others = [o for k, v in spots.items() if k != spot for o in v] + list(support)
        longer = [o for o in support if o.name != rs[0].name and o.name.startswith(rs[0].text) and len(o.text) > len(rs[0].text)]
        rs = rs + longer
        consistent = all(_agree(a, b) for a in rs for b in rs)
        if consistent and rs[0].text not in _needs_support():
            chosen.append(max(rs, key=lambda r: _LEVEL_RANK[r.level]))   # 上海: the city row
            continue
        scored = [(sum(_agree(r, o) for o in others), r) for r in rs]
        best = max((n for n, _ in scored), default=0)
        top = [r for n, r in scored if n == best and n > 0]
        if top and all(_agree(a, b) for a in top for b in top):
            chosen.append(max(top, key=lambda r: _LEVEL_RANK[r.level]))
    return chosen


def locate(places: list[Place], support: list[Place] = ()) -> Location:
    """The location a set of places found in one name or sentence points to; `support` (the
    places of the whole document) decides between the readings of an ambiguous spelling. When
    the places disagree, the one written last (nearest a park's suffix) wins over earlier ones,
    and a real division over a zone brand (中关村…广西协同创新中心 is in 广西)."""
    chosen = _readings(places, list(support))
    if not chosen:
        return Location()
    anchor = max(chosen, key=lambda p: (p.level != "zone", p.start))
    agreeing = [p for p in chosen if _agree(p, anchor)]
    best = max(agreeing, key=lambda p: _LEVEL_RANK[p.level])
    district = next((p.name for p in agreeing if p.level == "district"), None)
    city = loc_norm(best.city) or (loc_norm(best.name) if best.level == "city" else None)
    return Location(loc_norm(best.province), city or None, district)


def finest(places: list[Place]) -> tuple[str, str] | None:
    """The most precise place a name is anchored at, as (level, full name): a county-level
    division (a zone counts as its host county: 星沙 and 长沙经开区 are both 长沙县), else a zone,
    else a city — among the places that agree with the name's own location (the 中关村 of
    中关村…贵阳协同创新中心 is a brand, 贵阳 is where it is)."""
    chosen = _readings(places, [])
    if not chosen:
        return None
    anchor = max(chosen, key=lambda p: (p.level != "zone", p.start))
    keys = []
    for p in chosen:
        if not _agree(p, anchor):
            continue
        if p.level == "district" or (p.level == "zone" and p.host):
            keys.append((3, "district", p.name if p.level == "district" else p.host))
        elif p.level == "zone":
            keys.append((2, "zone", p.name))
        elif p.level == "city":
            keys.append((1, "city", p.name))
    if not keys:
        return None
    _, level, name = max(keys)
    return level, name


def dominant(places: list[Place]) -> Location:
    """The location a whole text speaks of most: the most named city (a district counts for
    its city), else the most named province."""
    from collections import Counter
    readings = _readings(places, [])
    cities = Counter((p.province, p.city or (p.name if p.level == "city" else "")) for p in readings
                     if p.level in ("city", "district") or p.city)
    if cities:
        (prov, city), _ = cities.most_common(1)[0]
        return Location(loc_norm(prov), loc_norm(city) or None, None)
    provinces = Counter(p.province for p in readings)
    return Location(loc_norm(provinces.most_common(1)[0][0])) if provinces else Location()
