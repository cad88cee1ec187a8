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
        target = {"digit": digits, "unit": units, "section": sections}[row["role"]]
        target[row["char"]] = int(row["value"])
    return digits, units, sections


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


def parse_number(s: str) -> Fraction | None:
    """Arabic (with commas and decimals), Chinese, or Arabic followed by 万/亿/千…"""
    s = s.strip()
    if not s:
        return None
    v = parse_arabic(s)
    if v is not None:
        return v
    m = re.match(rf"^({ARABIC})([十百千万亿]+)$", s)
    if m:
        mult = multiplier(m.group(2))
        return None if mult is None else Fraction(m.group(1).replace(",", "")) * mult
    c = parse_chinese(s)
    return None if c is None else Fraction(c)
