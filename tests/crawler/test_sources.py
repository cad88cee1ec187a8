"""The source registry: shipped configs load, bad entries are rejected with file, entry, reason."""
import json
import os
import subprocess
import sys

import pytest

from crawler import sources
from tests.conftest import REPO, cli_env, parkwatch, write_sources


def test_shipped_registry_loads_and_real_sources_are_unverified():
    reg = sources.load(sources.DEFAULT_FILE)
    assert len(reg.sources) >= 10
    assert all(not s.verified for s in reg.sources.values())
    kinds = {s.kind for s in reg.sources.values()}
    assert {"listing", "json-api"} <= kinds


def test_demo_registry_has_no_selectors():
    reg = sources.load(sources.DEMO_FILE)
    assert all(not s.selectors for s in reg.sources.values())


GOOD = "sources:\n  - {slug: a-site, kind: listing, start_urls: ['http://example.gov.cn/list/index.html']}\n"


@pytest.mark.parametrize("entry,reason", [
    ("{slug: Bad_Slug, kind: listing, start_urls: ['http://x.cn/']}", "field slug: String should match pattern"),
    ("{slug: a-site, kind: crawl, start_urls: ['http://x.cn/']}", "field kind: Input should be 'listing'"),
    ("{slug: a-site, kind: listing, start_urls: ['ftp://x.cn/']}", "start_urls must be http(s) URLs"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], schedule: 'every day'}", "not a cron expression"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], selectors: {item: 'li[['}}", "not valid CSS or XPath"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], encoding: klingon}", "unknown encoding 'klingon'"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], colour: red}", "unknown field colour"),
    ("{slug: a-site, kind: json-api, start_urls: ['http://x.cn/api']}", "needs api.items"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], politeness: {concurrency: 50}}",
     "field politeness.concurrency: Input should be less than or equal to 8 (got 50)"),
    # wrong types and ranges: one line each, never a traceback
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], politeness: {concurrency: abc}}",
     "field politeness.concurrency: Input should be a valid integer"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], revisit_days: soon}", "field revisit_days:"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], keywords: 5}", "field keywords:"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], encoding: 123}", "field encoding: Input should be a valid string"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], pagination: {max_pages: lots}}", "field pagination.max_pages:"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], politeness: {timeout: -1}}",
     "field politeness.timeout: Input should be greater than 0"),
    ("{slug: a-site, kind: listing, start_urls: ['http://169.254.169.254/latest/']}", "link-local"),
    ("{slug: a-site, kind: listing, start_urls: ['http://10.0.0.5/list/']}", "private"),
    ("{slug: a-site, kind: listing, start_urls: ['http://127.0.0.1:8080/']}", "loopback"),
    ("{slug: a-site, kind: listing, start_urls: ['http://localhost/']}", "allow_private"),
    ("{slug: a-site, kind: listing, start_urls: ['http://user:secret@x.cn/']}", "user name or password"),
    ("{slug: a-site, kind: listing, start_urls: ['http://x.cn/'], max_page_bytes: 10}", "field max_page_bytes:"),
])
def test_bad_entry_is_rejected_with_file_entry_and_reason(tmp_path, entry, reason):
    f = tmp_path / "mine.yaml"
    f.write_text(GOOD + f"  - {entry}\n", encoding="utf-8")
    with pytest.raises(sources.SourceError) as err:
        sources.load(f)
    msg = str(err.value)
    assert str(f) in msg and "#2" in msg and reason in msg


def test_private_addresses_are_allowed_when_a_source_says_so(tmp_path):
    f = tmp_path / "own.yaml"
    f.write_text("sources:\n  - {slug: lan, kind: listing, start_urls: ['http://10.0.0.5/'], allow_private: true}\n",
                 encoding="utf-8")
    assert sources.load(f).get("lan").allow_private


def test_a_registry_that_is_not_utf8_or_too_large_is_refused(tmp_path):
    f = tmp_path / "gbk.yaml"
    f.write_bytes(("sources:\n  - {slug: a-site, kind: listing, start_urls: ['http://x.cn/'], name: 某省工信厅}\n")
                  .encode("gbk"))
    with pytest.raises(sources.SourceError, match="not UTF-8"):
        sources.load(f)
    big = tmp_path / "big.yaml"
    big.write_text(GOOD + "# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    with pytest.raises(sources.SourceError, match="larger than"):
        sources.load(big)


def test_duplicate_slug(tmp_path):
    f = tmp_path / "dup.yaml"
    f.write_text(GOOD + GOOD.split("\n", 1)[1], encoding="utf-8")
    with pytest.raises(sources.SourceError, match="duplicate slug"):
        sources.load(f)


def test_cli_reports_a_bad_registry_cleanly(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("sources:\n  - {slug: x1, kind: nope, start_urls: ['http://x.cn/']}\n", encoding="utf-8")
    proc = parkwatch("--db", tmp_path / "x.db", "crawl", "--sources", f, check=False)
    assert proc.returncode == 1 and "field kind: Input should be" in proc.stderr and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    proc = parkwatch("--db", tmp_path / "x.db", "crawl", "no-such-source", "--sources", f, check=False)
    assert proc.returncode == 1


def test_unknown_slug_is_a_clean_error(tmp_path):
    proc = parkwatch("--db", tmp_path / "x.db", "crawl", "no-such-source", check=False)
    assert proc.returncode == 1 and "unknown source(s): no-such-source" in proc.stderr


def test_scrapy_list_shows_every_configured_source(tmp_path, mirror):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=REPO, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert sorted(out) == sorted(sources.load(sources.DEFAULT_FILE).sources)
    src = write_sources(tmp_path / "s.yaml")
    out = subprocess.run([sys.executable, "-m", "scrapy", "list", "-s", f"PARKWATCH_SOURCES={src}"], cwd=REPO,
                         env=env, capture_output=True, text=True, check=True).stdout.split()
    assert sorted(out) == sorted(mirror.sites)


def test_scrapy_crawl_one_source_by_hand(tmp_path, mirror):
    src = write_sources(tmp_path / "s.yaml")
    db = tmp_path / "manual.db"
    env = cli_env(mirror)
    subprocess.run([sys.executable, "-m", "scrapy", "crawl", "demo-chainnews-rss", "-s", f"PARKWATCH_SOURCES={src}",
                    "-s", f"PARKWATCH_DB={db}", "-s", "LOG_LEVEL=WARNING"], cwd=REPO, env=env, check=True,
                   capture_output=True)
    docs = json.loads(parkwatch("--db", db, "documents", "--format", "json", "--limit", "0").stdout)
    assert len(docs) == 15 and all(d["source"] == "demo-chainnews-rss" for d in docs)
    runs = json.loads(parkwatch("--db", db, "runs", "--format", "json").stdout)
    assert runs[0]["status"] == "ok" and runs[0]["sources"]["demo-chainnews-rss"]["new"] == 15


def test_sources_check_says_whether_each_source_yields_items(tmp_path, mirror):
    src = write_sources(tmp_path / "s.yaml", ["demo-chainnews", "demo-challenge"])
    proc = parkwatch("--db", tmp_path / "x.db", "sources", "check", "--sources", src, "--format", "json", check=False)
    rows = {r["source"]: r for r in json.loads(proc.stdout)}
    assert rows["demo-chainnews"]["verdict"] == "ok" and rows["demo-chainnews"]["items"] == 12
    assert rows["demo-challenge"]["verdict"] == "challenge-protected"
    assert rows["demo-challenge"]["why"].startswith("HTTP 412") and rows["demo-chainnews"]["why"] is None
    assert proc.returncode == 1          # not every source passed


def test_documents_listing_filters(tmp_path, mirror):
    from tests.conftest import crawl
    src = write_sources(tmp_path / "s.yaml", ["demo-chainnews"])
    db = tmp_path / "d.db"
    crawl(db, src)
    rows = json.loads(parkwatch("--db", db, "documents", "--since", "2026-01-01", "--relevance", "park",
                                "--format", "json", "--limit", "0").stdout)
    assert rows and all(r["published"] >= "2026-01-01" and r["relevance"] == "park" for r in rows)
    assert {"url", "source", "title", "published", "published_from", "attachments", "encoding", "version_count"} <= set(rows[0])
    bad = parkwatch("--db", db, "documents", "--since", "yesterday", check=False)
    assert bad.returncode == 2 and "not a date like" in bad.stderr
