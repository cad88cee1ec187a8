"""The README's main command: `parkwatch demo` runs the whole offline cycle, with stable identities."""
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import REPO, cli_env, parkwatch


def _per_source(db):
    con = sqlite3.connect(db)
    return dict(con.execute("SELECT source, count(*) FROM documents GROUP BY source"))


def test_demo_end_to_end(tmp_path):
    db = tmp_path / "demo.db"
    out = parkwatch("--db", db, "demo", timeout=300).stdout
    assert "census: 44 parks, 23 government-led" in out
    per_source = _per_source(db)
    assert per_source["demo-gxt-trs"] == 33 and per_source["demo-fgw-hanweb"] == 40
    assert set(per_source) >= {"demo-chainnews", "demo-chainnews-rss", "demo-sitemap", "demo-gov-search",
                               "demo-broken"}
    con = sqlite3.connect(db)
    status = dict(con.execute("SELECT slug, status FROM sources"))
    assert status["demo-challenge"] == "challenge-protected"
    # what the documents say, with the sentence that says so
    for heading in ("new candidate parks:", "known parks with new figures:", "policies:", "funds:"):
        assert heading in out
    found = con.execute("SELECT (SELECT count(*) FROM candidates), (SELECT count(*) FROM policy_documents), "
                        "(SELECT count(*) FROM fund_documents)").fetchone()
    assert all(n > 0 for n in found), found
    # a second demo run finds nothing new: the sites keep their own URLs whatever the mirror's port
    again = parkwatch("--db", db, "demo", timeout=300).stdout
    assert _per_source(db) == per_source
    assert "census: 44 parks" in again
    assert con.execute("SELECT count(*) FROM candidates").fetchone()[0] == found[0]


def test_two_demos_at_once_never_duplicate_the_store(tmp_path):
    db = tmp_path / "twice.db"
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.app", "--db", str(db), "demo"], cwd=REPO,
                              env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) - count(DISTINCT source || url) FROM documents").fetchone()[0] == 0
    assert _per_source(db)["demo-gxt-trs"] == 33


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_demo_serve_stops_on_a_signal(tmp_path, sig):
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.app", "--db", str(tmp_path / "s.db"), "demo", "--serve"],
                            cwd=REPO, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    for line in proc.stdout:
        if "serving the mirror" in line or time.time() > deadline:
            break
    try:
        proc.send_signal(sig)
        t = time.time()
        proc.wait(timeout=10)
        assert time.time() - t < 5 and proc.returncode == 0
    finally:                               # never leave a mirror serving after the test
        if proc.poll() is None:
            proc.kill()
            proc.wait()
