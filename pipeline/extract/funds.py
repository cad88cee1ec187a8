"""find_funds: the blockchain funds one document reports (corpus rule 9).

A fund is a name ending in 基金 that names blockchain (海沧区区块链产业投资基金), or an unnamed
blockchain fund phrase with a size (一支区块链产业投资基金，基金规模三千万元). Sponsors' funds
(由海沧区产业投资引导基金与…), metaverse funds, fund towns (基金小镇), a company's financing
round and a fund a policy only encourages are not. Size, tranche and amounts come from
find_quantities; words are data (data/doc_words.yaml, data/fund_words.yaml).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline import rules
from pipeline.text import numerals
from pipeline.text.normalize import fold
from pipeline.text.patterns import alt

from .policies import (
    LQ,
    Line,
    View,
    blockchain_view,
    clause,
    mentions_blockchain,
    place_region,
    places,
    quantities_in,
    sentence,
)
from .records import FundRecord, snippet

Spot = tuple[Line, int, int]      # a sentence: its line and span in the line's normalised text


@functools.cache
def fund_words() -> dict:
    return rules.document("fund_words.yaml")


@dataclass
class Mention:
    line: Line
    a: int                        # the name (or phrase) in line.t, ending with 基金
    b: int
    named: bool                   # has a proper part (a place, a brand) besides generic words

    @property
    def text(self) -> str:
        return self.line.t[self.a:self.b]


# ---------------------------------------------------------------- mentions

def _name_start(line: Line, pos: int) -> int:
    """Walk left from 基金 over the name's characters to a boundary word, punctuation or amount."""
    w = fund_words()
    t = line.t
    stops = {lq.b for lq in line.quantities if lq.q.kind == "money"}
    bounds = tuple(w["name_boundaries"])
    i = pos
    while i > 0 and pos - i < w["max_name_chars"] and i not in stops:
        c = t[i - 1]
        if not ("\u4e00" <= c <= "\u9fff" or c in "“”\"·" or (c.isascii() and c.isalnum())):
            break
        if t[:i].endswith(bounds):
            break
        i -= 1
    return i


def _is_named(name: str) -> bool:
    rest = name
    for g in sorted(fund_words()["generic_name_words"], key=len, reverse=True):
        rest = rest.replace(g, "")
    return len(re.sub(r"[“”\"·\d]", "", rest)) >= 2


def _excluded(line: Line, a: int) -> bool:
    """A financing round's sentence, or a fund a policy encourages (鼓励地方设立…基金)."""
    w = fund_words()
    s, e = sentence(line.t, a)
    cs, _ = clause(line.t, a)
    return any(x in line.t[s:e] for x in w["exclude_sentence"]) or \
        any(x in line.t[cs:a] for x in w["policy_context"])


def mentions(view: View) -> list[Mention]:
    """Every blockchain fund name or phrase of the title and the content."""
    w = fund_words()
    out = []
    for line in view.content():
        for m in re.finditer("基金", line.t):
            if line.t.startswith(tuple(w["not_fund_after"]), m.end()):
                continue
            a = _name_start(line, m.start())
            name = line.t[a:m.end()]
            if (mentions_blockchain(name) or _park_fund(line, a, name)) and not _excluded(line, a):
                out.append(Mention(line, a, m.end(), _is_named(name)))
    return out


def _park_fund(line: Line, a: int, name: str) -> bool:
    """A fund without blockchain in its name that a blockchain park sets up in the same clause
    (星沙区块链产业园设立5亿元产业基金), unless its name gives it another topic (数字经济产业基金)."""
    w = fund_words()
    if any(x in name for x in w["other_topics"]):
        return False
    return _setter_park(line, a) is not None


def _setter_park(line: Line, a: int) -> tuple[int, int] | None:
    """A blockchain park that opens the clause of the fund mention at a, as its subject
    (星沙区块链产业园设立5亿元产业基金)."""
    cs, _ = clause(line.t, a)
    for m in _park_suffix().finditer(line.t, cs, a):
        b = m.end() + (1 if line.t[m.end():m.end() + 1] in ("”", "\"") else 0)
        name = line.t[cs:b]
        if _proper(name, m.group(0)) and mentions_blockchain(name):
            return cs, b
    return None


def _key(m: Mention) -> str:
    return fold(m.text)


def _named_groups(named: list[Mention]) -> list[list[Mention]]:
    """One group per named fund; a shorter name that ends a longer one is the same fund (高新区…
    of 西安高新区…)."""
    groups: list[list[Mention]] = []
    for m in sorted(named, key=lambda m: -len(m.text)):
        g = next((g for g in groups if _key(g[0]).endswith(_key(m))), None)
        if g is None:
            groups.append([m])
        else:
            g.append(m)
    return groups


def _unnamed_groups(view: View, found: list[Mention]) -> list[list[Mention]]:
    """Without a named fund, unnamed mentions of the same size are one fund (the title's
    设立三千万元区块链产业基金 and the body's 一支区块链产业投资基金，基金规模三千万元)."""
    by_size: dict[tuple, list[Mention]] = {}
    for m in found:
        found_size = _size(_sentences(view, m, [], limit=2), [m])
        key = (found_size[1].q.value, found_size[1].q.unit) if found_size else (None, id(m))
        by_size.setdefault(key, []).append(m)
    return list(by_size.values())


def _groups(view: View, found: list[Mention]) -> list[list[Mention]]:
    named = [m for m in found if m.named]
    groups = _named_groups(named) if named else _unnamed_groups(view, found)
    order = {id(m): i for i, m in enumerate(found)}
    return sorted((sorted(g, key=lambda m: order[id(m)]) for g in groups), key=lambda g: order[id(g[0])])


def _anchor(group: list[Mention]) -> Mention:
    """The first mention in the body, else the title's."""
    return next((m for m in group if m.line.index > 0), group[0])


def _sentences(view: View, anchor: Mention, others: list[Mention], limit: int = 8) -> list[Spot]:
    """Sentences from the anchor's on, until one names another fund of this document."""
    out: list[Spot] = []
    s, _ = sentence(anchor.line.t, anchor.a)
    for line in view.content()[anchor.line.index:]:
        pos = s if line is anchor.line else 0
        while pos < len(line.t) and len(out) < limit:
            a, e = sentence(line.t, pos)
            if out and any(o.line is line and a <= o.a < e for o in others):
                return out
            out.append((line, a, e))
            pos = e + 1
        if len(out) >= limit:
            break
    return out


# ---------------------------------------------------------------- size, tranche

def _money(spots: list[Spot]) -> list[tuple[Line, LQ]]:
    return [(line, lq) for line, a, e in spots for lq in quantities_in(line, a, e, "money")]


def _size(spots: list[Spot], group: list[Mention]) -> tuple[Line, LQ] | None:
    """The first amount after a size word in its clause (基金总规模10亿元), else an amount right
    before a mention (设立10亿元区块链产业投资基金)."""
    w = fund_words()
    for line, lq in _money(spots):
        cs, _ = clause(line.t, lq.a)
        before = line.t[cs:lq.a]
        if any(x in before for x in w["size_words"]) and not any(x in before for x in w["not_size_words"]):
            return line, lq
    for m in group:
        for lq in m.line.quantities:
            if lq.q.kind == "money" and 0 <= m.a - lq.b <= 1:
                return m.line, lq
    return None


def _sane(tranche, size) -> bool:
    """A first tranche is a part of the fund: more than nothing, less than the whole."""
    return tranche is not None and size is not None and 0 < tranche < size


def _tranche(size: LQ, spots: list[Spot]):
    if _sane(size.q.tranche, size.q.value):
        return size.q.tranche
    words = fund_words()["tranche_words"]
    for line, lq in _money(spots):
        cs, _ = clause(line.t, lq.a)
        if lq is not size and any(x in line.t[cs:lq.a] for x in words) and lq.q.unit == size.q.unit \
                and _sane(lq.q.value, size.q.value):
            return lq.q.value
    return None


# ---------------------------------------------------------------- sponsors

def _pieces(line: Line, a: int, b: int) -> list[tuple[int, int]]:
    """Split line.t[a:b] at the separators (、 与 和 联合 …) outside protected words."""
    w = fund_words()["sponsors"]
    t = line.t
    protected = [(m.start(), m.end()) for p in w["protect"] for m in re.finditer(re.escape(p), t[:b])]
    cuts, out, pos = [], [], a
    for m in re.finditer(alt(w["separators"]), t[:b]):
        if m.start() >= a and not any(s <= m.start() < e for s, e in protected):
            cuts.append(m)
    for m in cuts:
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, b))
    return out


def _sponsor(line: Line, a: int, b: int, need_org: bool) -> str | None:
    w = fund_words()["sponsors"]
    t = line.t
    for x in w["cut_at"]:
        i = t.find(x, a, b)
        b = i if i > a else b
    changed = True
    while changed:
        changed = False
        for x in w["trailing"]:
            if t[a:b].endswith(x) and b - a > len(x):
                b, changed = b - len(x), True
    piece = t[a:b]
    if len(piece) < 2 or piece.startswith(tuple(w["generic_starts"])) or piece.endswith("等"):
        return None
    if need_org and not piece.endswith(tuple(w["org_suffixes"])):
        return None
    s, e = line.span(a, b)
    return line.raw[s - line.start:e - line.start]


def _sponsors(spots: list[Spot], anchor: Mention) -> list[str]:
    """由A、B和C共同发起 in the fund's sentences; else the subject of 共同设立 before the fund."""
    w = fund_words()["sponsors"]
    verbs = alt(w["verbs"])
    for line, s, e in spots:
        m = re.search(rf"由([^，。；由]{{2,120}})(?:{verbs})", line.t[s:e])
        if m:
            found = [_sponsor(line, a, b, False) for a, b in _pieces(line, s + m.start(1), s + m.end(1))]
            if any(found):      # 由社会资本出资 names nobody: look further
                return list(dict.fromkeys(x for x in found if x))
    t = anchor.line.t
    cs, _ = clause(t, anchor.a)
    found = list(re.compile(alt(w["subject_verbs"])).finditer(t, cs, anchor.a))
    if not found:
        return []
    m = found[-1]
    end = m.start()
    loc = t.rfind(w["locative"], cs, end)
    end = loc if loc > cs else end
    found = [_sponsor(anchor.line, a, b, True) for a, b in _pieces(anchor.line, cs, end)]
    return list(dict.fromkeys(x for x in found if x))


# ---------------------------------------------------------------- government share

@functools.cache
def _percent() -> re.Pattern:
    g = fund_words()["government_share"]
    cn = numerals.chinese_chars() + numerals.point_chars()
    return re.compile(rf"(?:{alt(g['percent_words'])})(?P<c>[{cn}]+)|(?P<n>\d+(?:\.\d+)?)\s*(?:{alt(g['percent_marks'])})")


def _government_share(spots: list[Spot]) -> float | None:
    """A percentage stated as the government's share (区级引导基金出资占比30%, 占基金总规模的25%),
    or a stated zero (不含政府引导资金)."""
    g = fund_words()["government_share"]
    for line, s, e in spots:
        if any(x in line.t[s:e] for x in g["zero_phrases"]):
            return 0.0
    for line, s, e in spots:
        for m in _percent().finditer(line.t, s, e):
            before = line.t[s:m.start()]
            gov = max((before.rfind(x) for x in g["government_words"]), default=-1)
            share = max((before.rfind(x) for x in g["share_words"]), default=-1)
            if gov >= 0 and share > gov:
                v = numerals.parse_number(m.group("c") or m.group("n"))
                if v is not None and 0 <= v <= 100:
                    return round(float(v) / 100, 4)
    return None


# ---------------------------------------------------------------- region, park

def _region(view: View, anchor: Mention, spots: list[Spot]) -> str | None:
    """The fund's place: its name's (海沧区… → 厦门), else where it is set up (在深圳福田举行),
    else the title's."""
    context = [p for ln in view.content() for p in places(ln.t)]
    if anchor.named:
        for p in places(anchor.text, context):
            return place_region(p)
    verbs = alt(fund_words()["setup_verbs"])
    for line, s, e in spots[:2]:
        for m in re.finditer(rf"在([^，。；在]{{2,20}}?)(?:共同)?(?:{verbs})", line.t[s:e]):
            for p in places(m.group(1), context):
                return place_region(p)
    for line, s, e in spots[:2] + [(view.title, 0, len(view.title.t))]:
        for p in places(line.t[s:e], context):
            return place_region(p)
    return place_region(context[0]) if context else None


@functools.cache
def _park_suffix() -> re.Pattern:
    skip = set(fund_words()["park"]["not_suffixes"])
    return re.compile(alt(r["suffix"] for r in rules.table("park_suffixes.csv")
                          if int(r["weight"]) >= 2 and r["suffix"] not in skip))


def _proper(name: str, suffix: str) -> bool:
    """A blockchain park's name: a blockchain word, nothing of a sponsor list, and more than its
    suffix, unless it is a quoted nickname (“链谷”)."""
    w = fund_words()["park"]
    if any(x in name for x in w["not_in_name"]) or not any(x in name for x in w["name_words"]):
        return False
    return name[:1] in "“\"" or len(name) > len(suffix)


def _park_at(t: str, i: int) -> tuple[int, int] | None:
    """A blockchain park's name starting at i (after 入驻 and the like): the run of name
    characters up to a stop word (的, 入驻, 及 …), as far as its last park suffix."""
    w = fund_words()["park"]
    for f in w["fillers"]:
        if t.startswith(f, i):
            i += len(f)
            break
    end = i
    while end < len(t) and end - i < 30 and ("\u4e00" <= t[end] <= "\u9fff" or t[end] in "“”\"·") \
            and not t.startswith(tuple(w["run_stops"]), end):
        end += 1
    found = list(_park_suffix().finditer(t, i, end))
    if not found:
        return None
    m = found[-1]
    b = m.end() + (1 if t[m.end():m.end() + 1] in ("”", "\"") and t[i] in "“\"" else 0)
    return (i, b) if _proper(t[i:b], m.group(0)) else None


def _attributive(line: Line, s: int, e: int) -> tuple[int, int] | None:
    """是<park>的配套: the whole stretch must be a park's name."""
    for p in fund_words()["park"]["attributive"]:
        for m in re.finditer(p, line.t[s:e]):
            name = m.group("p")
            bare = name.rstrip("”\"")
            tail = list(_park_suffix().finditer(bare))
            if tail and tail[-1].end() == len(bare) and _proper(name, tail[-1].group(0)):
                return s + m.start("p"), s + m.end("p")
    return None


def _with_place(view: View, nickname: str) -> str | None:
    """A quoted nickname (“链谷”) takes the place written before it elsewhere in the text
    (苏州高铁新城“链谷”)."""
    for line in view.content():
        for m in re.finditer(re.escape(nickname), line.t):
            a = m.start()
            while a > 0 and "\u4e00" <= line.t[a - 1] <= "\u9fff" and m.start() - a < 12:
                a -= 1
            ps = [p for p in places(line.t[a:m.start()]) if p.end == m.start() - a]
            if ps:
                return _raw(line, a + ps[0].start, m.end())
    return None


def _park(view: View, spots: list[Spot], group: list[Mention]) -> str | None:
    """The park the fund is linked to: in 是…的配套 (该基金是海沧“链岛”区块链产业园的配套产业基金)
    or right after a link verb (重点投向成华区块链产业园…), else the park that sets it up."""
    w = fund_words()["park"]
    title = view.title
    spots = spots + [(title, 0, len(title.t))]
    hits = [(line, _attributive(line, s, e)) for line, s, e in spots]
    for line, s, e in spots:
        for m in re.compile(alt(w["link_verbs"])).finditer(line.t, s, e):
            hits.append((line, _park_at(line.t, m.end())))
    hits += [(m.line, _setter_park(m.line, m.a)) for m in group]
    for line, hit in hits:
        if hit:
            name = line.t[hit[0]:hit[1]]
            if name[:1] in "“\"":
                return _with_place(view, name) or _raw(line, *hit)
            return _raw(line, *hit)
    return None


def _raw(line: Line, a: int, b: int) -> str:
    s, e = line.span(a, b)
    raw = line.raw[s - line.start:e - line.start]
    return raw[1:-1] if len(raw) > 2 and raw[0] in "“\"" and raw[-1] in "”\"" else raw


# ---------------------------------------------------------------- records

def _record(view: View, group: list[Mention], others: list[Mention]) -> FundRecord | None:
    anchor = _anchor(group)
    spots = _sentences(view, anchor, others)
    found = _size(spots, group)
    s, e = anchor.line.span(anchor.a, anchor.b)
    if found is None and not (anchor.named and _has_event(anchor)):
        return None
    size = found[1] if found else None
    size_span = found[0].span(size.a, size.b) if found else None
    return FundRecord(
        name=view.text[s:e] if anchor.named else None,
        size=size.q.value if size else None,
        currency=size.q.unit if size else "CNY",
        tranche=_tranche(size, spots) if size else None,
        sponsors=_sponsors(spots, anchor),
        government_share=_government_share(spots),
        region=_region(view, anchor, spots),
        park_text=_park(view, spots, group),
        raw=view.text[s:e], start=s, end=e, snippet=snippet(view.text, s, e),
        size_raw=view.text[slice(*size_span)] if size_span else None, size_span=size_span,
        size_qualifier=size.q.qualifier if size else None)


def _has_event(m: Mention) -> bool:
    s, e = sentence(m.line.t, m.a)
    return any(x in m.line.t[s:e] for x in fund_words()["event_verbs"])


def find_funds(title: str, body: str, *, published: str | None = None) -> list[FundRecord]:
    """The blockchain funds of one document, one record per distinct fund."""
    view = blockchain_view(title, body, published)
    if view is None:
        return []
    groups = _groups(view, mentions(view))
    records = []
    for g in groups:
        others = [m for h in groups if h is not g for m in h]
        r = _record(view, g, others)
        if r is not None:
            records.append(r)
    return records
