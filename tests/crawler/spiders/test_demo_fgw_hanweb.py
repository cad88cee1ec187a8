"""demo-fgw-hanweb: Hanweb JCMS — the list only exists behind the data proxy."""
from freezegun import freeze_time

from crawler.reading import article, pagers
from pipeline.extract.published import parse_published
from tests.conftest import crawl

from .pages_util import saved

SLUG = "demo-fgw-hanweb"


def test_data_proxy_parameters_from_the_column_page():
    r = saved(SLUG, "col/col1234/index.html")
    url, params = pagers.hanweb_request(r)
    assert url.endswith("/module/web/jpage/dataproxy.jsp")
    assert (params["columnid"], params["unitid"], params["perpage"]) == ("1234", "5678", "15")


def test_data_proxy_records():
    xml = ('<datastore><totalrecord>40</totalrecord><recordset><record><![CDATA[<li><a href="/art/2026/11/3/'
           'art_1234_1.html">标题</a><span>2026-11-03</span></li>]]></record></recordset></datastore>')
    recs, total = pagers.hanweb_records(xml)
    assert total == 40 and recs[0].startswith("<li>")


@freeze_time("2026-11-20")
def test_article_fields():
    r = saved(SLUG, "art/2026/3/27/art_1234_567655.html")
    f = article.detail_fields(r)
    p = parse_published(f["date_candidates"], r.url)
    assert p.date == "2026-03-27"
    assert f["body"] and "区块链" in f["body"]


def test_crawl_posts_to_the_data_proxy(crawl_env, mirror):
    db, src = crawl_env
    before = len(mirror.requests)
    fig = crawl(db, src, SLUG)["by_source"][SLUG]
    assert fig["new"] == 40 and fig["failed"] == 0
    posts = [r for r in mirror.requests[before:] if r["site"] == SLUG and r["method"] == "POST"]
    assert len(posts) == 1            # 45 records per request, 40 in all
