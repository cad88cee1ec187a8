"""Chinese dates: points, periods, relative expressions, ranges and durations.

A regex grammar finds every candidate in normalized text: one pattern per shape, each
read by its own small handler. Explicit numeric dates (2017年4月28日, 2020-11-25,
2020.6.13) are cross-checked by dateparser with languages=['zh'] when asked
(`dateparser=True`) — it is reliable there and nowhere else in Chinese prose.
Everything relative (今年6月, 近日, 6 月 3 日 without a year) is resolved against the
publication date and gives nothing without one.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline import rules
from pipeline.text import numerals
from pipeline.text.docnumber import doc_number_spans
from pipeline.text.normalize import Normalized
from pipeline.text.patterns import alt

from .quantity import Quantity

# inside a year a Latin O is a zero too (二O二二年)
_YEAR_ZEROS = "Oo"

Y4 = r"(?:19|20)\d{2}"
M = r"(?:1[0-2]|0?[1-9])"
MC = r"(?:十[一二]?|[一二三四五六七八九])"
D = r"(?:3[01]|[12]\d|0?[1-9])"
DC = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
TIME = r"(?:\s?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?|(?:[01]?\d|2[0-3])时(?:[0-5]?\d分)?)?"
_DUR_PRECISION = {"Y": "year", "M": "month", "W": "day", "D": "day"}


@functools.cache
def _cn_val() -> dict[str, int]:
    digits = {r["char"]: int(r["value"]) for r in rules.table("numerals.csv") if r["role"] == "digit"}
    return {**digits, **{c: 0 for c in _YEAR_ZEROS}}


@functools.cache
def _words() -> dict:
    return rules.document("date_words.yaml")


@functools.cache
def _periods() -> dict[str, dict]:
    return {r["word"]: r for r in rules.table("periods.csv")}


@functools.cache
def _plans() -> dict[str, dict]:
    return {r["word"]: r for r in rules.table("plan_periods.csv")}


@functools.cache
def _vague_ranges() -> dict[str, tuple[int, int]]:
    """两三 → (2, 3), 三五 → (3, 5): the closed ranges of data/vague_numbers.csv."""
    return {r["expr"]: (int(r["low"]), int(r["high"])) for r in rules.table("vague_numbers.csv")
            if r["qualifier"] == "range" and r["high"]}


def _num(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(c in _cn_val() for c in s):
        if len(s) == 4:       # 二〇二〇: a year, digit by digit
            return int("".join(str(_cn_val()[c]) for c in s))
        if len(s) > 1:        # 两三, 三五: a vague range (see _vague_ranges), not 23 or 35
            return None
    v = numerals.parse_chinese(s)
    return int(v) if v is not None else None


@functools.cache
def _not_inside_a_numeral() -> str:
    """Lookbehinds that keep a match from starting inside a numeral run: 一百二十三年内 is not
    二十三年内, 三四月 is not 四月, 三分之一年 is not 一年."""
    ch = re.escape(numerals.chinese_chars())
    return rf"(?<![{ch}])" + "".join(f"(?<!{re.escape(w)})" for w in numerals.fraction_marks())


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


@dataclass
class _Cand:
    start: int
    end: int
    low: dt.date | None
    high: dt.date | None
    precision: str | None
    qualifier: str
    point: bool
    duration: str | None = None
    dur_low: str | None = None
    dur_high: str | None = None
    # a month-level point (for ranges like 2021年3月至6月)
    year: int | None = None
    month: int | None = None


@dataclass(frozen=True)
class _Ctx:
    norm: str
    published: dt.date | None
    dateparser: bool


def _point(y: int, m: int | None, d: int | None) -> tuple[dt.date, dt.date, str] | None:
    try:
        if m is None:
            return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
        if d is None:
            return dt.date(y, m, 1), dt.date(y, m, _last_day(y, m)), "month"
        day = dt.date(y, m, d)
        return day, day, "day"
    except ValueError:
        return None


def _point_cand(m: re.Match, p, qualifier: str = "exact") -> _Cand:
    return _Cand(m.start(), m.end(), p[0], p[1], p[2], qualifier, True, year=p[0].year,
                 month=p[0].month if p[2] != "year" else None)


@functools.lru_cache(maxsize=4096)
def _dateparser(s: str) -> tuple[dt.date, str] | None:
    """dateparser on an explicit numeric date (the only place it is reliable for Chinese)."""
    data = _ddp().get_date_data(s)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period


@functools.cache
def _ddp():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["zh"], settings={"PREFER_DAY_OF_MONTH": "first",
                                                      "PREFER_DATES_FROM": "past"})


def _explicit(ctx: _Ctx, y: int, m: int | None, d: int | None, raw: str):
    p = _point(y, m, d)
    if p is None:
        return None
    if ctx.dateparser and m is not None:
        got = _dateparser(raw)
        if got is None or got[0] != p[0] or got[1] != p[2]:
            return None  # the two readings disagree: no answer rather than a guess
    return p


# -- periods (年初, 上半年, 一季度, 中旬 …): one mechanism for every pattern that names one ----------
def _period_row(word: str, scope: str) -> dict | None:
    for w in ("年" + word, word):
        r = _periods().get(w)
        if r is not None and r["scope"] == scope:
            return r
    return None


def _period_bounds(y: int, row: dict, m: int | None) -> tuple[dt.date, dt.date] | None:
    if row["scope"] == "year":
        sm, sd, em, ed = (int(row[k]) for k in ("start_month", "start_day", "end_month", "end_day"))
        return dt.date(y, sm, sd), dt.date(y, em, ed or _last_day(y, em))
    if m is None:
        return None
    sd, ed = int(row["start_day"]), int(row["end_day"])
    return dt.date(y, m, sd), dt.date(y, m, ed or _last_day(y, m))


def _guard_period(norm: str, end: int, row: dict) -> bool:
    """A period word followed by a character that makes it another word (年初步 …) is not one."""
    nxt = norm[end:end + 1]
    if nxt and row["not_before"] and nxt in row["not_before"]:
        return False
    if row["only_before"] and nxt and _is_cjk(nxt) and nxt not in row["only_before"]:
        return False
    return True


def _period(ctx: _Ctx, m: re.Match, y: int, mo: int | None, qualifier: str, *, roll_back: bool = False):
    """The period named by the `yp` (of a year) or `mp` (of a month) group of `m`, or None.

    roll_back: the year was taken from the publication date, so a period that would
    start after it is last year's."""
    yp = m.groupdict().get("yp")
    word, scope = (yp, "year") if yp else (m.group("mp"), "month")
    row = _period_row(word, scope)
    if row is None or not _guard_period(ctx.norm, m.end(), row):
        return None
    b = _period_bounds(y, row, mo)
    if b and roll_back and ctx.published and b[0] > ctx.published:
        b = _period_bounds(y - 1, row, mo)
    if not b:
        return None
    precision = "month" if scope == "year" and b[0].day == 1 else "day"
    return _Cand(m.start(), m.end(), b[0], b[1], precision, qualifier, False)


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _year_of(s: str) -> int | None:
    y = _num(s)
    if y is None:
        return None
    if len(s) == 2 and s.isdigit():
        y += 2000
    return y if 1900 <= y <= 2099 else None


# -- the patterns -----------------------------------------------------------------------------
@functools.cache
def _patterns() -> dict[str, re.Pattern]:
    w = _words()
    per = _periods()
    year_periods = [k for k, r in per.items() if r["scope"] == "year"]
    # 2020年初 shares the 年 of the year: accept the word without its leading 年
    ywords = alt({p[1:] if p.startswith("年") else p for p in year_periods} | set(year_periods))
    mwords = alt(k for k, r in per.items() if r["scope"] == "month")
    sep = alt(w["range_separators"])
    yc = "[" + re.escape("".join(_cn_val())) + "]{4}"     # 二〇二〇, 二O二二
    year = rf"(?P<y>{Y4}|{yc}|\d{{2}}(?=年{M}月|年{MC}月))"
    mon = rf"(?P<m>{M}|{MC})"
    day = rf"(?P<d>{D}|{DC})"
    num = r"\d{1,3}|[一二两三四五六七八九十]{1,3}"
    inside = _not_inside_a_numeral()
    return {
        # 2017年4月28日 / 二〇二〇年六月十三日 / 2020年6月 / 2020年 / 19年12月4日 (+ period words)
        "ymd": rf"(?<![\d.]){year}年(?:{mon}月(?:{day}[日号]{TIME}|(?P<mp>{mwords}))?|(?P<yp>{ywords}))?",
        # 2020-11-25 10:32 / 2020.6.13 / 2020/6/13 / 2020-06
        "iso": rf"(?<![\d.]){year}(?P<sep>[-./])(?P<m>{M})(?:(?P=sep)(?P<d>{D}))?(?![\d.])(?:{TIME})",
        # 2020-2022年 / （2020—2025年） / 2020~2022 / 2020年至2022年
        "yrange": rf"(?<![\d.])(?P<a>{Y4})年?(?:{sep})(?P<b>{Y4})(?P<nian>年(?!\d|{M}月|{MC}月))?(?![\d.])",
        # 2020年1-6月: a month range inside one year
        "ymrange": rf"(?<![\d.]){year}年(?P<m>{M}|{MC})月?(?:{sep})(?P<m2>{M}|{MC})月(?!\d|{D}[日号])",
        # 3年内 / 期限3年 / 未来7到10年 / 3个月内
        "dur": rf"(?P<pre>{alt(w['duration_prefixes'])})?(?<![\d.]){inside}(?P<a>{num})(?:(?:{sep})(?P<b>{num}))?"
               rf"(?P<u>{alt(w['duration_units'])})(?P<suf>{alt(w['duration_suffixes'])})?",
        # 十四五 / “十四五”期间 / 第十四个五年规划: a five-year plan period (data/plan_periods.csv)
        "plan": rf"{inside}(?P<pl>{alt(_plans())})",
        # -- relative to the publication date ------------------------------------------------
        # 6月3日 / 6月 / 6月中旬: the year comes from the publication date
        "md": rf"(?<![\d年.]){inside}{mon}月(?:{day}[日号]{TIME}|(?P<mp>{mwords}))?(?!份额)",
        # 今年6月 / 去年底 / 今年上半年
        "rely": rf"(?P<ry>{alt(w['relative_years'])})(?:{mon}月(?:{day}[日号]|(?P<mp>{mwords}))?|(?P<yp>{ywords}))?",
        "relm": rf"(?P<rm>{alt(w['relative_months'])})(?:{day}[日号]|(?P<mp>{mwords}))?",
        "reld": rf"(?P<rd>{alt(w['relative_days'])})",
        "relw": rf"(?P<rw>{alt(w['relative_weeks'])})",
        "recent": rf"(?P<rc>{alt(w['recent'])})",
    }


@functools.cache
def _compiled() -> dict[str, re.Pattern]:
    return {k: re.compile(v) for k, v in _patterns().items()}


# -- handlers: one per pattern, each yields the candidates of one match ---------------------------
def _ymd(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    y = _year_of(m.group("y"))
    if y is None:
        return
    mo, d = _num(m.group("m")), _num(m.group("d"))
    if m.group("yp") or m.group("mp"):
        c = _period(ctx, m, y, mo, "range")
        if c is not None:
            yield c
        elif m.group("yp"):          # 2020年初步…: keep the bare year
            p = _point(y, None, None)
            if p:
                yield _Cand(m.start(), m.start("yp"), p[0], p[1], "year", "exact", True, year=y)
        return
    raw = f"{y}年{mo}月{d}日" if d is not None else (f"{y}年{mo}月" if mo is not None else m.group(0))
    four_digits = m.group("y").isdigit() and len(m.group("y")) == 4
    p = _explicit(ctx, y, mo, d, raw) if four_digits else _point(y, mo, d)
    if p:
        yield _point_cand(m, p)


def _iso(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    y = _year_of(m.group("y"))
    if y is None or len(m.group("y")) != 4:
        return
    mo, d = _num(m.group("m")), _num(m.group("d"))
    if d is None and m.group("sep") == ".":
        return  # 2020.6 reads as a decimal as easily as a month
    p = _explicit(ctx, y, mo, d, f"{y}-{mo:02d}-{d:02d}" if d else f"{y}-{mo:02d}")
    if p:
        yield _point_cand(m, p)


def _yrange(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    a, b = int(m.group("a")), int(m.group("b"))
    if a < b <= a + 50:
        yield _Cand(m.start(), m.end(), dt.date(a, 1, 1), dt.date(b, 12, 31), "year", "range", False)


def _ymrange(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    y = _year_of(m.group("y"))
    a, b = _num(m.group("m")), _num(m.group("m2"))
    if y and a and b and a < b <= 12:
        yield _Cand(m.start(), m.end(), dt.date(y, a, 1), dt.date(y, b, _last_day(y, b)), "month", "range", False)


def _dur_bounds(m: re.Match) -> tuple[int | None, int | None]:
    """The one or two numbers of a duration: 3年内 → (3, None), 7到10年 → (7, 10), and a
    vague range written as one word, 两三年内 → (2, 3)."""
    a, b = _num(m.group("a")), _num(m.group("b"))
    if a is None and not m.group("b") and m.group("a") in _vague_ranges():
        return _vague_ranges()[m.group("a")]
    if m.group("b") and b is None:
        return None, None
    return a, b


def _dur(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    if not (m.group("pre") or m.group("suf")):
        return
    a, b = _dur_bounds(m)
    if a is None or a == 0 or a > 100 or (b is not None and b <= a):
        return
    u = _words()["duration_units"][m.group("u")]
    start = m.start("a") if m.group("pre") is None else m.start()
    c = _Cand(start, m.end(), None, None, _DUR_PRECISION[u], "duration", False)
    if b is None:
        c.duration = f"P{a}{u}"
    else:
        c.dur_low, c.dur_high = f"P{a}{u}", f"P{b}{u}"
    yield c


def _plan(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    """十四五 → 2021-01-01..2025-12-31. Not when a numeral reading follows (十四五个, 十四五年:
    14 or 15 of something), nor for a part of the period (“十四五”末, 十四五中期), whose
    bounds the table does not give: no answer rather than the whole period."""
    w, row = _words(), _plans()[m.group("pl")]
    nxt = ctx.norm[m.end():m.end() + 1]
    if nxt and nxt in w["plan_not_before"]:
        return
    rest = ctx.norm[m.end():m.end() + 4].lstrip(w["closing_quotes"])   # “十四五”末 too
    if any(rest.startswith(p) for p in w["plan_parts"]):
        return
    low, high = dt.date(int(row["start_year"]), 1, 1), dt.date(int(row["end_year"]), 12, 31)
    yield _Cand(m.start(), m.end(), low, high, "year", "range", False)


def _compares(ctx: _Ctx, m: re.Match) -> bool:
    """去年同期, 上年同期: a baseline for a comparison (增长 20%), not a time the text is about."""
    return any(ctx.norm.startswith(w, m.end()) for w in _words()["comparison_after"])


def _md(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    mo, d = _num(m.group("m")), _num(m.group("d"))
    if mo is None:
        return
    y = ctx.published.year
    if m.group("mp"):
        c = _period(ctx, m, y, mo, "range", roll_back=True)
        if c is not None:
            yield c
        return
    p = _point(y, mo, d)
    if p and p[0] > ctx.published:
        p = _point(y - 1, mo, d)
    if p:
        yield _point_cand(m, p)


def _rely(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    if _compares(ctx, m):
        return
    y = ctx.published.year + _words()["relative_years"][m.group("ry")]
    mo, d = _num(m.group("m")), _num(m.group("d"))
    if m.group("yp") or m.group("mp"):
        c = _period(ctx, m, y, mo, "approx")
    else:
        p = _point(y, mo, d)
        c = _point_cand(m, p, "approx") if p else None
    if c is not None:
        yield c


def _relm(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    if _compares(ctx, m):
        return
    y, mo = _shift_month(ctx.published.year, ctx.published.month, _words()["relative_months"][m.group("rm")])
    if m.group("mp"):
        c = _period(ctx, m, y, mo, "approx")
    else:
        p = _point(y, mo, _num(m.group("d")))
        c = _point_cand(m, p, "approx") if p else None
    if c is not None:
        yield c


def _reld(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    day = ctx.published + dt.timedelta(days=_words()["relative_days"][m.group("rd")])
    yield _Cand(m.start(), m.end(), day, day, "day", "approx", True)


def _relw(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    p = ctx.published
    monday = p - dt.timedelta(days=p.weekday()) + dt.timedelta(weeks=_words()["relative_weeks"][m.group("rw")])
    yield _Cand(m.start(), m.end(), monday, monday + dt.timedelta(days=6), "day", "approx", False)


def _recent(ctx: _Ctx, m: re.Match) -> Iterator[_Cand]:
    days = _words()["recent"][m.group("rc")]
    yield _Cand(m.start(), m.end(), ctx.published - dt.timedelta(days=days), ctx.published, "day", "approx", False)


_Handler = Callable[[_Ctx, re.Match], Iterator[_Cand]]
ABSOLUTE: tuple[tuple[str, _Handler], ...] = (("ymd", _ymd), ("iso", _iso), ("yrange", _yrange),
                                              ("ymrange", _ymrange), ("dur", _dur),
                                              ("plan", _plan))
RELATIVE: tuple[tuple[str, _Handler], ...] = (("md", _md), ("rely", _rely), ("relm", _relm), ("reld", _reld),
                                              ("relw", _relw), ("recent", _recent))


def candidates(norm: str, published: dt.date | None, *, dateparser: bool = True) -> list[_Cand]:
    """Every date candidate of normalized text (overlapping ones included).

    Raises on a grammar bug: callers that must never fail (find_quantities) catch it."""
    ctx = _Ctx(norm, published, dateparser)
    handlers = ABSOLUTE + (RELATIVE if published is not None else ())
    pats = _compiled()
    return [c for name, handle in handlers for m in pats[name].finditer(norm) for c in handle(ctx, m)]


def _ranges(norm: str, cands: list[_Cand]) -> list[_Cand]:
    """Join two points separated only by a range word: 2019年至2020年, 2021年3月至6月."""
    sep = alt(_words()["range_separators"])
    join = re.compile(rf"^(?:{sep})$")
    tail = re.compile(rf"(?:{sep})(?:(?P<m>{M}|{MC})月)?(?:(?P<d>{D}|{DC})[日号])?")
    pts = sorted((c for c in cands if c.point and c.low), key=lambda c: c.start)
    out = []
    for a, b in zip(pts, pts[1:]):
        if join.match(norm[a.end:b.start]) and a.high < b.low and b.year is not None:
            out.append(_Cand(a.start, b.end, a.low, b.high, b.precision, "range", False))
    for a in pts:
        # the second bound borrows the first one's year (and month): 3月至6月, 10日至15日
        m = tail.match(norm, a.end)
        if not m or not (m.group("m") or m.group("d")) or a.year is None or a.month is None:
            continue
        if m.group("m") is None and a.precision != "day":
            continue
        if m.group("d") is None and a.precision != "month":
            continue
        mo = _num(m.group("m")) or a.month
        p = _point(a.year, mo, _num(m.group("d")))
        if p and a.high < p[0]:
            out.append(_Cand(a.start, m.end(), a.low, p[1], p[2], "range", False))
    return out


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest candidates win; overlapping shorter ones are dropped."""
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _quantity(n: Normalized, c: _Cand) -> Quantity:
    a0, a1 = n.span(c.start, c.end)
    text = n.original[a0:a1]
    if c.qualifier == "duration":
        return Quantity("date", text, a0, a1, c.duration, c.dur_low or c.duration, c.dur_high or c.duration, "date",
                        "duration", precision=c.precision)
    low, high = c.low.isoformat(), c.high.isoformat()
    return Quantity("date", text, a0, a1, low if c.point else None, low, high, "date", c.qualifier,
                    precision=c.precision)


def find_dates(n: Normalized, *, published: dt.date | None = None, dateparser: bool = True) -> list[Quantity]:
    cands = candidates(n.text, published, dateparser=dateparser)
    cands += _ranges(n.text, cands)
    blocked = doc_number_spans(n.text)
    cands = [c for c in cands if not any(c.start < b1 and c.end > b0 for b0, b1 in blocked)]
    return [_quantity(n, c) for c in _select(cands)]
