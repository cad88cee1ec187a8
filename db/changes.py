"""The reads a diff is made of, each as known at a moment (`as_of`: an ISO timestamp; facts learned
after it, or rows decided after it, are not known then), and the record of changes per run.

Valid time and recorded time: a fact's `effective_date` is when it was true, `first_seen` when
parkwatch learned it and `superseded_at` when a newer reading replaced it; a decision counts from
its `at`."""
from __future__ import annotations

import json

from .store import now, transaction

FAR = "9999-12-31T23:59:59+00:00"
DIFF_FIELDS = ("area_m2", "enterprises", "fund_yuan", "founded", "opened_on", "approved_on", "gov_led")


def _evidence(db, sql: str, ids: list, limit: int = 3) -> dict:
    """owner id → [{url, snippet}] (the first `limit` sentences) for a query yielding (owner, url, snippet)."""
    out: dict = {i: [] for i in ids}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        for owner, url, snip in db.execute(sql.format(marks=",".join("?" * len(part))), part):
            if len(out[owner]) < limit and all(e["url"] != url or e["snippet"] != snip for e in out[owner]):
                out[owner].append({"url": url, "snippet": snip})
    return out


def candidates(db, as_of: str | None) -> list[dict]:
    """Candidates known at `as_of` and not decided by then (a rejected one counts again when new
    evidence flagged it), with the sentences that name them."""
    t = as_of or FAR
    rows = [dict(r) for r in db.query(
        "SELECT c.id, c.candidate_key, c.name, c.province, c.city, c.status, c.flagged, c.first_seen, c.reviewed_at "
        "FROM candidates c WHERE c.first_seen <= ? AND NOT (c.status IN ('accepted', 'merged') AND c.reviewed_at <= ?) "
        "AND NOT (c.status = 'rejected' AND c.reviewed_at <= ? AND c.flagged = 0) "
        "AND EXISTS (SELECT 1 FROM mentions m WHERE m.candidate_id = c.id)", [t, t, t])]
    ev = _evidence(db, "SELECT m.candidate_id, d.url, m.snippet FROM mentions m JOIN documents d ON d.id = "
                       "m.document_id WHERE m.candidate_id IN ({marks}) ORDER BY d.first_seen, m.start",
                   [r["id"] for r in rows])
    return [{**r, "evidence": ev[r["id"]]} for r in rows]


def new_parks(db, as_of: str | None) -> list[dict]:
    """Parks made by review (accepted candidates) by `as_of`, with their evidence."""
    rows = [dict(r) for r in db.query(
        "SELECT p.id, p.name, p.province, p.city, p.created_at FROM parks p WHERE p.origin = 'detected' "
        "AND p.status = 'accepted' AND p.created_at <= ?", [as_of or FAR])]
    ev = _evidence(db, "SELECT m.park_id, d.url, m.snippet FROM mentions m JOIN documents d ON d.id = m.document_id "
                       "WHERE m.park_id IN ({marks}) ORDER BY d.first_seen, m.start", [r["id"] for r in rows])
    return [{**r, "evidence": ev[r["id"]]} for r in rows]


def figures(db, as_of: str | None) -> list[dict]:
    """Every fact of the diffed fields known at `as_of` (census, detected or accepted; not
    rejected), of known parks and of open candidates, oldest learned first."""
    t = as_of or FAR
    marks = ",".join("?" * len(DIFF_FIELDS))
    return [dict(r) for r in db.query(
        "SELECT f.id, f.park_id, f.candidate_id, f.field, f.value, f.raw, f.status, f.first_seen, f.effective_date, "
        "f.evidence, f.document_id, d.url, c.candidate_key, c.name AS candidate_name, p.name AS park_name "
        "FROM facts f LEFT JOIN documents d ON d.id = f.document_id LEFT JOIN candidates c ON c.id = f.candidate_id "
        "LEFT JOIN parks p ON p.id = f.park_id "
        f"WHERE f.field IN ({marks}) AND f.status != 'rejected' AND f.first_seen <= ? "
        "AND (f.superseded_at IS NULL OR f.superseded_at > ?) ORDER BY f.first_seen, f.id", [*DIFF_FIELDS, t, t])]


def new_records(db, table: str, link: str, owner: str, as_of: str | None) -> list[dict]:
    """Policies or funds found in documents by `as_of`, with the documents that report them."""
    rows = [dict(r) for r in db.query(f"SELECT * FROM {table} WHERE source_kind = 'document' AND first_seen <= ?",
                                      [as_of or FAR])]
    ev = _evidence(db, f"SELECT l.{owner}, d.url, l.snippet FROM {link} l JOIN documents d ON d.id = l.document_id "
                       f"WHERE l.{owner} IN ({{marks}}) ORDER BY d.first_seen", [r["id"] for r in rows])
    return [{**r, "evidence": ev[r["id"]]} for r in rows]


def gone_documents(db, as_of: str | None) -> list[dict]:
    return [dict(r) for r in db.query("SELECT id, source, url, title, gone_at FROM documents WHERE gone_at IS NOT NULL "
                                      "AND gone_at <= ?", [as_of or FAR])]


def broken_sources(db, as_of: str | None) -> list[dict]:
    """Source-health alerts open at `as_of`."""
    t = as_of or FAR
    return [dict(r) for r in db.query("SELECT * FROM alerts WHERE first_at <= ? AND (resolved_at IS NULL OR "
                                      "resolved_at > ?) ORDER BY id", [t, t])]


# -- the record of changes, per run -----------------------------------------------------------
def recorded(db) -> dict[str, dict]:
    """change_key → {run_id, first_seen} of every change recorded by a run."""
    return {r["change_key"]: {"run_id": r["run_id"], "first_seen": r["first_seen"]}
            for r in db.query("SELECT change_key, run_id, first_seen FROM changes WHERE change_key IS NOT NULL")}


def record(db, rows: list[dict], run_id: int) -> list[dict]:
    """Store the changes not recorded before under this run; returns the ones that were new."""
    stamp, fresh = now(), []
    with transaction(db):
        for r in rows:
            cur = db.execute(
                "INSERT OR IGNORE INTO changes (run_id, entity, entity_key, change, field, old, new, evidence, "
                "created_at, first_seen, change_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, r["entity"], r["key"], r["change"], r["field"], _text(r["old"]), _text(r["new"]),
                 json.dumps(r["evidence"], ensure_ascii=False), stamp, r["first_seen"], r["change_key"]])
            if cur.rowcount:
                fresh.append({**r, "run_id": run_id})
    return fresh


_NAMES = {"candidate": "SELECT name FROM candidates WHERE candidate_key = ?",
          "park": "SELECT name FROM parks WHERE id = ?", "fact": "SELECT name FROM parks WHERE id = ?",
          "policy": "SELECT title FROM policies WHERE policy_key = ?", "fund": "SELECT name FROM funds WHERE fund_key = ?"}


def of_run(db, run_id: int) -> list[dict]:
    """The changes a run recorded, each with the name of what changed (as it is named now)."""
    out = []
    for r in db.query("SELECT * FROM changes WHERE run_id = ? AND change_key IS NOT NULL ORDER BY id", [run_id]):
        sql = _NAMES.get(r["entity"])
        row = db.execute(sql, [r["entity_key"]]).fetchone() if sql else None
        out.append({"entity": r["entity"], "key": r["entity_key"], "change": r["change"], "field": r["field"],
                    "old": r["old"], "new": r["new"], "evidence": json.loads(r["evidence"] or "[]"),
                    "first_seen": r["first_seen"], "run_id": r["run_id"], "change_key": r["change_key"],
                    "name": (row[0] if row and row[0] else None) or r["entity_key"]})
    return out


def _text(v):
    return None if v is None else str(v)
