"""The base of every source spider: known-URL bookkeeping, detail pages, errors.

A concrete spider class per source is made by crawler.spiderloader from the
registry entry; one base class per source kind decides how lists are read.
"""
from __future__ import annotations

import gzip
import re
import time
import zlib

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import TextResponse
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.web._newclient import ResponseFailed

from db.store import now
from pipeline.extract.relevance import matches

from ..items import NotModified, RawDocument
from ..reading.article import detail_fields
from ..reading.encoding import fix_encoding
from ..sources import Source
from ..store import CrawlStore

DEFAULT_MAX_PAGES = 100


# download errors by what they mean to a reader of `parkwatch runs`
_REASONS = ((DownloadTimeoutError, "timeout"), (TxTimeoutError, "timeout"),
            (ResponseDataLossError, "body cut short (truncated, or the connection was reset)"),
            (DownloadConnectionRefusedError, "connection refused"), (CannotResolveHostError, "host not found"),
            (ConnectionLost, "connection reset mid-body"), (ConnectionDone, "connection closed mid-body"),
            (ConnectionRefusedError, "connection refused"), (ResponseFailed, "connection reset mid-body"),
            (DownloadCancelledError, "oversize: larger than the source's max_page_bytes"),
            (zlib.error, "decompression error"), (gzip.BadGzipFile, "decompression error"),
            (EOFError, "decompression error"))


def reason_of(failure) -> str:
    exc = failure.value
    for cls, word in _REASONS:
        if isinstance(exc, cls):
            return word
    if isinstance(exc, IgnoreRequest) and "max redirections" in str(exc):
        return "redirect loop (too many redirections)"
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}"[:300] if msg else type(exc).__name__


def _header(response, name: str) -> str | None:
    v = response.headers.get(name)
    return v.decode("latin-1") if v else None


class SourceSpider(scrapy.Spider):
    source: Source
    kind_name = "base"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = CrawlStore.of(crawler)
        spider.check_only = crawler.settings.getbool("PARKWATCH_CHECK")
        refetch = crawler.settings.get("PARKWATCH_REFETCH")
        spider.refetch = refetch or spider.source.refetch
        spider.revisit_days = 0 if refetch else spider.source.revisit_days
        crawler.signals.connect(spider._callback_error, signal=signals.spider_error)
        crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        if crawler.settings.get("REDIS_URL"):
            # scrapy-redis: stay up while the shared queue may still receive requests
            spider._idle_since = None
            crawler.signals.connect(spider._redis_idle, signal=signals.spider_idle)
        elif not spider.check_only:
            crawler.signals.connect(spider._recheck_idle, signal=signals.spider_idle)
        return spider

    def _recheck_idle(self):
        """Once the lists are read: the stored pages no list showed this time, the stalest first
        (at most PARKWATCH_RECHECK of them, due by revisit_days), are fetched again — a 404/410
        means the page is gone (flagged, never deleted), anything else is read as usual."""
        if self._rechecked or not self.listed or self.refetch == "never":
            return
        self._rechecked = True
        limit = self.crawler.settings.getint("PARKWATCH_RECHECK", 20)
        due = sorted(((k.last_seen, url) for url, k in self.known.items()
                      if url not in self.listed and url not in self.scheduled and k.stale(self.revisit_days)))
        for _, url in due[:limit]:
            self.store.count("rechecked")
            self.scheduled.add(url)
            self.crawler.engine.crawl(scrapy.Request(
                url, callback=self.parse_recheck, errback=self.on_error,
                meta={"link": {"url": url}, "via": "recheck", "handle_httpstatus_list": [304, 404, 410],
                      "max_retry_times": 0}))
        if due[:limit]:
            raise DontCloseSpider

    def parse_recheck(self, response):
        if response.status in (404, 410):
            self.store.gone(url=response.meta["link"]["url"], status=response.status)
            return
        yield from self.parse_detail(response)

    def _redis_idle(self):
        wait = self.crawler.settings.getfloat("PARKWATCH_REDIS_IDLE", 10)
        now = time.monotonic()
        if self.crawler.engine and self.crawler.engine.slot and self.crawler.engine.slot.scheduler.has_pending_requests():
            self._idle_since = None
            raise DontCloseSpider
        if self._idle_since is None:
            self._idle_since = now
        if now - self._idle_since < wait:
            raise DontCloseSpider

    def _callback_error(self, failure, response, spider):
        """An exception inside a callback: the page is lost, with the reason."""
        req = response.request
        url = (req.meta.get("link") or {}).get("url") or req.url
        self.store.count("failed")
        self.store.lost(url=url, method=req.method, status=response.status, reason=f"parse error: {reason_of(failure)}",
                        detail="link" in req.meta)

    def _dropped(self, request, spider):
        """The scheduler dropped a request (duplicate filter): a redirect back to a page already asked for."""
        chain = request.meta.get("redirect_urls") or []
        if not chain:
            return
        self.store.count("failed")
        reason = "redirect loop" if request.url in chain else f"redirect to an already requested page {request.url}"
        self.store.lost(url=chain[0], method=request.method, reason=reason, detail="link" in request.meta)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheduled: set[str] = set()
        self.listed: set[str] = set()          # the URLs this crawl's lists showed
        self._rechecked = False
        self.known: dict = {}
        self.failing: dict = {}
        self.incremental = False
        self.allowed_domains = list(self.source.domains)

    async def start(self):
        self.known = self.store.known(self.name)
        self.failing = self.store.failing(self.name)
        # a forced re-fetch revisits every page, so it paginates to the end
        self.incremental = (not self.check_only and not self.crawler.settings.get("PARKWATCH_REFETCH")
                            and self.store.backfill_complete(self.name))
        for req in self.first_requests():
            yield req

    def first_requests(self):
        for url in self.source.start_urls:
            yield self.list_request(url, page=1)

    def list_request(self, url, page=1, **kw):
        kw.setdefault("callback", self.parse_list)
        meta = {"page": page, **kw.pop("meta", {})}
        return scrapy.Request(url, errback=self.on_error, meta=meta, dont_filter=True, **kw)

    def parse_list(self, response):  # overridden per kind
        raise NotImplementedError

    # -- links ----------------------------------------------------------------------------
    def follow_links(self, links: list[dict], via: str):
        """Detail requests for a list page's links; returns (requests, all_known)."""
        reqs, followed, known = [], 0, 0
        for link in links:
            url = link["url"]
            if self.source.follow and not re.search(self.source.follow, url):
                continue
            if not matches(link.get("title") or "", self.source.keywords):
                self.store.count("filtered")
                continue
            followed += 1
            self.listed.add(url)
            if url in self.known or self._failing_not_due(url):
                known += 1
            if self.check_only:
                self.store.count("items")
                continue
            req = self.detail_request(link, via)
            if req is not None:
                reqs.append(req)
        # a page whose links were all filtered out by `keywords` says nothing about what is known
        return reqs, followed > 0 and followed == known

    def _failing_not_due(self, url: str) -> bool:
        f = self.failing.get(url)
        return f is not None and f["next_try"] > now()

    def detail_request(self, link: dict, via: str):
        url = link["url"]
        if url in self.scheduled:
            return None
        self.scheduled.add(url)
        if url in self.failing and url not in self.known:
            if self._failing_not_due(url):
                self.store.count("skipped_failing")
                return None
            # it failed before: one attempt now, not the whole retry ladder again
            return scrapy.Request(url, callback=self.parse_detail, errback=self.on_error,
                                  meta={"link": link, "via": via, "max_retry_times": 0})
        k = self.known.get(url)
        headers = {}
        if k is not None:
            if self.refetch == "never" or (self.refetch == "conditional" and not k.stale(self.revisit_days)):
                self.store.count("skipped_known")
                return None
            if self.refetch == "conditional":
                if k.etag:
                    headers["If-None-Match"] = k.etag
                if k.last_modified:
                    headers["If-Modified-Since"] = k.last_modified
        return scrapy.Request(url, callback=self.parse_detail, errback=self.on_error, headers=headers,
                              meta={"link": link, "via": via, "handle_httpstatus_list": [304]})

    # -- detail pages ---------------------------------------------------------------------
    def parse_detail(self, response):
        link = response.meta.get("link") or {}
        # identity is the URL as linked, not where a redirect ended
        url = link.get("url") or (response.meta.get("redirect_urls") or [response.url])[0]
        if response.status == 304:
            yield NotModified(self.name, url, _header(response, "ETag"), _header(response, "Last-Modified"))
            return
        if not isinstance(response, TextResponse):
            ctype = _header(response, "Content-Type") or "no Content-Type"
            self.store.count("failed")
            self.store.lost(url=url, method=response.request.method, status=response.status,
                            reason=f"not a text page ({ctype[:60]})", detail=True)
            return
        response, encoding, ratio = fix_encoding(response, self.source.encoding)
        f = detail_fields(response, self.source.selectors)
        cands = list(f["date_candidates"])
        if link.get("date"):
            cands.append((link.get("date_from") or "list", link["date"]))
        cands.append(("url", url))
        yield RawDocument(
            source=self.name, url=url, title=f["title"] or link.get("title"), body=f["body"] or "",
            date_candidates=cands, list_title=link.get("title"), final_url=response.url,
            attachments=f["attachments"], meta_fields=f["meta_fields"], encoding=encoding, bad_char_ratio=ratio,
            etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"),
            fetched_at=now(), status=response.status)

    def on_error(self, failure):
        req = failure.request
        exc = failure.value
        status = getattr(getattr(exc, "response", None), "status", None)
        detail = req.callback == self.parse_detail
        url = (req.meta.get("link") or {}).get("url") or (req.meta.get("redirect_urls") or [req.url])[0]
        if failure.check(IgnoreRequest) and not req.meta.get("parkwatch_reason"):
            if "robots.txt" in str(exc):
                self.store.count("robots_blocked")
                self.store.lost(url=url, method=req.method, reason="forbidden by robots.txt")
                return
            if "challenge-protected" in str(exc):
                self.store.lost(url=url, method=req.method, status=status, reason=str(exc), detail=detail)
                return
        reason = req.meta.get("parkwatch_reason") or (f"HTTP {status}" if status else reason_of(failure))
        self.store.count("failed")
        self.store.lost(url=url, method=req.method, status=status, reason=reason, detail=detail)
        self.logger.warning("failed %s page %s: %s", "detail" if detail else "list", url, reason)

    # -- pagination helpers ---------------------------------------------------------------
    @property
    def max_pages(self) -> int:
        return int(self.source.pagination.get("max_pages") or DEFAULT_MAX_PAGES)

    def should_continue(self, page: int, all_known: bool, nothing: bool = False) -> bool:
        if nothing:
            return False
        if self.check_only:
            return False            # a check reads the first page only
        if self.incremental and all_known:
            return False            # the rest was read by an earlier, complete crawl
        if page >= self.max_pages:
            self.store.cut_short = True
            return False
        return True
