"""Parks, their aliases and facts, and the census's other tables (policies, funds, plans, events)."""
from __future__ import annotations

from .store import now

ACTIVE = ("baseline", "accepted")
_STAMPS = ("first_seen", "last_seen", "created_at", "updated_at")


def upsert(db, table: str, key_col: str, row: dict) -> str:
    """Insert or update one row by its stable key; returns 'new', 'changed' or 'unchanged'.

    first_seen/created_at are kept; nothing is written when the content hash is equal, so a
    repeated load leaves the database byte for byte as it was. The caller holds the transaction."""
    tbl = db[table]
    existing = next(tbl.rows_where(f"[{key_col}] = ?", [row[key_col]], limit=1), None)
    if existing and existing.get("content_hash") == row.get("content_hash"):
        return "unchanged"
    stamp = now()
    cols = tbl.columns_dict
    if existing:
        update = {k: v for k, v in row.items() if k not in ("first_seen", "created_at")}
        update.update({c: stamp for c in ("last_seen", "updated_at") if c in cols})
        sets = ", ".join(f"[{k}] = ?" for k in update)
        db.execute(f"UPDATE [{table}] SET {sets} WHERE [{key_col}] = ?", [*update.values(), row[key_col]])
        return "changed"
    tbl.insert({**{c: stamp for c in _STAMPS if c in cols}, **row})
    return "new"


def add_alias(db, park_id: str, alias: str, alias_key: str, source_kind: str, source_ref: str) -> bool:
    """True when the spelling was new for that park."""
    cur = db.execute("INSERT OR IGNORE INTO park_aliases (park_id, alias, alias_key, source_kind, source_ref) "
                     "VALUES (?, ?, ?, ?, ?)", [park_id, alias, alias_key, source_kind, source_ref])
    return bool(cur.rowcount)


def park_count(db) -> int:
    return db.execute("SELECT count(*) FROM parks").fetchone()[0]


def active_parks(db) -> list[dict]:
    marks = ",".join("?" * len(ACTIVE))
    return [dict(r) for r in db.query(f"SELECT * FROM parks WHERE status IN ({marks}) ORDER BY id", ACTIVE)]


def all_parks(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM parks ORDER BY id")]


def aliases(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT park_id, alias FROM park_aliases ORDER BY id")]


def facts(db) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM facts")]


def facts_as_of(db) -> str | None:
    return db.execute("SELECT max(last_seen) FROM facts").fetchone()[0]



def defer_foreign_keys(db) -> None:
    """Inside a transaction: check references at commit (parks are written after their facts)."""
    db.execute("PRAGMA defer_foreign_keys = ON")
