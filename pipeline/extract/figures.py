"""Whose figure is it: the area and settled-enterprise counts of a sentence given to the park
they are about — never to the district, the city, a plan, a phase, a project or a neighbouring
park. Word lists: data/park_words.yaml (area_words, enterprise_words, not_park_figure …)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.normalize import fold, normalize_text
from pipeline.text.places import find_places, locate
from pipeline.text.sentences import clause_around

from .mentions import Name, words
from .quantities import find_quantities
from .quantity import Quantity
from .records import FactRecord, ParkMention, snippet

FIGURE_KINDS = ("area", "count", "money")
_LIST_GLUE = ("、", "，", "和", "与", "及", "以及")
_LIST_GAP = re.compile(r"\s*(?:、|，|和|及|以及)\s*")


@dataclass
class Sentence:
    """One sentence of a document and what the reading knows there."""
    text: str                      # the whole document text
    span: tuple[int, int]
    specific: list[ParkMention]    # the specific parks named in it, in order
    topic: ParkMention | None      # the park the sentence is about when it names none
    others: list[Name]             # names of parks that are not blockchain parks
    names: list[Name]              # every blockchain park name of the document


def field_of(q: Quantity, clause: str) -> str | None:
    """What a figure counts, from the words of its clause (folded: 建築面積 reads as 建筑面积)."""
    w, c = words(), fold(clause)
    if q.kind == "area" and any(x in c for x in w["area_words"]):
        return "area_m2"
    if q.kind == "count" and any(u in fold(q.text) for u in w["enterprise_units"]) and "企业" in c and \
            any(x in c for x in w["enterprise_words"] + w["enterprise_holders"]):
        return "enterprises"
    return None


def _not_the_parks(sentence_before: str, clause: str, names_in_clause: bool, pointing: bool) -> bool:
    """A figure of the district, the city, a plan, a subset, a change, a project or a phase."""
    w, c = words(), fold(clause)
    if any(x in c for x in w["not_park_figure"]):
        return True
    if any(x in fold(sentence_before) for x in w["phase_words"]) and "总" not in c and not pointing:
        return True
    # a place named in the clause outside any park or organisation name: the figure is about it
    return not names_in_clause and _region_in(clause)


def _region_in(clause: str) -> bool:
    """Does the clause name a region as what it counts? Not a place that only says where the
    park is (位于月湖区的园区, 在龙湖区建成) or that belongs to an organisation's name."""
    norm = normalize_text(clause)
    w = words()
    regions = [p for p in find_places(norm) if not any(o in norm[p.end:p.end + 8] for o in w["organisation_words"])
               and not norm[p.end:p.end + 1] == "的" and not norm[max(0, p.start - 2):p.start].endswith(("位于", "在"))]
    return bool(locate(regions))


def _total(clause: str) -> int:
    """2: the clause states the park's figure as it stands now (目前, 已达 …); 1: a running total
    (累计); 0: neither."""
    c, w = fold(clause), words()
    return 2 if any(x in c for x in w["total_words"]) else 1 if any(x in c for x in w["cumulative_words"]) else 0


def _fact(s: Sentence, q: Quantity, field: str, clause: str) -> FactRecord:
    a, b = q.start + s.span[0], q.end + s.span[0]
    return FactRecord(field, q.value, q.low, q.high, q.unit, q.qualifier, q.text, a, b, snippet(s.text, a, b),
                      total=_total(clause))


def assign(s: Sentence, published=None) -> None:
    """Give each figure of the sentence to the park it is about: the last specific park named
    before it in the sentence, else the sentence's own park (拥有4.5万平方米载体空间的嘉兴区块链产业园),
    else the topic — unless another park's name stands nearer before it and the clause does
    not start by pointing back at the park (园区面积约2.6万平方米). A figure said of each park of a
    list (…、…入驻企业均超过60家) is each one's; figures given 分别 go to the listed parks in order."""
    s0, s1 = s.span
    found, prev = [], None
    for q in find_quantities(s.text[s0:s1], published=published, kinds=FIGURE_KINDS):
        at = q.start + s0
        c0, c1 = clause_around(s.text, at, q.end + s0)
        clause = s.text[c0:c1]
        field = field_of(q, clause)
        if field is None and fold(clause).lstrip().startswith(tuple(words()["restating_words"])):
            field = field_of(q, s.text[s0:c1])    # 入驻企业已突破100家，达到103家: the same count restated
        if field is None and prev and prev[0].kind == q.kind and _LIST_GAP.fullmatch(s.text[prev[1]:at]):
            field = prev[2]                        # 分别入驻企业58家、64家和23家: the list goes on
        prev = (q, q.end + s0, field) if field else None
        if field:
            found.append((q, at, (c0, c1), field))
    done = _respectively(s, found)
    for q, at, (c0, c1), field in found:
        if id(q) not in done:
            _one(s, q, at, (c0, c1), field)


def _one(s: Sentence, q: Quantity, at: int, clause_span: tuple[int, int], field: str) -> None:
    c0, c1 = clause_span
    clause = s.text[c0:c1]
    before = [m for m in s.specific if m.end <= at]
    target = before[-1] if before else (s.specific[0] if s.specific else s.topic)
    if target is None:
        return
    since = target.end if before else s.span[0]
    pointing = any(fold(clause).startswith(a) for a in words()["anaphora"])
    if not pointing and any(since <= o.start < at and not _setting(s.text, o) for o in s.others):
        return                             # 与其相邻的深港国际人工智能产业园建筑面积10万平方米
    in_clause = any(c0 <= n.start < c1 for n in s.names)
    if _not_the_parks(s.text[s.span[0]:at], clause, in_clause, pointing):
        return
    each = listed(s.text, before) if before and re.search("[均都]", s.text[before[-1].end:at]) else []
    for m in each or [target]:
        give(m, _fact(s, q, field, clause))


def _setting(text: str, other: Name) -> bool:
    """Another park named only as where the park is or who builds it (由平潭综合实验区管委会建设,
    位于西部云基地核心区): the sentence goes on about the park."""
    return text[max(0, other.start - 2):other.start].endswith(tuple(words()["setting_words"]))


def _respectively(s: Sentence, found: list) -> set[int]:
    """A、B和C三个园区分别入驻企业58家、64家和23家: the n-th figure of a field after 分别 is the
    n-th park's. Returns the figures given this way."""
    done: set[int] = set()
    mark = s.text.find("分别", s.span[0], s.span[1])
    before = [m for m in s.specific if m.end <= mark] if mark >= 0 else []
    parks = listed(s.text, before) if before else []
    if len(parks) < 2:
        return done
    for field in {f for *_, f in found}:
        figures = [(q, c) for q, at, c, f in found if f == field and at > mark]
        if len(figures) != len(parks):
            continue
        for park, (q, (c0, c1)) in zip(parks, figures):
            clause = s.text[c0:c1]
            if not any(x in fold(clause) for x in words()["not_park_figure"]):
                give(park, _fact(s, q, field, clause))
            done.add(id(q))
    return done


def listed(text: str, before: list[ParkMention]) -> list[ParkMention]:
    """The parks of a list that ends with the last one (长沙…、星沙…和娄底…)."""
    chain = [before[-1]]
    for m in reversed(before[:-1]):
        if re.sub(r"[“”\s]", "", text[m.end:chain[0].start]) not in _LIST_GLUE:
            break
        chain.insert(0, m)
    return chain


def give(park: ParkMention, fact: FactRecord) -> None:
    """A park's first figure of a field stays, unless a later one states the total as it stands
    (目前入驻企业已达64家 after 开园时入驻企业32家), or is the exact figure a bound said
    (入驻企业已突破100家，达到103家)."""
    old = next((f for f in park.facts if f.field == fact.field), None)
    if old is None:
        park.facts.append(fact)
    elif better(fact, old):
        park.facts[park.facts.index(old)] = fact


def better(new: FactRecord, old: FactRecord) -> bool:
    if new.total != old.total:
        return new.total > old.total
    return old.qualifier in ("at_least", "approx") and new.qualifier == "exact" and new.value is not None \
        and old.value is not None and new.value >= old.value
