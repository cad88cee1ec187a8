"""The scheduler process: APScheduler 3 with a SQLite job store of its own, synced with the
registry on start, until SIGTERM or Ctrl-C.

The job store is a separate file (<store>.jobs.sqlite): APScheduler's writes never wait
on the store's writers, and it can be deleted to start afresh. Jobs keep stable ids, and
a job whose trigger did not change keeps its stored next run time across a restart:
`add_job(replace_existing=True)` alone would compute it anew from now, silently dropping a
run missed while the scheduler was down. With `coalesce` that missed run runs once.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path

from apscheduler.events import EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import SQLAlchemyError

from db import jobs
from db.jobs import JobStatus

from . import runner
from .child import Stop
from .locks import holder, scheduler_lock_path, try_lock
from .recorder import Recorder
from .specs import JobSpec

log = logging.getLogger("parkwatch.schedule")
JOB_FUNC = "pipeline.schedule.runner:run_job"    # by reference: the job store pickles jobs


class ScheduleError(Exception):
    """The scheduler cannot start as asked: one line for the user."""


@dataclass(frozen=True)
class Settings:
    store: Path                      # the store file (absolute)
    timeout: float = 2 * 3600        # seconds a job may run
    grace: float = 30                # seconds between SIGTERM and SIGKILL
    misfire_grace: float = 86400     # a run this late still runs (once) after a restart
    workers: int = 4                 # jobs running at once

    @property
    def jobs_file(self) -> Path:
        return jobs_path(self.store)


def jobs_path(store: Path) -> Path:
    return store.with_name(store.name + ".jobs.sqlite")


def job_store(jobs_file: Path) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(url=f"sqlite:///{jobs_file}", engine_options={"connect_args": {"timeout": 30}})


@contextlib.contextmanager
def job_store_errors(jobs_file: Path):
    """A job store file that cannot be used is one line for the user, not a traceback."""
    try:
        yield
    except SQLAlchemyError as e:
        why = getattr(e, "orig", None) or e
        raise ScheduleError(f"job store {jobs_file}: {why} (move it away to start afresh: it holds only the "
                            "jobs' next run times)") from None


def same_trigger(a, b) -> bool:
    return type(a) is type(b) and str(a) == str(b) and str(getattr(a, "timezone", "")) == str(
        getattr(b, "timezone", ""))


def carried_over(stored, spec: JobSpec):
    """The stored next run time when the job's trigger is unchanged, else None (compute it anew)."""
    if stored is None or stored.next_run_time is None or not same_trigger(stored.trigger, spec.trigger):
        return None
    return stored.next_run_time


def sync(sched: BackgroundScheduler, specs: list[JobSpec], settings: Settings) -> dict[str, list[str]]:
    """Make the (paused) scheduler's jobs those of `specs`; jobs of sources gone from the registry go."""
    stored = {j.id: j for j in sched.get_jobs()}
    done: dict[str, list[str]] = {"kept": [], "new": [], "removed": []}
    for spec in specs:
        kwargs = {"job_id": spec.id, "argv": list(spec.argv), "store": str(settings.store),
                  "timeout": settings.timeout, "grace": settings.grace, "source": spec.source}
        keep = carried_over(stored.pop(spec.id, None), spec)
        extra = {"next_run_time": keep} if keep else {}
        sched.add_job(JOB_FUNC, spec.trigger, id=spec.id, name=spec.id, kwargs=kwargs, replace_existing=True,
                      coalesce=True, max_instances=1, misfire_grace_time=int(settings.misfire_grace), **extra)
        done["kept" if keep else "new"].append(spec.id)
    for job_id in stored:
        sched.remove_job(job_id)
        done["removed"].append(job_id)
    return done


def _on_missed(settings: Settings):
    def record(event):
        runner.on_store(str(settings.store), jobs.record_job, event.job_id, JobStatus.MISSED,
                        source=event.job_id.partition(":")[2] or None,
                        scheduled_for=event.scheduled_run_time.isoformat(),
                        note=f"later than the misfire grace time ({settings.misfire_grace:g} s)")
    return record


def build(settings: Settings) -> BackgroundScheduler:
    sched = BackgroundScheduler(jobstores={"default": job_store(settings.jobs_file)},
                                executors={"default": ThreadPoolExecutor(settings.workers)})
    sched.add_listener(_on_missed(settings), EVENT_JOB_MISSED)
    return sched


def _handle_signals(stop_requested) -> dict:
    """SIGTERM / SIGINT: the first asks to stop; a second kills the children without the grace period."""
    def handler(signum, _frame):
        if stop_requested.is_set():
            runner.STOP.hurry.set()
        stop_requested.set()
    return {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}


def _until_stopped(sched: BackgroundScheduler, stop_requested: threading.Event) -> None:
    sched.resume()
    while not stop_requested.wait(0.5):
        pass
    log.info("stopping: no new jobs; SIGTERM to the running ones, waiting for them")
    sched.pause()
    # detached, not emptied: the scheduler thread takes one more look at its job stores once
    # shutdown() has begun, even paused; a job due meanwhile stays due in the file for the next start
    sched.remove_jobstore("default")
    runner.STOP.stopping.set()
    sched.shutdown(wait=True)          # the job threads wait for their children and record them


def serve(specs: list[JobSpec], settings: Settings, *, on_started=None) -> int:
    """Run the scheduler until SIGTERM or Ctrl-C; then take no more jobs, forward SIGTERM to the
    running children, wait for them and record their outcomes. Returns 0."""
    recorder = Recorder(str(settings.store))     # an unusable store fails here, before anything starts
    lock_fd = try_lock(scheduler_lock_path(settings.store))
    if lock_fd is None:
        recorder.close()
        path = scheduler_lock_path(settings.store)
        raise ScheduleError(f"a scheduler is already running for {settings.store} (pid {holder(path)}, lock {path}); "
                            "two would run every job twice")
    runner.RECORDER, runner.STOP = recorder, Stop()
    stop_requested = threading.Event()
    old = _handle_signals(stop_requested)
    try:
        recorder.call(jobs.mark_lost)
        sched = build(settings)
        with job_store_errors(settings.jobs_file):
            sched.start(paused=True)
            done = sync(sched, specs, settings)
        if on_started:
            on_started(done, sched.get_jobs())
        _until_stopped(sched, stop_requested)
        return 0
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        runner.RECORDER = None
        recorder.close()
        os.close(lock_fd)
