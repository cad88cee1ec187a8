"""Runs (one per crawl, extract or diff invocation) and per-source state."""
from __future__ import annotations

import json
import os

from db.store import now


def start_run(db, kind: str, sources: list[str] | None = None) -> int:
    mark_interrupted(db)
    return db.execute("INSERT INTO runs (kind, started_at, status, sources, stats, pid) VALUES (?, ?, 'running', ?, '{}', ?)",
                      [kind, now(), json.dumps(sources or [], ensure_ascii=False), os.getpid()]).lastrowid


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
    n = 0
    for r in list(db.query("SELECT id, pid FROM runs WHERE status = 'running'")):
        if r["pid"] != os.getpid() and not _alive(r["pid"]):
            db.execute("UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE id = ?",
                       [now(), r["id"]])
            n += 1
    return n


def add_source_stats(db, run_id: int, slug: str, stats: dict) -> None:
    with db.atomic():
        row = db.execute("SELECT stats FROM runs WHERE id = ?", [run_id]).fetchone()
        data = json.loads(row[0] or "{}") if row else {}
        data[slug] = stats
        db.execute("UPDATE runs SET stats = ? WHERE id = ?", [json.dumps(data, ensure_ascii=False), run_id])


def finish_run(db, run_id: int, status: str = "ok", error: str | None = None) -> None:
    db.execute("UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?", [status, now(), error, run_id])


def set_source(db, slug: str, **fields) -> None:
    fields["updated_at"] = now()
    cols = ", ".join(fields)
    updates = ", ".join(f"{k} = excluded.{k}" for k in fields)
    db.execute(f"INSERT INTO sources (slug, {cols}) VALUES (?, {', '.join('?' * len(fields))}) "
               f"ON CONFLICT(slug) DO UPDATE SET {updates}", [slug, *fields.values()])


def source_state(db, slug: str) -> dict:
    r = list(db.query("SELECT * FROM sources WHERE slug = ?", [slug]))
    return r[0] if r else {}


def log_fetches(db, rows: list[dict]) -> None:
    if not rows:
        return
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO fetches (run_id, source, url, method, status, bytes, duration_ms, error, at) "
            "VALUES (:run_id, :source, :url, :method, :status, :bytes, :duration_ms, :error, :at)", rows)
