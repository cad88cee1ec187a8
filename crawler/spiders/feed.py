"""RSS and Atom feeds: entries give the links, titles and dates."""
from __future__ import annotations

from ..reading.feeds import feed_entries
from .base import SourceSpider


class FeedSpider(SourceSpider):
    kind_name = "feed"

    def parse_list(self, response):
        self.store.count("list_pages")
        entries = feed_entries(response)
        for e in entries:
            e["date_from"] = "feed"
        # a feed's links may point to another host (the site it syndicates)
        reqs, _ = self.follow_links(entries, via=response.url)
        yield from reqs
