"""Fact extraction against an annotated corpus (parkwatch eval facts).

The corpus (corpus/facts/, written blind; corpus/facts-holdout/, by a second author) gives per
document the parks, policies and funds an analyst would record. Every document is read by the
whole extraction stage in corpus order, with the census as the known parks and the candidates of
earlier documents remembered, as a crawl would. Scores, per fact type:

- park detected: a found park that is one of the document's parks (by name and place);
- resolved: a detected census park resolved to the right census id;
- new candidate: a detected new park that is a candidate (not a census park), and the same
  candidate for every document the corpus says is about the same park;
- area / enterprises / fund: the value of a detected park's figure;
- policy, fund entity: found by title / name (or size), per document;
plus what was found in the negatives (irrelevant and statistics documents).
"""
from __future__ import annotations

import glob
import tempfile
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import yaml

from pipeline.text.names import dice, name_key, variants

CORPUS = Path(str(resources.files("pipeline.evaluate") / "corpus"))
DEV, HOLDOUT = CORPUS / "facts", CORPUS / "facts-holdout"
FIELDS = ("area_m2", "enterprises", "fund_yuan")
NEGATIVE = ("irrelevant", "statistics")


def load_corpus(folder: str | Path | None = None) -> list[dict]:
    folder = Path(folder) if folder else DEV
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    cases = []
    for f in sorted(glob.glob(str(folder / "*.yaml"))):
        cases += yaml.safe_load(Path(f).read_text(encoding="utf-8")) or []
    for c in cases:
        c["published"] = str(c["published"]) if c.get("published") else None
    return cases


def census_resolver():
    """The known parks of a fresh store with the 2020 census loaded."""
    from db.store import open_db
    from pipeline.load.baseline import load
    from pipeline.load.extraction import known_parks
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "census.db")
        load(db)
        resolver = known_parks(db)
        db.close()
    return resolver


def _similar(a: str, b: str) -> bool:
    ka, kb = name_key(a), name_key(b)
    if set(variants(a)) & set(variants(b)) or ka in kb or kb in ka:
        return True
    return dice(ka, kb) >= 0.6


def _pair_parks(expected: list[dict], found: list) -> list[tuple[dict, object]]:
    """Greedy one-to-one pairs: a census id decides; else names and province must agree."""
    pairs, used = [], set()
    for e in expected:
        for i, p in enumerate(found):
            if i in used:
                continue
            same_id = e.get("known") and p.park_id == e["known"]
            by_name = any(_similar(m.text, e["name"]) for m in p.mentions) and \
                (not e.get("province") or not p.province or p.province == e["province"])
            if same_id or by_name:
                pairs.append((e, p))
                used.add(i)
                break
    return pairs


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) <= max(0.5, 0.01 * abs(float(b)))


def _same_figure(have, want) -> bool:
    """A found figure against the annotation: a value, or a [low, high] range."""
    if isinstance(want, list):
        return _same_value(have.low, want[0]) and _same_value(have.high, want[1])
    return _same_value(have.value if have.value is not None else have.low, want)


class Tally:
    def __init__(self):
        self.c: Counter = Counter()

    def add(self, kind: str, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.c[kind, "tp"] += tp
        self.c[kind, "fp"] += fp
        self.c[kind, "fn"] += fn

    def row(self, kind: str) -> dict:
        tp, fp, fn = (self.c[kind, k] for k in ("tp", "fp", "fn"))
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return {"fact": kind, "tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
                "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _score_parks(t: Tally, case: dict, found: list, clusters: dict, errors: list) -> None:
    expected = case["parks"]
    pairs = _pair_parks(expected, found)
    t.add("park detected", tp=len(pairs), fp=len(found) - len(pairs), fn=len(expected) - len(pairs))
    paired = {id(p) for _, p in pairs}
    for p in found:
        if id(p) not in paired:
            errors.append((case["id"], "park not in the corpus", p.name))
    for e in expected:
        if not any(x is e for x, _ in pairs):
            errors.append((case["id"], "park missed", e["name"]))
    for e, p in pairs:
        if e.get("known"):
            ok = p.park_id == e["known"]
            t.add("resolved to the right known park", tp=ok, fn=not ok, fp=not ok and p.park_id is not None)
            if not ok:
                errors.append((case["id"], f"resolved {p.park_id or p.candidate} instead of {e['known']}", e["name"]))
        else:
            if p.park_id is None:
                clusters[p.candidate].append((case["id"], e.get("candidate")))
            else:
                t.add("new candidate", fn=1)
                errors.append((case["id"], f"new park taken for known {p.park_id}", e["name"]))
        _score_facts(t, case, e, p, errors)
        _score_event(t, case, e, p, errors)
    for p in found:
        if id(p) not in paired and p.park_id is None:
            t.add("new candidate", fp=1)


def _score_facts(t: Tally, case: dict, e: dict, p, errors: list) -> None:
    got = {f.field: f for f in p.facts}
    for fld in FIELDS:
        want = (e.get("facts") or {}).get(fld)
        have = got.get(fld)
        if want is None and have is None:
            continue
        ok = want is not None and have is not None and _same_figure(have, want["value"])
        t.add(fld, tp=ok, fp=have is not None and not ok, fn=want is not None and not ok)
        if have is not None and want is not None:
            t.add(f"{fld} exactness", tp=ok, fp=not ok)
        if not ok:
            errors.append((case["id"], f"{fld}: got {have.raw if have else None!r} want "
                                       f"{want['raw'] if want else None!r}", e["name"]))


def _event_date(value, precision=None) -> str | None:
    """An annotated date (2024-03-12, '2024-03', '2024') or a found one at its precision."""
    if value is None:
        return None
    v = str(value)
    return {"month": v[:7], "year": v[:4]}.get(precision or "", v)


def _score_event(t: Tally, case: dict, e: dict, p, errors: list) -> None:
    """The event a document reports about a park, and its date, both right."""
    want = (e.get("event"), _event_date(e.get("event_date")))
    have = (p.event, _event_date(p.event_date, p.event_precision)) if p.event else (None, None)
    if want == (None, None) and have == (None, None):
        return
    ok = want == have
    t.add("event and date", tp=ok, fp=have[0] is not None and not ok, fn=want[0] is not None and not ok)
    if not ok:
        errors.append((case["id"], f"event: got {have} want {want}", e["name"]))


def _score_clusters(t: Tally, clusters: dict) -> None:
    """A new park is right when its candidate holds the same corpus park in every document."""
    for hits in clusters.values():
        majority = Counter(k for _, k in hits).most_common(1)[0][0]
        good = sum(k == majority for _, k in hits)
        t.add("new candidate", tp=good, fp=len(hits) - good, fn=len(hits) - good)
    # one corpus park split over several candidates: the documents of the smaller parts are misses
    by_key = defaultdict(Counter)
    for cand, hits in clusters.items():
        for _, k in hits:
            by_key[k][cand] += 1
    for cands in by_key.values():
        extra = sum(cands.values()) - max(cands.values())
        t.add("new candidate", tp=-extra, fn=extra)


def _pair_records(expected: list[dict], found: list, same) -> int:
    used, n = set(), 0
    for e in expected:
        for i, f in enumerate(found):
            if i not in used and same(e, f):
                used.add(i)
                n += 1
                break
    return n


def _same_policy(e: dict, f) -> bool:
    return bool(e.get("doc_number") and e["doc_number"] == f.doc_number) or _similar(e["title"], f.title)


def _same_fund(e: dict, f) -> bool:
    named = e.get("name") and f.name and _similar(e["name"], f.name)
    sized = e.get("size_yuan") is not None and f.size is not None and _same_value(f.size, e["size_yuan"])
    return bool(named or sized)


def run(cases: list[dict], parks=None) -> dict:
    """Scores of the whole extraction stage over the corpus, read in corpus order."""
    from pipeline.resolve.document import read_document
    from pipeline.resolve.resolver import Resolver
    parks = parks or census_resolver()
    candidates = Resolver()
    t, errors, clusters, negatives = Tally(), [], defaultdict(list), Counter()
    classes = Counter()
    for case in cases:
        f = read_document(case["title"], case["body"], published=case["published"], parks=parks,
                          candidates=candidates)
        classes[f.classification.label == case["class"]] += 1
        if f.classification.label != case["class"]:
            errors.append((case["id"], f"class {f.classification.label} instead of {case['class']}",
                           "; ".join(f.classification.reasons)))
        _score_parks(t, case, f.parks, clusters, errors)
        n = _pair_records(case["policies"], f.policies, _same_policy)
        t.add("policy", tp=n, fp=len(f.policies) - n, fn=len(case["policies"]) - n)
        n = _pair_records(case["funds"], f.funds, _same_fund)
        t.add("fund entity", tp=n, fp=len(f.funds) - n, fn=len(case["funds"]) - n)
        if case["class"] in NEGATIVE:        # what a negative's annotation does not have
            for kind in ("parks", "policies", "funds"):
                negatives[kind] += 0 if case[kind] else len(getattr(f, kind))
    _score_clusters(t, clusters)
    kinds = ["park detected", "resolved to the right known park", "new candidate", *FIELDS, "event and date", "policy",
             "fund entity"]
    rows = [t.row(k) for k in kinds]
    exact = [t.row(f"{k} exactness") for k in FIELDS]
    both = sum(r["tp"] + r["fp"] for r in exact)
    return {"facts": rows, "attribute_exactness": round(sum(r["tp"] for r in exact) / both, 4) if both else 1.0,
            "negatives": dict(negatives), "classification": round(classes[True] / max(1, sum(classes.values())), 4),
            "documents": len(cases), "errors": errors}
