"""Incremental crawling where it used to stop too early or cost too much: keyword-filtered list
pages, a permanently dead link, a Hanweb column whose inline records are all known."""
import sqlite3

from crawler.mirror import server
from tests.conftest import crawl

from .sites import HOST, registry, trs_list_site


def test_a_page_whose_links_were_all_filtered_out_does_not_stop_pagination(tmp_path):
    pages = [[("101", "关于做好秋季防火工作的通知"), ("102", "关于开展安全生产检查的通知")],
             [("201", "关于支持区块链产业园建设的通知")]]
    trs_list_site(tmp_path, pages)
    src = registry(tmp_path, keywords=["区块链"])
    db = tmp_path / "k.db"
    m = server.serve(root=tmp_path)
    try:
        assert crawl(db, src, mirror=m)["by_source"]["edge"]["new"] == 1
        # a new matching article pushed to page 2; page 1 still holds only filtered links
        pages[1].insert(0, ("202", "区块链产业园入驻企业名单公示"))
        trs_list_site(tmp_path, pages)
        out = crawl(db, src, mirror=m)
    finally:
        m.stop()
    assert out["by_source"]["edge"]["new"] == 1
    assert sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def test_a_dead_link_costs_the_recrawl_nothing(tmp_path):
    pages = [[(str(100 + i), f"区块链产业园建设通知第{i}号") for i in range(10)],
             [(str(200 + i), f"区块链产业园建设通知第{10 + i}号") for i in range(10)]]
    trs_list_site(tmp_path, pages, routes="routes:\n  - path: /xxgk/202611/t20261101_105.html\n    status: 500\n")
    src = registry(tmp_path)
    db = tmp_path / "d.db"
    m = server.serve(root=tmp_path)
    try:
        first = crawl(db, src, mirror=m, check=False)
        assert first["returncode"] == 3 and first["by_source"]["edge"]["new"] == 19
        before = len(m.requests)
        again = crawl(db, src, mirror=m)
        paths = sorted(r["path"] for r in m.requests[before:])
    finally:
        m.stop()
    # robots.txt and the first list page: the failed URL waits for its next try and counts as known
    assert paths == ["/robots.txt", "/xxgk/index.html"] and again["returncode"] == 0
    assert again["by_source"]["edge"]["skipped_failing"] == 1
    row = sqlite3.connect(db).execute("SELECT failures, status, reason FROM url_failures").fetchone()
    assert row == (1, "failing", "HTTP 500")


def test_a_hanweb_column_with_all_inline_records_known_posts_nothing(tmp_path):
    records = "".join(f"<record><![CDATA[<li><a href='/art/2026/11/{d}/art_77_{d}.html'>区块链产业园通知第{d}号</a>"
                      f"<span>2026-11-{d:02d}</span></li>]]></record>" for d in range(1, 4))
    column = (f"<html><body><div id='77'><script type='text/xml'><datastore><recordset>{records}</recordset>"
              "</datastore></script></div><script>$('#77').jpage({url:'/module/web/jpage/dataproxy.jsp',"
              "columnid:77, webid:1, perpage:15});</script></body></html>")
    site = trs_list_site(tmp_path, [[]], routes="routes:\n  - path: /module/web/jpage/dataproxy.jsp\n    handler: "
                 "hanweb-dataproxy\n    records: _records/col77.txt\n", extra={"col.html": column})
    (site / "_records").mkdir()
    (site / "_records" / "col77.txt").write_text("\n".join(
        f"<li><a href='/art/2026/11/{d}/art_77_{d}.html'>区块链产业园通知第{d}号</a><span>2026-11-{d:02d}</span></li>"
        for d in range(1, 4)) + "\n", encoding="utf-8")
    for d in range(1, 4):
        (site / "art" / "2026" / "11" / str(d)).mkdir(parents=True)
        (site / "art" / "2026" / "11" / str(d) / f"art_77_{d}.html").write_text(
            f"<html><head><title>区块链产业园通知第{d}号</title></head><body><div id='zoom'><p>某市区块链产业园区"
            f"第{d}号通知正文。</p></div></body></html>", encoding="utf-8")
    src = tmp_path / "sources.yaml"
    src.write_text(f"sources:\n  - slug: edge\n    kind: listing\n    start_urls: ['http://{HOST}/col.html']\n"
                   "    politeness: {download_delay: 0, concurrency: 2, timeout: 5}\n", encoding="utf-8")
    db = tmp_path / "h.db"
    m = server.serve(root=tmp_path)
    try:
        assert crawl(db, src, mirror=m)["by_source"]["edge"]["new"] == 3
        before = len(m.requests)
        crawl(db, src, mirror=m)
        again = [r for r in m.requests[before:]]
    finally:
        m.stop()
    assert [r["method"] for r in again if "dataproxy" in r["path"]] == []
