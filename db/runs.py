"""Runs (one per crawl, ingest, extract or diff invocation), per-source state and the fetch log."""
from __future__ import annotations

import json
import os

from .store import later, now, transaction
from .vocab import RunStatus, UrlStatus


# -- runs -------------------------------------------------------------------------------------
def start_run(db, kind: str, sources: list[str] | None = None) -> int:
    mark_interrupted(db)
    with transaction(db):
        return db.execute("INSERT INTO runs (kind, started_at, status, sources, stats, pid) VALUES (?, ?, ?, ?, '{}', ?)",
                          [kind, now(), RunStatus.RUNNING, json.dumps(sources or [], ensure_ascii=False),
                           os.getpid()]).lastrowid


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted(db) -> int:
    """Runs left 'running' by a process that no longer exists (Ctrl-C, kill -9)."""
    stale = [r["id"] for r in db.query("SELECT id, pid FROM runs WHERE status = ?", [RunStatus.RUNNING])
             if r["pid"] != os.getpid() and not _alive(r["pid"])]
    if stale:
        with transaction(db):
            for run_id in stale:
                db.execute("UPDATE runs SET status = ?, finished_at = coalesce(finished_at, ?) WHERE id = ? "
                           "AND status = ?", [RunStatus.INTERRUPTED, now(), run_id, RunStatus.RUNNING])
    return len(stale)


def add_source_stats(db, run_id: int, slug: str, stats: dict) -> None:
    with transaction(db):
        data = run_stats(db, run_id)
        data[slug] = stats
        db.execute("UPDATE runs SET stats = ? WHERE id = ?", [json.dumps(data, ensure_ascii=False), run_id])


def run_stats(db, run_id: int) -> dict:
    row = db.execute("SELECT stats FROM runs WHERE id = ?", [run_id]).fetchone()
    return json.loads(row[0] or "{}") if row else {}


def finish_run(db, run_id: int, status: str = RunStatus.OK, error: str | None = None) -> None:
    with transaction(db):
        db.execute("UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?",
                   [status, now(), error, run_id])


def recent_runs(db, limit: int) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit])]


def run_row(db, run_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
    return rows[0] if rows else None


# -- sources ----------------------------------------------------------------------------------
def set_source(db, slug: str, **fields) -> None:
    fields["updated_at"] = now()
    cols = ", ".join(fields)
    updates = ", ".join(f"{k} = excluded.{k}" for k in fields)
    with transaction(db):
        db.execute(f"INSERT INTO sources (slug, {cols}) VALUES (?, {', '.join('?' * len(fields))}) "
                   f"ON CONFLICT(slug) DO UPDATE SET {updates}", [slug, *fields.values()])


def source_state(db, slug: str) -> dict:
    r = list(db.query("SELECT * FROM sources WHERE slug = ?", [slug]))
    return r[0] if r else {}


def source_states(db) -> dict[str, dict]:
    return {r["slug"]: r for r in db.query("SELECT * FROM sources")}


# -- the fetch log ----------------------------------------------------------------------------
FETCH_COLUMNS = ("run_id", "source", "url", "method", "status", "bytes", "duration_ms", "error", "reason", "final",
                 "at")


def log_fetches(db, rows: list[dict]) -> None:
    if not rows:
        return
    names = ", ".join(FETCH_COLUMNS)
    marks = ", ".join(f":{c}" for c in FETCH_COLUMNS)
    with transaction(db):
        db.conn.executemany(f"INSERT INTO fetches ({names}) VALUES ({marks})",
                            [{c: r.get(c) for c in FETCH_COLUMNS} | {"final": int(bool(r.get("final")))} for r in rows])


def run_failures(db, run_id: int, limit: int = 50) -> list[dict]:
    """Each final failure of a run once (not each retry), with its reason."""
    return [dict(f) for f in db.query(
        "SELECT source, url, status, error, reason FROM fetches WHERE run_id = ? AND final = 1 "
        "AND reason IS NOT NULL ORDER BY id LIMIT ?", [run_id, limit])]


# -- URLs that failed: remembered across runs ---------------------------------------------------
def record_failures(db, failures: list[dict], *, retry_hours: float, gone_after: int) -> None:
    """One more final failure for each (source, url, reason): the next try waits
    retry_hours × 2^(n-1) (at most 30 days); after gone_after failures in a row it is gone."""
    if not failures:
        return
    stamp = now()
    with transaction(db):
        for f in failures:
            row = db.execute("SELECT failures, first_failed FROM url_failures WHERE source = ? AND url = ?",
                             [f["source"], f["url"]]).fetchone()
            n = (row[0] if row else 0) + 1
            wait = min(30 * 24.0, retry_hours * 2 ** (n - 1))
            status = UrlStatus.GONE if n >= gone_after else UrlStatus.FAILING
            db.execute("INSERT INTO url_failures (source, url, failures, reason, status, first_failed, last_failed, "
                       "next_try) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source, url) DO UPDATE SET "
                       "failures = excluded.failures, reason = excluded.reason, status = excluded.status, "
                       "last_failed = excluded.last_failed, next_try = excluded.next_try",
                       [f["source"], f["url"], n, f["reason"], status, row[1] if row else stamp, stamp,
                        later(hours=wait)])


def url_failures(db, source: str) -> dict[str, dict]:
    return {r["url"]: dict(r) for r in db.query("SELECT * FROM url_failures WHERE source = ?", [source])}


def failing_urls(db, limit: int = 100) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM url_failures ORDER BY last_failed DESC LIMIT ?", [limit])]
