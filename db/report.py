"""Reads for the census edition (parkwatch report): the store as it was known on a date.

`bound` is the exclusive end of the as-of day ('2026-11-21' for --as-of 2026-11-20), or None for
now. Timestamps are ISO strings, so `ts < bound` means "on or before that day" whatever the
time part. Census rows (status 'baseline') are known since the census itself, whenever they were
loaded; the time filters apply to what documents and reviews added. Reads only."""
from __future__ import annotations

REVIEWED = ("baseline", "accepted")

# when the decision now in force on a fact was made: its own decision, else its candidate's
# (accept, merge), else the candidate's review stamp, else the creation of the park it belongs to;
# first_seen when nothing recorded it (the earliest it can have been decided)
_FACT_DECIDED = """coalesce(
    (SELECT max(d.at) FROM decisions d WHERE d.kind = 'fact' AND d.target_id = f.id AND d.undone_at IS NULL
        AND d.action != 'undo'),
    (SELECT max(d.at) FROM decisions d WHERE d.kind = 'candidate' AND d.target_id = f.candidate_id
        AND d.undone_at IS NULL AND d.action != 'undo'),
    (SELECT c.reviewed_at FROM candidates c WHERE c.id = f.candidate_id AND c.status != 'new'),
    (SELECT p.created_at FROM parks p WHERE p.id = f.park_id AND p.status != 'baseline'),
    f.first_seen)"""

_CANDIDATE_DECIDED = """coalesce(
    (SELECT max(d.at) FROM decisions d WHERE d.kind = 'candidate' AND d.target_id = c.id AND d.undone_at IS NULL
        AND d.action != 'undo'),
    c.reviewed_at,
    (SELECT p.created_at FROM parks p WHERE p.id = c.park_id AND p.status != 'baseline'),
    c.last_seen)"""


def _current(alias: str, bound: str | None) -> tuple[str, list]:
    """Rows not superseded at the bound (now: not superseded at all)."""
    if bound is None:
        return f"{alias}.superseded_at IS NULL", []
    return f"({alias}.superseded_at IS NULL OR {alias}.superseded_at >= ?)", [bound]


def parks(db, bound: str | None) -> list[dict]:
    """The census parks and the parks accepted (created) before the bound."""
    sql = "SELECT * FROM parks WHERE status IN (?, ?)"
    args: list = list(REVIEWED)
    if bound is not None:
        sql += " AND (status = 'baseline' OR created_at < ?)"
        args.append(bound)
    return [dict(r) for r in db.query(sql + " ORDER BY id", args)]


def census_parks(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM parks WHERE status = 'baseline' ORDER BY id")]


def aliases(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT park_id, alias FROM park_aliases ORDER BY id")]


def reviewed_facts(db, bound: str | None) -> list[dict]:
    """Census and accepted facts of parks, as known at the bound, with their document's URL."""
    cur, args = _current("f", bound)
    sql = (f"SELECT f.*, d.url AS document_url, {_FACT_DECIDED} AS decided_at FROM facts f "
           "LEFT JOIN documents d ON d.id = f.document_id "
           f"WHERE f.park_id IS NOT NULL AND f.status IN (?, ?) AND {cur}")
    args = [*REVIEWED, *args]
    if bound is not None:
        sql += " AND (f.status = 'baseline' OR (f.first_seen < ? AND decided_at < ?))"
        args += [bound, bound]
    return [dict(r) for r in db.query(sql + " ORDER BY f.id", args)]


def census_facts(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM facts WHERE status = 'baseline' AND superseded_at IS NULL "
                                      "ORDER BY id")]


def unreviewed_facts(db, bound: str | None) -> list[dict]:
    """Facts from documents that no one had reviewed at the bound (detected, or decided later)."""
    cur, args = _current("f", bound)
    sql = (f"SELECT f.*, d.url AS document_url, {_FACT_DECIDED} AS decided_at FROM facts f "
           f"LEFT JOIN documents d ON d.id = f.document_id WHERE f.document_id IS NOT NULL AND {cur}")
    if bound is None:
        sql += " AND f.status = 'detected'"
    else:
        sql += " AND f.first_seen < ? AND (f.status = 'detected' OR decided_at >= ?)"
        args += [bound, bound]
    return [dict(r) for r in db.query(sql + " ORDER BY f.id", args)]


def unreviewed_candidates(db, bound: str | None) -> list[dict]:
    """Candidates still undecided at the bound that some document names."""
    sql = (f"SELECT c.*, {_CANDIDATE_DECIDED} AS decided_at FROM candidates c "
           "WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.candidate_id = c.id)")
    args: list = []
    if bound is None:
        sql += " AND c.status = 'new'"
    else:
        sql += " AND c.first_seen < ? AND (c.status = 'new' OR decided_at >= ?)"
        args = [bound, bound]
    return [dict(r) for r in db.query(sql + " ORDER BY c.id", args)]


def _in(ids) -> str:
    return ",".join("?" * len(ids))


def park_sources(db, park_ids: list[str], bound: str | None) -> list[dict]:
    """(park_id, url, snippet) of the documents that name these parks, directly or as the candidate
    that became or joined them, oldest first."""
    if not park_ids:
        return []
    sql = ("SELECT coalesce(m.park_id, c.park_id) AS park_id, d.url, m.snippet FROM mentions m "
           "JOIN documents d ON d.id = m.document_id LEFT JOIN candidates c ON c.id = m.candidate_id "
           f"WHERE (m.park_id IN ({_in(park_ids)}) OR c.park_id IN ({_in(park_ids)}))")
    args = [*park_ids, *park_ids]
    if bound is not None:
        sql += " AND d.first_seen < ?"
        args.append(bound)
    return [dict(r) for r in db.query(sql + " ORDER BY d.first_seen, d.id, m.start", args)]


def candidate_sources(db, candidate_ids: list[int], bound: str | None) -> list[dict]:
    if not candidate_ids:
        return []
    sql = ("SELECT m.candidate_id, d.url, m.snippet FROM mentions m JOIN documents d ON d.id = m.document_id "
           f"WHERE m.candidate_id IN ({_in(candidate_ids)})")
    args: list = list(candidate_ids)
    if bound is not None:
        sql += " AND d.first_seen < ?"
        args.append(bound)
    return [dict(r) for r in db.query(sql + " ORDER BY d.first_seen, d.id, m.start", args)]


def _linked(db, table: str, link: str, owner: str, bound: str | None, extra: str = "") -> list[dict]:
    """Rows of `table` found in documents and first seen before the bound, each with the URLs and
    snippets of its documents (first seen before the bound too)."""
    sql = f"SELECT t.*{extra} FROM {table} t WHERE t.source_kind = 'document'"
    args: list = []
    if bound is not None:
        sql += " AND t.first_seen < ?"
        args.append(bound)
    rows = {r["id"]: {**dict(r), "documents": [], "snippets": []} for r in db.query(sql + " ORDER BY t.id", args)}
    lsql = f"SELECT l.{owner} AS owner, d.url, l.snippet FROM {link} l JOIN documents d ON d.id = l.document_id"
    largs: list = []
    if bound is not None:
        lsql += " WHERE d.first_seen < ?"
        largs.append(bound)
    for r in db.query(lsql + " ORDER BY d.first_seen, d.id", largs):
        row = rows.get(r["owner"])
        if row is not None and r["url"] not in row["documents"]:
            row["documents"].append(r["url"])
            row["snippets"].append(r["snippet"])
    return list(rows.values())


def document_policies(db, bound: str | None) -> list[dict]:
    return _linked(db, "policies", "policy_documents", "policy_id", bound)


def document_funds(db, bound: str | None) -> list[dict]:
    extra = (", (SELECT name FROM parks p WHERE p.id = t.park_id) AS park_name, "
             "(SELECT name FROM candidates c WHERE c.id = t.candidate_id) AS candidate_name")
    return _linked(db, "funds", "fund_documents", "fund_id", bound, extra)


def last_change(db) -> str | None:
    """The newest first_seen of what the edition reads (facts, parks, policies, funds)."""
    return db.execute("SELECT max(t) FROM (SELECT max(first_seen) AS t FROM facts UNION ALL SELECT max(created_at) "
                      "FROM parks UNION ALL SELECT max(first_seen) FROM policies UNION ALL "
                      "SELECT max(first_seen) FROM funds)").fetchone()[0]
