"""The job function the scheduler calls (stored in the job store by reference, with plain
arguments): take the source's lock, run the command as a child, record the outcome."""
from __future__ import annotations

import logging
import os
import threading

from db import jobs, runs
from db.jobs import JobStatus
from db.store import open_db

from .child import Outcome, Stop, run_child
from .locks import INHERITED_ENV, holder, source_lock_path, take

log = logging.getLogger("parkwatch.schedule")
STOP = Stop()         # this scheduler process's stop request (set by its signal handlers)
RECORDER = None       # the scheduler process's store connection (recorder.py); None: one per write
_STORE = threading.Lock()

# `parkwatch crawl` exit statuses that say more than "failed"
CRAWL_EXITS = {4: JobStatus.INTERRUPTED, 6: JobStatus.LOCKED}


def status_of(out: Outcome, *, crawl: bool) -> JobStatus:
    if out.exit_code == 0:
        return JobStatus.OK
    if out.timed_out:
        return JobStatus.TIMEOUT
    if out.stopped:
        return JobStatus.INTERRUPTED
    return CRAWL_EXITS.get(out.exit_code, JobStatus.FAILED) if crawl else JobStatus.FAILED


def on_store(store: str, write, *args, **kwargs):
    """`write(db, *args, **kwargs)`: through the scheduler's recorder, or (a job run on its own) on a
    connection opened and closed for it, one at a time in this process (see recorder.py)."""
    if RECORDER is not None:
        return RECORDER.call(write, *args, **kwargs)
    with _STORE:
        db = open_db(store)
        try:
            return write(db, *args, **kwargs)
        finally:
            db.close()


def run_job(*, job_id: str, argv: list[str], store: str, timeout: float, grace: float,
            source: str | None = None) -> str:
    """One run of a job; every way it ends is a row of job_runs. Returns the status."""
    if STOP.stopping.is_set():
        on_store(store, jobs.record_job, job_id, JobStatus.CANCELLED, source=source, note="the scheduler was stopping")
        return JobStatus.CANCELLED
    locks = take(store, [source]) if source else None
    try:
        if locks and locks.busy:
            path = source_lock_path(store, source)
            note = f"another crawl of {source} is running (pid {holder(path)}, lock {path})"
            on_store(store, jobs.record_job, job_id, JobStatus.LOCKED, source=source, note=note)
            log.warning("%s skipped: %s", job_id, note)
            return JobStatus.LOCKED
        return _run(store, job_id, argv, locks, timeout=timeout, grace=grace, source=source)
    finally:
        if locks:
            locks.release()


def _run(store, job_id, argv, locks, *, timeout, grace, source) -> JobStatus:
    env, fds = None, ()
    if locks and locks.fds:
        fd = locks.fds[source]     # the child takes the very lock we hold (see locks.py)
        env, fds = {**os.environ, INHERITED_ENV: f"{source}:{fd}"}, (fd,)
    row = on_store(store, jobs.start_job, job_id, source=source, command=list(argv))
    try:
        out = run_child(argv, timeout=timeout, grace=grace, stop=STOP, env=env, pass_fds=fds,
                        on_start=lambda pid: log.info("%s started (pid %d)", job_id, pid))
    except OSError as err:             # the command itself cannot be started
        on_store(store, jobs.finish_job, row, JobStatus.FAILED, stderr_tail=f"cannot start {argv[0]}: {err}")
        log.error("%s failed: cannot start %s: %s", job_id, argv[0], err)
        return JobStatus.FAILED
    status = status_of(out, crawl=bool(source))
    on_store(store, jobs.finish_job, row, status, exit_code=out.exit_code, timed_out=out.timed_out,
             child_pid=out.pid, stderr_tail=out.stderr_tail)
    if out.exit_code < 0:              # died of a signal (SIGKILL, or SIGTERM before Scrapy's handler
        on_store(store, runs.mark_interrupted)      # was installed): its run could not be marked
    log.info("%s %s: exit %d after %.1f s%s", job_id, status, out.exit_code, out.seconds, _how(out))
    return status


def _how(out: Outcome) -> str:
    why = "timed out" if out.timed_out else "stopping" if out.stopped else ""
    return f" ({why}: SIGTERM{', then SIGKILL' if out.killed else ''})" if why else ""
