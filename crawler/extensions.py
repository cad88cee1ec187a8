"""Progress lines during long crawls (parkwatch crawl turns them on)."""
from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from .store import CrawlStore


class Progress:
    def __init__(self, crawler, interval):
        self.crawler, self.interval, self.loop = crawler, interval, None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("PARKWATCH_PROGRESS_INTERVAL")
        if not interval:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider):
        self.loop = task.LoopingCall(self.tick, spider)
        self.loop.start(self.interval, now=False)

    def tick(self, spider):
        f = CrawlStore.of(self.crawler).figures()
        print(f"  {spider.name}: {f['fetched']} fetched, {f['new']} new, {f['changed']} changed, "
              f"{f['unchanged']} unchanged, {f['failed']} failed", file=sys.stderr, flush=True)

    def closed(self, spider):
        if self.loop and self.loop.running:
            self.loop.stop()
