"""Source-health alerts: one open row per (source, kind) while the problem lasts (repeated with a
count), closed once with the time it recovered; and the history a check compares a run with."""
from __future__ import annotations

import json

from .store import now, transaction


def source_history(db, slug: str, before_run: int, n: int = 10) -> list[dict]:
    """The source's figures in its last `n` crawl runs before this one, newest first."""
    out = []
    for r in db.query("SELECT id, stats FROM runs WHERE kind = 'crawl' AND id < ? AND stats LIKE ? "
                      "ORDER BY id DESC LIMIT ?", [before_run, f'%"{slug}"%', n * 3]):
        fig = json.loads(r["stats"] or "{}").get(slug)
        if fig is not None:
            out.append({"run_id": r["id"], **fig})
        if len(out) >= n:
            break
    return out


def coverage(db, slug: str, run_id: int) -> dict:
    """Share of the documents stored by this run (new or changed) that have a title, a date, a body."""
    row = db.execute("SELECT count(*), sum(title IS NOT NULL AND title != ''), sum(published IS NOT NULL), "
                     "sum(body IS NOT NULL AND length(body) > 0), sum(flags LIKE '%decode%') FROM documents "
                     "WHERE source = ? AND run_id = ?", [slug, run_id]).fetchone()
    n = row[0] or 0
    return {"documents": n, "title": (row[1] or 0) / n if n else None, "published": (row[2] or 0) / n if n else None,
            "body": (row[3] or 0) / n if n else None, "decode_errors": row[4] or 0}


def open_alerts(db, slug: str | None = None) -> list[dict]:
    where, args = ("AND source = ?", [slug]) if slug else ("", [])
    return [dict(r) for r in db.query(f"SELECT * FROM alerts WHERE resolved_at IS NULL {where} ORDER BY id", args)]


def raise_alert(db, slug: str, kind: str, message: str, run_id: int) -> dict:
    """Open the alert, or count it again while it lasts."""
    stamp = now()
    with transaction(db):
        cur = db.execute("SELECT id, times FROM alerts WHERE source = ? AND kind = ? AND resolved_at IS NULL",
                         [slug, kind]).fetchone()
        if cur:
            db.execute("UPDATE alerts SET times = times + 1, last_run = ?, last_at = ?, message = ? WHERE id = ?",
                       [run_id, stamp, message, cur[0]])
            return {"id": cur[0], "source": slug, "kind": kind, "message": message, "times": cur[1] + 1}
        aid = db.execute("INSERT INTO alerts (source, kind, message, first_run, last_run, first_at, last_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", [slug, kind, message, run_id, run_id, stamp, stamp]).lastrowid
        return {"id": aid, "source": slug, "kind": kind, "message": message, "times": 1}


def resolve_alert(db, alert_id: int) -> None:
    with transaction(db):
        db.execute("UPDATE alerts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL", [now(), alert_id])
