"""Exact numbers from Arabic, Chinese and mixed numerals.

Values are Fractions so that 1.2亿 is exactly 120,000,000 and 3000 亩 is exactly
2,000,000 m²; the numeral characters come from data/numerals.csv.
"""
from __future__ import annotations

import functools
import re
from fractions import Fraction

from pipeline import rules


@functools.cache
def _tables() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    digits, units, sections = {}, {}, {}
    for row in rules.table("numerals.csv"):
        target = {"digit": digits, "unit": units, "section": sections}.get(row["role"])
        if target is not None:      # the point and fraction markers have no value
            target[row["char"]] = int(row["value"])
    return digits, units, sections


def _marks(role: str) -> tuple[str, ...]:
    return tuple(r["char"] for r in rules.table("numerals.csv") if r["role"] == role)


@functools.cache
def point_chars() -> str:
    """The decimal point of a Chinese numeral: 一点五 = 1.5."""
    return "".join(_marks("point"))


@functools.cache
def fraction_marks() -> tuple[str, ...]:
    """The words between a fraction's denominator and numerator: 三分之一, 百分之三十."""
    return _marks("fraction")


@functools.cache
def chinese_chars() -> str:
    """Every character that may appear in a Chinese numeral."""
    d, u, s = _tables()
    return "".join(sorted(set(d) | set(u) | set(s)))


@functools.cache
def digit_chars() -> str:
    return "".join(sorted(_tables()[0]))


ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ARABIC_RE = re.compile(rf"^(?:{ARABIC})$")
# 1亿2000万, 3万5千: Arabic numbers with their own multipliers, largest first. The second part
# must carry its multiplier: 3万5 (35,000 in speech) and 500万2019 (an amount, then a year) are
# not read.
MIXED = rf"(?:{ARABIC})[万亿](?:{ARABIC})[十百千万]+"
_MIXED_RE = re.compile(rf"^({ARABIC})([万亿])((?:{ARABIC})[十百千万]+)$")


def parse_arabic(s: str) -> Fraction | None:
    if not _ARABIC_RE.match(s):
        return None
    return Fraction(s.replace(",", ""))


def _section(s: str) -> int | None:
    """A Chinese numeral below 10,000 (no 万/亿)."""
    digits, units, _ = _tables()
    total, current, last_unit, zero_seen = 0, None, 10000, False
    for c in s:
        if c in digits:
            if current is not None and not zero_seen:
                return None  # two digits in a row: not a counted numeral
            current = digits[c]
            zero_seen = current == 0
            if zero_seen:
                current = None
        elif c in units:
            u = units[c]
            if u >= last_unit:
                return None
            total += (1 if current is None else current) * u
            current, last_unit, zero_seen = None, u, False
        else:
            return None
    if current is not None:
        # 三千五 = 3500: a digit right after 百/千 counts in the next lower unit
        if len(s) >= 2 and s[-2] in units and last_unit >= 100:
            total += current * (last_unit // 10)
        else:
            total += current
    return total


def parse_chinese_decimal(s: str) -> Fraction | None:
    """一点五 → 3/2, 三点二五 → 13/4, 零点五 → 1/2: an integer part, the point, digits read one by one."""
    points = [i for i, c in enumerate(s) if c in point_chars()]
    if len(points) != 1:
        return None
    whole, frac = s[:points[0]], s[points[0] + 1:]
    digits = _tables()[0]
    if not frac or not all(c in digits for c in frac):
        return None
    # the integer part is a counted numeral (十二点五), or one digit (零点五); never 二〇点五
    w = parse_chinese(whole) if len(whole) == 1 or not all(c in digits for c in whole) else None
    if w is None:
        return None
    return w + Fraction(int("".join(str(digits[c]) for c in frac)), 10 ** len(frac))


def parse_chinese(s: str) -> int | None:
    """两千亿 → 200000000000, 一百零五 → 105, 二〇二〇 → 2020 (positional)."""
    if not s:
        return None
    digits, units, sections = _tables()
    if all(c in digits for c in s):
        if len(s) == 1:
            return digits[s]
        # positional digit sequence, used for years: 二〇二〇
        return int("".join(str(digits[c]) for c in s))
    for sec_char in sorted(sections, key=sections.get, reverse=True):
        if sec_char in s:
            idx = s.rfind(sec_char)
            left, right = s[:idx], s[idx + 1:]
            lv = parse_chinese(left) if left else 1
            if lv is None:
                return None
            rv = 0
            if right:
                # 一万二 = 12000: a lone digit after the section char is the next unit down
                if len(right) == 1 and right in digits and digits[right]:
                    rv = digits[right] * sections[sec_char] // 10
                else:
                    rv = parse_chinese(right.lstrip("零〇○"))
                    if rv is None:
                        return None
            return lv * sections[sec_char] + rv
    return _section(s)


_MULT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def multiplier(s: str) -> int | None:
    """千万 → 10,000,000; '' → 1."""
    m = 1
    for c in s:
        if c not in _MULT:
            return None
        m *= _MULT[c]
    return m


def _parse_mixed(s: str) -> Fraction | None:
    m = _MIXED_RE.match(s)
    if not m:
        return None
    head = Fraction(m.group(1).replace(",", "")) * _MULT[m.group(2)]
    tail = parse_number(m.group(3))
    if tail is None or tail >= _MULT[m.group(2)]:
        return None  # 1亿20000万: the parts overlap, not one number
    return head + tail


def parse_number(s: str) -> Fraction | None:
    """Arabic (with commas and decimals), Chinese (一点五 too), Arabic followed by 万/亿/千…,
    or mixed 1亿2000万."""
    s = s.strip()
    if not s:
        return None
    v = parse_arabic(s)
    if v is not None:
        return v
    if _MIXED_RE.match(s):
        return _parse_mixed(s)
    m = re.match(rf"^({ARABIC})([十百千万亿]+)$", s)
    if m:
        mult = multiplier(m.group(2))
        return None if mult is None else Fraction(m.group(1).replace(",", "")) * mult
    if any(c in point_chars() for c in s):
        return parse_chinese_decimal(s)
    c = parse_chinese(s)
    return None if c is None else Fraction(c)
