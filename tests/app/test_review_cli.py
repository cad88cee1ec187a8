"""Review on the CLI, round trip: accept / merge / reject / edit / undo, each recorded and sticky —
a rerun of extraction and a bulk action never overwrite a decision; rejected candidates come back
flagged with new evidence; unknown ids are one line and a non-zero exit."""
from __future__ import annotations

import json
import sqlite3

import pytest
import yaml

from tests.announcements import WUHU
from tests.conftest import parkwatch

DOCS = [
    WUHU,
    {"url": "https://news.example.cn/a/2.html", "published": "2026-11-10", "title": "长沙县星沙链谷区块链孵化器启用",
     "body": "11月10日，长沙县星沙链谷区块链孵化器正式启用，首批入驻企业15家。"},
    {"url": "https://news.example.cn/a/3.html", "published": "2026-11-11", "title": "宁德蕉城区块链创新中心揭牌",
     "body": "11月11日，宁德蕉城区块链创新中心揭牌成立，入驻企业8家。"},
]
LATER = [{"url": "https://news.example.cn/a/4.html", "published": "2026-11-20", "title": "宁德蕉城区块链创新中心再添新企业",
          "body": "宁德蕉城区块链创新中心目前入驻企业已达12家。"}]


def _json(*args):
    return json.loads(parkwatch(*args, "--format", "json").stdout)


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "s.db"
    parkwatch("--db", db, "baseline", "load")
    f = tmp_path / "docs.yaml"
    f.write_text(yaml.safe_dump(DOCS, allow_unicode=True), encoding="utf-8")
    parkwatch("--db", db, "import", f, "--source", "hand")
    return db, tmp_path


def _ids(db) -> dict[str, str]:
    return {i["name"]: i["id"] for i in _json("--db", db, "review", "list", "--kind", "candidate")}


def test_round_trip(store):
    db, tmp = store
    items = _json("--db", db, "review", "list")
    for i in items:
        assert {"id", "kind", "name", "province", "city", "score", "status", "evidence"} <= set(i)
        assert all(e["url"].startswith("https://") and e["snippet"] for e in i["evidence"])
    ids = _ids(db)
    wuhu, xingsha, ningde = (next(v for k, v in ids.items() if w in k) for w in ("江城链谷", "星沙链谷", "蕉城"))

    out = parkwatch("--db", db, "review", "accept", wuhu, "--reason", "opening confirmed", "--reviewer", "anna").stdout
    assert "→ p045" in out
    parkwatch("--db", db, "review", "merge", xingsha, "--into", "p020", "--reviewer", "anna")
    parkwatch("--db", db, "review", "reject", ningde, "--reason", "an office, not a park", "--reviewer", "ben")
    con = sqlite3.connect(db)
    park = con.execute("SELECT name, province, city, status, origin FROM parks WHERE id = 'p045'").fetchone()
    assert park == ("芜湖江城链谷区块链产业园", "安徽", "芜湖", "accepted", "detected")
    assert ("p020", "长沙县星沙链谷区块链孵化器") in con.execute("SELECT park_id, alias FROM park_aliases").fetchall()
    accepted = con.execute("SELECT park_id, field, value FROM facts WHERE status = 'accepted' ORDER BY 1, 2").fetchall()
    assert ("p045", "enterprises", 32) in accepted and ("p020", "enterprises", 15) in accepted

    # the census edition shows exactly what was decided: the accepted park, the merged figure, not the rejected
    parkwatch("--db", db, "report", "--out", tmp / "edition")
    edition = (tmp / "edition" / "index.md").read_text(encoding="utf-8")
    assert "| p045 | 芜湖江城链谷区块链产业园 |" in edition and "| p046 |" not in edition and "蕉城" not in edition
    assert any("星沙区块链产业园" in row and "15家" in row and "updated" in row for row in edition.splitlines())

    # decided items leave the queue; deciding again is refused, the rest of a bulk action goes on
    assert {i["id"] for i in _json("--db", db, "review", "list")}.isdisjoint({wuhu, xingsha, ningde})
    again = parkwatch("--db", db, "review", "accept", wuhu, ningde, check=False)
    assert again.returncode == 1 and again.stdout == "" and len(again.stderr.strip().splitlines()) == 2

    # edit the new park, then undo that edit
    parkwatch("--db", db, "review", "edit", wuhu, "--name", "芜湖江城链谷", "--set", "enterprises=40", "--reviewer", "anna")
    assert con.execute("SELECT name FROM parks WHERE id = 'p045'").fetchone()[0] == "芜湖江城链谷"
    parkwatch("--db", db, "review", "undo", "--reviewer", "anna")
    assert con.execute("SELECT name FROM parks WHERE id = 'p045'").fetchone()[0] == "芜湖江城链谷区块链产业园"
    assert con.execute("SELECT count(*) FROM facts WHERE source_kind = 'review'").fetchone()[0] == 0

    # a rerun of extraction keeps every decision and adds no copy of the adopted facts
    before = con.execute("SELECT count(*) FROM facts WHERE superseded_at IS NULL").fetchone()[0]
    parkwatch("--db", db, "extract", "--rerun")
    statuses = sorted(r[0] for r in con.execute("SELECT status FROM candidates"))
    assert statuses == ["accepted", "merged", "rejected"]
    assert con.execute("SELECT count(*) FROM facts WHERE superseded_at IS NULL").fetchone()[0] == before

    # new evidence brings the rejected candidate back, flagged
    f = tmp / "later.yaml"
    f.write_text(yaml.safe_dump(LATER, allow_unicode=True), encoding="utf-8")
    parkwatch("--db", db, "import", f, "--source", "hand")
    back = {i["id"]: i for i in _json("--db", db, "review", "list")}
    assert back[ningde]["flagged"] is True and back[ningde]["status"] == "rejected"

    # a durable undo of the first decision, by its number
    first = con.execute("SELECT min(id) FROM decisions").fetchone()[0]
    parkwatch("--db", db, "review", "undo", str(first), "--reviewer", "ben")
    assert con.execute("SELECT count(*) FROM parks WHERE id = 'p045'").fetchone()[0] == 0
    assert con.execute("SELECT status FROM candidates WHERE name LIKE '%江城链谷%'").fetchone()[0] == "new"
    log = con.execute("SELECT action, reviewer, reason FROM decisions ORDER BY id").fetchall()
    assert log[0] == ("accept", "anna", "opening confirmed") and log[-1][:2] == ("undo", "ben")


@pytest.mark.parametrize("args, message", [
    (["review", "accept", "c999"], "no candidate c999"),
    (["review", "accept", "x1"], "is not a review id"),
    (["review", "merge", "c1", "--into", "p999"], "no park 'p999'"),
    (["review", "undo", "999"], "no decision 999"),
    (["review", "show", "f999"], "no fact f999"),
])
def test_mistakes_are_one_line(store, args, message):
    db, _ = store
    proc = parkwatch("--db", db, *args, check=False)
    assert proc.returncode != 0 and message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
