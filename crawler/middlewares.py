"""Downloader middlewares: the fetch log, challenge detection, retries with backoff, redirects
that stay on the source's origins, and robots.txt Crawl-delay."""
from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import time
from urllib.parse import urljoin, urlsplit

from protego import Protego
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.misc import load_object

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


def _origin(url: str) -> tuple[str, str, int]:
    p = urlsplit(url)
    return p.scheme, (p.hostname or "").lower(), p.port or (443 if p.scheme == "https" else 80)


class OriginMiddleware:
    """A redirect must stay on the source's origins (scheme, host and port of its start URLs, or a
    host of its allowed_domains on its default port): a redirect to another host, or to another
    port of the same host, is refused with the reason, never fetched and stored under the source."""

    @classmethod
    def from_crawler(cls, crawler):
        m = cls()
        m.crawler = crawler
        return m

    def _allowed(self, url: str) -> bool:
        source = self.crawler.spider.source
        scheme, host, port = _origin(url)
        if (scheme, host, port) in source.origins:
            return True
        default = port == (443 if scheme == "https" else 80)
        return default and scheme in ("http", "https") and any(
            host == d or host.endswith("." + d) for d in source.allowed_domains)

    def process_response(self, request, response):
        if not (300 <= response.status < 400) or b"Location" not in response.headers \
                or request.meta.get("dont_obey_robotstxt"):
            return response
        target = urljoin(request.url, response.headers[b"Location"].decode("latin-1").strip())
        if not self._allowed(target):
            request.meta["parkwatch_reason"] = f"off-origin redirect to {target[:200]}"
            raise IgnoreRequest(request.meta["parkwatch_reason"])
        return response


class CrawlDelayMiddleware:
    """robots.txt Crawl-delay for our user agent, honoured per host: the host's download slot
    waits at least that long between requests, and AutoThrottle may not lower it."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.agent = crawler.settings.get("USER_AGENT") or "parkwatch"
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if request.url.endswith("/robots.txt") and response.status == 200:
            try:
                delay = Protego.parse(response.text).crawl_delay(self.agent)
            except (AttributeError, ValueError, UnicodeDecodeError):
                delay = None
            if delay:
                self.delays[_origin(request.url)[1]] = float(delay)
        return response

    def process_request(self, request):
        delay = self.delays.get(_origin(request.url)[1])
        if delay:
            request.meta["autothrottle_dont_adjust_delay"] = True
            key = request.meta.get("download_slot") or urlsplit(request.url).hostname
            slot = self.crawler.engine.downloader.slots.get(key)
            if slot is not None:
                slot.delay = max(slot.delay, delay)
                slot.jitter = 0.0
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
            store.count("challenge")
            raise IgnoreRequest(f"challenge-protected: HTTP {response.status}")
        return response


def retry_after(value: bytes | None, at: dt.datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for: delta-seconds or an HTTP date."""
    if not value:
        return None
    v = value.decode("latin-1").strip()
    if v.isdigit():
        return float(v)
    try:
        when = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - (at or dt.datetime.now(dt.timezone.utc))).total_seconds())


class BackoffRetryMiddleware:
    """Retries (5xx, 429, timeouts) with exponential backoff and Retry-After, through Scrapy's
    public get_retry_request. A Retry-After beyond the cap is not retried early: the page
    is given up with that reason."""

    def __init__(self, crawler):
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_retry_times = s.getint("RETRY_TIMES")
        self.retry_http_codes = {int(x) for x in s.getlist("RETRY_HTTP_CODES")}
        self.exceptions_to_retry = tuple(load_object(x) if isinstance(x, str) else x
                                         for x in s.getlist("RETRY_EXCEPTIONS"))
        self.base = s.getfloat("PARKWATCH_BACKOFF_BASE", 2.0)
        self.cap = s.getfloat("PARKWATCH_BACKOFF_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _retry(self, request, reason):
        return get_retry_request(request, spider=self.crawler.spider, reason=reason,
                                 max_retry_times=request.meta.get("max_retry_times", self.max_retry_times))

    def _delay(self, request) -> float:
        return min(self.cap, self.base * (2 ** request.meta.get("retry_times", 0)))

    async def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        delay = self._delay(request)
        if response.status in (429, 503):
            asked = retry_after(response.headers.get(b"Retry-After"))
            if asked is not None and asked > self.cap:
                request.meta["parkwatch_reason"] = (f"HTTP {response.status} with Retry-After {asked:.0f} s, "
                                                    f"beyond the {self.cap:.0f} s cap: not retried early")
                return response
            delay = max(delay, asked or 0)
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request, exception):
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await asyncio.sleep(self._delay(request))
        return retry
