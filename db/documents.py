"""Crawled documents: identity (source, URL), versions, duplicates, listing."""
from __future__ import annotations

import functools
import json

from .store import now, transaction

# the columns a crawl (re)writes; identity, counters and first_seen are kept apart
WRITTEN = ("title", "published", "published_precision", "published_raw", "published_from", "body", "content_hash",
           "relevance", "doc_number", "issuer", "encoding", "replacement_ratio", "flags", "attachments", "etag",
           "last_modified", "list_title", "final_url", "fetched_at", "run_id")


def known_documents(db, source: str) -> list[dict]:
    return [dict(r) for r in db.query("SELECT id, url, content_hash, etag, last_modified, last_seen, published "
                                      "FROM documents WHERE source = ?", [source])]


def store_document(db, source: str, url: str, row: dict, *, run_id: int | None) -> str:
    """Insert or update one document in one write transaction; returns new, changed, unchanged or flagged.

    The hash decides: the same text is unchanged (only last_seen and validators move), a
    garbled or empty re-fetch never replaces good text, anything else is a new version
    with the old one kept in document_versions. The current version's text is the document's
    own (its versions row holds no body): a page's text is stored once until it changes."""
    stamp = now()
    flagged = bool(row.get("flags"))
    with transaction(db):
        db.execute("DELETE FROM url_failures WHERE source = ? AND url = ?", [source, url])
        cur = db.execute("SELECT id, content_hash, version_count FROM documents WHERE source = ? AND url = ?",
                         [source, url]).fetchone()
        if cur is None:
            dup = _first_with_hash(db, row["content_hash"])
            cols = {"source": source, "url": url, **{k: row.get(k) for k in WRITTEN}, "duplicate_of": dup,
                    "version_count": 1, "first_seen": stamp, "last_seen": stamp}
            doc_id = db.execute(_insert_sql("documents", tuple(cols)), list(cols.values())).lastrowid
            _version(db, doc_id, 1, row, run_id)
            return "flagged" if flagged else "new"
        doc_id, old_hash, versions = cur
        if row["content_hash"] is not None and row["content_hash"] == old_hash:
            db.execute("UPDATE documents SET last_seen = ?, etag = coalesce(?, etag), gone_at = NULL, "
                       "last_modified = coalesce(?, last_modified), run_id = ? WHERE id = ?",
                       [stamp, row.get("etag"), row.get("last_modified"), run_id, doc_id])
            return "unchanged"
        if flagged:
            db.execute("UPDATE documents SET last_seen = ?, flags = ? WHERE id = ?", [stamp, row["flags"], doc_id])
            return "flagged"
        db.execute("UPDATE document_versions SET body = (SELECT body FROM documents WHERE id = ?) "
                   "WHERE document_id = ? AND version = ?", [doc_id, doc_id, versions])
        versions += 1
        # a new version is read again by the extraction stage (its findings were the old text's)
        db["documents"].update(doc_id, {**{k: row.get(k) for k in WRITTEN}, "version_count": versions,
                                        "last_seen": stamp, "gone_at": None, "extractor_version": None})
        _version(db, doc_id, versions, row, run_id)
        db["changes"].insert({"run_id": run_id, "entity": "document", "entity_key": f"{source}|{url}",
                              "change": "changed", "field": "content_hash", "old": old_hash,
                              "new": row["content_hash"], "evidence": url, "created_at": stamp})
        return "changed"


def _first_with_hash(db, h: str | None) -> int | None:
    if not h:
        return None
    d = db.execute("SELECT id FROM documents WHERE content_hash = ? AND duplicate_of IS NULL ORDER BY id LIMIT 1",
                   [h]).fetchone()
    return d[0] if d else None


def _version(db, doc_id: int, version: int, row: dict, run_id: int | None) -> None:
    cols = {"document_id": doc_id, "version": version, "content_hash": row["content_hash"] or "",
            "title": row.get("title"), "published": row.get("published"),
            "fetched_at": row.get("fetched_at") or now(), "run_id": run_id}
    db.execute(_insert_sql("document_versions", tuple(cols)), list(cols.values()))


@functools.lru_cache(maxsize=32)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    # the crawl's hot path: a plain INSERT, built once per column set
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def mark_seen(db, source: str, url: str, *, etag=None, last_modified=None, run_id=None) -> str:
    """A 304 Not Modified: the stored version is current."""
    with transaction(db):
        db.execute("UPDATE documents SET last_seen = ?, etag = coalesce(?, etag), "
                   "last_modified = coalesce(?, last_modified), run_id = ? WHERE source = ? AND url = ?",
                   [now(), etag, last_modified, run_id, source, url])
    return "unchanged"


def mark_gone(db, source: str, url: str) -> bool:
    """A stored page that left its list answers 404/410: flagged gone (kept, never deleted; a
    later fetch that finds it again clears the flag). True when it was not flagged before."""
    with transaction(db):
        cur = db.execute("UPDATE documents SET gone_at = ? WHERE source = ? AND url = ? AND gone_at IS NULL",
                         [now(), source, url])
    return cur.rowcount > 0


def list_documents(db, *, source=None, since=None, relevance=None, limit: int = 0) -> list[dict]:
    where, args = [], []
    for cond, val in (("source = ?", source), ("published >= ?", since), ("relevance = ?", relevance)):
        if val:
            where.append(cond)
            args.append(val)
    sql = ("SELECT id, source, url, title, published, published_from, relevance, doc_number, attachments, encoding, "
           "flags, version_count, duplicate_of, first_seen FROM documents"
           + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY published DESC, id DESC")
    if limit:
        sql += " LIMIT ?"
        args.append(int(limit))
    rows = []
    for r in db.query(sql, args):
        r["attachments"] = json.loads(r["attachments"] or "[]")
        r["flags"] = json.loads(r["flags"]) if r["flags"] else []
        rows.append(r)
    return rows


def count_by_source(db, slugs: list[str]) -> int:
    """Documents stored for these sources."""
    if not slugs:
        return 0
    return db.execute(f"SELECT count(*) FROM documents WHERE source IN ({','.join('?' * len(slugs))})",
                      slugs).fetchone()[0]


def count_by_relevance(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT relevance, count(*) AS documents FROM documents GROUP BY relevance "
                                      "ORDER BY 2 DESC")]
