"""parkwatch report: the next edition of the census from reviewed data, as known on a date, as Markdown
or one HTML page with SVG charts whose Chinese labels are real glyphs."""
import html
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.app.main import cli
from pipeline.report import charts, edition, publish
from tests.conftest import parkwatch

SCRIPT = "<script>alert(1)</script>"
SEEN = "2026-11-01T08:00:00+00:00"          # the documents were crawled and read
REJECTED_AT = "2026-11-03T10:00:00+00:00"
ACCEPTED_AT = "2026-11-10T09:00:00+00:00"   # p045 created
MERGED_AT = "2026-11-15T09:00:00+00:00"     # 长沙 (p019) enterprises changed
POLICY_SEEN = "2026-11-12T08:00:00+00:00"
NEW_PARK = "雄安新区区块链创新产业园"
UNREVIEWED = "福州软件园区块链产业基地"
REJECTED = "某某供应链区块链孵化器"


# -- a store: the census, plus what documents found and an analyst decided ---------------------
def _doc(db, n: int, url: str | None = None) -> int:
    return db["documents"].insert({"source": "test", "url": url or f"https://gov.example.cn/news/{n}.html",
                                   "title": f"通知 {n}", "body": "正文", "published": "2026-10-01",
                                   "first_seen": SEEN, "last_seen": SEEN}).last_pk


def _candidate(db, name, status, *, park_id=None, reviewed_at=None, province="福建", city="福州") -> int:
    return db["candidates"].insert({"candidate_key": f"{province}|{city}|{name}", "name": name, "province": province,
                                    "city": city, "status": status, "park_id": park_id, "reviewed_at": reviewed_at,
                                    "first_seen": SEEN, "last_seen": SEEN}).last_pk


def _mention(db, doc, *, candidate_id=None, park_id=None, text, snippet):
    db["mentions"].insert({"document_id": doc, "entity": 0, "start": 0, "end": len(text), "text": text,
                           "candidate_id": candidate_id, "park_id": park_id, "snippet": snippet,
                           "extractor_version": "test", "created_at": SEEN})


def _fact(db, doc, field, raw, value, *, status, park_id=None, candidate_id=None, low=None, qualifier="exact",
          unit="count", effective="2026-10-01", evidence=None):
    db["facts"].insert({"fact_key": f"doc:{doc}|{park_id or candidate_id}|{field}", "park_id": park_id,
                        "candidate_id": candidate_id, "field": field, "value": value, "low": low, "unit": unit,
                        "qualifier": qualifier, "raw": raw, "source_kind": "document", "source_ref": str(doc),
                        "document_id": doc, "evidence": evidence or raw, "effective_date": effective,
                        "status": status, "content_hash": f"h{doc}{field}", "first_seen": SEEN, "last_seen": SEEN})


def _decision(db, kind, target, action, at, park_id=None):
    db["decisions"].insert({"kind": kind, "target_id": target, "action": action, "park_id": park_id,
                            "reviewer": "analyst", "before": "{}", "at": at})


def _accepted_park(db):
    doc = _doc(db, 1)
    db["parks"].insert({"id": "p045", "name": NEW_PARK, "name_key": NEW_PARK, "province": "河北", "city": "保定",
                        "founded": None, "founded_precision": None, "gov_led": 1, "status": "accepted",
                        "origin": "detected", "content_hash": "x", "created_at": ACCEPTED_AT, "updated_at": ACCEPTED_AT})
    cid = _candidate(db, NEW_PARK, "accepted", park_id="p045", reviewed_at=ACCEPTED_AT, province="河北", city="保定")
    db["park_aliases"].insert({"park_id": "p045", "alias": NEW_PARK, "alias_key": NEW_PARK, "source_kind": "review",
                               "source_ref": str(cid)})
    _mention(db, doc, candidate_id=cid, text=NEW_PARK, snippet=f"{NEW_PARK}于 2026 年 9 月 8 日开园 {SCRIPT}")
    _fact(db, doc, "opened_on", "2026 年 9 月 8 日", "2026-09-08", status="accepted", park_id="p045",
          candidate_id=cid, unit="date", qualifier="day")
    _fact(db, doc, "area_m2", "3 万平方米", 30000, status="accepted", park_id="p045", candidate_id=cid, unit="m2")
    _decision(db, "candidate", cid, "accept", ACCEPTED_AT, "p045")


def _merged_figure(db):
    doc = _doc(db, 2)
    cid = _candidate(db, "长沙区块链产业园区", "merged", park_id="p019", reviewed_at=MERGED_AT, province="湖南",
                     city="长沙")
    _mention(db, doc, candidate_id=cid, text="长沙区块链产业园区", snippet="园区目前已入驻企业超过 120 家")
    _fact(db, doc, "enterprises", "超过 120 家", 120, low=120, qualifier="at_least", status="accepted",
          park_id="p019", candidate_id=cid, evidence="园区目前已入驻企业超过 120 家")
    _decision(db, "candidate", cid, "merge", MERGED_AT, "p019")


def _unreviewed_and_rejected(db):
    doc = _doc(db, 3)
    rid = _candidate(db, REJECTED, "rejected", reviewed_at=REJECTED_AT)
    _mention(db, doc, candidate_id=rid, text=REJECTED, snippet=f"{REJECTED}揭牌")
    _fact(db, doc, "area_m2", "5 万平方米", 50000, status="detected", candidate_id=rid, unit="m2")
    _decision(db, "candidate", rid, "reject", REJECTED_AT)
    doc = _doc(db, 4, url="javascript:alert(2)")
    uid = _candidate(db, f"{UNREVIEWED}|{SCRIPT}", "new")
    _mention(db, doc, candidate_id=uid, text=UNREVIEWED, snippet=f"{UNREVIEWED}签约落地")
    _fact(db, doc, "signed_on", "2026 年 8 月", "2026-08-01", status="detected", candidate_id=uid, unit="date")
    _fact(db, doc, "enterprises", "30 家", 30, status="detected", park_id="p020")   # a census park, not reviewed


def _policy_and_fund(db):
    doc = _doc(db, 5)
    pid = db["policies"].insert({"policy_key": "policy:test", "title": "《雄安新区促进区块链产业发展若干措施》",
                                 "doc_number": "雄安〔2026〕3 号", "level": "city", "region": "河北",
                                 "source_kind": "document", "source_ref": str(doc), "document_id": doc,
                                 "content_hash": "p", "first_seen": POLICY_SEEN, "last_seen": POLICY_SEEN}).last_pk
    db["policy_documents"].insert({"policy_id": pid, "document_id": doc, "snippet": "印发若干措施"})
    fid = db["funds"].insert({"fund_key": "fund:test", "park_id": "p045", "name": "雄安区块链产业基金",
                              "amount": 2_000_000_000, "currency": "CNY", "raw": "20 亿元", "sponsors": '["雄安集团"]',
                              "source_kind": "document", "source_ref": str(doc), "document_id": doc,
                              "content_hash": "f", "first_seen": POLICY_SEEN, "last_seen": POLICY_SEEN}).last_pk
    db["fund_documents"].insert({"fund_id": fid, "document_id": doc, "snippet": "设立 20 亿元基金"})


@pytest.fixture
def store(census_db):
    db = census_db
    _accepted_park(db)
    _merged_figure(db)
    _unreviewed_and_rejected(db)
    _policy_and_fund(db)
    return db


def _enterprises(rep, pid="p019"):
    return next(r for r in rep["enterprises"] if r["id"] == pid)


# -- what the edition counts -------------------------------------------------------------------
def test_counts_exactly_the_reviewed_changes(store):
    rep = edition.build(store)
    t = rep["totals"]
    assert (t["parks"], t["parks_2020"], t["new_parks"], t["gov_led"]) == (45, 44, 1, 24)
    e = _enterprises(rep)
    assert (e["census"], e["current"], e["value"], e["change"]) == (">80", "超过 120 家", 120, "updated")
    assert e["sources"] == ["https://gov.example.cn/news/2.html"]
    assert _enterprises(rep, "p020")["value"] == 30 and _enterprises(rep, "p020")["change"] == ""  # detected: ignored
    prov = {r["province"]: r for r in rep["by_province"]}
    assert (prov["河北"]["parks_2020"], prov["河北"]["parks"], prov["河北"]["change"]) == (1, 2, 1)
    assert {r["year"]: r["parks"] for r in rep["by_year"]}[2026] == 1       # dated by its opening
    [new] = rep["new_parks"]
    assert (new["park"], new["province"], new["city"], new["opened"], new["area"]) == (
        NEW_PARK, "河北", "保定", "2026-09-08", "3 万平方米")
    assert new["sources"] == ["https://gov.example.cn/news/1.html"] and new["accepted"] == ACCEPTED_AT
    assert [p["title"] for p in rep["policies"]] == ["《雄安新区促进区块链产业发展若干措施》"]
    assert rep["funds"][0]["park"] == NEW_PARK and rep["funds"][0]["sources"] == ["https://gov.example.cn/news/5.html"]
    assert rep["candidates"] == [] and rep["unreviewed_facts"] == []
    text = repr(rep)
    assert REJECTED not in text and UNREVIEWED not in text


def test_claims_are_rerun_on_the_new_data(store):
    claims = {c["id"]: c for c in edition.build(store)["claims"]}
    assert claims["parks-total"]["data_2020"] == 44 and claims["parks-total"]["data"] == 45
    assert (claims["parks-total"]["agreed_2020"], claims["parks-total"]["holds"]) == ("yes", "no")
    assert claims["most-enterprises"]["holds"] == "no" and claims["most-enterprises"]["data"] == "长沙区块链产业园"
    assert claims["parks-over-100-enterprises"]["holds"] == "yes"
    assert claims["largest-fund"]["holds"] == "yes"


def test_include_candidates_adds_the_unreviewed_marked(store, tmp_path):
    rep = edition.build(store, include_candidates=True)
    assert rep["totals"]["parks"] == 45                                      # never counted
    [c] = rep["candidates"]
    assert c["name"].startswith(UNREVIEWED) and c["status"] == "unreviewed candidate" and c["year"] == 2026
    figures = {(f["park"], f["field"]) for f in rep["unreviewed_facts"]}
    assert figures == {(c["name"], "signed_on"), ("星沙区块链产业园", "enterprises")}
    assert all(f["status"] == "unreviewed (detected)" for f in rep["unreviewed_facts"])
    assert REJECTED not in repr(rep)
    assert {r["province"]: r["unreviewed"] for r in rep["by_province"]}["福建"] == 1
    page = publish.write(rep, tmp_path, "md")[0].read_text(encoding="utf-8")
    part = page.split("## UNREVIEWED candidates", 1)[1].split("\n## ", 1)[0]
    assert UNREVIEWED in part and "unreviewed candidate" in part
    assert UNREVIEWED not in page.split("## UNREVIEWED candidates", 1)[0]


def test_as_of_before_the_decisions_is_the_2020_state(store):
    rep = edition.build(store, as_of="2026-11-05")
    assert (rep["totals"]["parks"], rep["totals"]["new_parks"], rep["totals"]["updated_figures"]) == (44, 0, 0)
    assert _enterprises(rep)["current"] == ">80" and rep["new_parks"] == []
    assert rep["policies"] == [] and rep["funds"] == []
    assert all(c["holds"] == c["agreed_2020"] for c in rep["claims"])
    mid = edition.build(store, as_of="2026-11-10")                           # accepted that day, merged later
    assert mid["totals"]["parks"] == 45 and _enterprises(mid)["current"] == ">80"
    early = edition.build(store, as_of="2026-11-05", include_candidates=True)   # then still undecided
    assert sorted(c["name"] for c in early["candidates"]) == sorted(
        [NEW_PARK, "长沙区块链产业园区", f"{UNREVIEWED}|{SCRIPT}"])


# -- the page -------------------------------------------------------------------------------------
def _chart_refs(page: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', page)


def test_html_page_is_self_contained_and_its_charts_exist(store, tmp_path):
    out = tmp_path / "site"
    paths = publish.write(edition.build(store, include_candidates=True), out, "html")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert paths[0] == out / "index.html"
    refs = _chart_refs(page)
    assert len(refs) == 3 and all((out / r).is_file() and not Path(r).is_absolute() for r in refs)
    assert {out / r for r in refs} == set(paths[1:])
    assert "<script" not in page.lower() and "<link" not in page and "//cdn" not in page
    assert "<style>" in page


def test_crawled_text_is_escaped(store, tmp_path):
    rep = edition.build(store, include_candidates=True)
    page = publish.write(rep, tmp_path / "h", "html")[0].read_text(encoding="utf-8")
    assert SCRIPT not in page and html.escape(SCRIPT) in page
    assert 'href="javascript:' not in page and "javascript:alert(2)" in page   # shown, never a link
    assert '<a href="https://gov.example.cn/news/1.html"' in page
    md = publish.write(rep, tmp_path / "m", "md")[0].read_text(encoding="utf-8")
    assert SCRIPT not in md and "\\<script\\>" in md
    row = next(ln for ln in md.splitlines() if ln.startswith("| c") and UNREVIEWED in ln)
    assert len(re.findall(r"(?<!\\)\|", row)) == 10                         # 9 columns: the name's | is escaped
    assert "[https://gov.example.cn/news/1.html](https://gov.example.cn/news/1.html)" in md
    assert "](javascript:" not in md


# -- Chinese glyphs in the charts -------------------------------------------------------------
def _glyph_problems(svg: Path) -> list[str]:
    """Every CJK character of the chart's text must be drawn with a glyph of its own: with
    svg.fonttype 'path' each text is a comment holding the string and one <use> per character
    pointing at a glyph outline. A missing glyph is drawn as the same box (.notdef or matplotlib's
    last-resort font) for every character, so two different characters sharing one outline, or an
    empty outline, means boxes instead of text."""
    root = ET.parse(svg, parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    outlines = {p.get("id"): p.get("d") or "" for p in root.iter(f"{ns}path") if p.get("id")}
    seen: dict[str, str] = {}
    problems, cjk = [], 0
    for g in root.iter(f"{ns}g"):
        if not (g.get("id") or "").startswith("text_"):
            continue
        comment = next((c for c in g if c.tag is ET.Comment), None)
        text = html.unescape(comment.text.strip()) if comment is not None else ""
        uses = [u.get("{http://www.w3.org/1999/xlink}href")[1:] for u in g.iter(f"{ns}use")]
        if len(uses) != len(text):
            problems.append(f"{text!r}: {len(uses)} glyphs for {len(text)} characters")
            continue
        for ch, ref in zip(text, uses):
            if not "\u3400" <= ch <= "\u9fff":
                continue
            cjk += 1
            d = outlines.get(ref, "")
            if not d.strip():
                problems.append(f"{ch!r} has an empty glyph")
            owner = seen.setdefault(d, ch)
            if owner != ch:
                problems.append(f"{ch!r} and {owner!r} are drawn with the same glyph ({ref})")
    return problems if cjk else ["no CJK character found in the chart's text"]


def test_chart_labels_are_real_chinese_glyphs(store, tmp_path):
    rep = edition.build(store)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                     # "Glyph … missing from font(s)" fails too
        written = charts.write(rep, tmp_path / "charts")
    for c in written:
        assert _glyph_problems(c["path"]) == [], c["name"]


def test_the_glyph_check_fails_without_a_cjk_font(store, tmp_path):
    """The same charts drawn with DejaVu Sans (no CJK glyphs): the check must see the boxes."""
    rep = edition.build(store)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        written = charts.write(rep, tmp_path / "charts", family="DejaVu Sans")
    for c in written:
        problems = _glyph_problems(c["path"])
        assert any("same glyph" in p for p in problems), (c["name"], problems)


def test_missing_font_is_one_clear_line(store, tmp_path, monkeypatch):
    with pytest.raises(charts.FontMissing) as e:
        charts.cjk_family("No Such CJK Font")
    assert "fonts-noto-cjk" in str(e.value) and "\n" not in str(e.value)
    monkeypatch.setattr(charts, "CJK_FAMILY", "No Such CJK Font")
    path = store.conn.execute("PRAGMA database_list").fetchone()[2]
    res = CliRunner().invoke(cli, ["--db", path, "report", "--out", str(tmp_path / "r")])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.strip().splitlines() == [f"Error: {e.value}"]


# -- the command ---------------------------------------------------------------------------------
def test_cli_writes_the_html_edition(store, tmp_path):
    path = store.conn.execute("PRAGMA database_list").fetchone()[2]
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out = tmp_path / "out"
    proc = parkwatch("--db", path, "report", "--format", "html", "--out", out)
    written = proc.stdout.split()
    assert written[0] == str(out / "index.html") and all(Path(p).is_file() for p in written)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert NEW_PARK in page and "45 parks" in page and UNREVIEWED not in page
    assert all((out / r).is_file() for r in _chart_refs(page))
    census = parkwatch("--db", path, "report", "census", "--format", "json")   # the subcommand is unchanged
    assert '"parks": 45' in census.stdout
