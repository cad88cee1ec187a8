"""Scrapy settings for parkwatch (the crawler/ project). Politeness first."""
import os

from scrapy.settings.default_settings import EXTENSIONS_BASE as _SCRAPY_EXTENSIONS

BOT_NAME = "parkwatch"
SPIDER_LOADER_CLASS = "crawler.spiderloader.SourceSpiderLoader"
PARKWATCH_SOURCES = os.environ.get("PARKWATCH_SOURCES")   # None: crawler/sources.yaml
PARKWATCH_DB = os.environ.get("PARKWATCH_DB")             # None: ./parkwatch.db

# identify ourselves; a source file's `defaults.contact` replaces the URL
USER_AGENT = "parkwatch/0.1 (+https://github.com/parkwatch/parkwatch)"
ROBOTSTXT_OBEY = True

# politeness: at most 2 requests at a time per site, adapting to its latency
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.5

# government sites are slow: long timeouts, retries with backoff (5xx, 429, timeouts)
DOWNLOAD_TIMEOUT = 45
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
PARKWATCH_BACKOFF_BASE = float(os.environ.get("PARKWATCH_BACKOFF_BASE", "2.0"))
PARKWATCH_BACKOFF_MAX = 60.0
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024     # a source's max_page_bytes replaces it
DOWNLOAD_WARNSIZE = 0

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.CrawlDelayMiddleware": 120,      # after robots.txt (100) is read
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.OriginMiddleware": 650,          # sees a 3xx before RedirectMiddleware (600)
    "crawler.middlewares.ChallengeMiddleware": 940,
    "crawler.middlewares.FetchLogMiddleware": 950,
}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
# no remote control of a crawl: the telnet console and the remote-control extension (which
# runs Python sent to a local port and leaves job files behind) are off — left out of the base
# list, not set to None there, so their modules (and aiohttp, ≈0.1 s a crawl) are never imported
_REMOTE = ("scrapy.extensions.telnet.TelnetConsole", "scrapy.extensions.remote_control.RemoteControl")
EXTENSIONS_BASE = {k: v for k, v in _SCRAPY_EXTENSIONS.items() if k not in _REMOTE}
EXTENSIONS = {"crawler.extensions.Progress": 500}

# a callback yields one item or a page of links: 100 parallel output workers per response
# (Scrapy's default) cost more CPU than the items themselves
CONCURRENT_ITEMS = 4
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
PARKWATCH_PROGRESS_INTERVAL = 0    # seconds between progress lines; 0 = off
