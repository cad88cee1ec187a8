"""demo-gov-search: a JSON search API whose results sit in several categories (deduplicated)."""
import sqlite3

from crawler.spiders.jsonapi import _path
from tests.conftest import crawl

SLUG = "demo-gov-search"


def test_wildcard_path():
    data = {"searchVO": {"catMap": {"a": {"listVO": [1, 2]}, "b": {"listVO": [3]}}}}
    assert _path(data, "searchVO.catMap.*.listVO") == [1, 2, 3]


def test_crawl_pages_the_api_and_dedupes_categories(crawl_env):
    db, src = crawl_env
    fig = crawl(db, src, SLUG)["by_source"][SLUG]
    assert fig["new"] == 25 and fig["failed"] == 0
    con = sqlite3.connect(db)
    rows = con.execute("SELECT published_from, doc_number FROM documents WHERE source = ?", [SLUG]).fetchall()
    assert len(rows) == 25 and all(r[0] in ("meta", "text", "api") for r in rows)
    assert sum(1 for r in rows if r[1]) >= 10
