"""Document numbers (发文字号): <issuer>〔YYYY〕N号, brackets from data/doc_numbers.yaml.

One recogniser: `parse_doc_number` reads a whole number with its issuer; the date
grammar uses `doc_number_spans` to keep the year of a 文号 from being read as a date.
"""
from __future__ import annotations

import functools
import re

from pipeline import rules


@functools.cache
def _opens() -> frozenset[str]:
    return frozenset(a for a, _ in rules.document("doc_numbers.yaml")["brackets"])


@functools.cache
def _pattern() -> re.Pattern:
    d = rules.document("doc_numbers.yaml")
    opens = "".join(re.escape(a) for a, _ in d["brackets"])
    closes = "".join(re.escape(b) for _, b in d["brackets"])
    return re.compile(rf"(?P<issuer>[\u4e00-\u9fff]{{1,{int(d['max_issuer_chars'])}}})?"
                      rf"[{opens}]\s*(?:19|20)\d{{2}}\s*[{closes}]\s*第?\s*\d{{1,5}}\s*(?P<hao>号)?")


def doc_number_spans(text: str) -> list[tuple[int, int]]:
    """Spans of every bracketed year-and-number, with or without issuer and 号."""
    if _opens().isdisjoint(text):   # most texts have no bracket at all: skip the scan
        return []
    return [m.span() for m in _pattern().finditer(text)]


def parse_doc_number(text: str | None) -> str | None:
    """The first complete 文号 (issuer, bracketed year, number, 号) in text, spaces removed."""
    if not text or _opens().isdisjoint(text):
        return None
    for m in _pattern().finditer(text):
        if m.group("issuer") and m.group("hao"):
            return re.sub(r"\s+", "", m.group(0))
    return None
