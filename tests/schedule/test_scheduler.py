"""The scheduler process with second-level intervals (PARKWATCH_SCHEDULE_EVERY): a crawl that fails,
one that hangs and a cycle command that crashes do not take it down, the healthy crawl keeps
running, every outcome is recorded; SIGTERM mid-crawl stops it cleanly, the crawl's run marked
interrupted and its documents kept."""
import sqlite3
import sys
import time

from db.jobs import JobStatus

from .conftest import documents, history, local, source, start_scheduler, stop, wait_for, write_registry

CRASH = f"{sys.executable} -c \"raise RuntimeError('the cycle broke')\""


def test_failing_hanging_and_crashing_jobs_do_not_stop_the_others(tmp_path, sites, hanging):
    db = tmp_path / "s.db"
    src = write_registry(tmp_path / "sources.yaml", [
        source("edge", "http://edge.example.gov.cn/xxgk/index.html"),
        source("broken", "http://edge.example.gov.cn/gone/index.html"),   # its list page is gone: exit 3
        local("stuck", hanging.port, timeout=600),        # the request never ends: only the job timeout does
    ])
    proc = start_scheduler(db, src, "--timeout", 10, "--kill-grace", 2, mirror=sites, every=2, cycle_command=CRASH)
    try:
        def healthy_after_timeout():
            stuck = [r for r in history(db, "crawl:stuck") if r["status"] == JobStatus.TIMEOUT]
            later = [r for r in history(db, "crawl:edge") if r["status"] == JobStatus.OK
                     and stuck and r["started_at"] >= stuck[0]["finished_at"]]
            broken = [r for r in history(db, "crawl:broken") if r["finished_at"]]
            return stuck and later and broken and history(db, "cycle")
        wait_for(healthy_after_timeout, 35, proc, "a healthy crawl after the hanging one's timeout")
        assert proc.poll() is None                 # the scheduler survived them all
    finally:
        rc, err = stop(proc)
    assert rc == 0, err[-3000:]
    broken = history(db, "crawl:broken")[0]
    assert broken["status"] == JobStatus.FAILED and broken["exit_code"] == 3 and "crawling 1 source" in broken[
        "stderr_tail"]
    stuck = history(db, "crawl:stuck")[0]
    assert stuck["status"] == JobStatus.TIMEOUT and stuck["timed_out"] == 1
    assert stuck["exit_code"] != 0 and stuck["child_pid"]
    edge = history(db, "crawl:edge")
    assert edge[0]["status"] == JobStatus.OK and edge[0]["exit_code"] == 0
    assert documents(db, "edge") == 4
    cycle = history(db, "cycle")[0]
    assert cycle["status"] == JobStatus.FAILED and cycle["exit_code"] == 1
    assert "RuntimeError: the cycle broke" in cycle["stderr_tail"]
    # nothing left running, and the killed crawl's run is not left 'running' either
    assert not [r for r in history(db) if r["status"] == JobStatus.RUNNING]
    con = sqlite3.connect(db)
    assert "running" not in {s for (s,) in con.execute("SELECT status FROM runs")}
    con.close()


def test_sigterm_mid_crawl_interrupts_the_run_and_keeps_its_documents(tmp_path, sites):
    db = tmp_path / "t.db"
    src = write_registry(tmp_path / "sources.yaml", [source("slow", "http://slow.example.gov.cn/xxgk/index.html",
                                                            delay=0.4)])
    proc = start_scheduler(db, src, "--timeout", 120, "--kill-grace", 25, "--cycle", "0 3 1 1 *", mirror=sites,
                           every=1)
    try:
        wait_for(lambda: documents(db, "slow") >= 3, 30, proc, "3 documents stored")
        kept = documents(db, "slow")
    finally:
        t0 = time.monotonic()
        rc, err = stop(proc)
    assert rc == 0, err[-3000:]
    assert time.monotonic() - t0 < 25
    rows = [r for r in history(db, "crawl:slow") if r["exit_code"] is not None]
    assert rows[-1]["status"] == JobStatus.INTERRUPTED and rows[-1]["exit_code"] == 4, rows[-1]
    assert not rows[-1]["timed_out"]
    con = sqlite3.connect(db)
    assert con.execute("SELECT status FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0] == "interrupted"
    con.close()
    assert kept <= documents(db, "slow") < 30
    assert "stopping" in err
