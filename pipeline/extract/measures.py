"""Areas (→ m²), money (→ integer units of a currency) and counts in Chinese text.

One grammar serves all three: a number (Arabic, Chinese or vague like 数十), an
optional 余/多, a multiplier (万, 亿 …), a unit from data/units.csv and the
qualifier words around it (data/qualifiers.csv). The unit decides the kind; a
number without a unit is money only when 亿 or a money word makes it so.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from fractions import Fraction

from pipeline import rules
from pipeline.text import numerals
from pipeline.text.normalize import Normalized
from pipeline.text.patterns import alt

from .quantity import Quantity, plain

_CLAUSE_END = "。；;！？!?\n"
_LIST_JOIN = re.compile(r"^(?:和|及|与|或|、|,|，|以及)$")


@dataclass(frozen=True)
class _Unit:
    name: str
    kind: str
    factor: Fraction
    code: str
    not_before: tuple[str, ...]     # words that make the unit part of another word: 家庭, 个月
    unit_before: tuple[str, ...]    # longer words that make it a unit again: 家 + 具有


@functools.cache
def _units() -> dict[str, _Unit]:
    out = {}
    for r in rules.table("units.csv"):
        out[r["unit"]] = _Unit(r["unit"], r["kind"], Fraction(int(r["factor_num"]), int(r["factor_den"])),
                               r["code"], tuple(r.get("not_before", "").split()),
                               tuple(r.get("unit_before", "").split()))
    return out


def _unit_blocked(unit: _Unit, rest: str) -> bool:
    """Is the unit the first character of a longer word here? The longest listed word that
    `rest` starts with decides: 3 家具 (furniture) is not 家, 3 家具有 (3 firms that have) is,
    and 家具有限公司 (a furniture firm) is not again."""
    hits = [(len(w), False) for w in unit.not_before if rest.startswith(w)]
    hits += [(len(w), True) for w in unit.unit_before if rest.startswith(w)]
    return bool(hits) and not max(hits)[1]


@functools.cache
def _vague() -> dict[str, dict]:
    return {r["expr"]: r for r in rules.table("vague_numbers.csv")}


@functools.cache
def _qualifiers() -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    before, after = [], {}
    for r in rules.table("qualifiers.csv"):
        if r["position"] == "before":
            before.append((r["word"], r["qualifier"], r.get("not_after", "")))
        else:
            after[r["word"]] = r["qualifier"]
    before.sort(key=lambda p: -len(p[0]))
    return before, after


@functools.cache
def _money_words() -> dict:
    return rules.document("money_words.yaml")


@functools.cache
def _pattern() -> re.Pattern:
    ch = numerals.chinese_chars()
    digits = numerals.digit_chars()
    point = re.escape(numerals.point_chars())
    _, after = _qualifiers()
    post = alt(w for w in after if w not in ("余", "多"))
    # 百亿 / 千亿 / 万亿 and 百余 / 千余: a bare unit character counts as one of it
    # 逾万平方米 / 超千家: a bare unit character right after an "over/about" word
    # 一点五亿: a Chinese decimal, digits after the point
    decimal = rf"(?:[{point}][{digits}]+)?" if point else ""
    chnum = rf"[{digits}十][{ch}]*{decimal}|[百千](?=[余多万亿])|万(?=亿)|(?<=[逾超近约达过])[百千万]"
    return re.compile(
        rf"(?<![\dA-Za-z.第]){_not_inside_a_numeral()}"
        rf"(?P<num>{alt(_vague())}|{numerals.MIXED}|{numerals.ARABIC}|{chnum})"
        rf"(?P<f1>余|多)?(?P<mult>[十百千万亿]*)(?P<f2>余|多)?"
        rf"(?:\s?(?P<unit>{alt(_units())}))?"
        rf"(?:\(含\))?(?P<post>{post})?"
    )


def _not_inside_a_numeral() -> str:
    """Lookbehinds that keep a match from starting inside a numeral run: the tail of a run the
    grammar cannot read whole (十四五, 三五家, 第十四个, 一点五 with a bad head) is no answer, never
    the number its last characters happen to spell. Nor is a fraction's numerator (三分之一)."""
    ch, digits, point = numerals.chinese_chars(), numerals.digit_chars(), re.escape(numerals.point_chars())
    after_point = rf"(?<![{digits}][{point}])" if point else ""
    marks = "".join(f"(?<!{re.escape(w)})" for w in numerals.fraction_marks())
    return rf"(?<![{ch}]){after_point}{marks}"


@functools.cache
def _range_sep() -> re.Pattern:
    return re.compile(alt(rules.document("date_words.yaml")["range_separators"]))


@functools.cache
def _tranche() -> re.Pattern:
    # 50 亿（首期 10 亿）/ 5 亿元产业基金（首期 1 亿元）/ 总规模 100 亿元的基金，首期规模 20 亿元
    return re.compile(rf"(?:[^\d，。；;,()]{{0,12}}?\(|[^\d，。；;,()]{{0,12}}?[，,](?:其中)?)?"
                      rf"(?:{alt(_money_words()['tranche'])})(?:规模|为|资金|出资|募集|募资|到位)*")


@dataclass
class _Amount:
    start: int
    end: int
    kind: str | None
    value: Fraction | None
    low: Fraction | None
    high: Fraction | None
    unit: _Unit | None
    qualifier: str | None      # from the expression itself (余, 以上, 数十 …)
    has_yi: bool
    has_wan: bool
    symbol: str | None = None


def _run_goes_on(norm: str, m: re.Match) -> bool:
    """Does the number go on after what the pattern read? 3万5 (35,000 in speech) and
    500万2019 would otherwise give their head alone, a confident wrong answer."""
    end = max(m.end(g) for g in ("num", "f1", "mult", "f2") if m.group(g))
    return norm[end:end + 1].isdigit()


def _read(norm: str, m: re.Match) -> _Amount | None:
    num, mult = m.group("num"), m.group("mult")
    unit_name, post = m.group("unit"), m.group("post")
    end = m.end()
    unit = _units().get(unit_name) if unit_name else None
    if unit is None and _run_goes_on(norm, m):
        return None
    if unit is not None:
        unit_end = m.end("unit")
        nxt = norm[unit_end:unit_end + 1]
        bad_ascii = unit_name.isascii() and nxt[:1].isascii() and nxt[:1].isalnum()
        if _unit_blocked(unit, norm[unit_end:]) or bad_ascii:
            unit, post, end = None, None, m.start("unit")
    mult_v = numerals.multiplier(mult)
    if mult_v is None:
        return None
    qualifier = None
    vague = _vague().get(num)
    if vague:
        low = Fraction(vague["low"]) * mult_v if vague["low"] else None
        high = Fraction(vague["high"]) * mult_v if vague["high"] else None
        qualifier = vague["qualifier"]
        value = low if qualifier in ("at_least", "approx") else None
        if qualifier == "approx":
            high = low
    else:
        if num[0] not in "0123456789" and len(num) > 1 and all(c in numerals.digit_chars() for c in num):
            return None  # 一一, 二〇二〇: positional digits, not an amount
        base = numerals.parse_number(num)
        if base is None:
            return None
        value = low = high = base * mult_v
    if m.group("f1") or m.group("f2"):
        qualifier = qualifier or "at_least"
    if post:
        qualifier = _qualifiers()[1][post]
    # 数亿 is a number of 亿, like 5 亿; 上万 is not a 万 amount (上万家, 上万人)
    has_yi = "亿" in mult or "亿" in num
    has_wan = "万" in mult or ("万" in num and not vague)
    kind = unit.kind if unit else None
    if unit is not None:
        factor = unit.factor
        value = value * factor if value is not None else None
        low = low * factor if low is not None else None
        high = high * factor if high is not None else None
    return _Amount(m.start("num"), end if unit or not post else m.end(), kind, value, low, high,
                   unit, qualifier, has_yi, has_wan)


def _clause_before(norm: str, start: int, window: int) -> str:
    left = norm[max(0, start - window):start]
    for i in range(len(left) - 1, -1, -1):
        if left[i] in _CLAUSE_END:
            return left[i + 1:]
    return left


def _clause_after(norm: str, end: int, window: int) -> str:
    right = norm[end:end + window]
    for i, c in enumerate(right):
        if c in _CLAUSE_END or c in "，,":
            return right[:i]
    return right


def _before_qualifier(norm: str, start: int) -> tuple[str | None, int]:
    """The qualifier word ending at `start` (allowing gap words like 奖励), and its start.
    达/共 say "exact" but may follow a stronger word: 最高可达 300 万元 is at most."""
    before, _ = _qualifiers()
    # a money verb may stand between an at-most word and its number, too: 最高补 1000 万
    gaps = sorted(_money_words()["qualifier_gap"] + _money_words()["context_verbs"], key=len, reverse=True)
    pos, found = start, None
    for _ in range(4):
        for word, q, not_after in before:
            if norm.startswith(word, pos - len(word)):
                at = pos - len(word)
                if not_after and at >= 1 and norm[at - 1] in not_after:   # 最近 / 附近 are not 近
                    return found or (None, start)
                if q != "exact":
                    return q, at
                found = found or (q, at)
                pos -= len(word)
                break
        else:
            for g in gaps:
                if norm.startswith(g, pos - len(g)):
                    pos -= len(g)
                    break
            else:
                return found or (None, start)
    return found or (None, start)


def _has_word(text: str, words) -> bool:
    return any(w in text for w in words)


def _verb_before(norm: str, a: _Amount, qstart: int) -> bool:
    """A short money verb right before the amount or before its qualifier: 补 1000 万,
    最高补 1000 万 (the verb is inside the qualifier phrase), 奖最高 300 万. Right before only:
    补 and 奖 start too many other words (补充, 奖项) to count anywhere in the clause."""
    mw = _money_words()
    for end in (qstart, a.start):
        left = norm[max(0, end - 8):end].rstrip()
        if any(left.endswith(v) for v in mw["context_verbs"]) and \
                not any(left.endswith(w) for w in mw["not_context_verbs"]):
            return True
    return any(v in norm[qstart:a.start] for v in mw["context_verbs"])


def _classify(norm: str, a: _Amount, qstart: int) -> str | None:
    """Kind of an amount without a unit: money (亿, or 万 with a money word), or nothing."""
    mw = _money_words()
    ctx = _clause_before(norm, a.start, mw["context_window"])
    if _has_word(ctx, mw["not_money_context"]):
        return None
    after = norm[a.end:a.end + 4]
    if _has_word(_clause_after(norm, a.end, 6), mw["not_money_context"]):
        return None
    if a.has_yi:
        if any(after.startswith(w) for w in mw["not_money_after"]):
            return None
        return "money"
    if a.has_wan and (_has_word(ctx, mw["context_before"]) or _verb_before(norm, a, qstart)
                      or _has_word(_clause_after(norm, a.end, 8), mw["context_after"])):
        if any(after.startswith(w) for w in mw["not_money_after"]):
            return None
        return "money"
    return None


def _label(norm: str, start: int) -> str | None:
    labels = _money_words()["labels"]
    left = norm[:start]
    cut = max(left.rfind(c) for c in "。；;\n")
    sentence = left[cut + 1:]
    best, best_pos = None, -1
    for w in labels:
        p = sentence.rfind(w)
        if p > best_pos:
            best, best_pos = w, p
    return best


@dataclass
class _Found:
    """One amount being read: its span, the range's second bound, its kind."""
    m: re.Match
    a: _Amount
    start: int
    end: int
    before_q: str | None
    qstart: int
    symbol: str | None
    b: _Amount | None = None
    mb: re.Match | None = None


def _second_bound(norm: str, f: _Found) -> None:
    """A range A 至 B, where A may borrow B's unit and multiplier (3 至 5 万平方米)."""
    a = f.a
    rng = _range_sep().match(norm, a.end)
    if not rng:
        return
    mb = _pattern().match(norm, rng.end())
    b = _read(norm, mb) if mb else None
    if b is None or b.unit is None or (a.unit is not None and a.unit.kind != b.unit.kind) \
            or a.value is None or b.value is None or a.qualifier is not None:
        return
    if a.unit is None:
        scale = b.unit.factor
        if not f.m.group("mult") and mb.group("mult"):
            scale *= numerals.multiplier(mb.group("mult"))
        a.value = a.low = a.high = a.value * scale
        a.unit, a.kind = b.unit, b.unit.kind
    f.b, f.mb = b, mb


def _kind(norm: str, f: _Found) -> str | None:
    if f.a.kind is not None:
        return f.a.kind
    if f.symbol and not f.a.has_wan and not f.a.has_yi:
        return "count"
    return _classify(norm, f.a, f.qstart)


def _bounds(norm: str, f: _Found, prev) -> tuple:
    """(value, low, high, qualifier) of a single amount, from its own words, the words before
    it, or the list it continues (最高 500 万元和 300 万元)."""
    a = f.a
    value, low, high, qualifier = a.value, a.low, a.high, a.qualifier
    if qualifier is None and f.before_q:
        qualifier = f.before_q
        f.start = f.qstart if f.symbol else f.start
    if qualifier is None and prev is not None and prev[1] and _LIST_JOIN.match(norm[prev[0]:a.start] or "x"):
        qualifier = prev[1]
    qualifier = qualifier or "exact"
    if qualifier == "at_least" and value is not None:
        low, high = value, None
    elif qualifier == "at_most" and value is not None:
        low, high = None, value
    elif qualifier == "range":
        value = None
    return value, low, high, qualifier


def _money_extras(norm: str, f: _Found) -> tuple:
    """(tranche, per_year, end of the match) of a money amount: 50 亿（首期 10 亿）, 每年 …"""
    tranche, end = None, None
    tm = _tranche().match(norm, f.end)
    if tm:
        mt = _pattern().match(norm, tm.end())
        t = _read(norm, mt) if mt else None
        if t is not None and t.value is not None and (t.unit is None or t.unit.kind == "money"):
            tranche = t.value
            f.end = t.end + (1 if norm[t.end:t.end + 1] == ")" else 0)
            end = mt.end()
    per_year = _has_word(_clause_before(norm, f.start, _money_words()["per_year_window"]), _money_words()["per_year"])
    return tranche, per_year, end


def _next_pos(m: re.Match) -> int:
    return m.end() if m.end() > m.start() else m.start() + 1


def find_measures(n: Normalized, kinds=("area", "money", "count")) -> list[Quantity]:
    norm = n.text
    out: list[Quantity] = []
    pos = 0
    prev: tuple[int, str | None] | None = None   # (end, before-qualifier) of the last amount
    while (m := _pattern().search(norm, pos)) is not None:
        a = _read(norm, m)
        if a is None:
            pos = m.start() + 1
            continue
        before_q, qstart = _before_qualifier(norm, a.start)
        symbol = before_q if norm[qstart:a.start] in (">", "<", "≥", "≤", ">=", "<=") else None
        f = _Found(m, a, a.start, a.end, before_q, qstart, symbol)
        _second_bound(norm, f)
        kind = _kind(norm, f)
        if kind is None or kind not in kinds:
            pos = f.mb.end() if f.b else _next_pos(m)
            prev = None
            continue
        if f.b is not None:
            if a.value > f.b.value:
                pos = f.mb.end()
                continue
            value, low, high, qualifier = None, a.value, f.b.value, "range"
            f.end, pos = f.b.end, f.mb.end()
        else:
            pos = _next_pos(m)
            value, low, high, qualifier = _bounds(norm, f, prev)
        tranche, per_year = None, False
        if kind == "money":
            tranche, per_year, tend = _money_extras(norm, f)
            pos = max(pos, tend or 0)
        if kind == "count" and any(v is not None and v.denominator != 1 for v in (value, low, high)):
            continue
        places = 2 if kind == "area" else None
        a0, a1 = n.span(f.start, f.end)
        out.append(Quantity(
            kind=kind, text=n.original[a0:a1], start=a0, end=a1,
            value=plain(value, places=places), low=plain(low, places=places), high=plain(high, places=places),
            unit=a.unit.code if a.unit else ("CNY" if kind == "money" else "count"), qualifier=qualifier,
            tranche=plain(tranche) if tranche is not None else None, per_year=per_year,
            label=_label(norm, f.start) if kind in ("area", "money") else None))
        prev = (f.end, before_q if before_q in ("at_most", "at_least") else None)
    return out
