"""A document's relevance label (park, policy, fund, other) from keyword lists
(data/keywords.yaml): off-topic unless a blockchain term is present; then the label
whose words weigh most, title words counting triple."""
from __future__ import annotations

import functools

from pipeline import rules
from pipeline.text.normalize import fold

LABELS = ("park", "policy", "fund")


@functools.cache
def _kw() -> dict:
    d = rules.document("keywords.yaml")
    return {k: [fold(w) for w in v] for k, v in d.items() if isinstance(v, list)}


def _hits(text: str, words) -> int:
    return sum(text.count(w) for w in words)


def label(title: str | None, body: str | None, *, folded_body: str | None = None) -> str:
    t = fold(title)
    b = folded_body if folded_body is not None else fold(body)
    kw = _kw()
    # 产业链上下游 is not 链上: phrases that only look like blockchain words are removed first
    bc_t, bc_b = t, b
    for w in kw.get("exclude", []):
        bc_t, bc_b = bc_t.replace(w, ""), bc_b.replace(w, "")
    if not (_hits(bc_t, kw["blockchain"]) or _hits(bc_b, kw["blockchain"])):
        return "other"
    if kw.get("exclude") and _hits(t, kw["exclude"]):
        return "other"
    # what a title says it is wins: a notice about a fund's money is about the fund,
    # a 通知/办法/方案 is a policy even when it is about parks
    for lab in ("fund", "park", "policy"):
        if _hits(t, kw.get(f"{lab}_title", [])):
            return lab
    scores = {k: 3 * _hits(t, kw[k]) + _hits(b, kw[k]) for k in LABELS}
    best = max(LABELS, key=lambda k: (scores[k], -LABELS.index(k)))
    return best if scores[best] else "other"


def matches(text: str, keywords) -> bool:
    """A source's link filter: does the anchor text mention any keyword?"""
    if not keywords:
        return True
    t = fold(text)
    return any(k in t for k in _folded(tuple(keywords)))


@functools.lru_cache(maxsize=256)
def _folded(keywords: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold(k) for k in keywords)
