"""From the park names of one document to parks: the names that are the same park are grouped
(西安丝路链谷 and 西安高新区“丝路链谷”区块链产业园), a generic name (区块链产业园) is dropped, and
each park is resolved to a known park or to a candidate new park, with the score of each feature.

Known parks and candidates are two indexes of the same Resolver class: one mechanism decides both
"this is census park p020" and "this is the candidate first seen last March".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.extract.figures import better
from pipeline.extract.parks import is_specific, only_a_province
from pipeline.extract.records import FactRecord, ParkMention
from pipeline.text.names import dice, name_key, strip_places, variants
from pipeline.text.places import loc_norm

from .resolver import Match, Park, Resolver

_QUOTED = re.compile(r"[“「]([^”」]{2,12})[”」]")


@dataclass
class Entity:
    """One park of one document: every name it is written under, and what the document says."""
    mentions: list[ParkMention]
    name: str
    type: str
    province: str | None
    city: str | None
    district: str | None
    role: str
    event: str | None = None
    event_date: str | None = None
    event_precision: str | None = None
    event_evidence: tuple[str, int, int] | None = None
    gov_led: bool | None = None
    gov_led_evidence: str | None = None
    gov_led_span: tuple[int, int] | None = None
    facts: list[FactRecord] = field(default_factory=list)
    park_id: str | None = None           # a known park
    candidate: str | None = None         # a candidate's key (new, or seen before)
    match: Match | None = None
    features: dict = field(default_factory=dict)


def _nickname(name: str) -> str | None:
    m = _QUOTED.search(name)
    return name_key(m.group(1)) if m else None


def _core(name: str) -> str:
    return strip_places(name_key(name))[0]


def same_park(a: ParkMention, b: ParkMention) -> bool:
    """Two names of one document for one park: a shared spelling, nickname or core, in places
    that do not disagree."""
    if a.alias_of == b.start or b.alias_of == a.start:
        return True                        # …产业园（以下简称“海西链园”）
    if a.province and b.province and a.province != b.province:
        return False
    if a.city and b.city and a.city != b.city:
        return False
    if set(variants(a.text)) & set(variants(b.text)):
        return True
    na, nb = _nickname(a.text), _nickname(b.text)
    if na and (na == nb or na in name_key(b.text) or (nb and nb in name_key(a.text))):
        return True
    ca, cb = _core(a.text), _core(b.text)
    short, long_ = sorted((ca, cb), key=len)
    return len(short) >= 4 and short in long_


def group(mentions: list[ParkMention]) -> list[list[ParkMention]]:
    """Connected groups of same_park, in order of first appearance; generic names dropped."""
    specific = [m for m in mentions if is_specific(m.text)]
    groups: list[list[ParkMention]] = []
    for m in specific:
        hits = [g for g in groups if any(same_park(m, o) for o in g)]
        merged = [m] + [x for g in hits for x in g]
        groups = [g for g in groups if g not in hits] + [sorted(merged, key=lambda x: x.start)]
    return sorted(groups, key=lambda g: g[0].start)


def _first(values):
    return next((v for v in values if v is not None), None)


def entity(ms: list[ParkMention]) -> Entity:
    """One entity from its mentions: the longest placed name, the dated event, the first figure
    of each field (or a later one that states the total now), the first operator statement."""
    name = max(ms, key=lambda m: (bool(m.province), len(m.text))).text
    dated = [m for m in ms if m.event and m.event_date] or [m for m in ms if m.event]
    facts: dict[str, FactRecord] = {}
    for m in ms:
        for f in m.facts:
            if f.field not in facts or better(f, facts[f.field]):
                facts[f.field] = f
    e = Entity(ms, name, ms[0].type, _first(m.province for m in ms), _first(m.city for m in ms),
               _first(m.district for m in ms), "subject" if any(m.role == "subject" for m in ms) or facts else
               "mentioned", facts=list(facts.values()))
    if dated:
        d = dated[0]
        e.event, e.event_date, e.event_precision, e.event_evidence = \
            d.event, d.event_date, d.event_precision, d.event_evidence
    led = next((m for m in ms if m.gov_led is not None), None)
    if led:
        e.gov_led, e.gov_led_evidence, e.gov_led_span = led.gov_led, led.gov_led_evidence, led.gov_led_span
    return e


def candidate_key(e: Entity) -> str:
    """The identity of a new park: province, city and the name without its leading places."""
    return f"{e.province or ''}|{e.city or ''}|{_core(e.name)}"


def _resolve(index: Resolver, e: Entity) -> Match:
    """The first decisive match of any of the entity's names (longest first), at its province."""
    best = Match(None, "none", 0.0)
    for text in sorted({m.text for m in e.mentions}, key=len, reverse=True):
        m = index.resolve(text, province=e.province)
        if m:
            return m
        if m.score > best.score:
            best = m
    return best


def features(index: Resolver, e: Entity, park_id: str) -> dict:
    """The resolver's evidence, feature by feature: name similarity, province, city."""
    p = index.parks[park_id]
    keys = {v for n in p.names for v in variants(n)}
    name = max((dice(v, k) for m in e.mentions for v in variants(m.text) for k in keys), default=0.0)
    same = lambda a, b: None if not a or not b else loc_norm(a) == loc_norm(b)  # noqa: E731
    return {"name": round(name, 3), "province": same(e.province, p.province), "city": same(e.city, p.city)}


def link(e: Entity, parks: Resolver, candidates: Resolver) -> Entity:
    """Known park, else a candidate seen before, else a new candidate (a park with a province and
    a name of its own)."""
    m = _resolve(parks, e)
    if m:
        e.park_id, e.match, e.features = m.park_id, m, {"method": m.method, **features(parks, e, m.park_id)}
        return e
    c = _resolve(candidates, e)
    if c:
        e.candidate, e.match = c.park_id, c
        for text in {x.text for x in e.mentions}:      # every spelling seen makes the next match easier
            candidates.add_alias(c.park_id, text)
        e.features = {"method": c.method, **features(candidates, e, c.park_id), "known_best": m.score}
        return e
    if e.province and not all(only_a_province(x.text) for x in e.mentions):
        e.candidate = candidate_key(e)
        e.match = Match(None, "new", 0.0, m.candidates)
        e.features = {"method": "new", "known_best": round(m.score, 3)}
        candidates.add_park(Park(e.candidate, e.province, e.city, sorted({x.text for x in e.mentions})))
    return e


def _merge(es: list[Entity]) -> Entity:
    """Entities of one document that resolved to the same park: one, with all their names."""
    if len(es) == 1:
        return es[0]
    e = entity(sorted((m for x in es for m in x.mentions), key=lambda m: m.start))
    e.park_id, e.candidate, e.match, e.features = es[0].park_id, es[0].candidate, es[0].match, es[0].features
    return e


def _roles(es: list[Entity], title: str) -> list[Entity]:
    """A park is the document's subject when the title names it (or its kind: a 先导区 in a
    title about one), when the document gives it an event or figures, or when it is the only one."""
    for e in es:
        if e.role != "subject" and (e.event or e.facts or len(es) == 1 or
                                    any(m.text[-3:] in title for m in e.mentions)):
            e.role = "subject"
    return es


def resolve_mentions(mentions: list[ParkMention], parks: Resolver, candidates: Resolver,
                     title: str = "") -> list[Entity]:
    """The parks of one document, each linked; a park without a province that is not a known
    park is dropped (a generic or unplaceable name never becomes a candidate). Two groups of names
    that resolve to one park are one park."""
    linked = [link(entity(g), parks, candidates) for g in group(mentions)]
    by_id: dict[str, list[Entity]] = {}
    for e in linked:
        if e.park_id or e.candidate:
            by_id.setdefault(e.park_id or e.candidate, []).append(e)
    return _roles([_merge(es) for es in by_id.values()], title)
