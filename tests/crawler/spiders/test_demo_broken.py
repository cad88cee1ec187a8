"""demo-broken: 500, 503-then-200, timeout, truncated body, wrong charset, garbage bytes,
redirect loop, 404, 412 and 521 — every failure recorded, none crashes the run."""
import json
import sqlite3

from crawler.reading import article, encoding
from tests.conftest import crawl, parkwatch

from .pages_util import saved

SLUG = "demo-broken"


def test_wrong_declared_charset_is_read_as_gbk():
    r = saved(SLUG, "a/wrong-charset.html", url_path="/a/wrong-charset.html")
    fixed, enc, ratio = encoding.fix_encoding(r)
    assert enc == "gb18030" and ratio == 0
    assert "区块链" in article.detail_fields(fixed)["body"]


def test_garbage_bytes_stay_bad():
    r = saved(SLUG, "a/garbage.html", url_path="/a/garbage.html")
    _, _, ratio = encoding.fix_encoding(r)
    assert ratio > 0.01


def test_broken_site_crawl(crawl_env):
    db, src = crawl_env
    out = crawl(db, src, SLUG, check=False)
    fig = out["by_source"][SLUG]
    assert out["status"] == "partial" and out["returncode"] == 3     # finished, pages lost: cron sees it
    assert fig["status"] == "ok" and fig["challenge"] == 2
    con = sqlite3.connect(db)
    docs = {u.rsplit("/", 1)[1]: (flags, enc, body) for u, flags, enc, body in
            con.execute("SELECT url, flags, encoding, body FROM documents WHERE source = ?", [SLUG])}
    assert {"good-1.html", "good-2.html", "good-3.html", "good-4.html", "flaky.html", "wrong-charset.html"} <= set(docs)
    assert docs["wrong-charset.html"][1] == "gb18030" and "区块链" in docs["wrong-charset.html"][2]
    assert json.loads(docs["garbage.html"][0]) == ["decode-errors"] and docs["garbage.html"][2] is None
    for bad in ("500.html", "slow.html", "truncated.html", "missing.html", "loop-a.html", "challenge412.html",
                "challenge521.html"):
        assert bad not in docs, bad
    fetches = con.execute("SELECT url, status, error FROM fetches WHERE source = ? AND final = 0", [SLUG]).fetchall()
    by = lambda name: [(s, e) for u, s, e in fetches if u.endswith(name)]  # noqa: E731
    assert [s for s, _ in by("500.html")] == [500] * 4             # first try + 3 retries
    assert [s for s, _ in by("flaky.html")] == [503, 200]
    assert all("Timeout" in (e or "") for _, e in by("slow.html")) and len(by("slow.html")) == 4
    assert any("DataLoss" in (e or "") for _, e in by("truncated.html"))
    assert (412, None) in by("challenge412.html") and (521, None) in by("challenge521.html")
    assert any(s == 404 for s, _ in by("missing.html"))
    # each lost page has one final row with its reason
    final = {u.rsplit("/", 1)[1]: r for u, r in con.execute(
        "SELECT url, reason FROM fetches WHERE source = ? AND final = 1", [SLUG])}
    assert final["500.html"] == "HTTP 500" and final["missing.html"] == "HTTP 404"
    assert final["slow.html"] == "timeout" and final["truncated.html"].startswith("body cut short")
    assert final["challenge412.html"].startswith("challenge-protected")
    runs = json.loads(parkwatch("--db", db, "runs", "--format", "json").stdout)
    assert any(f["url"].endswith("500.html") and f["reason"] == "HTTP 500" for f in runs[0]["failures"])
