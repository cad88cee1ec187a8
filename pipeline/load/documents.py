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



class RecordError(ValueError):
    """A record of an import file that cannot be stored: one line with the file, record and reason."""


def read_records(path) -> list[dict]:
    """Records of a YAML list or a JSON-lines file."""
    import json
    from pathlib import Path

    import yaml
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RecordError(f"{path}: not UTF-8 text") from None
    if str(path).endswith((".jsonl", ".ndjson")):
        try:
            return [json.loads(ln) for ln in text.splitlines() if ln.strip()]
        except ValueError as err:
            raise RecordError(f"{path}: not JSON lines: {err}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise RecordError(f"{path}: not YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(data, list):
        raise RecordError(f"{path}: expected a list of documents")
    return data


def _check(path, i: int, r) -> None:
    if not isinstance(r, dict) or not r.get("url") or not (r.get("body") or r.get("title")):
        raise RecordError(f"{path}: record {i}: needs url and a title or body")
    if not str(r["url"]).startswith(("http://", "https://")):
        raise RecordError(f"{path}: record {i}: url must start with http:// or https://")


def import_records(db, path, *, source: str = "import") -> dict[str, int]:
    """Store each record as a document (a repeated import changes nothing). Every record is
    checked first: a bad one is reported and nothing is stored."""
    from collections import Counter
    records = read_records(path)
    for i, r in enumerate(records, 1):
        _check(path, i, r)
    out: Counter = Counter()
    for r in records:
        item = {"source": r.get("source") or source, "url": str(r["url"]), "title": r.get("title"),
                "body": r.get("body") or "", "date_candidates": [("meta", str(r["published"]))] if r.get("published")
                else [], "meta_fields": r.get("meta") or {}}
        out[ingest(db, item)] += 1
    return dict(out)
