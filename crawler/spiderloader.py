"""Spiders from the source registry: one spider class per configured source.

`scrapy list` lists every source of the registry ($PARKWATCH_SOURCES, -s
PARKWATCH_SOURCES=FILE, or crawler/sources.yaml); `scrapy crawl <slug>` crawls one.
"""
from __future__ import annotations

from . import sources as registry
from .spiders.feed import FeedSpider
from .spiders.jsonapi import JsonApiSpider
from .spiders.listing import ListingSpider
from .spiders.sitemap import SitemapSpider

BASES = {"listing": ListingSpider, "feed": FeedSpider, "sitemap": SitemapSpider, "json-api": JsonApiSpider}


def spider_class(src: registry.Source, contact: str | None = None):
    settings = {}
    pol = src.politeness or {}
    if pol.get("download_delay") is not None:
        # AutoThrottle starts from the source's own delay, and adapts from there
        settings["DOWNLOAD_DELAY"] = settings["AUTOTHROTTLE_START_DELAY"] = float(pol["download_delay"])
    if pol.get("concurrency") is not None:
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = int(pol["concurrency"])
    if pol.get("timeout") is not None:
        settings["DOWNLOAD_TIMEOUT"] = float(pol["timeout"])
    settings["DOWNLOAD_MAXSIZE"] = src.max_page_bytes
    if contact:
        settings["USER_AGENT"] = f"parkwatch/0.1 (+{contact})"
    name = "".join(p.capitalize() for p in src.slug.split("-")) + "Spider"
    return type(name, (BASES[src.kind],), {"name": src.slug, "source": src, "custom_settings": settings,
                                           "__module__": __name__})


class SourceSpiderLoader:
    """Implements scrapy.spiderloader.SpiderLoaderProtocol from the source registry."""

    def __init__(self, settings):
        self.registry = registry.load(settings.get("PARKWATCH_SOURCES") or None)
        self._classes = {slug: spider_class(src, self.registry.contact) for slug, src in self.registry.sources.items()}

    @classmethod
    def from_settings(cls, settings):
        return cls(settings)

    def load(self, spider_name):
        try:
            return self._classes[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self):
        return sorted(self._classes)

    def find_by_request(self, request):
        from urllib.parse import urlsplit
        host = urlsplit(request.url).hostname or ""
        return [s for s, c in self._classes.items() if host in c.source.domains]
