"""The monitoring loop's writers at once on one store: a crawl storing pages while a reviewer
accepts candidates and the cycle's extraction rereads everything — no "database is locked", no
decision lost, no page lost."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import yaml

from crawler.mirror import server
from crawler.mirror.generate import trs_site
from tests.conftest import REPO, cli_env, parkwatch

PLACES = ["芜湖", "南通", "宁德", "遵义", "柳州", "绵阳", "九江", "烟台", "潍坊", "湘潭", "宜昌", "莆田"]


def _docs():
    return [{"url": f"https://news.example.cn/c/{i}.html", "published": "2026-11-10",
             "title": f"{p}数智链谷区块链产业园开园", "body": f"11月9日，{p}数智链谷区块链产业园正式开园，首批入驻企业{10 + i}家。"}
            for i, p in enumerate(PLACES)]


def _run(args, env, out: dict, key: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "pipeline.app", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=240)
    out.setdefault(key, []).append(proc)


def test_a_crawl_a_reviewer_and_extraction_at_once(tmp_path):
    db = tmp_path / "s.db"
    parkwatch("--db", db, "baseline", "load")
    docs = tmp_path / "docs.yaml"
    docs.write_text(yaml.safe_dump(_docs(), allow_unicode=True), encoding="utf-8")
    parkwatch("--db", db, "import", docs, "--source", "hand")
    ids = [c["id"] for c in __import__("json").loads(parkwatch("--db", db, "review", "list", "--kind", "candidate",
                                                               "--format", "json").stdout)]
    assert len(ids) == len(PLACES)

    root = tmp_path / "site"
    trs_site(root, 120, slug="load-trs", host="load.example.gov.cn")
    src = tmp_path / "sources.yaml"
    src.write_text("sources:\n  - slug: load-trs\n    kind: listing\n    start_urls: ['http://load.example.gov.cn/xxgk/"
                   "tzgg/index.html']\n    politeness: {download_delay: 0, concurrency: 8, timeout: 10}\n",
                   encoding="utf-8")
    mirror = server.serve(root=root)
    try:
        env, out = cli_env(mirror), {}
        crawler = threading.Thread(target=_run, args=(["--db", db, "crawl", "--sources", src], env, out, "crawl"))

        def review():
            for i in ids:
                _run(["--db", db, "review", "accept", i, "--reviewer", "anna"], env, out, "review")

        def extraction():
            for _ in range(3):
                _run(["--db", db, "extract", "--rerun"], env, out, "extract")
        threads = [crawler, threading.Thread(target=review), threading.Thread(target=extraction)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        mirror.stop()
    procs = [p for ps in out.values() for p in ps]
    assert len(procs) == 1 + len(ids) + 3
    for p in procs:
        assert p.returncode == 0, (p.args, p.stderr[-1500:])
        assert "locked" not in p.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM decisions WHERE action = 'accept'").fetchone()[0] == len(ids)
    assert con.execute("SELECT count(*) FROM parks WHERE origin = 'detected'").fetchone()[0] == len(ids)
    assert con.execute("SELECT count(*) FROM documents WHERE source = 'load-trs'").fetchone()[0] == 120
    # the decisions held through the rereads: every adopted figure is still the park's and accepted
    assert con.execute("SELECT count(*) FROM facts WHERE field = 'enterprises' AND status = 'accepted' "
                       "AND superseded_at IS NULL AND park_id IN (SELECT id FROM parks WHERE origin = 'detected')"
                       ).fetchone()[0] == len(ids)
