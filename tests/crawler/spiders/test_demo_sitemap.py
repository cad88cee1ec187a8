"""demo-sitemap: a sitemap index and two urlsets; only /news/ pages are followed."""
from scrapy.http import XmlResponse

from crawler.reading import sitemaps
from tests.conftest import crawl

from .pages_util import saved

SLUG = "demo-sitemap"


def test_sitemap_index_and_urlset():
    kind, entries = sitemaps.sitemap_entries(saved(SLUG, "sitemap.xml", cls=XmlResponse))
    assert kind == "index" and len(entries) == 2
    kind, entries = sitemaps.sitemap_entries(saved(SLUG, "sitemap-news.xml", cls=XmlResponse))
    assert kind == "urlset" and all(e["date"] for e in entries)


def test_crawl_reads_index_children_and_follows_news_only(crawl_env):
    db, src = crawl_env
    fig = crawl(db, src, SLUG)["by_source"][SLUG]
    assert fig["new"] == 20 and fig["list_pages"] == 3
