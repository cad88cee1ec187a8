"""The store under concurrent writers and kill -9: a crawl of a 300-article local site while other
processes write to the same file loses nothing; a crawl killed at random moments resumes without
losing or duplicating a document, and its fetch log is there up to its last seconds."""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from crawler.mirror import server
from crawler.mirror.generate import trs_site
from tests.conftest import REPO, cli_env, crawl, parkwatch

N = 300
SLUG = "load-trs"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("load")
    trs_site(root, N, slug=SLUG, host="load.example.gov.cn")
    src = root / "sources.yaml"
    src.write_text(f"sources:\n  - slug: {SLUG}\n    kind: listing\n    start_urls: ['http://load.example.gov.cn/xxgk/"
                   f"tzgg/index.html']\n    politeness: {{download_delay: 0, concurrency: 8, timeout: 10}}\n",
                   encoding="utf-8")
    m = server.serve(root=root)
    yield m, src
    m.stop()


RAW_WRITER = textwrap.dedent("""
    import sqlite3, sys, time
    con = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
    con.execute("CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, at REAL)")
    end = time.time() + float(sys.argv[2])
    n = 0
    while time.time() < end:
        con.execute("BEGIN IMMEDIATE")
        for _ in range(20):
            con.execute("INSERT INTO scratch (at) VALUES (?)", [time.time()])
        time.sleep(0.02)            # holds the write lock a while, as a busy writer would,
        con.execute("COMMIT")
        n += 1
        time.sleep(0.01)            # and lets go of it for a moment between its transactions
    print(n)
""")

BASELINE_LOOP = textwrap.dedent("""
    import subprocess, sys, time
    end = time.time() + float(sys.argv[2])
    n = bad = 0
    while time.time() < end:
        p = subprocess.run([sys.executable, "-m", "pipeline.app", "--db", sys.argv[1], "baseline", "load"],
                           capture_output=True, text=True)
        n += 1
        bad += p.returncode != 0 or "locked" in p.stderr
    print(n, bad)
""")


def test_a_crawl_beside_two_other_writers_loses_nothing(tmp_path, site):
    m, src = site
    db = tmp_path / "busy.db"
    parkwatch("--db", db, "baseline", "load")
    env = cli_env(m)
    writers = [subprocess.Popen([sys.executable, "-c", code, str(db), "60"], cwd=REPO, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for code in (RAW_WRITER, BASELINE_LOOP)]
    time.sleep(1.0)
    proc = parkwatch("--db", db, "crawl", "--sources", src, "--format", "json", mirror=m, check=False, timeout=300)
    for w in writers:
        w.send_signal(signal.SIGTERM)
    outs = [w.communicate(timeout=60) for w in writers]
    assert "locked" not in proc.stderr and proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(DISTINCT url), count(*) FROM documents").fetchone() == (N, N)
    assert con.execute("SELECT count(*) FROM fetches WHERE reason LIKE 'write failed%'").fetchone()[0] == 0
    # the other writers wrote all along, and never failed either
    assert con.execute("SELECT count(*) FROM scratch").fetchone()[0] > 0
    assert all("locked" not in err for _, err in outs), outs


def _count(db) -> int:
    try:
        return sqlite3.connect(db, timeout=30).execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(tmp_path, site):
    m, src = site
    db = tmp_path / "killed.db"
    slow = tmp_path / "slow.yaml"
    slow.write_text(src.read_text(encoding="utf-8").replace("download_delay: 0, concurrency: 8",
                                                            "download_delay: 0.1, concurrency: 1"), encoding="utf-8")
    rnd = random.Random(int(time.time()))
    for _ in range(3):
        before = len(m.requests)
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.app", "--db", str(db), "crawl", "--sources", str(slow)],
                                cwd=REPO, env=cli_env(m), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(3.0, 6.0))
        os.kill(proc.pid, signal.SIGKILL)
        killed = time.time()
        proc.wait(timeout=30)
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every page the mirror served more than a few seconds before the kill is in the fetch log
        logged = {u for (u,) in con.execute("SELECT url FROM fetches WHERE run_id = (SELECT max(id) FROM runs)")}
        served = {"http://load.example.gov.cn" + r["path"] for r in m.requests[before:] if r["at"] < killed - 3.0}
        assert served <= logged, sorted(served - logged)[:5]
    kept = _count(db)
    assert 0 < kept < N
    out = crawl(db, src, mirror=m)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(DISTINCT url), count(*) FROM documents").fetchone() == (N, N)
    assert out["by_source"][SLUG]["new"] == N - kept
    statuses = [r for (r,) in con.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted"] * 3 + ["ok"]
