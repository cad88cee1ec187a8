"""Opening the store: one SQLite file, WAL, foreign keys, a busy timeout, migrated."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .schema import migrations

DEFAULT_PATH = "parkwatch.db"
ENV_VAR = "PARKWATCH_DB"
BUSY_TIMEOUT_MS = 30_000


def resolve_path(path: str | os.PathLike | None = None) -> Path:
    """--db PATH, else $PARKWATCH_DB, else ./parkwatch.db."""
    return Path(path or os.environ.get(ENV_VAR) or DEFAULT_PATH)


def open_db(path: str | os.PathLike | None = None, *, migrate: bool = True) -> Database:
    p = resolve_path(path)
    if p.parent and not p.parent.exists():
        raise FileNotFoundError(f"folder {p.parent} does not exist (for database {p})")
    conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    db = Database(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    if migrate:
        migrations.apply(db)
    return db


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def content_hash(obj) -> str:
    """Stable hash of a row's content (not of its identity or timestamps)."""
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def upsert(db: Database, table: str, key_col: str, row: dict) -> str:
    """Insert or update one row by its stable key; returns 'new', 'changed' or 'unchanged'.

    first_seen/created_at are kept; nothing is written when the content hash is equal,
    so a repeated load leaves the database byte-for-byte as it was.
    """
    existing = list(db.query(f"SELECT * FROM [{table}] WHERE [{key_col}] = ?", [row[key_col]]))
    if existing and existing[0].get("content_hash") == row.get("content_hash"):
        return "unchanged"
    stamp = now()
    if existing:
        update = {k: v for k, v in row.items() if k not in ("first_seen", "created_at")}
        if "last_seen" in db[table].columns_dict:
            update["last_seen"] = stamp
        if "updated_at" in db[table].columns_dict:
            update["updated_at"] = stamp
        sets = ", ".join(f"[{k}] = ?" for k in update)
        db.execute(f"UPDATE [{table}] SET {sets} WHERE [{key_col}] = ?", [*update.values(), row[key_col]])
        return "changed"
    cols = db[table].columns_dict
    full = dict(row)
    for c in ("first_seen", "last_seen", "created_at", "updated_at"):
        if c in cols:
            full.setdefault(c, stamp)
    names = ", ".join(f"[{k}]" for k in full)
    marks = ", ".join("?" for _ in full)
    db.execute(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", list(full.values()))
    return "new"
