"""Regular-expression pieces built from rule tables."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable


def alt(words: Iterable[str]) -> str:
    """An alternation of literal words, longest first (so 平方公里 wins over 平方).

    An empty list is an error, not a pattern: `(?:)` would match everywhere. Built once per set
    of words (the extractors ask for the same few lists on every sentence)."""
    return _alt(frozenset(words))


@functools.lru_cache(maxsize=512)
def _alt(words: frozenset[str]) -> str:
    ws = sorted(words, key=lambda w: (-len(w), w))
    if not ws or any(not w for w in ws):
        raise ValueError(f"an alternation needs non-empty words, got {sorted(words)!r}")
    return "|".join(re.escape(w) for w in ws)
