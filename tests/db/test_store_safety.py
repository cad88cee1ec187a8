"""Opening the store never damages a file: no store is made by a read-only command, another
program's SQLite file is refused untouched, a failing migration leaves the file as it was."""
import hashlib
import sqlite3

import pytest
from click.testing import CliRunner
from sqlite_utils import Migrations

import db.store as store
from db.store import StoreError, open_db, transaction
from pipeline.app.main import cli


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [["documents"], ["runs"], ["parks"], ["report", "census"]])
def test_a_read_only_command_on_a_missing_store_says_so_and_makes_none(tmp_path, command):
    path = tmp_path / "typo.db"
    res = CliRunner().invoke(cli, ["--db", str(path), *command])
    assert res.exit_code == 1 and f"no store at {path}" in res.output and "Traceback" not in res.output
    assert not path.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("command", [["documents"], ["runs"], ["baseline", "load"], ["report", "census"]])
def test_another_programs_sqlite_file_is_refused_untouched(tmp_path, command):
    path = tmp_path / "theirs.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, secret TEXT)")   # a clashing name, too
    con.execute("INSERT INTO documents (secret) VALUES ('keep me')")
    con.commit()
    con.close()
    before = _digest(path)
    res = CliRunner().invoke(cli, ["--db", str(path), *command])
    assert res.exit_code == 1 and "another program's SQLite database" in res.output
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]          # no -wal, no -shm
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_db(path)
    assert path.read_text(encoding="utf-8") == "not a database"


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    open_db(path).close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tables = sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    applied = con.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    con.close()
    broken = Migrations(store.migrations.name)
    broken._migrations = list(store.migrations._migrations)

    @broken()
    def m999_half_done(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("a migration bug")

    monkeypatch.setattr(store, "migrations", broken)
    with pytest.raises(RuntimeError, match="a migration bug"):
        open_db(path)
    con = sqlite3.connect(path)
    assert sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")) == tables
    assert con.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == applied


def test_write_transactions_start_immediate(tmp_path):
    """A second writer waits for the first instead of failing ("database is locked")."""
    path = tmp_path / "w.db"
    a = open_db(path)
    import threading
    import time
    done = []

    def second():
        b = open_db(path)      # its own connection, in its own thread
        with transaction(b):
            b.execute("INSERT INTO runs (kind, started_at, status) VALUES ('crawl', 'x', 'ok')")
        done.append(time.monotonic())

    with transaction(a):
        a.execute("SELECT count(*) FROM runs").fetchone()     # a read first, then a write
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.5)
        a.execute("INSERT INTO runs (kind, started_at, status) VALUES ('crawl', 'y', 'ok')")
        started = time.monotonic()
    t.join(5)
    assert done and done[0] >= started
    assert a.execute("SELECT count(*) FROM runs").fetchone()[0] == 2
