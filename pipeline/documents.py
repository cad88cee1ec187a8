"""Storing crawled documents: identity, versions, duplicates, relevance, dates.

A document's identity is (source, URL); its content hash decides whether a
re-fetch is unchanged or a new version (the old text is kept in
document_versions). The same text on another source is linked by `duplicate_of`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from db.store import now

from .docnumber import parse_doc_number
from .published import parse_published
from .relevance import label
from .textnorm import fold

# share of U+FFFD above which a decoded page is not stored as clean text
DECODE_ERROR_RATIO = 0.01


def text_hash(title: str | None, body: str | None, *, folded: str | None = None) -> str:
    """Hash of the text only: whitespace and full-width/traditional forms do not count as change."""
    f = folded if folded is not None and body else fold(body or title or "")
    return hashlib.sha256(f.encode("utf-8")).hexdigest()[:20]


@dataclass
class Known:
    id: int
    content_hash: str | None
    etag: str | None
    last_modified: str | None
    last_seen: str
    published: str | None

    def stale(self, days: float, at: dt.datetime | None = None) -> bool:
        at = at or dt.datetime.now(dt.timezone.utc)
        try:
            seen = dt.datetime.fromisoformat(self.last_seen)
        except ValueError:
            return True
        if seen.tzinfo is None:
            seen = seen.replace(tzinfo=dt.timezone.utc)
        return (at - seen).total_seconds() >= days * 86400


def known_documents(db, source: str) -> dict[str, Known]:
    return {r["url"]: Known(r["id"], r["content_hash"], r["etag"], r["last_modified"], r["last_seen"], r["published"])
            for r in db.query("SELECT id, url, content_hash, etag, last_modified, last_seen, published "
                              "FROM documents WHERE source = ?", [source])}


def ingest(db, item: dict, *, run_id: int | None = None) -> str:
    """Store one raw document; returns 'new', 'changed', 'unchanged' or 'flagged'."""
    stamp = now()
    title = (item.get("title") or item.get("list_title") or "").strip() or None
    body = item.get("body") or ""
    ratio = float(item.get("bad_char_ratio") or 0)
    flags = []
    if ratio > DECODE_ERROR_RATIO:
        flags.append("decode-errors")
    pub = parse_published(item.get("date_candidates") or [], item.get("url"))
    meta = item.get("meta_fields") or {}
    clean = not flags
    folded = fold(body) if clean else ""
    h = text_hash(title, body, folded=folded) if clean else None
    row = {
        "title": title if clean else None,
        "published": pub.date if pub else None,
        "published_precision": pub.precision if pub else None,
        "published_raw": pub.raw if pub else None,
        "published_from": pub.source if pub else None,
        "body": body if clean else None,
        "content_hash": h,
        "relevance": label(title, body, folded_body=folded) if clean else None,
        "doc_number": parse_doc_number(meta.get("发文字号") or meta.get("文号")) or
        (parse_doc_number(f"{title or ''}\n{body[:400]}") if clean else None),
        "issuer": meta.get("发文机关") or meta.get("发布机构") or meta.get("来源") or meta.get("信息来源"),
        "encoding": item.get("encoding"),
        "replacement_ratio": ratio,
        "flags": json.dumps(flags) if flags else None,
        "attachments": json.dumps(item.get("attachments") or [], ensure_ascii=False),
        "etag": item.get("etag"),
        "last_modified": item.get("last_modified"),
        "list_title": item.get("list_title"),
        "final_url": item.get("final_url"),
        "fetched_at": item.get("fetched_at") or stamp,
        "run_id": run_id,
    }
    source, url = item["source"], item["url"]
    with db.atomic():
        cur = db.execute("SELECT id, content_hash, version_count FROM documents WHERE source = ? AND url = ?",
                         [source, url]).fetchone()
        if cur is None:
            dup = None
            if h:
                d = db.execute("SELECT id FROM documents WHERE content_hash = ? AND duplicate_of IS NULL "
                               "ORDER BY id LIMIT 1", [h]).fetchone()
                dup = d[0] if d else None
            cols = {"source": source, "url": url, **row, "duplicate_of": dup, "version_count": 1,
                    "first_seen": stamp, "last_seen": stamp}
            doc_id = db.execute(f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                list(cols.values())).lastrowid
            _version(db, doc_id, 1, row, stamp, run_id)
            return "flagged" if flags else "new"
        doc_id, old_hash, versions = cur
        if h is not None and h == old_hash:
            db.execute("UPDATE documents SET last_seen = ?, etag = coalesce(?, etag), "
                       "last_modified = coalesce(?, last_modified), run_id = ? WHERE id = ?",
                       [stamp, row["etag"], row["last_modified"], run_id, doc_id])
            return "unchanged"
        if not clean:
            # a garbled re-fetch never replaces good text
            db.execute("UPDATE documents SET last_seen = ?, flags = ? WHERE id = ?", [stamp, row["flags"], doc_id])
            return "flagged"
        versions += 1
        sets = ", ".join(f"{k} = ?" for k in row)
        db.execute(f"UPDATE documents SET {sets}, version_count = ?, last_seen = ? WHERE id = ?",
                   [*row.values(), versions, stamp, doc_id])
        _version(db, doc_id, versions, row, stamp, run_id)
        db.execute("INSERT INTO changes (run_id, entity, entity_key, change, field, old, new, evidence, created_at) "
                   "VALUES (?, 'document', ?, 'changed', 'content_hash', ?, ?, ?, ?)",
                   [run_id, f"{source}|{url}", old_hash, h, url, stamp])
        return "changed"


def _version(db, doc_id, version, row, stamp, run_id):
    db.execute("INSERT INTO document_versions (document_id, version, content_hash, title, published, body, "
               "fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               [doc_id, version, row["content_hash"] or "", row["title"], row["published"], row["body"],
                row["fetched_at"], run_id])


def mark_seen(db, source: str, url: str, *, etag=None, last_modified=None, run_id=None) -> str:
    """A 304 Not Modified: the stored version is current."""
    db.execute("UPDATE documents SET last_seen = ?, etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),"
               " run_id = ? WHERE source = ? AND url = ?", [now(), etag, last_modified, run_id, source, url])
    return "unchanged"
