"""Resolution of a park name to one known park.

The same machinery serves the census tables (which spell one park several ways) and
park mentions found in crawled documents. Resolution is layered: exact key of any
alias → key with leading place names stripped (the stripped places must agree with
the park's location) → character-bigram similarity with a margin over the runner-up.
Each result says which layer matched, so callers can auto-link exact matches and
send fuzzy ones to review.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.text.names import dice, is_distinctive, loc_norm, name_rules, placed_key, strip_places, variants
from pipeline.text.places import find_places


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


def _agrees(places: Iterable, park: Park) -> bool:
    """Every place stripped from a mention fits the park: its city when both name one (烟台 is not
    潍坊, though both are 山东), else its province."""
    prov, city = loc_norm(park.province), loc_norm(park.city)
    for group in places:
        ok = False
        for p in group:
            p_city = loc_norm(p.city) or (loc_norm(p.name) if p.level == "city" else "")
            if city and p_city and prov != city:      # a municipality's city is itself: compare provinces
                ok = ok or p_city == city
            else:
                ok = ok or loc_norm(p.province) == prov or (bool(city) and loc_norm(p.name) == city)
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
        self._placed: dict[tuple, set[str]] = {}
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

    def remove_park(self, park_id: str) -> None:
        """Forget a park (a candidate taken back when its document turned out to be no announcement)."""
        self.parks.pop(park_id, None)
        for key in self._keys.pop(park_id, set()):
            self._exact.get(key, set()).discard(park_id)
            self._stripped.get(strip_places(key)[0], set()).discard(park_id)
        for ids in self._placed.values():
            ids.discard(park_id)

    def _index(self, park_id: str, name: str) -> None:
        for v in variants(name):
            self._exact.setdefault(v, set()).add(park_id)
            self._keys.setdefault(park_id, set()).add(v)
            core, _ = strip_places(v)
            if is_distinctive(core) or core != v:
                self._stripped.setdefault(core, set()).add(park_id)
        placed = placed_key(name)
        if placed:
            self._placed.setdefault(placed, set()).add(park_id)

    def collisions(self) -> dict[str, set[str]]:
        """Keys that point at more than one park."""
        return {k: ids for k, ids in self._exact.items() if len(ids) > 1}

    def resolve(self, mention: str, *, province: str | None = None) -> Match:
        vs = variants(mention)
        hits: set[str] = set()
        for v in vs:
            hits |= self._exact.get(v, set())
        if province:   # the same spelling in another province is another park (试点（合肥市） vs （福州市）)
            hits = {h for h in hits if not self.parks[h].province or
                    loc_norm(self.parks[h].province) == loc_norm(province)}
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
        return self._by_place(mention, province) or self._fuzzy(vs, province)

    def _by_place(self, mention: str, province: str | None) -> Match:
        """A name that is only a place and a kind of carrier is the one park of that kind there
        (曹妃甸区块链产业园 → 曹妃甸大数据区块链产业园; 长沙经开区区块链产业园 → 星沙区块链产业园,
        both in 长沙县)."""
        key = placed_key(mention)
        ids = {i for i in self._placed.get(key, set()) if not province or not self.parks[i].province
               or loc_norm(self.parks[i].province) == loc_norm(province)} if key else set()
        if len(ids) == 1:
            return Match(next(iter(ids)), "place", 0.85)
        return Match(None, "ambiguous", 0.85, tuple(sorted(ids))) if ids else Match(None, "none", 0.0)

    def _fuzzy(self, vs: list[str], province: str | None) -> Match:
        r = name_rules()
        scores: dict[str, float] = {}
        for pid, keys in self._keys.items():
            if province and self.parks[pid].province and \
                    loc_norm(self.parks[pid].province) != loc_norm(province):
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
