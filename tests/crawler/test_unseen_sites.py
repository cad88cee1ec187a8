"""The no-selector claim on sites the crawler was not written against (tests/crawler/unseen/, made by a
second author from the field notes only): every article found, with its title, date and 发文字号."""
import sqlite3

import pytest
import yaml

from crawler.mirror import server
from tests.conftest import crawl

ROOT = __import__("pathlib").Path(__file__).parent / "unseen"


@pytest.fixture(scope="module")
def unseen_mirror():
    m = server.serve(root=ROOT)
    yield m
    m.stop()


def test_unseen_sites_without_selectors(tmp_path, unseen_mirror):
    src = ROOT / "sources.yaml"
    db = tmp_path / "u.db"
    out = crawl(db, src, mirror=unseen_mirror)
    assert all(f["failed"] == 0 for f in out["by_source"].values())
    con = sqlite3.connect(db)
    wrong = []
    n = 0
    for slug in ("unseen-trs-gb2312", "unseen-hanweb", "unseen-news"):
        labels = yaml.safe_load((ROOT / slug / "_labels.yaml").read_text(encoding="utf-8"))["articles"]
        docs = {u: r for u, *r in con.execute("SELECT url, title, published, doc_number FROM documents "
                                              "WHERE source = ?", [slug])}
        for lab in labels:
            n += 1
            url = next((u for u in docs if u.endswith(lab["path"])), None)
            if url is None:
                wrong.append(("missing", slug, lab["path"]))
                continue
            title, published, docno = docs[url]
            if title != lab["title"]:
                wrong.append(("title", slug, lab["path"], title))
            if published != str(lab["date"]):
                wrong.append(("date", slug, lab["path"], published))
            if lab.get("wenhao") and docno != lab["wenhao"]:
                wrong.append(("wenhao", slug, lab["path"], docno))
    assert n == 39 and wrong == []
    assert con.execute("SELECT count(*) FROM documents WHERE source = 'unseen-feed'").fetchone()[0] == 10
