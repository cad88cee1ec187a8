"""Politeness per host, across sources of one crawl, and robots.txt Crawl-delay."""
from crawler.mirror import server
from tests.conftest import crawl

from .sites import HOST, registry, trs_list_site


def _max_in_flight(requests) -> int:
    events = sorted([(r["at"], 1) for r in requests] + [(r["done"], -1) for r in requests])
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


def test_three_sources_on_one_host_share_its_limit(tmp_path):
    # three columns of one site, each a source with concurrency 2; every article answers slowly
    pages = {c: [[(f"{c}{i:02d}", f"区块链产业园栏目{c}通知第{i}号") for i in range(6)]] for c in "abc"}
    for c, p in pages.items():
        trs_list_site(tmp_path / c, p, routes="routes:\n  - path: /xxgk/202611/.*\n    delay: 0.3\n")
    # one saved site per host: merge the three columns under one folder
    site = tmp_path / "site" / "edge"
    for c in "abc":
        (site / c).mkdir(parents=True)
        for f in (tmp_path / c / "edge" / "xxgk").rglob("*.html"):
            rel = f.relative_to(tmp_path / c / "edge" / "xxgk")
            (site / c / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / c / rel).write_bytes(f.read_bytes())
    (site / "_meta.yaml").write_text((tmp_path / "a" / "edge" / "_meta.yaml").read_text(encoding="utf-8").replace(
        "/xxgk/202611/.*", "/[abc]/202611/.*"), encoding="utf-8")
    src = registry(tmp_path, [{"slug": f"col-{c}", "kind": "listing", "start_urls": [f"http://{HOST}/{c}/index.html"],
                               "politeness": {"download_delay": 0, "concurrency": 2, "timeout": 10}} for c in "abc"])
    m = server.serve(root=tmp_path / "site")
    try:
        out = crawl(tmp_path / "p.db", src, mirror=m)
        articles = [r for r in m.requests if "/202611/" in r["path"]]
    finally:
        m.stop()
    assert all(out["by_source"][f"col-{c}"]["new"] == 6 for c in "abc")
    assert len(articles) == 18 and _max_in_flight(articles) <= 2


def test_crawl_delay_is_honoured(tmp_path):
    pages = [[(f"{i:03d}", f"区块链产业园通知第{i}号") for i in range(5)]]
    trs_list_site(tmp_path, pages, robots="User-agent: *\\nCrawl-delay: 1\\nDisallow:\\n")
    src = registry(tmp_path)
    m = server.serve(root=tmp_path)
    try:
        out = crawl(tmp_path / "d.db", src, mirror=m)
        starts = [r["at"] for r in m.requests if r["path"] != "/robots.txt"]
    finally:
        m.stop()
    assert out["by_source"]["edge"]["new"] == 5
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(gaps) == 5 and min(gaps) >= 0.95, gaps
