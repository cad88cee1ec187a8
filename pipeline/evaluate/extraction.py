"""Extraction accuracy on a gold set (parkwatch eval extract).

A case names one kind and lists every expected quantity of that kind in its text.
An expectation is matched by the prediction that overlaps its text; the case is
exact when every expectation is matched on every field it gives and nothing else
of that kind was predicted. A prediction with a wrong value, or one where none was
expected, is a confident wrong answer; a missing one is a no-answer.
"""
from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path

import yaml

from pipeline.extract.quantities import find_quantities
from pipeline.extract.quantity import KINDS

# the annotated sets ship with the package, so `parkwatch eval extract` works from a wheel
CORPUS = Path(str(resources.files("pipeline.evaluate") / "corpus" / "extraction"))
DEFAULT_GOLD = CORPUS / "gold.yaml"
FIELDS = ("value", "low", "high", "unit", "qualifier", "precision", "tranche", "per_year", "label")


def load_gold(path: str | Path | None = None) -> list[dict]:
    p = Path(path) if path else DEFAULT_GOLD
    if not p.exists():
        raise FileNotFoundError(f"gold set not found: {p}")
    cases = yaml.safe_load(p.read_text(encoding="utf-8")) or []
    for c in cases:
        if c.get("published") is not None:
            c["published"] = str(c["published"])
    return cases


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= max(0.01, 1e-9 * abs(b))
    if a is None or b is None:
        return a is None and b is None
    return str(a) == str(b)


def _spans(text: str, expected: list[dict]) -> list[tuple[int, int]]:
    seen: Counter = Counter()
    out = []
    for e in expected:
        t = str(e.get("text", ""))
        start, k = -1, seen[t]
        for _ in range(k + 1):
            start = text.find(t, start + 1)
        seen[t] += 1
        out.append((start, start + len(t)) if start >= 0 else (-1, -1))
    return out


def score_case(case: dict, *, dateparser: bool = True) -> dict:
    kind = case["kind"]
    text = case["text"]
    expected = case.get("expected") or []
    got = [q.to_dict() for q in find_quantities(text, published=case.get("published"), dateparser=dateparser)
           if q.kind == kind]
    used: set[int] = set()
    wrong = missing = 0
    for e, (s, t) in zip(expected, _spans(text, expected)):
        match = next((i for i, g in enumerate(got) if i not in used and g["start"] < t and g["end"] > s), None)
        if match is None:
            missing += 1
            continue
        used.add(match)
        g = got[match]
        for f in FIELDS:
            if f in e and not _same(g.get(f, None if f != "per_year" else False), e[f]):
                wrong += 1
                break
    extra = [g for i, g in enumerate(got) if i not in used]
    wrong += len(extra)
    outcome = "exact" if not wrong and not missing else ("wrong" if wrong else "no_answer")
    return {"id": case.get("id"), "kind": kind, "negative": not expected, "outcome": outcome,
            "text": text, "expected": expected, "got": got}


def run(cases: list[dict], *, dateparser: bool = True) -> dict:
    """dateparser: explicit numeric dates cross-checked by dateparser (the default) or read by the grammar alone."""
    scored = [score_case(c, dateparser=dateparser) for c in cases]
    kinds = []
    for k in KINDS:
        rows = [s for s in scored if s["kind"] == k]
        if not rows:
            continue
        exact = sum(s["outcome"] == "exact" for s in rows)
        kinds.append({
            "kind": k, "cases": len(rows), "exact": exact,
            "accuracy": round(exact / len(rows), 4),
            "wrong": sum(s["outcome"] == "wrong" for s in rows),
            "wrong_on_negatives": sum(s["outcome"] == "wrong" and s["negative"] for s in rows),
            "no_answer": sum(s["outcome"] == "no_answer" for s in rows),
            "negatives": sum(s["negative"] for s in rows),
        })
    return {"kinds": kinds, "errors": [s for s in scored if s["outcome"] != "exact"]}

