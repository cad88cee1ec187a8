"""What the extraction stage found in documents: candidates, mentions, facts, policies and funds,
with their evidence. Every write of one document's findings is one transaction; rows a person
decided on (a candidate's status, a reviewed fact) are never rewritten here."""
from __future__ import annotations

import json

from .store import content_hash, now, transaction

CANDIDATE_INDEXED = ("new", "rejected")   # accepted and merged ones are parks now


# -- reads ------------------------------------------------------------------------------------
def documents_to_extract(db, *, version: str, rerun: bool = False, since: str | None = None,
                         ids: list[int] | None = None):
    """Documents whose findings are missing or older than `version` (all with rerun), oldest first."""
    where = ["flags IS NULL", "body IS NOT NULL"]
    args: list = []
    if not rerun:
        where.append("(extractor_version IS NULL OR extractor_version != ?)")
        args.append(version)
    if since:
        where.append("published >= ?")
        args.append(since)
    if ids is not None:
        where.append(f"id IN ({','.join('?' * len(ids))})")
        args += list(ids)
    sql = ("SELECT id, source, url, title, body, published, doc_number, issuer FROM documents "
           f"WHERE {' AND '.join(where)} ORDER BY first_seen, id")
    yield from db.query(sql, args)


def indexed_candidates(db) -> list[dict]:
    marks = ",".join("?" * len(CANDIDATE_INDEXED))
    # a new candidate that no document names any more (a rerun took it back) is not matched against
    rows = {r["id"]: {**dict(r), "aliases": []} for r in
            db.query(f"SELECT * FROM candidates c WHERE status IN ({marks}) AND (status != 'new' OR EXISTS "
                     "(SELECT 1 FROM mentions m WHERE m.candidate_id = c.id))", CANDIDATE_INDEXED)}
    for a in db.query("SELECT candidate_id, alias FROM candidate_aliases ORDER BY id"):
        if a["candidate_id"] in rows:
            rows[a["candidate_id"]]["aliases"].append(a["alias"])
    return list(rows.values())


# -- one document's findings --------------------------------------------------------------------
def write_findings(db, doc_id: int, *, label: str, reason: dict, parks: list[dict], policies: list[dict],
                   funds: list[dict], version: str) -> None:
    """Replace one document's derived rows by what the extraction found now (one transaction).

    parks: [{candidate: {key, name, province, city, district, type, score, features, aliases} | None,
             park_id, mentions: [row], facts: [row]}]"""
    stamp = now()
    with transaction(db):
        db.execute("DELETE FROM mentions WHERE document_id = ?", [doc_id])
        produced = []
        for i, p in enumerate(parks):
            cand_id = _candidate(db, p["candidate"], stamp, version, doc_id) if p.get("candidate") else None
            for m in p["mentions"]:
                _insert(db, "mentions", {**m, "document_id": doc_id, "entity": i, "park_id": p.get("park_id"),
                                         "candidate_id": cand_id, "extractor_version": version,
                                         "created_at": stamp})
            for f in p["facts"]:
                produced.append(_fact(db, doc_id, p.get("park_id"), cand_id, f, stamp, version))
        _supersede_others(db, doc_id, produced, stamp)
        for pol in policies:
            _policy(db, doc_id, pol, stamp, version)
        for fund in funds:
            _fund(db, doc_id, fund, stamp, version)
        db.execute("UPDATE documents SET class = ?, class_reason = ?, extracted_at = ?, extractor_version = ? "
                   "WHERE id = ?", [label, json.dumps(reason, ensure_ascii=False), stamp, version, doc_id])


def _insert(db, table: str, row: dict) -> int:
    cols = list(row)
    return db.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                      [_plain(row[c]) for c in cols]).lastrowid


def _plain(v):
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v


def _candidate(db, c: dict, stamp: str, version: str, doc_id: int) -> int:
    """The candidate of this key, made when new; its name and status stay as first set (a
    reviewer's decision is never undone here), only last_seen and the evidence move."""
    row = db.execute("SELECT id, status, reviewed_at FROM candidates WHERE candidate_key = ?", [c["key"]]).fetchone()
    if row:
        cid = row[0]
        db.execute("UPDATE candidates SET last_seen = ?, extractor_version = ?, "
                   "score = coalesce(?, score), features = coalesce(?, features) WHERE id = ?",
                   [stamp, version, c.get("score"), _plain(c.get("features")), cid])
        if row[1] == "rejected":   # a document first seen after the rejection brings it back, flagged
            db.execute("UPDATE candidates SET flagged = 1 WHERE id = ? AND EXISTS (SELECT 1 FROM documents "
                       "WHERE id = ? AND first_seen > ?)", [cid, doc_id, row[2] or ""])
    else:
        cid = _insert(db, "candidates", {"candidate_key": c["key"], "name": c["name"], "province": c["province"],
                                         "city": c["city"], "district": c["district"], "type": c["type"],
                                         "score": c.get("score"), "features": c.get("features"),
                                         "first_seen": stamp, "last_seen": stamp, "extractor_version": version})
    for alias, key in c.get("aliases", []):
        db.execute("INSERT OR IGNORE INTO candidate_aliases (candidate_id, alias, alias_key) VALUES (?, ?, ?)",
                   [cid, alias, key])
    return cid


def _fact(db, doc_id, park_id, cand_id, f: dict, stamp: str, version: str) -> str:
    """One figure of one park in one document, keyed so a rerun finds it again. A changed value
    supersedes the old row (kept, with superseded_at) unless a person reviewed that row: then both
    stay, and the new value waits for review."""
    target = f"p:{park_id}" if park_id else f"c:{cand_id}"
    key = f"doc:{doc_id}|{target}|{f['field']}"
    h = content_hash({k: f.get(k) for k in ("value", "low", "high", "unit", "qualifier", "raw")})
    cur = db.execute("SELECT id, content_hash, status FROM facts WHERE fact_key = ? AND superseded_at IS NULL",
                     [key]).fetchone()
    if cur and cur[1] == h:
        db.execute("UPDATE facts SET last_seen = ?, extractor_version = ? WHERE id = ?", [stamp, version, cur[0]])
        return key
    if cur and cur[2] == "detected":
        db.execute("UPDATE facts SET superseded_at = ? WHERE id = ?", [stamp, cur[0]])
    elif cur:
        key = f"{key}|{h[:8]}"
    _insert(db, "facts", {**f, "fact_key": key, "park_id": park_id, "candidate_id": cand_id,
                          "source_kind": "document", "source_ref": str(doc_id), "document_id": doc_id,
                          "status": "detected", "extractor_version": version, "content_hash": h,
                          "first_seen": stamp, "last_seen": stamp})
    return key


def _supersede_others(db, doc_id: int, keep: list[str], stamp: str) -> None:
    """Facts of this document that the extraction no longer finds: superseded, never deleted."""
    marks = ",".join("?" * len(keep)) or "''"
    db.execute(f"UPDATE facts SET superseded_at = ? WHERE document_id = ? AND superseded_at IS NULL "
               f"AND status = 'detected' AND fact_key NOT IN ({marks})", [stamp, doc_id, *keep])


def _policy(db, doc_id: int, p: dict, stamp: str, version: str) -> None:
    """The policy of this key (or of this 文号), made when new; a version in force fills what a
    draft left open. Linked to the document."""
    row = db.execute("SELECT id, status FROM policies WHERE policy_key = ? OR (doc_number IS NOT NULL AND "
                     "doc_number = ?) ORDER BY id LIMIT 1", [p["policy_key"], p.get("doc_number")]).fetchone()
    cols = {k: p.get(k) for k in ("title", "doc_number", "issuer", "level", "region", "status", "period", "measures",
                                  "published", "published_precision", "province")}
    if row is None:
        pid = _insert(db, "policies", {**cols, "policy_key": p["policy_key"], "source_kind": "document",
                                       "source_ref": str(doc_id), "document_id": doc_id,
                                       "content_hash": content_hash(cols), "extractor_version": version,
                                       "first_seen": stamp, "last_seen": stamp})
    else:
        pid = row[0]
        if p.get("status") == "in_force" or row[1] != "in_force":
            sets = {k: v for k, v in cols.items() if v not in (None, [], "")}
            db.execute(f"UPDATE policies SET {', '.join(f'{k} = ?' for k in sets)}, last_seen = ?, "
                       "extractor_version = ? WHERE id = ?", [*map(_plain, sets.values()), stamp, version, pid])
    db.execute("INSERT OR REPLACE INTO policy_documents (policy_id, document_id, status, start, end, snippet) "
               "VALUES (?, ?, ?, ?, ?, ?)", [pid, doc_id, p.get("status"), p.get("start"), p.get("end"),
                                             p.get("snippet")])


def _fund(db, doc_id: int, f: dict, stamp: str, version: str) -> None:
    if f.get("candidate_key"):
        c = db.execute("SELECT id FROM candidates WHERE candidate_key = ?", [f["candidate_key"]]).fetchone()
        f = {**f, "candidate_id": c[0] if c else None}
    row = db.execute("SELECT id FROM funds WHERE fund_key = ?", [f["fund_key"]]).fetchone()
    cols = {k: f.get(k) for k in ("name", "amount", "tranche", "currency", "sponsors", "government_share", "region",
                                  "park_id", "candidate_id", "raw")}
    if row is None:
        fid = _insert(db, "funds", {**cols, "fund_key": f["fund_key"], "source_kind": "document",
                                    "source_ref": str(doc_id), "document_id": doc_id,
                                    "content_hash": content_hash(cols), "extractor_version": version,
                                    "first_seen": stamp, "last_seen": stamp})
    else:
        fid = row[0]
        sets = {k: v for k, v in cols.items() if v not in (None, [], "")}
        db.execute(f"UPDATE funds SET {', '.join(f'{k} = coalesce({k}, ?)' for k in sets)}, last_seen = ?, "
                   "extractor_version = ? WHERE id = ?", [*map(_plain, sets.values()), stamp, version, fid])
    db.execute("INSERT OR REPLACE INTO fund_documents (fund_id, document_id, start, end, snippet) VALUES "
               "(?, ?, ?, ?, ?)", [fid, doc_id, f.get("start"), f.get("end"), f.get("snippet")])


# -- listings -----------------------------------------------------------------------------------
def _where(filters: dict) -> tuple[str, list]:
    conds = [(k, v) for k, v in filters.items() if v is not None]
    return (" WHERE " + " AND ".join(k for k, _ in conds) if conds else ""), [v for _, v in conds]


def _documents(db, sql: str, ids: list) -> dict:
    """id → [url, …] for a link query `sql` that yields (owner id, url)."""
    out: dict = {i: [] for i in ids}
    if ids:
        for owner, url in db.execute(sql.format(marks=",".join("?" * len(ids))), ids).fetchall():
            if url not in out[owner]:
                out[owner].append(url)
    return out


def list_candidates(db, *, status=None, province=None) -> list[dict]:
    """Candidates with their documents; a new one that no document names any more is left out."""
    where, args = _where({"c.status = ?": status, "c.province = ?": province,
                          "(c.status != 'new' OR EXISTS (SELECT 1 FROM mentions m WHERE m.candidate_id = c.id)) "
                          "AND 1 = ?": 1})
    rows = [dict(r) for r in db.query(
        f"SELECT c.*, (SELECT count(DISTINCT m.document_id) FROM mentions m WHERE m.candidate_id = c.id) AS n_documents "
        f"FROM candidates c{where} ORDER BY c.id", args)]
    docs = _documents(db, "SELECT m.candidate_id, d.url FROM mentions m JOIN documents d ON d.id = m.document_id "
                          "WHERE m.candidate_id IN ({marks}) ORDER BY d.first_seen, d.id", [r["id"] for r in rows])
    for r in rows:
        r["documents"] = docs[r["id"]]
        r["features"] = json.loads(r["features"]) if r["features"] else None
    return rows


def list_mentions(db, *, source=None, park_id=None, candidate_id=None) -> list[dict]:
    where, args = _where({"d.source = ?": source, "m.park_id = ?": park_id, "m.candidate_id = ?": candidate_id})
    return [dict(r) for r in db.query(
        "SELECT d.url AS document_url, m.park_id, coalesce(p.name, c.name) AS park_name, m.candidate_id, m.text, "
        "m.start, m.end, m.type, m.province, m.city, m.district, m.role, m.event, m.event_date, m.gov_led, m.method, "
        "m.score, m.snippet, m.document_id FROM mentions m JOIN documents d ON d.id = m.document_id "
        "LEFT JOIN parks p ON p.id = m.park_id LEFT JOIN candidates c ON c.id = m.candidate_id"
        f"{where} ORDER BY m.document_id, m.start", args)]


def list_facts(db, *, park_id=None, candidate_id=None, field=None, documents_only=True) -> list[dict]:
    where, args = _where({"f.park_id = ?": park_id, "f.candidate_id = ?": candidate_id, "f.field = ?": field,
                          "f.document_id IS NOT NULL AND 1 = ?": 1 if documents_only else None})
    where = (where + " AND " if where else " WHERE ") + "f.superseded_at IS NULL"
    return [dict(r) for r in db.query(
        "SELECT f.park_id, f.candidate_id, f.field, f.value, f.low, f.high, f.unit, f.qualifier, f.raw, "
        "d.url AS document_url, f.evidence AS snippet, f.status, f.effective_date, f.first_seen, f.id "
        f"FROM facts f LEFT JOIN documents d ON d.id = f.document_id{where} ORDER BY f.id", args)]


def list_policies(db, *, documents_only=True) -> list[dict]:
    rows = [dict(r) for r in db.query("SELECT * FROM policies ORDER BY id")]
    docs = _documents(db, "SELECT l.policy_id, d.url FROM policy_documents l JOIN documents d ON d.id = "
                          "l.document_id WHERE l.policy_id IN ({marks}) ORDER BY d.first_seen", [r["id"] for r in rows])
    for r in rows:
        r["documents"] = docs[r["id"]]
        r["measures"] = json.loads(r["measures"]) if r.get("measures") else []
    return [r for r in rows if r["documents"] or not documents_only]


def list_funds(db, *, documents_only=True) -> list[dict]:
    rows = [dict(r) for r in db.query("SELECT * FROM funds ORDER BY id")]
    docs = _documents(db, "SELECT l.fund_id, d.url FROM fund_documents l JOIN documents d ON d.id = l.document_id "
                          "WHERE l.fund_id IN ({marks}) ORDER BY d.first_seen", [r["id"] for r in rows])
    for r in rows:
        r["documents"] = docs[r["id"]]
        r["sponsors"] = json.loads(r["sponsors"]) if r.get("sponsors") else ([r["sponsor"]] if r.get("sponsor") else [])
    return [r for r in rows if r["documents"] or not documents_only]


def extraction_counts(db) -> dict:
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {"documents": one("SELECT count(*) FROM documents WHERE extractor_version IS NOT NULL"),
            "candidates": one("SELECT count(*) FROM candidates"), "mentions": one("SELECT count(*) FROM mentions"),
            "facts": one("SELECT count(*) FROM facts WHERE document_id IS NOT NULL AND superseded_at IS NULL"),
            "policies": one("SELECT count(DISTINCT policy_id) FROM policy_documents"),
            "funds": one("SELECT count(DISTINCT fund_id) FROM fund_documents")}
