"""Scheduled jobs' outcomes: one `job_runs` row per time the scheduler ran (or could not run) a job.

The scheduler writes a row when a job starts and completes it when the job ends, so a
scheduler killed mid-job leaves a `running` row that the next start marks `lost`."""
from __future__ import annotations

import json
import os
from enum import StrEnum

from .runs import _alive
from .store import now, transaction


class JobStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"                      # the command exited 0
    FAILED = "failed"              # it exited non-zero (a crawl with failures exits 3)
    INTERRUPTED = "interrupted"    # stopped by the scheduler's own shutdown (SIGTERM forwarded)
    TIMEOUT = "timeout"            # ran past its timeout: SIGTERM, then SIGKILL
    LOCKED = "locked"              # another crawl of the source held its lock: not started
    MISSED = "missed"              # fired later than the misfire grace time: not started
    CANCELLED = "cancelled"        # due when the scheduler was stopping: not started
    LOST = "lost"                  # the scheduler died while it ran (kill -9)


def start_job(db, job_id: str, *, source: str | None, command: list[str]) -> int:
    with transaction(db):
        return db.execute("INSERT INTO job_runs (job_id, source, started_at, status, pid, command) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          [job_id, source, now(), JobStatus.RUNNING, os.getpid(),
                           json.dumps(command, ensure_ascii=False)]).lastrowid


def finish_job(db, row_id: int, status: str, *, exit_code: int | None = None, timed_out: bool = False,
               child_pid: int | None = None, stderr_tail: str | None = None) -> None:
    with transaction(db):
        db.execute("UPDATE job_runs SET status = ?, finished_at = ?, exit_code = ?, timed_out = ?, child_pid = ?, "
                   "stderr_tail = ? WHERE id = ?",
                   [status, now(), exit_code, int(timed_out), child_pid, stderr_tail, row_id])


def record_job(db, job_id: str, status: str, *, source: str | None = None, scheduled_for: str | None = None,
               note: str | None = None) -> int:
    """A job that did not start (locked, missed, cancelled): one finished row."""
    stamp = now()
    with transaction(db):
        return db.execute("INSERT INTO job_runs (job_id, source, scheduled_for, started_at, finished_at, status, pid, "
                          "stderr_tail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          [job_id, source, scheduled_for, stamp, stamp, status, os.getpid(), note]).lastrowid


def mark_lost(db) -> int:
    """Rows left `running` by a scheduler process that no longer exists."""
    stale = [r["id"] for r in db.query("SELECT id, pid FROM job_runs WHERE status = ?", [JobStatus.RUNNING])
             if r["pid"] != os.getpid() and not _alive(r["pid"])]
    if stale:
        with transaction(db):
            for row_id in stale:
                db.execute("UPDATE job_runs SET status = ?, finished_at = coalesce(finished_at, ?) WHERE id = ?",
                           [JobStatus.LOST, now(), row_id])
    return len(stale)


def last_outcomes(db) -> dict[str, dict]:
    """The latest row of each job id."""
    return {r["job_id"]: dict(r) for r in db.query(
        "SELECT * FROM job_runs WHERE id IN (SELECT max(id) FROM job_runs GROUP BY job_id)")}


def job_history(db, job_id: str | None = None, limit: int = 100) -> list[dict]:
    """Recent rows, newest first (of one job id when given)."""
    if job_id:
        return [dict(r) for r in db.query("SELECT * FROM job_runs WHERE job_id = ? ORDER BY id DESC LIMIT ?",
                                          [job_id, limit])]
    return [dict(r) for r in db.query("SELECT * FROM job_runs ORDER BY id DESC LIMIT ?", [limit])]
