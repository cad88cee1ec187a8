"""Incremental crawling: stop at known pages, conditional re-fetch, new versions, reposts,
and resuming after kill -9 without losing or duplicating documents."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from crawler.mirror import server
from tests.conftest import REPO, cli_env, crawl, parkwatch, write_sources

NEWS = "demo-chainnews"


@pytest.fixture
def own_mirror(tmp_path):
    """A private copy of the saved sites, so a test may change a page between crawls."""
    root = tmp_path / "mirror"
    for slug in server.available():
        shutil.copytree(server.MIRROR_ROOT / slug, root / slug)
    m = server.serve(root=root)
    yield m, root
    m.stop()


def _docs(db, source):
    con = sqlite3.connect(db)
    return con.execute("SELECT url, version_count FROM documents WHERE source = ?", [source]).fetchall()


def test_recrawl_reads_only_the_first_list_page(tmp_path, own_mirror):
    m, _ = own_mirror
    db, src = tmp_path / "c.db", write_sources(tmp_path / "s.yaml", [NEWS, "demo-chainnews-rss", "demo-sitemap"])
    crawl(db, src, mirror=m)
    before = len(m.requests)
    out = crawl(db, src, mirror=m)
    after = m.requests[before:]
    news = [r for r in after if r["site"] == NEWS]
    # robots.txt and page 1 of the list; every article known, nothing re-fetched
    assert sorted(r["path"] for r in news) == ["/news/blockchain/index.html", "/robots.txt"]
    fig = out["by_source"]
    assert fig[NEWS]["new"] == 0 and fig[NEWS]["skipped_known"] == 12
    assert fig["demo-chainnews-rss"]["requests"] == 2          # robots.txt + the feed
    assert fig["demo-sitemap"]["requests"] == 4                # robots.txt + index + 2 urlsets
    assert len(_docs(db, NEWS)) == 34


def test_changed_page_becomes_a_new_version_and_the_old_text_is_kept(tmp_path, own_mirror):
    m, root = own_mirror
    db, src = tmp_path / "c.db", write_sources(tmp_path / "s.yaml", [NEWS])
    crawl(db, src, mirror=m)
    page = root / NEWS / "news/2026/1105/12345.html"
    html = page.read_text(encoding="utf-8")
    body_at = html.index("article-content")
    html = html[:body_at] + html[body_at:].replace("<p>", "<p>（更正）", 1)
    page.write_text(html, encoding="utf-8")
    before = len(m.requests)
    out = crawl(db, src, "--refetch", mirror=m)
    fig = out["by_source"][NEWS]
    assert (fig["changed"], fig["unchanged"], fig["new"]) == (1, 33, 0)
    # unchanged pages answered 304 to conditional requests
    assert sum(r["conditional"] for r in m.requests[before:]) == 34
    con = sqlite3.connect(db)
    (doc_id, versions, body), = con.execute(
        "SELECT id, version_count, body FROM documents WHERE url LIKE '%/12345.html' AND source = ?", [NEWS])
    assert versions == 2 and "（更正）" in body
    old = con.execute("SELECT body FROM document_versions WHERE document_id = ? AND version = 1", [doc_id]).fetchone()
    assert "（更正）" not in old[0]
    # the current text is stored once: in the document, not again in its version row
    assert con.execute("SELECT body FROM document_versions WHERE document_id = ? AND version = 2",
                       [doc_id]).fetchone() == (None,)
    assert con.execute("SELECT count(*) FROM document_versions v JOIN documents d ON d.id = v.document_id "
                       "WHERE v.version = d.version_count AND v.body IS NOT NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM changes WHERE entity = 'document'").fetchone()[0] == 1


def test_reposts_are_linked_by_content_hash(crawl_env):
    db, src = crawl_env
    crawl(db, src, NEWS, "demo-chainnews-rss")
    con = sqlite3.connect(db)
    # the same article via the feed (another source) and the two same-body reposts on the site
    linked = con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
    assert linked >= 15 + 2
    rep_id, rep_dup = con.execute("SELECT id, duplicate_of FROM documents WHERE url LIKE '%/repost-12341.html' "
                                  "AND source = ?", [NEWS]).fetchone()
    orig_id, orig_dup = con.execute("SELECT id, duplicate_of FROM documents WHERE url LIKE '%/1103/12341.html' "
                                    "AND source = ?", [NEWS]).fetchone()
    # both lead to the same first-seen copy (maybe the feed's), so they are linked to each other
    assert (rep_dup or rep_id) == (orig_dup or orig_id)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_crawl_then_resume_loses_and_duplicates_nothing(tmp_path, mirror, sig):
    db = tmp_path / "c.db"
    src = write_sources(tmp_path / "s.yaml", [NEWS],
                        **{NEWS: {"politeness": {"download_delay": 0.25, "concurrency": 1, "timeout": 5}}})
    env = cli_env(mirror)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.app", "--db", str(db), "crawl", NEWS, "--sources",
                             str(src)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    stored = 0
    while time.time() < deadline:
        time.sleep(0.2)
        try:
            stored = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if stored >= 8:
            break
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    kept = len(_docs(db, NEWS))
    assert 8 <= kept < 34
    out = crawl(db, src, NEWS)
    urls = [u for u, _ in _docs(db, NEWS)]
    assert len(urls) == len(set(urls)) == 34
    # the resumed crawl paginated past the known first pages and added exactly what was missing
    assert out["by_source"][NEWS]["new"] == 34 - kept
    runs = json.loads(parkwatch("--db", db, "runs", "--format", "json").stdout)
    assert [r["status"] for r in runs] == ["ok", "interrupted"]
