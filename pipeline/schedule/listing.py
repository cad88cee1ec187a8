"""`schedule --list`: every job with its trigger, next run time and last outcome, computed from the
triggers and the job store without starting a scheduler (nor creating a file)."""
from __future__ import annotations

import datetime as dt

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from db.jobs import last_outcomes
from db.store import StoreError, open_db

from .scheduler import Settings, carried_over, job_store, job_store_errors
from .specs import JobSpec

COLUMNS = ["id", "kind", "source", "trigger", "next_run", "state", "last_status", "last_exit_code", "last_started",
           "last_finished"]


def stored_jobs(jobs_file) -> dict:
    """The jobs of a job store file by id ({} when there is none yet)."""
    if not jobs_file.exists():
        return {}
    store = job_store(jobs_file)
    with job_store_errors(jobs_file):
        store.start(BackgroundScheduler(), "default")   # a scheduler object to attach jobs to; never started
        try:
            return {j.id: j for j in store.get_all_jobs()}
        finally:
            store.shutdown()


def _outcomes(settings: Settings) -> dict[str, dict]:
    try:
        db = open_db(settings.store, create=False)
    except StoreError:
        return {}                 # nothing stored yet: no outcomes
    try:
        return last_outcomes(db)
    finally:
        db.close()


def _iso(t: dt.datetime | None) -> str | None:
    return t.replace(microsecond=0).isoformat() if t else None


def _row(job_id, kind, source, trigger, next_run, state, last) -> dict:
    return {"id": job_id, "kind": kind, "source": source, "trigger": trigger, "next_run": _iso(next_run),
            "state": state, "last_status": last.get("status"), "last_exit_code": last.get("exit_code"),
            "last_started": last.get("started_at"), "last_finished": last.get("finished_at")}


def describe(spec: JobSpec) -> str:
    return spec.cron if isinstance(spec.trigger, CronTrigger) else str(spec.trigger)


def job_rows(specs: list[JobSpec], settings: Settings, now: dt.datetime | None = None) -> list[dict]:
    """One row per job the next start would schedule, then the stored ones it would remove.
    state: scheduled (stored, keeps its time), due (stored and past: runs once at start),
    new (not stored, or its cron changed: the next fire time from now), removed."""
    now = now or dt.datetime.now().astimezone()
    stored = stored_jobs(settings.jobs_file)
    last = _outcomes(settings)
    rows = []
    for spec in specs:
        kept = carried_over(stored.pop(spec.id, None), spec)
        if kept:
            rows.append(_row(spec.id, spec.kind, spec.source, describe(spec), kept,
                             "due" if kept <= now else "scheduled", last.get(spec.id, {})))
        else:
            rows.append(_row(spec.id, spec.kind, spec.source, describe(spec),
                             spec.trigger.get_next_fire_time(None, now), "new", last.get(spec.id, {})))
    for job_id, job in stored.items():
        kind = "crawl" if job_id.startswith("crawl:") else "cycle"
        rows.append(_row(job_id, kind, job_id.partition(":")[2] or None, str(job.trigger), None, "removed",
                         last.get(job_id, {})))
    return rows
