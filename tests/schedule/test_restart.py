"""A restart after runs were missed while the scheduler was down: a run missed within the misfire
grace time runs once (however many fire times it missed), one missed by more is recorded as
missed and not run; jobs whose source left the registry are removed; one scheduler per store."""
import datetime as dt
import time

from apscheduler.schedulers.background import BackgroundScheduler

from db.jobs import JobStatus
from pipeline.schedule.listing import stored_jobs
from pipeline.schedule.scheduler import job_store, jobs_path

from .conftest import history, list_jobs, source, start_scheduler, stop, wait_for, write_registry

YEARLY = "0 3 1 1 *"


def _set_next_run(jobs_file, **next_runs):
    """Move stored jobs' next run times (what a scheduler down at those times leaves behind)."""
    store = job_store(jobs_file)
    store.start(BackgroundScheduler(), "default")        # a scheduler object to attach jobs to, never started
    try:
        for job_id, when in next_runs.items():
            job = store.lookup_job(job_id.replace("_", ":"))
            job._modify(next_run_time=when)
            store.update_job(job)
    finally:
        store.shutdown()


def test_a_missed_run_runs_once_after_a_restart(tmp_path, sites):
    db = tmp_path / "r.db"
    now = dt.datetime.now().astimezone()
    hourly = f"{(now.minute + 30) % 60} * * * *"       # fired in each past hour; next fire ≥ 29 min away
    entries = [source("edge", "http://edge.example.gov.cn/xxgk/index.html", schedule=hourly),
               source("slow", "http://slow.example.gov.cn/xxgk/index.html", schedule=YEARLY),
               source("gone", "http://slow.example.gov.cn/xxgk/index_1.html", schedule=YEARLY)]
    src = write_registry(tmp_path / "sources.yaml", entries)
    proc = start_scheduler(db, src, "--cycle", YEARLY, mirror=sites)
    jobs_file = jobs_path(db.absolute())
    wait_for(lambda: jobs_file.exists() and len(stored_jobs(jobs_file)) == 4, 30, proc, "4 stored jobs")
    assert stop(proc)[0] == 0
    assert history(db) == []                                  # nothing was due

    # down for three hours: edge missed three hourly runs, slow its yearly run by more than the grace time
    _set_next_run(jobs_file, crawl_edge=now - dt.timedelta(hours=3, minutes=1), crawl_slow=now - dt.timedelta(days=3))
    write_registry(tmp_path / "sources.yaml", entries[:2])    # and `gone` left the registry
    listed = list_jobs(db, src, "--cycle", YEARLY)
    assert listed["crawl:edge"]["state"] == "due" and listed["crawl:gone"]["state"] == "removed"

    proc = start_scheduler(db, src, "--cycle", YEARLY, "--misfire-grace", 86400, mirror=sites)
    try:
        wait_for(lambda: [r for r in history(db, "crawl:edge") if r["finished_at"]], 30, proc, "the missed run")
        wait_for(lambda: history(db, "crawl:slow"), 10, proc, "the run missed by more than the grace time")
        second = start_scheduler(db, src, "--cycle", YEARLY, mirror=sites)   # the same store: refused
        _, err = second.communicate(timeout=60)
        assert second.returncode == 1 and "already running" in err and "Traceback" not in err
        time.sleep(3)                                          # time for a repeat, were there one
    finally:
        rc, err = stop(proc)
    assert rc == 0, err[-2000:]
    edge = history(db, "crawl:edge")
    assert [r["status"] for r in edge] == [JobStatus.OK]       # once, not three times
    slow = history(db, "crawl:slow")
    assert [r["status"] for r in slow] == [JobStatus.MISSED] and slow[0]["scheduled_for"]
    assert history(db, "cycle") == [] and history(db, "crawl:gone") == []
    listed = list_jobs(db, src, "--cycle", YEARLY)
    assert set(listed) == {"crawl:edge", "crawl:slow", "cycle"}         # `gone` was removed on start
    edge_row = listed["crawl:edge"]
    assert edge_row["state"] == "scheduled" and edge_row["last_status"] == "ok" and edge_row["last_exit_code"] == 0
    assert dt.datetime.fromisoformat(edge_row["next_run"]) > dt.datetime.now().astimezone()
    assert listed["crawl:slow"]["last_status"] == "missed"
