"""demo-chainnews-rss: RSS 2.0 and Atom entries."""
from scrapy.http import XmlResponse

from crawler.reading import feeds
from pipeline.extract.published import parse_published
from tests.conftest import crawl

from .pages_util import saved

SLUG = "demo-chainnews-rss"


def test_rss_and_atom_entries():
    for path in ("rss.xml", "atom.xml"):
        entries = feeds.feed_entries(saved(SLUG, path, cls=XmlResponse))
        assert len(entries) == 15, path
        assert all(e["url"].startswith("http://www.chainnews.example.cn/news/") for e in entries)
        p = parse_published([("feed", entries[0]["date"])])
        assert p and p.date.startswith("2026-11")


def test_crawl_follows_entries_to_the_news_site(crawl_env):
    db, src = crawl_env
    fig = crawl(db, src, SLUG)["by_source"][SLUG]
    assert fig["new"] == 15 and fig["failed"] == 0
