"""One crawl of a source at a time: a source whose lock is held (by a scheduled crawl or another
`parkwatch crawl`) is skipped with one line and exit status 6, by the crawl command and by the
scheduler's job runner alike; the scheduler's crawl child holds the lock it was handed."""
import os
import sqlite3
import sys
import threading

import pytest

from db.jobs import JobStatus
from pipeline.schedule import runner
from pipeline.schedule.locks import source_lock_path, take
from pipeline.schedule.recorder import Recorder
from tests.conftest import parkwatch

from .conftest import documents, history, source, wait_for, write_registry


def _registry(tmp_path, slow_delay=0):
    return write_registry(tmp_path / "sources.yaml", [
        source("edge", "http://edge.example.gov.cn/xxgk/index.html"),
        source("slow", "http://slow.example.gov.cn/xxgk/index.html", delay=slow_delay)])


def _run_sources(db) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [s for (s,) in con.execute("SELECT sources FROM runs ORDER BY id")]
    finally:
        con.close()


@pytest.fixture
def recorder(tmp_path, monkeypatch):
    """The job runner in this process as in the scheduler's: its writes through one Recorder."""
    db = tmp_path / "j.db"
    rec = Recorder(str(db))
    monkeypatch.setattr(runner, "RECORDER", rec)
    yield db
    rec.close()


def test_a_locked_source_is_skipped_by_the_crawl_command(tmp_path, sites):
    db, src = tmp_path / "l.db", _registry(tmp_path)
    held = take(db, ["edge"])
    try:
        alone = parkwatch("--db", db, "crawl", "edge", "--sources", src, check=False, mirror=sites)
        both = parkwatch("--db", db, "crawl", "edge", "slow", "--sources", src, "--no-extract", check=False,
                         mirror=sites)
    finally:
        held.release()
    assert alone.returncode == 6 and "Traceback" not in alone.stderr
    skipped = [ln for ln in alone.stderr.splitlines() if ln.startswith("skipped")]
    assert skipped == [f"skipped edge: another crawl of it is running (pid {os.getpid()}, lock "
                       f"{source_lock_path(db, 'edge')})"]
    assert both.returncode == 6 and "skipped edge" in both.stderr
    assert _run_sources(db) == ['["slow"]']                   # the free source was crawled, the locked one not
    again = parkwatch("--db", db, "crawl", "edge", "--sources", src, check=False, mirror=sites)
    assert again.returncode == 0, again.stderr                # released: crawled now


def test_the_job_runner_skips_a_locked_source(recorder):
    db = recorder
    held = take(db, ["edge"])
    try:
        status = runner.run_job(job_id="crawl:edge", argv=[sys.executable, "-c", "raise SystemExit(9)"],
                                store=str(db), timeout=30, grace=1, source="edge")
    finally:
        held.release()
    assert status == JobStatus.LOCKED
    [row] = history(db, "crawl:edge")
    assert row["status"] == JobStatus.LOCKED and "another crawl of edge is running" in row["stderr_tail"]
    assert row["exit_code"] is None and row["child_pid"] is None          # nothing was started


def test_a_manual_crawl_is_refused_while_a_scheduled_one_runs(recorder, tmp_path, sites, monkeypatch):
    """While the job runner's crawl child runs (under the lock it was handed), a manual crawl of the
    same source is refused; the scheduled one finishes normally."""
    db, src = recorder, _registry(tmp_path, slow_delay=0.3)
    for k, v in sites.env().items():
        monkeypatch.setenv(k, v)                                 # the child reaches the mirror
    argv = [sys.executable, "-m", "pipeline.app", "--db", str(db), "crawl", "slow", "--sources", src, "--no-extract"]
    job = threading.Thread(target=runner.run_job, kwargs=dict(job_id="crawl:slow", argv=argv, store=str(db),
                                                              timeout=60, grace=5, source="slow"))
    job.start()
    try:
        wait_for(lambda: documents(db, "slow") > 0, 30, what="the scheduled crawl under way")
        manual = parkwatch("--db", db, "crawl", "slow", "--sources", src, check=False, mirror=sites)
    finally:
        job.join(60)
    assert manual.returncode == 6 and "skipped slow" in manual.stderr
    [row] = history(db, "crawl:slow")
    assert row["status"] == JobStatus.OK and row["exit_code"] == 0, row   # the child crawled under the inherited lock
    assert documents(db, "slow") == 30
