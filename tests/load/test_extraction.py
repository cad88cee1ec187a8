"""The extraction stage over a store: documents in, candidates / mentions / facts / policies /
funds out, each with its evidence; reruns that keep what people decided; real documents about
something else that yield nothing."""
from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from db.store import open_db
from pipeline.app.main import cli
from pipeline.load import extraction
from pipeline.load.baseline import load
from pipeline.load.documents import RecordError, import_records
from tests.announcements import WUHU, WUHU_REPOST, XINGSHA

JIANGXI = Path(__file__).parents[1] / "realdata" / "jiangxi-policies-2020"

DOCS = [
    WUHU, WUHU_REPOST, XINGSHA,
    {"url": "https://gov.example.cn/c/4.html", "published": "2026-11-13",
     "title": "芜湖市人民政府办公室关于印发芜湖市区块链产业发展若干政策的通知",
     "body": "芜政办〔2026〕18号\n各县、区人民政府：\n现将《芜湖市区块链产业发展若干政策》印发给你们，请认真贯彻执行。\n"
             "对新入驻区块链产业园的企业，给予最高100万元落户奖励。\n芜湖市人民政府办公室\n2026年11月10日"},
    {"url": "https://news.example.cn/a/5.html", "published": "2026-11-14", "title": "芜湖设立区块链产业投资基金",
     "body": "芜湖市设立芜湖市区块链产业投资基金，基金总规模20亿元，首期5亿元，重点投向芜湖江城链谷区块链产业园内企业。"},
]


@pytest.fixture
def store(tmp_path):
    db = open_db(tmp_path / "s.db")
    load(db)
    f = tmp_path / "docs.yaml"
    f.write_text(yaml.safe_dump(DOCS, allow_unicode=True), encoding="utf-8")
    import_records(db, f, source="hand")
    yield db, tmp_path
    db.close()


def test_findings_with_their_evidence(store):
    db, _ = store
    stats = extraction.extract(db)
    assert stats["documents"] == 5
    cands = [dict(r) for r in db.query("SELECT * FROM candidates")]
    assert [c["name"] for c in cands] == ["芜湖江城链谷区块链产业园"]       # the repost is the same candidate
    aliases = {r["alias"] for r in db.query("SELECT alias FROM candidate_aliases")}
    assert "蕪湖江城鏈谷區塊鏈產業園" in aliases
    for f in db.query("SELECT f.*, d.title, d.body, d.url FROM facts f JOIN documents d ON d.id = f.document_id"):
        text = f"{f['title']}\n{f['body']}"
        assert text[f["start"]:f["end"]] == f["raw"] and f["raw"] in f["evidence"] and f["url"].startswith("https://")
        assert f["extractor_version"] == extraction.EXTRACTOR_VERSION
    known = {(r["park_id"], r["field"]): r["value"] for r in db.query("SELECT * FROM facts WHERE document_id IS NOT NULL")}
    assert known[("p020", "enterprises")] == 156
    pol = [dict(r) for r in db.query("SELECT * FROM policies WHERE document_id IS NOT NULL")]
    assert [(p["title"], p["doc_number"]) for p in pol] == [("芜湖市区块链产业发展若干政策", "芜政办〔2026〕18号")]
    fund = [dict(r) for r in db.query("SELECT * FROM funds WHERE document_id IS NOT NULL")]
    assert [(f["name"], f["amount"], f["tranche"]) for f in fund] == [("芜湖市区块链产业投资基金", 2_000_000_000,
                                                                      500_000_000)]
    assert fund[0]["candidate_id"] == cands[0]["id"]                 # linked to the new park
    events = {(r["field"], r["value"], r["raw"]) for r in db.query("SELECT * FROM facts WHERE candidate_id IS NOT NULL")}
    assert ("opened_on", "2026-11-08", "11月8日") in events and ("gov_led", 1, "政府主导") in events


def test_a_second_extract_reads_nothing_and_rerun_reads_all(store):
    db, _ = store
    extraction.extract(db)
    assert extraction.extract(db)["documents"] == 0
    before = db.execute("SELECT count(*) FROM facts WHERE superseded_at IS NULL").fetchone()[0]
    assert extraction.extract(db, rerun=True)["documents"] == 5
    assert db.execute("SELECT count(*) FROM facts WHERE superseded_at IS NULL").fetchone()[0] == before
    assert db.execute("SELECT count(*) FROM candidates").fetchone()[0] == 1


def test_rerun_keeps_what_people_decided(store):
    db, tmp = store
    extraction.extract(db)
    # a reviewer rejects the candidate and accepts one fact (the review commands write the same)
    raw = sqlite3.connect(tmp / "s.db")
    raw.execute("UPDATE candidates SET status = 'rejected', reviewed_at = '2026-11-20T00:00:00Z'")
    fact_id = raw.execute("SELECT id FROM facts WHERE park_id = 'p020' AND document_id IS NOT NULL").fetchone()[0]
    raw.execute("UPDATE facts SET status = 'accepted' WHERE id = ?", [fact_id])
    raw.commit()
    raw.close()
    # the page changes (a new figure) and the extractor is rerun
    changed = [dict(DOCS[2], body="湖南星沙区块链产业园目前入驻企业已达到170家。")]
    (tmp / "changed.yaml").write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    import_records(db, tmp / "changed.yaml", source="hand")
    extraction.extract(db, rerun=True)
    assert db.execute("SELECT status FROM candidates").fetchone()[0] == "rejected"
    kept = db.execute("SELECT status, value, superseded_at FROM facts WHERE id = ?", [fact_id]).fetchone()
    assert tuple(kept) == ("accepted", 156, None)
    new = db.execute("SELECT status, value FROM facts WHERE park_id = 'p020' AND document_id IS NOT NULL "
                     "AND id != ? AND superseded_at IS NULL", [fact_id]).fetchall()
    assert [tuple(r) for r in new] == [("detected", 170)]            # waits for review beside the accepted one


def test_real_documents_about_something_else_yield_nothing(tmp_path):
    """1,426 real Jiangxi policy titles and four full texts (2015–2020), none about blockchain."""
    with (JIANGXI / "policies.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    records = [{"url": r["url"], "title": r["title"], "body": r["title"], "published": r["date"]} for r in rows]
    for f in sorted((JIANGXI / "texts").glob("*.txt")):
        text = f.read_text(encoding="utf-8").strip()
        records.append({"url": f"https://www.jiangxi.gov.cn/texts/{f.stem}.html", "title": text.splitlines()[0],
                        "body": text})
    path = tmp_path / "jx.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    db = open_db(tmp_path / "jx.db")
    load(db)
    import_records(db, path, source="jiangxi")
    stats = extraction.extract(db)
    assert stats["documents"] >= 1400
    assert (stats["parks"], stats["policies"], stats["funds"]) == (0, 0, 0)
    assert db.execute("SELECT count(*) FROM candidates").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0


@pytest.mark.parametrize("content, message", [
    ("- {url: 'javascript:alert(1)', title: x}", "url must start with http"),
    ("- {title: x}", "needs url"),
    ("{a: 1}", "expected a list"),
    ("- [unclosed", "not YAML"),
])
def test_bad_records_are_one_line_and_nothing_is_stored(tmp_path, content, message):
    db = open_db(tmp_path / "s.db")
    f = tmp_path / "bad.yaml"
    f.write_text("- {url: 'https://ok.example.cn/1', title: fine}\n" + content if content.startswith("-")
                 else content, encoding="utf-8")
    with pytest.raises(RecordError, match=message):
        import_records(db, f)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


LISTS = {
    "candidates": {"id", "name", "province", "city", "district", "type", "status", "n_documents", "first_seen",
                   "documents"},
    "mentions": {"document_url", "park_id", "park_name", "candidate_id", "text", "start", "end", "event",
                 "event_date", "role", "snippet"},
    "facts": {"park_id", "candidate_id", "field", "value", "unit", "qualifier", "raw", "document_url", "snippet",
              "status"},
    "policies": {"id", "title", "doc_number", "issuer", "level", "region", "status", "published", "period",
                 "measures", "documents"},
    "funds": {"id", "name", "size_yuan", "tranche_yuan", "currency", "region", "park_id", "candidate_id",
              "documents"},
}


@pytest.mark.parametrize("command", sorted(LISTS))
def test_listing_commands_in_json(store, command):
    db, tmp = store
    extraction.extract(db)
    res = CliRunner().invoke(cli, ["--db", str(tmp / "s.db"), command, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert isinstance(rows, list)
    assert rows, command
    for r in rows:
        assert LISTS[command] <= set(r), (command, LISTS[command] - set(r))
