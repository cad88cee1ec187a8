"""Regular-expression pieces built from rule tables."""
from __future__ import annotations

import re
from collections.abc import Iterable


def alt(words: Iterable[str]) -> str:
    """An alternation of literal words, longest first (so 平方公里 wins over 平方).

    An empty list is an error, not a pattern: `(?:)` would match everywhere."""
    ws = sorted({w for w in words}, key=lambda w: (-len(w), w))
    if not ws or any(not w for w in ws):
        raise ValueError(f"an alternation needs non-empty words, got {sorted(words)!r}")
    return "|".join(re.escape(w) for w in ws)
