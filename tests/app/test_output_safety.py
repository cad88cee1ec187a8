"""Crawled text is untrusted: control and bidi characters never reach a terminal raw."""
import json
import unicodedata

import pytest
from click.testing import CliRunner

from db.store import open_db, transaction
from pipeline.app.main import cli

EVIL = "园区通知\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\\u009b31m\u202eabc\u2066x"


@pytest.fixture
def store_with_evil_title(tmp_path):
    path = tmp_path / "s.db"
    db = open_db(path)
    with transaction(db):   # as an old store (or another writer) might hold it
        db["documents"].insert({"source": "x", "url": "http://x.cn/a.html", "title": EVIL, "first_seen": "t",
                                "last_seen": "t", "attachments": "[]"})
    db.close()
    return path


def _unsafe(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c != "\n"]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_documents_output_escapes_control_characters(store_with_evil_title, fmt):
    res = CliRunner().invoke(cli, ["--db", str(store_with_evil_title), "documents", "--format", fmt])
    assert res.exit_code == 0, res.output
    assert _unsafe(res.output) == []
    assert "园区通知" in res.output and "\\x1b[2J" in res.output.replace("\\u001b", "\\x1b")
    if fmt == "json":
        assert json.loads(res.output)[0]["title"] == EVIL      # the value itself is intact


def test_titles_are_stripped_at_ingest(tmp_path):
    from pipeline.load.documents import ingest
    db = open_db(tmp_path / "i.db")
    ingest(db, {"source": "x", "url": "http://x.cn/b.html", "title": EVIL, "body": "正文：某区块链产业园开园。\x00",
                "date_candidates": []})
    title, body = db.execute("SELECT title, body FROM documents").fetchone()
    assert _unsafe(title) == [] and _unsafe(body) == [] and title.startswith("园区通知")
