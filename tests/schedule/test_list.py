"""`schedule --list` without a scheduler, and the user's mistakes: one line, a non-zero exit."""
import json

from pipeline.schedule.listing import COLUMNS
from tests.conftest import parkwatch

from .conftest import QUICK, source, write_registry


def test_list_shows_every_job_without_creating_anything(tmp_path):
    db = tmp_path / "none.db"
    src = write_registry(tmp_path / "sources.yaml", [source("edge", "http://edge.example.gov.cn/"),
                                                     source("slow", "http://slow.example.gov.cn/", schedule="15 4 * * 1")])
    proc = parkwatch("--db", db, "schedule", "--sources", src, "--list", "--format", "json", "--cycle", "0 9 * * *")
    rows = json.loads(proc.stdout)
    assert [r["id"] for r in rows] == ["crawl:edge", "crawl:slow", "cycle"]
    assert all(list(r) == COLUMNS for r in rows)
    assert set(COLUMNS) >= {"id", "trigger", "next_run", "last_status"}
    by_id = {r["id"]: r for r in rows}
    assert by_id["crawl:slow"]["trigger"] == "15 4 * * 1" and by_id["cycle"]["trigger"] == "0 9 * * *"
    assert by_id["crawl:edge"]["trigger"] == "0 6 * * *"          # the registry's default
    assert by_id["crawl:slow"]["next_run"][11:16] == "04:15" and by_id["crawl:edge"]["state"] == "new"
    assert by_id["cycle"]["kind"] == "cycle" and by_id["crawl:edge"]["source"] == "edge"
    assert list(tmp_path.iterdir()) == [tmp_path / "sources.yaml"]   # no store, job store or lock made
    table = parkwatch("--db", db, "schedule", "--sources", src, "--list").stdout
    assert table.splitlines()[0].split()[:5] == ["id", "kind", "source", "trigger", "next_run"]


def test_mistakes_are_one_line(tmp_path):
    src = write_registry(tmp_path / "sources.yaml", [source("edge", "http://edge.example.gov.cn/")])
    for args, code, words in [(["--cycle", "61 * * * *"], 2, "not a cron expression"),
                              (["--cycle", "every day"], 2, "not a cron expression"),
                              (["nope"], 1, "unknown source(s): nope"),
                              (["--cycle-command", "python -c 'unclosed"], 2, "not a command line"),
                              (["--timeout", "0"], 2, "--timeout")]:
        proc = parkwatch("--db", tmp_path / "x.db", "schedule", "--sources", src, "--cycle-command", QUICK, *args,
                         "--list", check=False)
        assert proc.returncode == code, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and words in proc.stderr, (args, proc.stderr)
    assert not (tmp_path / "x.db").exists()
