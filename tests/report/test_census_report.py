"""parkwatch report census: figures from the store, and the claims check."""
import json

from click.testing import CliRunner

from db.store import open_db
from pipeline.app.main import cli
from pipeline.report import census_report as report


def test_report_json_keys_and_figures(census_db):
    rep = report.build(census_db)
    for key in ("parks", "gov_led", "provinces", "by_province", "by_city", "by_year", "gov_led_by_province", "claims"):
        assert key in rep
    assert (rep["parks"], rep["gov_led"], rep["provinces"]) == (44, 23, 20)
    by_prov = {r["province"]: r["parks"] for r in rep["by_province"]}
    assert by_prov["广东"] == by_prov["浙江"] == 7
    assert {r["city"]: r["parks"] for r in rep["by_city"]}["广州"] == 6
    by_year = {r["year"]: r["parks"] for r in rep["by_year"]}
    assert by_year == {2016: 2, 2017: 15, 2018: 19, 2019: 3, 2020: 5}
    gl = {r["province"]: r["gov_led"] for r in rep["gov_led_by_province"]}
    assert (gl["浙江"], gl["湖南"], gl["上海"], gl["广东"]) == (4, 3, 3, 2)
    grid = {r["month"]: r for r in rep["gov_led_grid"]["rows"]}
    assert sorted(grid[10]["2018"]) == sorted(["中国东盟区块链产业园", "海南自贸区（港）区块链试验区",
                                              "曹妃甸大数据区块链产业园", "亚太区块链中心（APBC）"])
    assert all(not grid[m][y] for m in (1, 2, 3) for y in ("2017", "2018", "2019", "2020"))


def test_report_follows_the_data_not_constants(census_db):
    census_db.execute("UPDATE parks SET status = 'rejected' WHERE id = 'p009'")  # a Guangzhou park
    rep = report.build(census_db)
    assert rep["parks"] == 43
    assert {r["city"]: r["parks"] for r in rep["by_city"]}["广州"] == 5


def test_claims_check_finds_the_reports_contradictions(census_db):
    claims = {c["id"]: c for c in report.build(census_db)["claims"]}
    for c in claims.values():
        assert set(c) >= {"claim", "report", "data", "agrees"}
    assert claims["provinces-covered"]["report"] == 19 and claims["provinces-covered"]["data"] == 20
    assert claims["provinces-covered"]["agrees"] is False
    assert claims["founded-2017-2018"]["data"] == 34 and claims["founded-2017-2018"]["agrees"] is False
    assert claims["parks-over-100-enterprises"]["agrees"] is False
    wrong = sorted(k for k, c in claims.items() if c["agrees"] is False)
    assert wrong == ["founded-2017-2018", "parks-over-100-enterprises", "provinces-covered"]
    assert claims["parks-total"]["agrees"] and claims["gov-led-total"]["agrees"]
    assert claims["largest-fund"]["data"] == 200_000_000_000


def test_cli_report_formats(census_db):
    path = census_db.conn.execute("PRAGMA database_list").fetchone()[2]
    runner = CliRunner()
    res = runner.invoke(cli, ["--db", path, "report", "census", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["parks"] == 44 and isinstance(data["claims"], list)
    for fmt in ("table", "csv", "md"):
        res = runner.invoke(cli, ["--db", path, "report", "census", "--format", fmt])
        assert res.exit_code == 0 and "广州" in res.output


def test_cli_parks_listing(census_db):
    path = census_db.conn.execute("PRAGMA database_list").fetchone()[2]
    res = CliRunner().invoke(cli, ["--db", path, "parks", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = {r["id"]: r for r in json.loads(res.output)}
    assert len(rows) == 44
    r = rows["p030"]
    assert r["fund_yuan"] == 5_000_000_000 and r["enterprises"] == 50 and r["enterprises_qualifier"] == "at_least"
    assert r["area_m2"] == 25000 and r["gov_led"] is True
    assert "table census2020:table-2-5:3" in r["fund_evidence"]


def test_report_on_empty_store_is_a_clean_error(db_path):
    res = CliRunner().invoke(cli, ["--db", str(db_path), "report", "census"])
    assert res.exit_code == 1 and "no store at" in res.output and "Traceback" not in res.output
    assert not db_path.exists()                      # a read-only command makes no store
    open_db(db_path).close()
    res = CliRunner().invoke(cli, ["--db", str(db_path), "report", "census"])
    assert res.exit_code == 1
    assert "baseline load" in res.output and "Traceback" not in res.output
