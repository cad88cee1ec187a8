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
        self.store.ingest(item)
        return item


class RedisQueuePipeline:
    """scrapy-redis mode: every item goes to the Redis list `<slug>:items`, from which
    `parkwatch ingest` stores it (one writer for the SQLite store, any number of crawlers).
    scrapy-redis's own pipeline does the connection, key and serialization; it is imported here
    only, so other crawls never load it (≈70 ms)."""

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy_redis.pipelines import RedisPipeline
        p = cls()
        p.crawler, p.redis = crawler, RedisPipeline.from_settings(crawler.settings)
        return p

    def process_item(self, item):
        r = self.redis
        r.server.rpush(r.item_key(item, self.crawler.spider), r.serialize(item))
        CrawlStore.of(self.crawler).count("queued")
        return item
