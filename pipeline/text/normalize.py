"""Pre-normalization of Chinese text with a map back to the original.

NFKC (full-width digits and letters, ㎡ → m2), traditional → simplified characters
(one to one, from data/t2s.csv), and removal of whitespace next to CJK characters
or between a number and its unit ("2018 年 9 月" → "2018年9月"), while the space
between two ASCII letters or digits stays ("2020-11-25 10:32"). Every character
of the normalized text remembers which original character it came from, so a
match in the normalized text maps back to an exact span of the original.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline import rules

# CJK punctuation keeps its own meaning: NFKC would turn "，" into a "," that
# reads like a thousands separator ("3，000"), and "：" into a time colon.
_KEEP = set("，、。；：！？")
_DROP = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


@functools.cache
def _t2s() -> dict[str, str]:
    try:
        return {r["traditional"]: r["simplified"] for r in rules.table("t2s.csv")}
    except FileNotFoundError:  # pragma: no cover - the table ships with the package
        return {}


@functools.lru_cache(maxsize=8192)
def _char(c: str) -> str:
    if c in _KEEP:
        return c
    if c in _DROP:
        return ""
    c = _t2s().get(c, c)
    n = unicodedata.normalize("NFKC", c)
    if n.isspace():
        return " "
    return n


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


@dataclass(frozen=True, slots=True)
class Normalized:
    original: str
    text: str
    # starts[i]/ends[i]: the original span of the character that produced text[i]
    starts: Sequence[int]
    ends: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalized slice text[start:end]."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def raw(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.original[a:b]


@functools.cache
def _char_table() -> tuple[dict[int, str], re.Pattern]:
    """_char() for the Basic Multilingual Plane as one translate table, and the characters whose
    normalized form is not exactly one non-space character (those need the slow path)."""
    table, irregular = {}, []
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        n = _char(c)
        if len(n) != 1 or n.isspace() or c.isspace():
            irregular.append(c)
        elif n != c:
            table[cp] = n
    return table, re.compile("[" + "".join(re.escape(c) for c in irregular) + "]|[^\u0000-\uffff]")


@functools.lru_cache(maxsize=4096)
def normalize(text: str) -> Normalized:
    """The normalized text with its map back (cached: one text is read by several stages). Text
    whose every character maps to exactly one character takes one translate pass."""
    table, irregular = _char_table()
    if not irregular.search(text):
        n = len(text)
        return Normalized(text, text.translate(table), range(n), range(1, n + 1))
    return _normalize_slow(text)


def _normalize_slow(text: str) -> Normalized:
    chars: list[str] = []
    starts: list[int] = []
    for i, c in enumerate(text):
        n = _char(c) if not (c.isascii() and c != "\t" and c != "\n" and c != "\r") else c
        if n == "\t" or n == "\n" or n == "\r":
            n = " "
        for piece in n:
            chars.append(piece)
            starts.append(i)
    # collapse whitespace runs; keep one space only between two ASCII letters/digits
    out: list[str] = []
    out_starts: list[int] = []
    i, n = 0, len(chars)
    while i < n:
        c = chars[i]
        if c == " " or c.isspace():
            j = i
            while j < n and (chars[j] == " " or chars[j].isspace()):
                j += 1
            left = out[-1] if out else ""
            right = chars[j] if j < n else ""
            if left and right and _ascii_alnum(left) and _ascii_alnum(right):
                out.append(" ")
                out_starts.append(starts[i])
            i = j
            continue
        out.append(c)
        out_starts.append(starts[i])
        i += 1
    ends = tuple(s + 1 for s in out_starts)
    return Normalized(text, "".join(out), tuple(out_starts), ends)


def normalize_text(text: str) -> str:
    """Just the normalized string."""
    return normalize(text).text


def fold_char(c: str) -> str:
    """One character folded: traditional → simplified, then NFKC (a compatibility ideograph may
    land on a traditional one, so simplified once more)."""
    t2s = _t2s()
    return "".join(t2s.get(x, x) for x in unicodedata.normalize("NFKC", t2s.get(c, c)))


class _Folded(dict):
    """fold_char() of each character, computed the first time it is met (all ≈6,700 up front
    would cost ≈45 ms of every process that reads a page)."""

    def __missing__(self, c: str) -> str:
        self[c] = n = fold_char(c)
        return n


@functools.cache
def _fold_map() -> _Folded:
    return _Folded()


@functools.cache
def _fold_re() -> re.Pattern:
    """The characters fold() may change: the t2s table's and those NFKC changes (the Basic
    Multilingual Plane, where Chinese text lives; ≈6,700, found in ≈15 ms)."""
    t2s = _t2s()
    chars = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF
             and (chr(cp) in t2s or not unicodedata.is_normalized("NFKC", chr(cp)))]
    return re.compile("[" + "".join(map(re.escape, chars)) + "]")


def fold(text: str) -> str:
    """Fast form for matching and hashing (no span map): simplified, NFKC, lower case, whitespace
    removed. A C-speed scan finds the characters that change and replaces just those — an article
    changes few (a translate would look every character up)."""
    table = _fold_map()
    return "".join(_fold_re().sub(lambda m: table[m.group()], text or "").split()).lower()
