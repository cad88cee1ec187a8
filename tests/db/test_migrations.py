"""Migrations that change rows, not only tables."""
from __future__ import annotations

from db.schema import m009_current_text_once
from db.store import open_db


def test_the_current_versions_copy_of_the_text_is_dropped_older_ones_kept(tmp_path):
    db = open_db(tmp_path / "s.db")
    db.execute("INSERT INTO documents (id, source, url, body, content_hash, version_count, first_seen, last_seen) "
               "VALUES (1, 'src', 'http://a.example/1', 'new text', 'h2', 2, 't', 't')")
    for version, body in ((1, "old text"), (2, "new text")):
        db.execute("INSERT INTO document_versions (document_id, version, content_hash, body, fetched_at) "
                   "VALUES (1, ?, ?, ?, 't')", [version, f"h{version}", body])
    m009_current_text_once(db)
    rows = db.execute("SELECT version, body FROM document_versions ORDER BY version").fetchall()
    assert rows == [(1, "old text"), (2, None)]
    assert db.execute("SELECT body FROM documents").fetchone() == ("new text",)
