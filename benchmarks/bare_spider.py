"""A bare Scrapy spider: fetches a list of URLs and does nothing else (the baseline)."""
import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls_file=None, **kw):
        super().__init__(**kw)
        self.urls = open(urls_file, encoding="utf-8").read().split()

    async def start(self):
        for u in self.urls:
            yield scrapy.Request(u, dont_filter=True)

    def parse(self, response):
        self.crawler.stats.inc_value("bare/pages")
