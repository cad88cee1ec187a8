"""The census as baseline: counts, normalized table values, spellings, idempotency, atomicity."""
import csv
import shutil
from pathlib import Path

import pytest

from db.store import open_db
from pipeline.load.baseline import BaselineError, baseline_dir, load, read_rows
from pipeline.resolve.resolver import Park, Resolver

HERE = Path(__file__).parent


def test_44_parks_23_government_led(census_db):
    assert census_db.execute("SELECT count(*) FROM parks").fetchone()[0] == 44
    assert census_db.execute("SELECT count(*) FROM parks WHERE gov_led").fetchone()[0] == 23


def test_founding_dates_parsed_at_month_precision(census_db):
    rows = {r["id"]: r for r in census_db.query("SELECT * FROM parks")}
    assert rows["p001"]["founded"] == "2016-06-01" and rows["p001"]["founded_precision"] == "month"
    assert rows["p038"]["founded"] == "2017-04-01"
    assert all(r["founded_precision"] == "month" for r in rows.values())


def _expected():
    with (HERE / "expected_values.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(s):
    return None if s == "" else int(s)


@pytest.mark.parametrize("exp", _expected(), ids=lambda e: f"{e['table']}:{e['seq']}")
def test_table_values_normalized(census_db, exp):
    ref = f"census2020:{exp['table']}:{exp['seq']}"
    rows = list(census_db.query("SELECT * FROM facts WHERE source_ref = ?", [ref]))
    assert len(rows) == 1, ref
    f = rows[0]
    assert (f["park_id"], f["field"]) == (exp["park_id"], exp["field"])
    assert (f["value"] if f["qualifier"] == "exact" else f["low"]) == int(exp["value"])
    assert (f["low"], f["high"]) == (_num(exp["low"]), _num(exp["high"]))
    assert f["qualifier"] == exp["qualifier"]
    assert f["tranche"] == _num(exp["tranche"])
    assert f["raw"] and f["evidence"]


def test_money_is_exact_integer_yuan(census_db):
    for (v,) in census_db.execute("SELECT value FROM facts WHERE field = 'fund_yuan'"):
        assert isinstance(v, int)


def _all_spellings():
    """Every park name as written in any census table or prose row."""
    folder = baseline_dir()
    out = []
    for name, col in [("parks.csv", "name"), ("gov_led.csv", "name"), ("areas.csv", "name"),
                      ("enterprises.csv", "name"), ("funds.csv", "name"), ("events.csv", "park"),
                      ("prose_facts.csv", "park"), ("policies.csv", "park")]:
        for line, r in read_rows(folder, name):
            if r[col]:
                out.append((name, line, r[col]))
    return out


def test_every_spelling_resolves_to_exactly_one_park_and_is_kept(census_db):
    aliases = {}
    for r in census_db.query("SELECT park_id, alias FROM park_aliases"):
        aliases.setdefault(r["alias"], set()).add(r["park_id"])
    for file, line, spelling in _all_spellings():
        assert len(aliases.get(spelling, ())) == 1, f"{file}:{line} {spelling}"


# the spellings the census uses for the same park, by the park's row in table 1-1
SAME_PARK = [
    ("p034", ["上海市北区区块链生态谷", "上海市北区块链生态谷"]),
    ("p035", ["成都成华区区块链产业园", "成都成华区块链产业园", "成华区块链产业园"]),
    ("p044", ["重庆市区区块链产业创新基地 （重庆市数字经济区块链产业园）", "重庆市区块链产业创新基地",
              "重庆市数字经济（区块链）产业园", "重庆市数字经济区块链产业园"]),
    ("p021", ["娄底市区块链产业园", "娄底市区块链产业园（湖南省区块链产业园）"]),
    ("p020", ["星沙区块链产业园", "湖南星沙区块链产业园"]),
    ("p023", ["苏州高铁新城“链谷”", "苏州高铁新城的“链谷”", "苏州高铁新城\"链谷\""]),
    ("p037", ["中国杭州区块链产业园", "杭州区块链产业园"]),
    ("p038", ["杭州西溪谷区块链产业园", "西溪谷区块链产业园"]),
    ("p006", ["广东金融高新区“区块链+” 金融科技产业孵化中心", "广东金融高新区“区块链+”金融科技产业孵化中心"]),
    ("p010", ["广州城投·中关村 e 谷区块链孵化园 （黄埔链谷）", "广州城投·中关村e谷区块链孵化园（黄埔链谷）", "黄埔链谷"]),
    ("p033", ["亚太区块链中心（APBC）", "APBC"]),
    ("p032", ["上海智力产业园天空区块链孵化基地"]),
    ("p028", ["青岛市北区“链湾”", "青岛市北区“链湾”（山东“区块链+创新应用基地”）"]),
]


def _resolver(db):
    r = Resolver()
    for p in db.query("SELECT * FROM parks"):
        r.add_park(Park(p["id"], p["province"], p["city"], []))
    for a in db.query("SELECT park_id, alias FROM park_aliases WHERE source_ref LIKE '%table-1-1%'"):
        r.add_alias(a["park_id"], a["alias"])
    return r


@pytest.mark.parametrize("park_id,spellings", SAME_PARK, ids=[p for p, _ in SAME_PARK])
def test_resolver_maps_spellings_from_table_1_1_names_alone(census_db, park_id, spellings):
    """Not a lookup of the census: only the 44 names of table 1-1 are known here."""
    r = _resolver(census_db)
    for s in spellings:
        assert r.resolve(s).park_id == park_id, s


@pytest.mark.parametrize("mention", ["区块链产业园", "高新园区", "长沙高新区区块链产业园", "杭州某某区块链小镇",
                                     "深圳前海区块链产业园"])
def test_resolver_refuses_generic_or_unknown_names(census_db, mention):
    assert not _resolver(census_db).resolve(mention)


def test_no_alias_key_points_at_two_parks(census_db):
    rows = census_db.execute(
        "SELECT alias_key, count(DISTINCT park_id) FROM park_aliases GROUP BY alias_key HAVING count(DISTINCT park_id) > 1"
    ).fetchall()
    assert rows == []


def _dump(db):
    return [line for line in db.conn.iterdump()]


def test_second_load_changes_nothing(census_db):
    before = _dump(census_db)
    stats = load(census_db)
    assert stats.new == stats.changed == 0
    assert _dump(census_db) == before


def _broken_copy(tmp_path, file, mutate):
    folder = tmp_path / "baseline"
    shutil.copytree(baseline_dir(), folder)
    path = folder / file
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = mutate(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("file,mutate,message", [
    ("areas.csv", lambda ls: ls[:5] + [ls[5].replace("12 万平方米", "十二块地")] + ls[6:], "areas.csv:6: cannot read area_m2"),
    ("funds.csv", lambda ls: ls + ["10,不存在的区块链产业园,3 亿"], "funds.csv:11: park '不存在的区块链产业园' does not resolve"),
    ("parks.csv", lambda ls: ls[:3] + [ls[3].replace("2020 年 6 月", "")] + ls[4:], "parks.csv:4: empty founded"),
    ("enterprises.csv", lambda ls: ls + ["17,武汉区块链产业园"], "enterprises.csv:18: wrong number of fields"),
])
def test_malformed_row_reports_file_line_reason_and_changes_nothing(census_db, tmp_path, file, mutate, message):
    folder = _broken_copy(tmp_path, file, mutate)
    census_db.execute("UPDATE parks SET city = '北京' WHERE id = 'p001'")  # any state to preserve
    before = _dump(census_db)
    with pytest.raises(BaselineError) as err:
        load(census_db, folder)
    assert message in str(err.value)
    assert _dump(census_db) == before


def test_malformed_row_on_empty_store_leaves_it_empty(db_path, tmp_path):
    folder = _broken_copy(tmp_path, "gov_led.csv", lambda ls: ls + ["星沙区块链产业园,2018 年,8 月"])
    db = open_db(db_path)
    with pytest.raises(BaselineError, match="gov_led.csv:25: '星沙区块链产业园' is listed twice"):
        load(db, folder)
    assert db.execute("SELECT count(*) FROM parks").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == 0
