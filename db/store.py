"""Opening the store: one SQLite file, WAL, foreign keys, a busy timeout, migrated.

Opening never damages a file: a path that does not exist is created only when the
caller writes (`create=True`), a file that is not a parkwatch store is refused
untouched, and migrations run in one `BEGIN IMMEDIATE` transaction, so a failing one
leaves the file as it was. Every write goes through `transaction()`, which starts
with `BEGIN IMMEDIATE`: a deferred transaction that reads, then writes after another
connection committed, fails at once in WAL mode instead of waiting for the lock.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database

from .schema import migrations

DEFAULT_PATH = "parkwatch.db"
ENV_VAR = "PARKWATCH_DB"
BUSY_TIMEOUT_MS = 30_000


class StoreError(Exception):
    """The store cannot be used as asked (missing, not a parkwatch store): one line for the user."""


def resolve_path(path: str | os.PathLike | None = None) -> Path:
    """--db PATH, else $PARKWATCH_DB, else ./parkwatch.db."""
    return Path(path or os.environ.get(ENV_VAR) or DEFAULT_PATH)


def _check_file(p: Path, create: bool) -> None:
    if not p.exists():
        if not create:
            raise StoreError(f"no store at {p}: nothing has been stored there yet (run `parkwatch baseline load` or "
                             "`parkwatch crawl` first, or check --db / $PARKWATCH_DB)")
        if not p.parent.exists():
            raise StoreError(f"folder {p.parent} does not exist (for the store {p})")
        return
    if p.is_dir():
        raise StoreError(f"{p} is a folder, not a store")
    if not _is_sqlite(p):
        raise StoreError(f"{p} is not a SQLite database; parkwatch leaves it untouched")


def _is_sqlite(p: Path) -> bool:
    """Asked through SQLite itself, read-only. Never by reading the file with open(): closing any
    descriptor of a database file drops every POSIX lock this process holds on it — its other
    connections' too — and another process may then write under them (a corrupt store)."""
    con = None
    try:
        con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        con.execute("PRAGMA schema_version").fetchone()
        return True
    except sqlite3.DatabaseError as err:
        if "not a database" in str(err) or "malformed" in str(err):
            return False
        raise
    finally:
        if con is not None:
            con.close()


def _check_schema(conn: sqlite3.Connection, p: Path) -> None:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%'")]
    if not tables:
        return
    if "_sqlite_migrations" in tables and conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", [migrations.name]).fetchone():
        return
    shown = ", ".join(sorted(tables)[:5]) + (" …" if len(tables) > 5 else "")
    raise StoreError(f"{p} is another program's SQLite database (tables: {shown}); parkwatch leaves it "
                     "untouched — pick another --db")


def open_db(path: str | os.PathLike | None = None, *, create: bool = True, migrate: bool = True) -> Database:
    """The store at `path`; `create=False` for commands that only read (no store is made)."""
    p = resolve_path(path)
    _check_file(p, create)
    conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _check_schema(conn, p)
        _wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    db = Database(conn)
    if migrate and migrations.pending(db):
        with transaction(db):
            migrations.apply(db)
    return db


@contextlib.contextmanager
def transaction(db: Database):
    """One write transaction, `BEGIN IMMEDIATE` so the busy timeout applies; nested use is a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    _begin_immediate(conn)
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _wal(conn) -> None:
    """Switch a new store to WAL. The switch needs the file to itself, and SQLite does not wait
    for that (two processes opening a new store at once): retry within the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _begin_immediate(conn, attempts: int = 4) -> None:
    """BEGIN IMMEDIATE, waiting the busy timeout up to `attempts` times: a writer that keeps
    taking the lock back can starve SQLite's busy handler, and nothing has been done yet."""
    for i in range(attempts):
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or i == attempts - 1:
                raise


def now() -> str:
    """The one timestamp format of the store: UTC, seconds, ISO 8601."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def later(**delta) -> str:
    """now() moved by a timedelta (hours=…, days=…), in the same format."""
    t = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(**delta)
    return t.isoformat()


def content_hash(obj) -> str:
    """Stable hash of a row's content (not of its identity or timestamps)."""
    data = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
