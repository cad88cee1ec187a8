"""XML sitemaps and sitemap indexes."""
from __future__ import annotations

from ..reading.sitemaps import sitemap_entries
from .base import SourceSpider


class SitemapSpider(SourceSpider):
    kind_name = "sitemap"

    def parse_list(self, response):
        self.store.count("list_pages")
        kind, entries = sitemap_entries(response)
        if kind == "index":
            for e in entries:
                yield self.list_request(e["url"], page=response.meta.get("page", 1))
            return
        for e in entries:
            e["date_from"] = "list"
            e["title"] = e.get("title") or ""
        reqs, _ = self.follow_links(entries, via=response.url)
        yield from reqs
