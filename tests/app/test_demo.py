"""The README's main command: `parkwatch demo` runs the whole offline cycle, with stable identities,
and its second run shows the diff of the sites a week later."""
import json
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
    # what the documents say, with the sentence that says so; the whole cycle ran
    for heading in ("new candidate parks:", "known parks with new figures:", "policies:", "funds:",
                    "source health:", "report: "):
        assert heading in out
    assert (tmp_path / "report" / "index.html").exists()
    found = con.execute("SELECT (SELECT count(*) FROM candidates), (SELECT count(*) FROM policy_documents), "
                        "(SELECT count(*) FROM fund_documents)").fetchone()
    assert all(n > 0 for n in found), found
    first_done = con.execute("SELECT max(finished_at) FROM runs").fetchone()[0]

    # the second run crawls the sites a week later: its diff is exactly what changed there
    time.sleep(1.1)                        # first-seen times of the two runs differ
    again = parkwatch("--db", db, "demo", timeout=300).stdout
    run = int(again.rsplit("parkwatch diff --run ", 1)[1].split("`")[0])
    changes = json.loads(parkwatch("--db", db, "diff", "--run", str(run), "--format", "json").stdout)
    got = sorted((c["entity"], c["change"], c["field"], c["name"]) for c in changes)
    assert [g[:3] for g in got] == [("candidate", "changed", "enterprises"), ("candidate", "new", None),
                                    ("fund", "new", None), *[("source", "vanished", "document")] * 3], got
    assert "江城链谷" in got[0][3] and (changes_by := {c["change"]: c for c in changes if c["entity"] == "candidate"})
    assert "江海链谷" in changes_by["new"]["name"] and changes_by["changed"]["new"].startswith("68")
    assert got[2][3] == "南通市区块链产业投资基金"
    assert sorted(g[3] for g in got[3:]) == ["demo-chainnews", "demo-chainnews-rss", "demo-sitemap"]
    for c in changes:
        assert {"entity", "key", "change", "field", "old", "new", "evidence", "first_seen", "run_id"} <= set(c)
        assert c["evidence"] and all(e["url"].startswith("http://") for e in c["evidence"])
    gone = con.execute("SELECT count(*) FROM documents WHERE gone_at IS NOT NULL").fetchone()[0]
    assert gone == 3 and con.execute("SELECT count(*) FROM documents WHERE url LIKE '%12336%'").fetchone()[0] == 3
    # as of the end of the first run, the diff is the first state's
    before = json.loads(parkwatch("--db", db, "diff", "--as-of", first_done, "--format", "json").stdout)
    assert not [c for c in before if "江海链谷" in (c.get("name") or "") or c["change"] == "vanished"]
    assert len([c for c in before if c["entity"] == "candidate" and c["change"] == "new"]) == found[0]

    # a third run finds nothing new and duplicates nothing
    docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    third = parkwatch("--db", db, "demo", timeout=300).stdout
    assert "changes: none" in third
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == docs


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
