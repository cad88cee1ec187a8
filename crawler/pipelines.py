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


class RedisQueuePipeline:
    """scrapy-redis mode: every item goes to the Redis list `<slug>:items`, from which
    `parkwatch ingest` stores it (one writer for the SQLite store, any number of crawlers)."""

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy_redis.pipelines import RedisPipeline
        p = cls()
        p.crawler = crawler
        p.queue = RedisPipeline.from_crawler(crawler)
        return p

    def process_item(self, item):
        self.queue._process_item(item, self.crawler.spider)
        CrawlStore.of(self.crawler).counts["queued"] += 1
        return item
