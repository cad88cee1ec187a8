"""Downloader middlewares: the fetch log, challenge detection, retries with backoff."""
from __future__ import annotations

import asyncio
import time

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest

from .store import CrawlStore


class FetchLogMiddleware:
    """Every attempt (responses, errors, robots.txt) goes to the fetches table."""

    @classmethod
    def from_crawler(cls, crawler):
        m = cls()
        m.crawler = crawler
        return m

    @property
    def store(self) -> CrawlStore:
        return CrawlStore.of(self.crawler)

    def process_request(self, request):
        request.meta.setdefault("parkwatch_t0", time.monotonic())
        return None

    def process_response(self, request, response):
        t0 = request.meta.get("parkwatch_t0")
        dur = time.monotonic() - t0 if t0 else request.meta.get("download_latency")
        self.store.fetch(url=request.url, method=request.method, status=response.status, nbytes=len(response.body),
                         duration=dur)
        request.meta.pop("parkwatch_t0", None)
        if request.url.endswith("/robots.txt"):
            self.store.robots = {200: "ok 200"}.get(response.status, f"{'missing' if response.status == 404 else 'http'}"
                                                                     f" {response.status}")
        return response

    def process_exception(self, request, exception):
        t0 = request.meta.pop("parkwatch_t0", None)
        name = type(exception).__name__
        msg = str(exception).strip()
        self.store.fetch(url=request.url, method=request.method, error=f"{name}: {msg}"[:300] if msg else name,
                         duration=time.monotonic() - t0 if t0 else None)
        if request.url.endswith("/robots.txt"):
            self.store.robots = f"error {name}"
        return None


CHALLENGE_MARKERS = (b"$_ts", b"__jsl_clearance", b"_$", b"challenge", b"cdn_cgi")


class ChallengeMiddleware:
    """412 / 521 JavaScript cookie challenges: recorded as the source's status, never bypassed."""

    statuses = {412, 512, 521}

    @classmethod
    def from_crawler(cls, crawler):
        m = cls()
        m.crawler = crawler
        return m

    def process_response(self, request, response):
        if response.status in self.statuses:
            marker = next((m.decode() for m in CHALLENGE_MARKERS if m in response.body[:20000]), None)
            store = CrawlStore.of(self.crawler)
            what = f"HTTP {response.status}" + (f" ({marker} script)" if marker else "") + f" at {request.url}"
            if "link" in request.meta:
                store.challenged_pages.append(what)      # one article behind a challenge
            else:
                store.challenge = what                   # the list itself: the whole source
            store.counts["challenge"] += 1
            self.crawler.stats.inc_value("parkwatch/challenge")
            raise IgnoreRequest(f"challenge-protected: HTTP {response.status}")
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, 429, timeouts) with exponential backoff and Retry-After."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("PARKWATCH_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("PARKWATCH_BACKOFF_MAX", 60.0)

    def _delay(self, request, response=None) -> float:
        n = request.meta.get("retry_times", 0)
        delay = min(self.cap, self.base * (2 ** n))
        if response is not None and response.status in (429, 503):
            ra = response.headers.get(b"Retry-After")
            if ra and ra.strip().isdigit():
                delay = min(self.cap, max(delay, float(ra)))
        return delay

    async def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await asyncio.sleep(self._delay(request, response))
        return retry

    async def process_exception(self, request, exception):
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await asyncio.sleep(self._delay(request))
        return retry
