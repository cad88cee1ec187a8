"""Chinese dates: points, periods, relative expressions, ranges and durations.

A regex grammar finds every candidate in normalized text; explicit numeric dates
(2017年4月28日, 2020-11-25, 2020.6.13) are then read by dateparser with
languages=['zh'] and cross-checked against the regex fields — dateparser is
reliable there and nowhere else in Chinese prose (see docs). Everything relative
(今年6月, 近日, 6 月 3 日 without a year) is resolved against the publication
date and gives nothing without one.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from . import numerals, rules
from .quantity import Quantity
from .textnorm import Normalized

# inside a year a Latin O is a zero too (二O二二年)
_YEAR_ZEROS = "Oo"


@functools.cache
def _cn_val() -> dict[str, int]:
    digits = {r["char"]: int(r["value"]) for r in rules.table("numerals.csv") if r["role"] == "digit"}
    return {**digits, **{c: 0 for c in _YEAR_ZEROS}}



Y4 = r"(?:19|20)\d{2}"
M = r"(?:1[0-2]|0?[1-9])"
MC = r"(?:十[一二]?|[一二三四五六七八九])"
D = r"(?:3[01]|[12]\d|0?[1-9])"
DC = r"(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
TIME = r"(?:\s?(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?|(?:[01]?\d|2[0-3])时(?:[0-5]?\d分)?)?"


@functools.cache
def _words() -> dict:
    return rules.document("date_words.yaml")


@functools.cache
def _periods() -> dict[str, dict]:
    return {r["word"]: r for r in rules.table("periods.csv")}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _num(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in _cn_val() for c in s):
        return int("".join(str(_cn_val()[c]) for c in s))
    v = numerals.parse_chinese(s)
    return int(v) if v is not None else None


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
    # a year-less or relative point, resolvable only with a publication date
    needs_published: bool = False
    # a month-level point (for ranges like 2021年3月至6月)
    year: int | None = None
    month: int | None = None


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


# which backend reads explicit numeric dates: "dateparser" (default) or "regex";
# pipeline/evaluate.py and benchmarks/ compare both
BACKEND = "dateparser"


def _explicit(y: int, m: int | None, d: int | None, raw: str):
    p = _point(y, m, d)
    if p is None:
        return None
    if BACKEND == "dateparser" and m is not None:
        got = _dateparser(raw)
        if got is None or got[0] != p[0] or got[1] != p[2]:
            return None  # the two readings disagree: no answer rather than a guess
    return p


@functools.cache
def _patterns():
    w = _words()
    per = _periods()
    year_periods = [k for k, r in per.items() if r["scope"] == "year"]
    # 2020年初 shares the 年 of the year: accept the word without its leading 年
    ywords = sorted({p[1:] if p.startswith("年") else p for p in year_periods}
                    | {p for p in year_periods}, key=len, reverse=True)
    mwords = [k for k, r in per.items() if r["scope"] == "month"]
    sep = _alt(w["range_separators"])
    relyear = _alt(w["relative_years"])
    relmon = _alt(w["relative_months"])
    relday = _alt(w["relative_days"])
    recent = _alt(w["recent"])
    yc = "[" + re.escape("".join(_cn_val())) + "]{4}"     # 二〇二〇, 二O二二
    year = rf"(?P<y>{Y4}|{yc}|\d{{2}}(?=年{M}月|年{MC}月))"
    mon = rf"(?P<m>{M}|{MC})"
    day = rf"(?P<d>{D}|{DC})"
    cn = {
        # 2017年4月28日 / 二〇二〇年六月十三日 / 2020年6月 / 2020年 / 19年12月4日 (+ period words)
        "ymd": re.compile(
            rf"(?<![\d.]){year}年(?:{mon}月(?:{day}[日号]{TIME}|(?P<mp>{_alt(mwords)}))?|(?P<yp>{_alt(ywords)}))?"),
        # 2020-11-25 10:32 / 2020.6.13 / 2020/6/13 / 2020-06
        "iso": re.compile(
            rf"(?<![\d.]){year}(?P<sep>[-./])(?P<m>{M})(?:(?P=sep)(?P<d>{D}))?(?![\d.])(?:{TIME})"),
        # 6月3日 / 6月 / 6月中旬: the year comes from the publication date
        "md": re.compile(
            rf"(?<![\d年.]){mon}月(?:{day}[日号]{TIME}|(?P<mp>{_alt(mwords)}))?(?!份额)"),
        # 今年6月 / 去年底 / 今年上半年
        "rely": re.compile(
            rf"(?P<ry>{relyear})(?:{mon}月(?:{day}[日号]|(?P<mp>{_alt(mwords)}))?|(?P<yp>{_alt(ywords)}))?"),
        "relm": re.compile(rf"(?P<rm>{relmon})(?:{day}[日号]|(?P<mp>{_alt(mwords)}))?"),
        "reld": re.compile(rf"(?P<rd>{relday})"),
        "relw": re.compile(rf"(?P<rw>{_alt(w['relative_weeks'])})"),
        "recent": re.compile(rf"(?P<rc>{recent})"),
        # 2020年1-6月: a month range inside one year
        "ymrange": re.compile(rf"(?<![\d.]){year}年(?P<m>{M}|{MC})月?(?:{sep})(?P<m2>{M}|{MC})月(?!\d|{D}[日号])"),
        # 2020-2022年 / （2020—2025年） / 2020~2022 / 2020年至2022年
        "yrange": re.compile(rf"(?<![\d.])(?P<a>{Y4})年?(?:{sep})(?P<b>{Y4})(?P<nian>年(?!\d|{M}月|{MC}月))?(?![\d.])"),
        # 3年内 / 期限3年 / 未来7到10年 / 3个月内
        "dur": re.compile(
            rf"(?P<pre>{_alt(w['duration_prefixes'])})?"
            rf"(?<![\d.])(?P<a>\d{{1,3}}|[一二两三四五六七八九十]{{1,3}})(?:(?:{sep})(?P<b>\d{{1,3}}|[一二两三四五六七八九十]{{1,3}}))?"
            rf"(?P<u>{_alt(w['duration_units'])})(?P<suf>{_alt(w['duration_suffixes'])})?"),
    }
    return cn


@functools.cache
def _docnum() -> re.Pattern:
    pairs = _words()["docnum_brackets"]
    opens = "".join(re.escape(a) for a, _ in pairs)
    closes = "".join(re.escape(b) for _, b in pairs)
    return re.compile(rf"[{opens}]\s*(?:19|20)\d{{2}}\s*[{closes}]\s*第?\s*\d+\s*号?")


def _period_row(word: str, scope: str) -> dict | None:
    for w in ("年" + word, word):
        r = _periods().get(w)
        if r is not None and r["scope"] == scope:
            return r
    return None


def _period_bounds(y: int, word: str, m: int | None = None):
    r = _period_row(word, "month" if m is not None else "year")
    if r is None:
        return None
    if r["scope"] == "year":
        sm, sd, em, ed = (int(r[k]) for k in ("start_month", "start_day", "end_month", "end_day"))
        return dt.date(y, sm, sd), dt.date(y, em, ed or _last_day(y, em))
    if m is None:
        return None
    sd, ed = int(r["start_day"]), int(r["end_day"])
    return dt.date(y, m, sd), dt.date(y, m, ed or _last_day(y, m))


def _guard_period(norm: str, end: int, word: str, scope: str = "year") -> bool:
    r = _period_row(word, scope)
    if r is None:
        return True
    nxt = norm[end:end + 1]
    if nxt and r["not_before"] and nxt in r["not_before"]:
        return False
    if r["only_before"] and nxt and _is_cjk(nxt) and nxt not in r["only_before"]:
        return False
    return True


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _year_of(s: str) -> int | None:
    y = _num(s)
    if y is None:
        return None
    if len(s) == 2 and s.isdigit():
        y += 2000
    return y if 1900 <= y <= 2099 else None


_DUR_PRECISION = {"Y": "year", "M": "month", "W": "day", "D": "day"}


def _candidates(norm: str, published: dt.date | None) -> list[_Cand]:
    pats = _patterns()
    out: list[_Cand] = []

    def add(m, low, high, precision, qualifier="exact", point=True, **kw):
        out.append(_Cand(m.start(), m.end(), low, high, precision, qualifier, point, **kw))

    for m in pats["ymd"].finditer(norm):
        y = _year_of(m.group("y"))
        if y is None:
            continue
        mo, d = _num(m.group("m")), _num(m.group("d"))
        if m.group("yp"):
            if not _guard_period(norm, m.end(), m.group("yp")):
                # 2020年初步…: keep the bare year
                p = _point(y, None, None)
                if p:
                    out.append(_Cand(m.start(), m.start("yp"), p[0], p[1], "year", "exact", True, year=y))
                continue
            b = _period_bounds(y, m.group("yp"))
            if b:
                add(m, b[0], b[1], "month" if b[0].day == 1 else "day", "range", False)
            continue
        if m.group("mp"):
            if not _guard_period(norm, m.end(), m.group("mp"), "month"):
                continue
            b = _period_bounds(y, m.group("mp"), mo)
            if b:
                add(m, b[0], b[1], "day", "range", False)
            continue
        raw = m.group(0)
        if d is not None:
            raw = f"{y}年{mo}月{d}日"
        elif mo is not None:
            raw = f"{y}年{mo}月"
        p = _explicit(y, mo, d, raw) if m.group("y").isdigit() and len(m.group("y")) == 4 else _point(y, mo, d)
        if p:
            add(m, p[0], p[1], p[2], year=y, month=mo)
    for m in pats["iso"].finditer(norm):
        y = _year_of(m.group("y"))
        if y is None or len(m.group("y")) != 4:
            continue
        mo, d = _num(m.group("m")), _num(m.group("d"))
        if d is None and m.group("sep") == ".":
            continue  # 2020.6 reads as a decimal as easily as a month
        raw = f"{y}-{mo:02d}-{d:02d}" if d else f"{y}-{mo:02d}"
        p = _explicit(y, mo, d, raw)
        if p:
            add(m, p[0], p[1], p[2], year=y, month=mo)
    for m in pats["yrange"].finditer(norm):
        a, b = int(m.group("a")), int(m.group("b"))
        if a < b <= a + 50:
            add(m, dt.date(a, 1, 1), dt.date(b, 12, 31), "year", "range", False)
    for m in pats["ymrange"].finditer(norm):
        y = _year_of(m.group("y"))
        a, b = _num(m.group("m")), _num(m.group("m2"))
        if y and a and b and a < b <= 12:
            add(m, dt.date(y, a, 1), dt.date(y, b, _last_day(y, b)), "month", "range", False)
    for m in pats["dur"].finditer(norm):
        if not (m.group("pre") or m.group("suf")):
            continue
        a, b = _num(m.group("a")), _num(m.group("b"))
        if a is None or a == 0 or a > 100 or (m.group("b") and (b is None or b <= a)):
            continue
        u = _words()["duration_units"][m.group("u")]
        start = m.start("a") if m.group("pre") is None else m.start()
        if b is None:
            out.append(_Cand(start, m.end(), None, None, _DUR_PRECISION[u], "duration", False,
                             duration=f"P{a}{u}"))
        else:
            out.append(_Cand(start, m.end(), None, None, _DUR_PRECISION[u], "duration", False,
                             dur_low=f"P{a}{u}", dur_high=f"P{b}{u}"))
    if published is None:
        return out
    # everything below needs the publication date
    py, pm = published.year, published.month
    for m in pats["md"].finditer(norm):
        mo, d = _num(m.group("m")), _num(m.group("d"))
        if mo is None:
            continue
        y = py
        if m.group("mp"):
            if not _guard_period(norm, m.end(), m.group("mp"), "month"):
                continue
            b = _period_bounds(y, m.group("mp"), mo)
            if b and b[0] > published:
                b = _period_bounds(y - 1, m.group("mp"), mo)
            if b:
                add(m, b[0], b[1], "day", "range", False)
            continue
        p = _point(y, mo, d)
        if p and p[0] > published:
            p = _point(y - 1, mo, d)
        if p:
            add(m, p[0], p[1], p[2], year=p[0].year, month=mo)
    for m in pats["rely"].finditer(norm):
        y = py + _words()["relative_years"][m.group("ry")]
        mo, d = _num(m.group("m")), _num(m.group("d"))
        if m.group("yp"):
            if not _guard_period(norm, m.end(), m.group("yp")):
                continue
            b = _period_bounds(y, m.group("yp"))
            if b:
                add(m, b[0], b[1], "month" if b[0].day == 1 else "day", "approx", False)
        elif m.group("mp"):
            b = _period_bounds(y, m.group("mp"), mo) if _guard_period(norm, m.end(), m.group("mp"), "month") else None
            if b:
                add(m, b[0], b[1], "day", "approx", False)
        else:
            p = _point(y, mo, d)
            if p:
                add(m, p[0], p[1], p[2], "approx", year=y, month=mo)
    for m in pats["relm"].finditer(norm):
        y, mo = _shift_month(py, pm, _words()["relative_months"][m.group("rm")])
        d = _num(m.group("d"))
        if m.group("mp"):
            b = _period_bounds(y, m.group("mp"), mo)
            if b:
                add(m, b[0], b[1], "day", "approx", False)
            continue
        p = _point(y, mo, d)
        if p:
            add(m, p[0], p[1], p[2], "approx", year=y, month=mo)
    for m in pats["reld"].finditer(norm):
        day = published + dt.timedelta(days=_words()["relative_days"][m.group("rd")])
        add(m, day, day, "day", "approx")
    for m in pats["relw"].finditer(norm):
        monday = published - dt.timedelta(days=published.weekday()) + \
            dt.timedelta(weeks=_words()["relative_weeks"][m.group("rw")])
        add(m, monday, monday + dt.timedelta(days=6), "day", "approx", False)
    for m in pats["recent"].finditer(norm):
        days = _words()["recent"][m.group("rc")]
        add(m, published - dt.timedelta(days=days), published, "day", "approx", False)
    return out


def _ranges(norm: str, cands: list[_Cand]) -> list[_Cand]:
    """Join two points separated only by a range word: 2019年至2020年, 2021年3月至6月."""
    sep = _alt(_words()["range_separators"])
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


def find_dates(n: Normalized, *, published: dt.date | None = None) -> list[Quantity]:
    norm = n.text
    cands = _candidates(norm, published)
    cands += _ranges(norm, cands)
    blocked = [m.span() for m in _docnum().finditer(norm)]
    cands = [c for c in cands if not any(c.start < b1 and c.end > b0 for b0, b1 in blocked)]
    out = []
    for c in _select(cands):
        a0, a1 = n.span(c.start, c.end)
        text = n.original[a0:a1]
        if c.qualifier == "duration":
            out.append(Quantity("date", text, a0, a1, c.duration, c.dur_low or c.duration,
                                c.dur_high or c.duration, "date", "duration", precision=c.precision))
            continue
        low, high = c.low.isoformat(), c.high.isoformat()
        value = low if c.point else None
        out.append(Quantity("date", text, a0, a1, value, low, high, "date", c.qualifier, precision=c.precision))
    return out
