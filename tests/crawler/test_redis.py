"""Distributed crawling with scrapy-redis and a real Redis: several processes share one request
queue and duplicate filter, and `parkwatch ingest` stores what they found, once each."""
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, cli_env, parkwatch, write_sources

NEWS = "demo-chainnews"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    exe = shutil.which("redis-server")
    if not exe:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    d = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(d)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis
    r = redis.Redis(port=port)
    for _ in range(100):
        try:
            r.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait()


def _start(db, src, url, *extra):
    env = cli_env()
    return subprocess.Popen([sys.executable, "-m", "pipeline.app", "--db", str(db), "crawl", NEWS, "--sources",
                             str(src), "--redis", url, "--format", "json", *extra], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def test_processes_share_one_queue_and_ingest_stores_each_article_once(tmp_path, mirror, redis_url):
    src = write_sources(tmp_path / "s.yaml", [NEWS],
                        **{NEWS: {"politeness": {"download_delay": 0.15, "concurrency": 1, "timeout": 5}}})
    before = len(mirror.requests)
    seeder = _start(tmp_path / "w0.db", src, redis_url)
    time.sleep(1.5)
    workers = [_start(tmp_path / f"w{i}.db", src, redis_url, "--worker") for i in (1, 2)]
    outs = [json.loads(p.communicate(timeout=120)[0]) for p in [seeder, *workers]]
    queued = [o["sources"][0]["queued"] for o in outs]
    assert sum(queued) == 34
    assert sum(1 for q in queued if q) >= 2            # the work was shared
    articles = [r["path"] for r in mirror.requests[before:] if r["site"] == NEWS and r["path"].startswith("/news/20")]
    assert len(articles) == len(set(articles)) == 34   # each article fetched once across processes

    store = tmp_path / "store.db"
    res = json.loads(parkwatch("--db", store, "ingest", NEWS, "--sources", src, "--redis", redis_url,
                               "--format", "json").stdout)
    assert res == [{"source": NEWS, "new": 34}]
    con = sqlite3.connect(store)
    assert con.execute("SELECT count(DISTINCT url), count(*) FROM documents").fetchone() == (34, 34)

    # the duplicate filter in Redis persists: a second crawl re-reads the lists only
    again = json.loads(_start(tmp_path / "w0.db", src, redis_url).communicate(timeout=120)[0])
    assert again["sources"][0]["queued"] == 0


def test_worker_needs_redis(tmp_path):
    proc = parkwatch("--db", tmp_path / "x.db", "crawl", "--worker", check=False)
    assert proc.returncode == 2 and "--worker needs --redis" in proc.stderr


def test_ingest_reports_an_unreachable_redis(tmp_path, mirror):
    src = write_sources(tmp_path / "s.yaml", [NEWS])
    proc = parkwatch("--db", tmp_path / "x.db", "ingest", "--sources", src, "--redis", "redis://127.0.0.1:1/0",
                     check=False)
    assert proc.returncode == 1 and "Redis redis://127.0.0.1:1/0" in proc.stderr and "Traceback" not in proc.stderr


def test_crawl_with_an_unreachable_redis_is_one_line_and_writes_nothing(tmp_path):
    db = tmp_path / "x.db"
    src = write_sources(tmp_path / "s.yaml", [NEWS])
    proc = parkwatch("--db", db, "crawl", "--sources", src, "--redis", "redis://127.0.0.1:1/0", check=False)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1                  # one line
    assert "Redis redis://127.0.0.1:1/0" in proc.stderr and "Traceback" not in proc.stderr
    assert "ingest" not in proc.stdout and not db.exists()
