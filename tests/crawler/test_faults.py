"""The fault suite: a hostile site (tests/crawler/faults/) with one fault per article. One crawl
finishes; every URL has exactly one final fetch row, with its reason when it was lost; nothing
garbled or unsafe is stored; the exit code reports the failures."""
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from crawler.mirror import server
from tests.conftest import crawl, parkwatch

ROOT = Path(__file__).parent / "faults"
BASE = "http://faults.example.cn/news/fault-"

# how each article must end: stored (None) or lost with a reason that starts so
EXPECTED = {
    "001": "HTTP 500", "002": None, "003": None, "004": "HTTP 429 with Retry-After 86",
    "005": None, "006": "timeout", "007": "body cut short", "008": "body cut short",
    "009": "redirect loop", "010": "off-origin redirect to http://elsewhere.example.com/",
    "011": "off-origin redirect to http://faults.example.cn:8081/", "012": "oversize", "013": "decompression error",
    "014": None, "015": None, "016": "stored flagged: empty", "017": None, "018": None, "019": None,
    "020": "HTTP 404",
}
_UNSAFE = {"Cc", "Cf"}   # control and format (bidi) characters; tab and newline allowed in bodies


@pytest.fixture(scope="module")
def fault_crawl(tmp_path_factory):
    m = server.serve(root=ROOT)
    db = tmp_path_factory.mktemp("faults") / "faults.db"
    try:
        out = crawl(db, ROOT / "sources.yaml", check=False, mirror=m)
        yield db, out, m
    finally:
        m.stop()


def test_one_crawl_finishes_and_the_exit_code_reports_the_failures(fault_crawl):
    _, out, _ = fault_crawl
    fig = out["by_source"]["faults"]
    assert out["returncode"] == 3 and out["status"] == "partial"
    assert fig["failed"] == sum(1 for v in EXPECTED.values() if v and not v.startswith("stored"))


def test_every_url_has_exactly_one_final_row_with_its_reason(fault_crawl):
    db, _, _ = fault_crawl
    con = sqlite3.connect(db)
    rows = con.execute("SELECT url, reason FROM fetches WHERE final = 1 AND url LIKE ?", [BASE + "%"]).fetchall()
    by_url: dict = {}
    for url, reason in rows:
        by_url.setdefault(url[len(BASE):-5], []).append(reason)
    assert set(by_url) == set(EXPECTED)
    for n, want in EXPECTED.items():
        assert len(by_url[n]) == 1, (n, by_url[n])
        got = by_url[n][0]
        assert (got is None) if want is None else (got or "").startswith(want), (n, got)


def test_nothing_from_another_server_is_stored_under_the_source(fault_crawl):
    db, _, m = fault_crawl
    con = sqlite3.connect(db)
    bodies = [b for (b,) in con.execute("SELECT body FROM documents WHERE body IS NOT NULL")]
    assert not any("另一台服务器" in b for b in bodies)
    assert m.count("faults-port") == 0 and m.count("faults-elsewhere") == 0   # never even fetched


def test_nothing_garbled_or_unsafe_is_stored(fault_crawl):
    db, _, _ = fault_crawl
    con = sqlite3.connect(db)
    docs = con.execute("SELECT url, title, body, flags FROM documents").fetchall()
    stored = {u[len(BASE):-5] for u, *_ in docs if u.startswith(BASE)}
    assert stored == {n for n, v in EXPECTED.items() if v is None or v.startswith("stored")}
    for url, title, body, _ in docs:
        for text in (title or "", body or ""):
            assert "\ufffd" not in text, url
            assert not [c for c in text if unicodedata.category(c) in _UNSAFE and c not in "\n\t"], url
    titles = {u[len(BASE):-5]: t for u, t, *_ in docs if u.startswith(BASE)}
    assert titles["019"].startswith("区块链产业园故障测试第019号") and "\x1b" not in titles["019"]
    assert "<script>" in titles["019"]       # kept as text: escaped wherever it is shown
    body = dict((u[len(BASE):-5], b) for u, _, b, _ in docs if u.startswith(BASE))
    assert "深层嵌套的页面正文" in body["017"]                       # 10,000 levels deep, still read
    assert "区块链产业园区建设推进会" in body["014"] and "区块链产业园区建设推进会" in body["015"]   # GBK read right
    assert "会议通报" in body["018"]                                 # NUL bytes gone


def test_runs_lists_each_final_failure_once(fault_crawl):
    db, out, _ = fault_crawl
    import json
    runs = json.loads(parkwatch("--db", db, "runs", "--format", "json").stdout)
    failures = [f["url"] for f in runs[0]["failures"]]
    assert len(failures) == len(set(failures))
    assert {u[len(BASE):-5] for u in failures if u.startswith(BASE)} == {n for n, v in EXPECTED.items() if v}
