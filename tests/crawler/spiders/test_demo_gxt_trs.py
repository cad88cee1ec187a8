"""demo-gxt-trs: TRS WCM in GBK — createPageHTML pagination, relative tYYYYMMDD_<id> links,
.TRS_Editor bodies, metadata tables, attachments, pages with no or a wrong charset."""
import json
import sqlite3

from freezegun import freeze_time

from crawler.reading import article, encoding, lists, pagers
from pipeline.extract.published import parse_published
from pipeline.text.docnumber import parse_doc_number
from tests.conftest import crawl

from .pages_util import saved

SLUG = "demo-gxt-trs"


@freeze_time("2026-11-20")
def test_list_links_and_script_pagination():
    r = saved(SLUG, "xxgk/tzgg/index.html")
    links = lists.list_links(r, ("gxt.example.gov.cn",))
    assert len(links) == 12                       # 11 notices and one under /private/, no breadcrumbs
    assert len([link for link in links if "/xxgk/tzgg/20" in link["url"]]) == 11
    assert all(link["date"] for link in links)
    assert pagers.trs_next_page(r).endswith("/xxgk/tzgg/index_1.html")
    assert pagers.trs_next_page(saved(SLUG, "xxgk/tzgg/index_2.html")) is None


@freeze_time("2026-11-20")
def test_policy_page_fields():
    r = saved(SLUG, "xxgk/tzgg/202503/t20250307_1257330.html")
    f = article.detail_fields(r)
    assert f["body_from"] == "container"
    p = parse_published(f["date_candidates"], r.url)
    assert (p.date, p.source) == ("2025-03-07", "text")       # not 成文日期 2025-03-04
    assert parse_doc_number(f["meta_fields"]["发文字号"]) == "湘工信发〔2025〕12号"
    assert f["meta_fields"]["索引号"].startswith("114300000061423517")
    (att,) = f["attachments"]
    assert att["type"] == "pdf" and att["title"].startswith("附件")


@freeze_time("2026-11-20")
def test_gbk_page_without_any_charset_declaration():
    r = saved(SLUG, "xxgk/tzgg/202608/t20260812_1281740.html")
    fixed, enc, ratio = encoding.fix_encoding(r)
    assert enc == "gb18030" and ratio == 0
    assert "区块链" in article.detail_fields(fixed)["body"]


@freeze_time("2026-11-20")
def test_date_only_in_the_url():
    r = saved(SLUG, "xxgk/tzgg/202507/t20250708_1262300.html")
    f = article.detail_fields(encoding.fix_encoding(r)[0])
    p = parse_published(f["date_candidates"] + [("url", r.url)], r.url)
    assert (p.date, p.source) == ("2025-07-08", "url")


def test_crawl_obeys_robots_and_reads_all_pages(crawl_env):
    db, src = crawl_env
    fig = crawl(db, src, SLUG)["by_source"][SLUG]
    assert (fig["new"], fig["list_pages"], fig["robots_blocked"], fig["failed"]) == (33, 3, 1, 0)
    con = sqlite3.connect(db)
    encs = {e for (e,) in con.execute("SELECT DISTINCT encoding FROM documents WHERE source = ?", [SLUG])}
    assert encs <= {"gb18030", "gbk", "gb2312"}
    atts = [json.loads(a) for (a,) in con.execute("SELECT attachments FROM documents WHERE source = ?", [SLUG])]
    types = {a["type"] for lst in atts for a in lst}
    assert {"pdf", "doc", "docx", "wps", "xls", "zip"} <= types
    assert con.execute("SELECT count(*) FROM fetches WHERE reason = 'forbidden by robots.txt' AND final = 1").fetchone()[0] == 1
