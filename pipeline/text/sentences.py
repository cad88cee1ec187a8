"""Sentences and clauses of Chinese text, as (start, end) spans of the text as written."""
from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
_CLAUSE_END = re.compile(r"[，,、：:]")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (the end mark included), skipping empty ones."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between commas, colons or sentence ends) that holds text[start:end]."""
    left = max([m.end() for m in _CLAUSE_END.finditer(text, 0, start)] +
               [m.end() for m in _SENTENCE_END.finditer(text, 0, start)] + [0])
    right = min([m.start() for m in _CLAUSE_END.finditer(text, end)][:1] +
                [m.start() for m in _SENTENCE_END.finditer(text, end)][:1] + [len(text)])
    return left, right
