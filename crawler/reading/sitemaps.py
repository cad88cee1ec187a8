"""XML sitemaps and sitemap indexes, read with Scrapy's own Sitemap (gzip and robots.txt too)."""
from __future__ import annotations

from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

MAX_SITEMAP_BYTES = 50 * 1024 * 1024   # the sitemap protocol's own limit, also after gunzip


def _body(response: Response) -> bytes | None:
    body = response.body
    if gzip_magic_number(response):
        try:
            return gunzip(body, max_size=MAX_SITEMAP_BYTES)
        except (OSError, ValueError):
            return None
    return body


def sitemap_entries(response: Response) -> tuple[str, list[dict]]:
    """('index', child sitemaps) or ('urlset', pages) with their lastmod; a robots.txt
    gives its Sitemap: lines as an index."""
    if response.url.endswith("/robots.txt"):
        urls = sitemap_urls_from_robots(response.text, base_url=response.url)
        return "index", [{"url": u, "date": None, "title": None} for u in urls]
    body = _body(response)
    if not body:
        return "urlset", []
    try:
        sm = Sitemap(body)
    except Exception:  # lxml raises several types on a body that is not XML at all
        return "urlset", []
    kind = "index" if sm.type == "sitemapindex" else "urlset"
    out = [{"url": response.urljoin(e["loc"]), "date": e.get("lastmod") or None, "title": None}
           for e in sm if e.get("loc")]
    return kind, out
