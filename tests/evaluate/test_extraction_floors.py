"""Extraction accuracy on the annotated sets, with pinned floors (see tests/extraction/README.md)."""

import pytest

from pipeline.evaluate import extraction as evaluate

HERE = evaluate.CORPUS
# floors: exact-match share per kind; confident wrong answers on negatives must stay at zero
FLOORS = {"gold.yaml": 0.98, "holdout.yaml": 0.95}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_floor(name):
    path = HERE / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    res = evaluate.run(evaluate.load_gold(path))
    for k in res["kinds"]:
        assert k["accuracy"] >= FLOORS[name], (k, [e["id"] for e in res["errors"] if e["kind"] == k["kind"]])
        assert k["wrong_on_negatives"] == 0, [e["id"] for e in res["errors"] if e["negative"]]


def test_gold_set_is_well_formed():
    cases = evaluate.load_gold(HERE / "gold.yaml")
    assert len(cases) >= 400
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids))
    for c in cases:
        assert c["kind"] in ("date", "area", "money", "count")
        for e in c["expected"] or []:
            assert str(e["text"]) in c["text"], c["id"]
            assert e["qualifier"] in ("exact", "approx", "at_least", "at_most", "range", "duration")
