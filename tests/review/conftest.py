"""A small review store: the census plus a few announcements read by the extraction stage (as
tests/load/test_extraction.py builds its stores), one of them hostile. Built once per session,
copied per test."""
from __future__ import annotations

import shutil

import pytest
import yaml

from db.store import open_db
from tests.announcements import WUHU, WUHU_REPOST, XINGSHA

PAYLOAD_TITLE = "<script>window.__pwned=1;alert(1)</script>衡阳白沙洲区块链产业园开园"
PAYLOAD_ATTR = '"onmouseover="window.__pwned=2" x="'

DOCS = [
    WUHU, WUHU_REPOST, XINGSHA,
    {"url": "https://evil.example.cn/x/1.html", "published": "2026-11-15", "title": PAYLOAD_TITLE,
     "body": f"11月14日，衡阳白沙洲区块链产业园{PAYLOAD_ATTR}正式开园，首批入驻企业20家。"},
    {"url": "https://news.example.cn/a/7.html", "published": "2026-11-16", "title": "宜昌三峡链谷区块链产业园揭牌",
     "body": "11月15日，湖北省宜昌市宜昌三峡链谷区块链产业园揭牌，规划面积3平方公里。"},
]


@pytest.fixture(scope="session")
def _review_file(tmp_path_factory):
    from pipeline.load import extraction
    from pipeline.load.baseline import load
    from pipeline.load.documents import import_records
    folder = tmp_path_factory.mktemp("review")
    db = open_db(folder / "review.db")
    load(db)
    docs = folder / "docs.yaml"
    docs.write_text(yaml.safe_dump(DOCS, allow_unicode=True), encoding="utf-8")
    import_records(db, docs, source="hand")
    extraction.extract(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return folder / "review.db"


@pytest.fixture
def review_path(_review_file, tmp_path):
    """A fresh copy of the review store for one test."""
    path = tmp_path / "review.db"
    shutil.copy(_review_file, path)
    return path


@pytest.fixture
def review_db(review_path):
    db = open_db(review_path, create=False)
    yield db
    db.close()


def candidate_named(db, text: str) -> str:
    """The queue id of the candidate whose name contains `text`."""
    from pipeline.review.items import queue
    return next(i["id"] for i in queue(db) if i["kind"] == "candidate" and text in i["name"])
