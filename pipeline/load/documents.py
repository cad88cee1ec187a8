"""Storing crawled documents: the parsed row (extract.document) written through db.documents.

A document's identity is (source, URL); its content hash decides whether a re-fetch is
unchanged or a new version (the old text is kept in document_versions). The same text
on another source is linked by `duplicate_of`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db import documents as store
from db.store import now
from pipeline.extract.document import document_row


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
            for r in store.known_documents(db, source)}


def ingest(db, item: dict, *, run_id: int | None = None) -> str:
    """Store one raw document; returns 'new', 'changed', 'unchanged' or 'flagged'."""
    row = {**document_row(item), "run_id": run_id}
    row["fetched_at"] = row["fetched_at"] or now()
    return store.store_document(db, item["source"], item["url"], row, run_id=run_id)

