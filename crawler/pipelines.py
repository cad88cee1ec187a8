"""Scrapy item pipelines: thin adapters from spider items to pipeline/ and db/.

(Not to be confused with the `pipeline` package, which holds the parsing and storage
logic these adapters call.)
"""
from __future__ import annotations

from .store import CrawlStore


class StorePipeline:
    """Hands every RawDocument / NotModified item to pipeline.documents via the crawl store."""

    @classmethod
    def from_crawler(cls, crawler):
        p = cls()
        p.crawler = crawler
        return p

    def open_spider(self):
        self.store = CrawlStore.of(self.crawler)

    def process_item(self, item):
        outcome = self.store.ingest(item)
        self.crawler.stats.inc_value(f"parkwatch/{outcome}")
        return item
