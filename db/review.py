"""Review decisions in the store: what the queue shows, and the writes of accept / merge / reject /
edit / undo. Every decision is one transaction that also records each row it changed as it was
before (decisions.before), so any decision can be undone later, exactly. Rows a person decided on
are never rewritten by extraction (db/findings.py) — these are the only writes that change them."""
from __future__ import annotations

import json

from .store import content_hash, now, transaction

KINDS = {"c": "candidate", "f": "fact"}
QUEUE_STATUSES = ("new",)


# -- reads --------------------------------------------------------------------------------------
def candidate(db, cid: int) -> dict | None:
    rows = list(db.query("SELECT * FROM candidates WHERE id = ?", [cid]))
    if not rows:
        return None
    c = dict(rows[0])
    c["aliases"] = [r[0] for r in db.execute("SELECT alias FROM candidate_aliases WHERE candidate_id = ? ORDER BY id",
                                             [cid])]
    c["features"] = json.loads(c["features"]) if c.get("features") else {}
    return c


def fact(db, fid: int) -> dict | None:
    rows = list(db.query("SELECT f.*, p.name AS park_name, p.province, p.city, d.url AS document_url FROM facts f "
                         "LEFT JOIN parks p ON p.id = f.park_id LEFT JOIN documents d ON d.id = f.document_id "
                         "WHERE f.id = ?", [fid]))
    return dict(rows[0]) if rows else None


def park(db, park_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM parks WHERE id = ?", [park_id]))
    return dict(rows[0]) if rows else None


def queue_candidates(db, *, statuses=QUEUE_STATUSES, flagged: bool = True) -> list[dict]:
    """Candidates waiting for a decision (and rejected ones that new evidence brought back), with
    the counts the queue's confidence is made of — grouped once, not counted per candidate."""
    marks = ",".join("?" * len(statuses))
    again = " OR (c.status = 'rejected' AND c.flagged = 1)" if flagged else ""
    return [dict(r) for r in db.query(
        "WITH m AS (SELECT candidate_id, count(DISTINCT document_id) AS n_documents, count(event) AS n_events "
        "           FROM mentions WHERE candidate_id IS NOT NULL GROUP BY candidate_id), "
        "     f AS (SELECT candidate_id, count(*) AS n_figures FROM facts WHERE candidate_id IS NOT NULL "
        "           AND superseded_at IS NULL AND field IN ('area_m2', 'enterprises', 'fund_yuan') GROUP BY candidate_id) "
        "SELECT c.id, c.name, c.province, c.city, c.district, c.type, c.status, c.flagged, c.score, "
        "m.n_documents, m.n_events, coalesce(f.n_figures, 0) AS n_figures "
        "FROM candidates c JOIN m ON m.candidate_id = c.id LEFT JOIN f ON f.candidate_id = c.id "
        f"WHERE c.status IN ({marks}){again}", list(statuses))]


def queue_facts(db) -> list[dict]:
    """New values that documents give for known parks, not reviewed yet, with how surely their
    document's name was resolved to the park."""
    return [dict(r) for r in db.query(
        "WITH best AS (SELECT document_id, park_id, max(score) AS score FROM mentions WHERE park_id IS NOT NULL "
        "              GROUP BY document_id, park_id) "
        "SELECT f.id, f.park_id, f.field, f.value, f.raw, f.status, f.evidence, p.name AS park_name, p.province, "
        "p.city, d.url AS document_url, best.score AS match_score "
        "FROM facts f JOIN parks p ON p.id = f.park_id JOIN documents d ON d.id = f.document_id "
        "LEFT JOIN best ON best.document_id = f.document_id AND best.park_id = f.park_id "
        "WHERE f.status = 'detected' AND f.superseded_at IS NULL ORDER BY f.id")]


def evidence_of_candidates(db, ids: list[int], limit: int = 3) -> dict[int, list[dict]]:
    """candidate id → its first `limit` sentences [{url, snippet}], for many candidates at once."""
    out: dict[int, list[dict]] = {i: [] for i in ids}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        for cid, url, snip in db.execute(
                f"SELECT m.candidate_id, d.url, m.snippet FROM mentions m JOIN documents d ON d.id = m.document_id "
                f"WHERE m.candidate_id IN ({','.join('?' * len(part))}) ORDER BY d.first_seen, m.start", part):
            got = out[cid]
            if len(got) < limit and all(e["url"] != url or e["snippet"] != snip for e in got):
                got.append({"url": url, "snippet": snip})
    return out


def candidate_evidence(db, cid: int, limit: int = 20) -> list[dict]:
    """The sentences that name the candidate: document, URL, the name as written and its span."""
    return [dict(r) for r in db.query(
        "SELECT m.document_id, d.url, d.title, m.text, m.start, m.end, m.snippet, m.event, m.event_date, "
        "m.method, m.score FROM mentions m JOIN documents d ON d.id = m.document_id WHERE m.candidate_id = ? "
        "ORDER BY d.first_seen, m.start LIMIT ?", [cid, limit])]


def facts_of(db, *, candidate_id: int | None = None, park_id: str | None = None) -> list[dict]:
    col, val = ("candidate_id", candidate_id) if candidate_id is not None else ("park_id", park_id)
    return [dict(r) for r in db.query(
        f"SELECT f.*, d.url AS document_url FROM facts f LEFT JOIN documents d ON d.id = f.document_id "
        f"WHERE f.{col} = ? AND f.superseded_at IS NULL AND f.status != 'rejected' ORDER BY f.field, f.id", [val])]


def park_figures(db, park_ids: list[str]) -> dict[str, dict]:
    """park id → {field: value} of its current baseline or accepted facts (for side-by-side views)."""
    out: dict[str, dict] = {p: {} for p in park_ids}
    if park_ids:
        marks = ",".join("?" * len(park_ids))
        for r in db.query(f"SELECT park_id, field, value, raw FROM facts WHERE park_id IN ({marks}) AND "
                          "status IN ('baseline', 'accepted') AND superseded_at IS NULL ORDER BY status, id", park_ids):
            out[r["park_id"]][r["field"]] = r["raw"]
    return out


def decisions(db, *, limit: int = 50, target: tuple[str, int] | None = None) -> list[dict]:
    where, args = ("WHERE kind = ? AND target_id = ?", list(target)) if target else ("", [])
    return [dict(r) for r in db.query(f"SELECT * FROM decisions {where} ORDER BY id DESC LIMIT ?", [*args, limit])]


def decision(db, did: int) -> dict | None:
    rows = list(db.query("SELECT * FROM decisions WHERE id = ?", [did]))
    return dict(rows[0]) if rows else None


def last_decision(db, reviewer: str | None = None) -> dict | None:
    where, args = ("AND reviewer = ?", [reviewer]) if reviewer else ("", [])
    rows = list(db.query(f"SELECT * FROM decisions WHERE undone_at IS NULL AND action != 'undo' {where} "
                         "ORDER BY id DESC LIMIT 1", args))
    return dict(rows[0]) if rows else None


def next_park_id(db) -> str:
    ids = [r[0] for r in db.execute("SELECT id FROM parks WHERE id GLOB 'p[0-9]*'")]
    return f"p{max((int(i[1:]) for i in ids), default=0) + 1:03d}"


def park_with_key(db, name_key: str) -> str | None:
    row = db.execute("SELECT id FROM parks WHERE name_key = ?", [name_key]).fetchone()
    return row[0] if row else None


# -- the recorder: every write of a decision remembers the row as it was ------------------------
_KEYS = {"candidates": "id", "facts": "id", "parks": "id", "park_aliases": "id", "mentions": "id"}


class Recorder:
    def __init__(self, db):
        self.db, self.touched = db, []

    def _row(self, table: str, key) -> dict | None:
        rows = list(self.db.query(f"SELECT * FROM {table} WHERE {_KEYS[table]} = ?", [key]))
        return dict(rows[0]) if rows else None

    def update(self, table: str, key, changes: dict) -> None:
        before = self._row(table, key)
        if before is None:
            return
        self.touched.append({"table": table, "key": key, "row": before})
        sets = ", ".join(f"{k} = ?" for k in changes)
        self.db.execute(f"UPDATE {table} SET {sets} WHERE {_KEYS[table]} = ?", [*changes.values(), key])

    def insert(self, table: str, row: dict, *, ignore: bool = False) -> object:
        cols = list(row)
        cur = self.db.execute(f"INSERT {'OR IGNORE ' if ignore else ''}INTO {table} ({', '.join(cols)}) "
                              f"VALUES ({', '.join('?' * len(cols))})", list(row.values()))
        if cur.rowcount:
            key = row.get(_KEYS[table], cur.lastrowid)
            self.touched.append({"table": table, "key": key, "row": None})
            return key
        return None


def _ids(db, sql: str, args: list) -> list:
    return [r[0] for r in db.execute(sql, args)]


def decide(db, *, kind: str, target_id: int, action: str, reviewer: str, reason: str | None, writes) -> dict:
    """Run `writes(recorder)` and record the decision with every row it changed, in one transaction.
    `writes` returns the park the decision made or joined (or None) and a summary dict."""
    with transaction(db):
        rec = Recorder(db)
        park_id, after = writes(rec)
        cur = db.execute("INSERT INTO decisions (kind, target_id, action, park_id, reviewer, reason, before, after, at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [kind, target_id, action, park_id, reviewer, reason,
                          json.dumps(rec.touched, ensure_ascii=False, default=str),
                          json.dumps(after, ensure_ascii=False, default=str), now()])
        return {"decision": cur.lastrowid, "kind": kind, "target": target_id, "action": action, "park_id": park_id,
                **after}


# -- the writes of each decision ----------------------------------------------------------------
def adopt_candidate_rows(rec: Recorder, cid: int, park_id: str, stamp: str) -> int:
    """The candidate's current facts and mentions become the park's (its facts accepted, keyed as
    the park's, so a rerun of extraction finds them again instead of adding a copy)."""
    db = rec.db
    n = 0
    for fid, key in db.execute("SELECT id, fact_key FROM facts WHERE candidate_id = ? AND superseded_at IS NULL "
                               "AND status = 'detected'", [cid]).fetchall():
        rec.update("facts", fid, {"park_id": park_id, "status": "accepted",
                                  "fact_key": key.replace(f"|c:{cid}|", f"|p:{park_id}|")})
        n += 1
    for mid in _ids(db, "SELECT id FROM mentions WHERE candidate_id = ?", [cid]):
        rec.update("mentions", mid, {"park_id": park_id})
    return n


def add_aliases(rec: Recorder, park_id: str, aliases: list[tuple[str, str]], ref: str) -> int:
    return sum(rec.insert("park_aliases", {"park_id": park_id, "alias": a, "alias_key": k, "source_kind": "review",
                                           "source_ref": ref}, ignore=True) is not None for a, k in aliases)


def new_park(rec: Recorder, row: dict) -> str:
    stamp = now()
    full = {"status": "accepted", "origin": "detected", "gov_led": 0, **row, "created_at": stamp, "updated_at": stamp}
    full["content_hash"] = content_hash({k: v for k, v in full.items() if k not in ("created_at", "updated_at")})
    rec.insert("parks", full)
    return row["id"]


def set_candidate(rec: Recorder, cid: int, **changes) -> None:
    rec.update("candidates", cid, changes)


def set_fact(rec: Recorder, fid: int, **changes) -> None:
    rec.update("facts", fid, changes)


def set_park(rec: Recorder, park_id: str, **changes) -> None:
    rec.update("parks", park_id, {**changes, "updated_at": now()})


def candidate_facts_status(rec: Recorder, cid: int, status: str) -> None:
    for fid in _ids(rec.db, "SELECT id FROM facts WHERE candidate_id = ? AND superseded_at IS NULL AND "
                            "status = 'detected'", [cid]):
        rec.update("facts", fid, {"status": status})


def edited_fact(rec: Recorder, *, park_id: str | None, candidate_id: int | None, field: str, value, unit: str,
                reviewer: str) -> None:
    """A value typed by a reviewer: a fact of its own (source review), accepted."""
    stamp = now()
    target = f"p:{park_id}" if park_id else f"c:{candidate_id}"
    row = {"fact_key": f"review:{target}|{field}|{stamp}", "park_id": park_id, "candidate_id": candidate_id,
           "field": field, "value": value, "low": value, "high": value, "unit": unit, "qualifier": "exact",
           "raw": str(value), "source_kind": "review", "source_ref": reviewer, "evidence": f"edited by {reviewer}",
           "status": "accepted", "effective_date": stamp[:10], "first_seen": stamp, "last_seen": stamp,
           "content_hash": content_hash([field, value, unit])}
    rec.insert("facts", row)


# -- undo ---------------------------------------------------------------------------------------
def later_conflicts(db, d: dict) -> list[int]:
    """Decisions after `d`, not undone, that changed one of the rows `d` changed."""
    mine = {(t["table"], str(t["key"])) for t in json.loads(d["before"])}
    out = []
    for r in db.query("SELECT id, before FROM decisions WHERE id > ? AND undone_at IS NULL AND action != 'undo'",
                      [d["id"]]):
        if mine & {(t["table"], str(t["key"])) for t in json.loads(r["before"])}:
            out.append(r["id"])
    return out


def _release(db, park_id: str, cid: int) -> None:
    """Rows that extraction gave the park after it was made (mentions and readings of later
    documents) go back to the candidate it was made from, so removing the park loses nothing."""
    db.execute("UPDATE mentions SET park_id = NULL, candidate_id = ? WHERE park_id = ?", [cid, park_id])
    db.execute("UPDATE facts SET park_id = NULL, candidate_id = ?, fact_key = replace(fact_key, ?, ?) "
               "WHERE park_id = ?", [cid, f"|p:{park_id}|", f"|c:{cid}|", park_id])


def undo(db, d: dict, reviewer: str, reason: str | None) -> dict:
    """Put back every row decision `d` changed (rows it made are removed), in reverse order, and
    record the undo as a decision of its own."""
    with transaction(db):
        for t in reversed(json.loads(d["before"])):
            table, key, row = t["table"], t["key"], t["row"]
            if row is None and table == "parks" and d["kind"] == "candidate":
                _release(db, key, d["target_id"])
            if row is None:
                db.execute(f"DELETE FROM {table} WHERE {_KEYS[table]} = ?", [key])
            else:
                cols = [c for c in row if c != _KEYS[table]]
                db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE {_KEYS[table]} = ?",
                           [*(row[c] for c in cols), key])
        stamp = now()
        db.execute("UPDATE decisions SET undone_at = ? WHERE id = ?", [stamp, d["id"]])
        cur = db.execute("INSERT INTO decisions (kind, target_id, action, park_id, reviewer, reason, before, after, at, "
                         "undo_of) VALUES (?, ?, 'undo', ?, ?, ?, '[]', ?, ?, ?)",
                         [d["kind"], d["target_id"], d["park_id"], reviewer, reason,
                          json.dumps({"undid": d["action"]}), stamp, d["id"]])
        return {"decision": cur.lastrowid, "undid": d["id"], "action": d["action"], "kind": d["kind"],
                "target": d["target_id"]}
