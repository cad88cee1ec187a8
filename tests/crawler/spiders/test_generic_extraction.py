"""The no-selector claim, measured: every saved government article's title, publication date,
document number and relevance label against the sites' ground truth (_labels.yaml)."""
import sqlite3

import yaml

from tests.conftest import crawl

from .pages_util import MIRROR

SITES = ["demo-gxt-trs", "demo-fgw-hanweb", "demo-gov-search"]
# floors pinned from the measured run (see the issue notes); a drop means a regression
FLOORS = {"title": 1.0, "date": 1.0, "doc_number": 1.0, "label": 0.85}


def test_generic_extraction_against_ground_truth(crawl_env):
    db, src = crawl_env
    crawl(db, src, *SITES)
    con = sqlite3.connect(db)
    hits = {k: 0 for k in FLOORS}
    totals = {k: 0 for k in FLOORS}
    misses = []
    for slug in SITES:
        labels = yaml.safe_load((MIRROR / slug / "_labels.yaml").read_text(encoding="utf-8"))
        docs = {u: r for u, *r in con.execute(
            "SELECT url, title, published, doc_number, relevance FROM documents WHERE source = ?", [slug])}
        for lab in labels:
            if lab["path"].startswith("/private/"):
                continue
            url = next((u for u in docs if u.endswith(lab["path"])), None)
            assert url, (slug, lab["path"])
            title, published, docno, relevance = docs[url]
            checks = {"title": title == lab["title"], "date": published == str(lab["date"]),
                      "label": relevance == lab["label"]}
            if lab.get("wenhao"):
                checks["doc_number"] = docno == lab["wenhao"]
            for k, ok in checks.items():
                totals[k] += 1
                hits[k] += ok
                if not ok:
                    misses.append((k, slug, lab["path"]))
    for k, floor in FLOORS.items():
        assert hits[k] / totals[k] >= floor, (k, hits[k], totals[k], [m for m in misses if m[0] == k])
