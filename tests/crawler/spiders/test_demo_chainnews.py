"""demo-chainnews: a news list with 下一页 links (frozen pages, then a crawl of the mirror)."""
from freezegun import freeze_time

from crawler.reading import article, lists, pagers
from pipeline.extract.published import parse_published
from tests.conftest import crawl

from .pages_util import saved

SLUG = "demo-chainnews"


@freeze_time("2026-11-20")
def test_list_page_links_and_next_page():
    r = saved(SLUG, "news/blockchain/index.html")
    links = lists.list_links(r, ("chainnews.example.cn",))
    assert len(links) == 12
    assert all("/news/20" in link["url"] for link in links)
    assert all(link["date"] for link in links)
    assert pagers.next_link(r).endswith("/news/blockchain/list_2.html")
    last = saved(SLUG, "news/blockchain/list_3.html")
    assert pagers.next_link(last) is None


@freeze_time("2026-11-20")
def test_detail_page_fields():
    r = saved(SLUG, "news/2026/1105/12345.html")
    f = article.detail_fields(r)
    assert "链谷" in f["title"]
    assert f["body_from"] == "container" and "区块链" in f["body"]
    assert "热门文章" not in f["body"]
    p = parse_published(f["date_candidates"], r.url)
    assert (p.date, p.source) == ("2026-11-05", "meta")


@freeze_time("2026-11-20")
def test_date_from_byline_when_no_meta():
    r = saved(SLUG, "news/2026/0312/12240.html")
    f = article.detail_fields(r)
    p = parse_published(f["date_candidates"], r.url)
    assert (p.date, p.source) == ("2026-03-12", "text")


def test_crawl_stores_every_article(crawl_env):
    db, src = crawl_env
    out = crawl(db, src, SLUG)
    fig = out["by_source"][SLUG]
    assert (fig["new"], fig["failed"], fig["list_pages"]) == (34, 0, 3)
    assert fig["status"] == "ok" and fig["robots"] == "ok 200"
