"""Scrapy item pipelines: thin adapters from spider items to pipeline/ and db/.

(Not to be confused with the `pipeline` package, which holds the parsing and storage
logic these adapters call.)
"""
from __future__ import annotations

import functools

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


@functools.cache
def _redis_queue_pipeline():
    from scrapy_redis.pipelines import RedisPipeline

    class RedisQueuePipeline(RedisPipeline):
        """scrapy-redis mode: every item goes to the Redis list `<slug>:items`, from which
        `parkwatch ingest` stores it (one writer for the SQLite store, any number of crawlers)."""

        @classmethod
        def from_crawler(cls, crawler):
            p = cls.from_settings(crawler.settings)
            p.crawler = crawler
            return p

        def process_item(self, item):
            spider = self.crawler.spider
            self.server.rpush(self.item_key(item, spider), self.serialize(item))
            CrawlStore.of(self.crawler).count("queued")
            return item

    RedisQueuePipeline.__module__, RedisQueuePipeline.__qualname__ = __name__, "RedisQueuePipeline"
    return RedisQueuePipeline


def __getattr__(name):
    # scrapy-redis (and redis) load only for `crawl --redis`: ≈70 ms of every other crawl's start
    if name == "RedisQueuePipeline":
        return _redis_queue_pipeline()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
