"""Park mentions with what the document says about them: where (province, city, district), what
happened (揭牌, 批复 … and when), who runs it (government-led or not), and its figures (area,
settled enterprises, fund) — each figure given to the park its sentence is about, never to the
district, the city, a plan or a neighbouring park.

The reading goes sentence by sentence and keeps a topic: the last specific blockchain park named.
A generic name (园区, 该区块链产业园) or none at all refers back to the topic.
"""
from __future__ import annotations

import functools
import re

from pipeline.text.names import is_distinctive, name_key, strip_places
from pipeline.text.normalize import fold, normalize_text
from pipeline.text.patterns import alt
from pipeline.text.places import Location, dominant, find_places, locate
from pipeline.text.sentences import clause_around, sentences

from .mentions import Name, content_end, find_names, words
from .quantities import find_quantities
from .quantity import Quantity
from .records import FactRecord, ParkMention, document_text, snippet

FIGURE_KINDS = ("area", "count", "money")


def is_specific(name: str) -> bool:
    """A name that says which park (a place, or a distinctive core), unlike 区块链产业园."""
    core, places = strip_places(name_key(name))
    return bool(places) or bool(find_places(core)) or is_distinctive(core)


@functools.cache
def _event_re() -> re.Pattern:
    return re.compile(alt(words()["events"]))


# -- where --------------------------------------------------------------------------------------
def _location(text: str, name: Name, title_end: int, doc_places: list) -> Location:
    """From the name (its ambiguous places read the way the document agrees with); else what
    its sentence (before it), the title and the document speak of most. A name that gives only a
    province gets the document's city when that city is in it."""
    s0, _ = name.sentence
    near = find_places(normalize_text(text[s0:name.start] + "\n" + text[:title_end]))
    context = dominant(near) or dominant(doc_places)
    loc = locate(find_places(name.norm), doc_places)
    if not loc:
        return context
    if not loc.city and context.province == loc.province and context.city:
        return Location(loc.province, context.city, loc.district)
    return loc


# -- what happened, and when ------------------------------------------------------------------
def _event(text: str, name: Name, published) -> tuple[str | None, str | None, str | None]:
    """(event, date, precision) of the sentence that names the park: the event word after the
    name (or before it: 入选), the date nearest before the event word."""
    s0, s1 = name.sentence
    sentence = text[s0:s1]
    m = min(_event_re().finditer(sentence), key=lambda m: abs(m.start() + s0 - name.end), default=None)
    if m is None:
        return None, None, None
    if sentence[m.end():m.end() + 3].startswith(("以来", "后", "之后")):
        return None, None, None            # 自2020年开园以来: background, not what this document reports
    event = words()["events"][m.group(0)]
    dates = [q for q in find_quantities(sentence, published=published, kinds=("date",))
             if q.qualifier != "duration"]
    before = [q for q in dates if q.start < m.start()] or dates
    if not before:
        return event, None, None
    q = before[-1]
    if q.value is None and q.qualifier == "approx" and published:      # 近日, 日前: the publication month
        return event, str(published)[:7], "month"
    return event, q.value or q.low, q.precision


# -- who runs it --------------------------------------------------------------------------------
_RUN = re.compile(r"由(?P<who>[^，。；,;]{2,40}?)(?:主导|负责|投资|牵头)?(?:建设|运营|打造|管理|承建|运维)")


def _gov_led(sentence: str) -> tuple[bool | None, str | None]:
    w = words()
    if "政府主导" in sentence:
        return True, "政府主导"
    for m in _RUN.finditer(sentence):
        who = m.group("who")
        if any(g in who for g in w["government_operators"]):
            return True, m.group(0)
        if any(e in who for e in w["enterprise_operators"]):
            return False, m.group(0)
    return None, None


# -- figures --------------------------------------------------------------------------------------
def _field(q: Quantity, clause: str) -> str | None:
    """What a figure counts, from the words of its clause (folded: 建築面積 reads as 建筑面积)."""
    w, c = words(), fold(clause)
    if q.kind == "area" and any(x in c for x in w["area_words"]):
        return "area_m2"
    if q.kind == "count" and "家" in fold(q.text) and "企业" in c and \
            any(x in c for x in w["enterprise_words"] + w["enterprise_holders"]):
        return "enterprises"
    return None


def _not_the_parks(sentence_before: str, clause: str, names_in_clause: bool) -> bool:
    """A figure of the district, the city, a plan, a subset, a change or a phase — not the park's."""
    w, c = words(), fold(clause)
    if any(x in c for x in w["not_park_figure"]):
        return True
    if any(x in fold(sentence_before) for x in w["phase_words"]) and "总" not in c:
        return True
    # a place named in the clause outside any park or organisation name: the figure is about it
    return not names_in_clause and _region_in(clause)


def _region_in(clause: str) -> bool:
    norm = normalize_text(clause)
    orgs = words()["organisation_words"]
    regions = [p for p in find_places(norm) if not any(o in norm[p.end:p.end + 8] for o in orgs)]
    return bool(locate(regions))


def _fact(text: str, q: Quantity, field: str, offset: int) -> FactRecord:
    a, b = q.start + offset, q.end + offset
    return FactRecord(field, q.value, q.low, q.high, q.unit, q.qualifier, q.text, a, b, snippet(text, a, b))


# -- the reading ---------------------------------------------------------------------------------
def park_mentions(title: str | None, body: str | None, *, published=None) -> list[ParkMention]:
    """Every blockchain park name of a document, each with what its sentences say about it."""
    text = document_text(title, body)
    end = content_end(text)
    names = _without_designations(text, find_names(text[:end]))
    others = find_names(text[:end], others=True)
    title_end = len(title or "")
    doc_places = find_places(normalize_text(text[:end]))
    out = [_mention(text, n, title_end, published, doc_places) for n in names]
    topic: ParkMention | None = None
    for s0, s1 in sentences(text[:end]):
        here = [m for m in out if s0 <= m.start < s1]
        specific = [m for m in here if is_specific(m.text)]
        _figures(text, (s0, s1), specific, topic, [o for o in others if s0 <= o.start < s1], names, published)
        _operator(text[s0:s1], specific[-1] if specific else topic)
        topic = _topic(specific, topic)
    return out


def _topic(specific: list[ParkMention], topic: ParkMention | None) -> ParkMention | None:
    """The park later sentences are about: the one park a sentence names; a sentence that lists
    several parks leaves no single one (their figures are not the last listed park's)."""
    parks = {name_key(m.text) for m in specific}
    if len(parks) > 1:
        return None
    return specific[-1] if specific else topic


def _without_designations(text: str, names: list[Name]) -> list[Name]:
    """Drop a name that is a title given to a park named before it in the same sentence, or the
    start of a company's name (河南中链孵化器管理有限公司)."""
    verbs = words()["designation_verbs"]
    out = []
    for n in names:
        before = fold(text[max(n.sentence[0], n.start - 6):n.start]).rstrip("“\"'「")
        earlier = any(o.sentence == n.sentence and o.end <= n.start and is_specific(o.text) for o in out)
        company = re.match(r"(?:管理|运营|发展|投资|科技|服务)?(?:有限责任公司|有限公司|股份|集团|公司)", text[n.end:n.end + 10])
        if not (earlier and any(before.endswith(v) for v in verbs)) and not company:
            out.append(n)
    return out


def _mention(text: str, n: Name, title_end: int, published, doc_places: list) -> ParkMention:
    loc = _location(text, n, title_end, doc_places)
    event, date, precision = _event(text, n, published)
    return ParkMention(n.text, n.start, n.end, n.type, loc.province, loc.city, loc.district,
                       "subject" if n.start < title_end else "mentioned", event, date, precision,
                       snippet=snippet(text, n.start, n.end))


def _operator(sentence: str, target: ParkMention | None) -> None:
    if target is None or target.gov_led is not None:
        return
    led, evidence = _gov_led(sentence)
    if led is not None:
        target.gov_led, target.gov_led_evidence = led, evidence


def _figures(text, sentence, specific, topic, others, names, published) -> None:
    """Give each figure of the sentence to the park it is about: the last specific park named
    before it in the sentence, else the sentence's own park (拥有4.5万平方米载体空间的嘉兴区块链产业园),
    else the topic — unless another park's name stands nearer before it and the clause does
    not start by pointing back at the park (园区面积约2.6万平方米). A figure said of each park of a
    list (…、…入驻企业均超过60家) is each one's."""
    s0, s1 = sentence
    for q in find_quantities(text[s0:s1], published=published, kinds=FIGURE_KINDS):
        at = q.start + s0
        c0, c1 = clause_around(text, at, q.end + s0)
        clause = text[c0:c1]
        field = _field(q, clause)
        if field is None and fold(clause).lstrip().startswith(("达到", "达", "增至")):
            field = _field(q, text[s0:c1])     # 入驻企业已突破100家，达到103家: the same count restated
        before = [m for m in specific if m.end <= at]
        target = before[-1] if before else (specific[0] if specific else topic)
        if field is None or target is None:
            continue
        since = target.end if before else s0
        pointing = any(fold(clause).startswith(a) for a in words()["anaphora"])
        if not pointing and any(since <= o.start < at for o in others):
            continue                       # 与其相邻的深港国际人工智能产业园建筑面积10万平方米
        in_clause = any(c0 <= n.start < c1 for n in names)
        if _not_the_parks(text[s0:at], clause, in_clause):
            continue
        each = _listed(text, before) if before and re.search("[均都]", text[before[-1].end:at]) else []
        for m in each or [target]:
            _give(m, _fact(text, q, field, s0))


def _listed(text: str, before: list[ParkMention]) -> list[ParkMention]:
    """The parks of a list that ends with the last one (长沙…、星沙…和娄底…)."""
    chain = [before[-1]]
    for m in reversed(before[:-1]):
        if text[m.end:chain[0].start].strip() not in ("、", "，", "和", "与", "及", "以及"):
            break
        chain.insert(0, m)
    return chain


def _give(park: ParkMention, fact: FactRecord) -> None:
    """A park's first figure of a field stays, except that an exact figure restating a bound
    (入驻企业已突破100家，达到103家) replaces it."""
    old = next((f for f in park.facts if f.field == fact.field), None)
    if old is None:
        park.facts.append(fact)
    elif old.qualifier in ("at_least", "approx") and fact.qualifier == "exact" and fact.start - old.end < 12 \
            and fact.value is not None and old.value is not None and fact.value >= old.value:
        park.facts[park.facts.index(old)] = fact
