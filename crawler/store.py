"""The crawl's handle on the store: one per crawler, shared by its spider, item pipeline,
middlewares and extensions. It owns the run bookkeeping; every figure of a crawl is a
Scrapy stat under `parkwatch/` (one counter, read back by `figures()`)."""
from __future__ import annotations

import logging
import sqlite3
import time

from scrapy import signals
from twisted.internet import task

from db import documents as doc_store
from db import runs
from db.store import now, open_db
from db.vocab import RunKind, RunStatus, SourceStatus
from pipeline.extract.document import flags_of
from pipeline.load import documents

FLUSH_EVERY = 200             # fetch rows: written at most this many at a time …
FLUSH_SECONDS = 2.0           # … and at least this often, so a kill -9 loses only the last seconds
log = logging.getLogger(__name__)
FIGURES = ("requests", "fetched", "new", "changed", "unchanged", "not_modified", "flagged", "failed",
           "write_failed", "skipped_known", "skipped_failing", "filtered", "robots_blocked", "challenge",
           "list_pages", "queued", "rechecked", "gone")


class CrawlStore:
    @classmethod
    def of(cls, crawler) -> "CrawlStore":
        store = getattr(crawler, "_parkwatch_store", None)
        if store is None:
            store = cls(crawler)
            crawler._parkwatch_store = store
        return store

    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.db = open_db(s.get("PARKWATCH_DB"))
        self.check_only = s.getbool("PARKWATCH_CHECK")
        run_id = s.getint("PARKWATCH_RUN_ID", 0)
        self.own_run = not run_id and not self.check_only
        self.run_id = run_id or None
        self.fetch_rows: list[dict] = []
        self.failure_rows: list[dict] = []
        self.retry_hours = s.getfloat("PARKWATCH_FAILURE_RETRY_HOURS", 24.0)
        self.gone_after = s.getint("PARKWATCH_GONE_AFTER", 5)
        self.robots: str | None = None
        self.challenge: str | None = None
        self.challenged_pages: list[str] = []
        self.cut_short = False           # pagination stopped by max_pages: backfill not complete
        self.first_loss: str | None = None
        self.started = time.monotonic()
        self._timer = None           # made at spider_opened: a LoopingCall needs the installed reactor
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    def _opened(self, spider):
        self._timer = task.LoopingCall(self.flush)
        self._timer.start(FLUSH_SECONDS, now=False)

    @property
    def slug(self) -> str:
        return self.crawler.spider.name

    def count(self, name: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"parkwatch/{name}", n)

    def ensure_run(self) -> int | None:
        if self.run_id is None and not self.check_only:
            self.run_id = runs.start_run(self.db, RunKind.CRAWL, [self.slug])
        return self.run_id

    # -- reads ----------------------------------------------------------------------------
    def known(self, slug: str) -> dict:
        return {} if self.check_only else documents.known_documents(self.db, slug)

    def failing(self, slug: str) -> dict:
        return {} if self.check_only else runs.url_failures(self.db, slug)

    def backfill_complete(self, slug: str) -> bool:
        return bool(runs.source_state(self.db, slug).get("backfill_complete"))

    # -- writes ---------------------------------------------------------------------------
    def ingest(self, item) -> str:
        """Store one item. A write that fails even after the busy timeout is counted, logged with
        its URL and recorded as a lost page: the run and the exit code say so."""
        from .items import NotModified
        if self.check_only:
            self.count("items")
            return "checked"
        run_id = self.ensure_run()
        try:
            if isinstance(item, NotModified):
                outcome = doc_store.mark_seen(self.db, item.source, item.url, etag=item.etag,
                                              last_modified=item.last_modified, run_id=run_id)
                self.count("not_modified")
            else:
                outcome = documents.ingest(self.db, item.__dict__, run_id=run_id)
        except sqlite3.Error as err:
            log.warning("write failed for %s: %s", item.url, err)
            self.count("write_failed")
            self.lost(url=item.url, method="GET", reason=f"write failed: {err}")
            return "failed"
        self.count(outcome)
        if outcome == "flagged":
            flags = flags_of(item.__dict__, item.body or "")
            self.lost(url=item.url, method="GET", status=item.status, reason=f"stored flagged: {', '.join(flags)}")
        else:   # how the URL ended: stored (one final row per URL, like a lost one)
            self._log(url=item.url, method="GET", status=304 if isinstance(item, NotModified) else item.status,
                      final=1)
        return outcome

    def fetch(self, *, url, method, status=None, nbytes=None, duration=None, error=None) -> None:
        """One attempt (a response or a download error) of the fetch log."""
        self.count("requests")
        if status is not None:
            self.count("fetched")
        if error:
            self.count("fetch_errors")
        self._log(url=url, method=method, status=status, bytes=nbytes, error=error,
                  duration_ms=int(duration * 1000) if duration is not None else None)

    def lost(self, *, url, method, reason: str, status=None, error=None, detail: bool = False) -> None:
        """How a URL ended when it was not stored cleanly: one final row with the reason. A lost
        article (detail) is remembered, so later runs retry it with a growing interval."""
        self._log(url=url, method=method, status=status, error=error, reason=reason, final=1)
        self.first_loss = self.first_loss or f"{reason} at {url}"
        if detail:
            self.failure_rows.append({"source": self.slug, "url": url, "reason": reason})

    def gone(self, *, url, status) -> None:
        """A known page that left its list answers 404/410: flagged gone in the store, with one
        final fetch row saying so (not a loss: the page is not there any more)."""
        if self.check_only:
            return
        if doc_store.mark_gone(self.db, self.slug, url):
            self.count("gone")
        self._log(url=url, method="GET", status=status, reason="gone: left its list and answers "
                  f"{status}; flagged, not deleted", final=1)

    def _log(self, **row) -> None:
        self.fetch_rows.append({"run_id": None, "source": self.slug, "at": now(), **row})
        if len(self.fetch_rows) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.check_only or not (self.fetch_rows or self.failure_rows):
            self.fetch_rows.clear()
            return
        run_id = self.ensure_run()
        rows, failures = self.fetch_rows, self.failure_rows
        self.fetch_rows, self.failure_rows = [], []
        for r in rows:
            r["run_id"] = run_id
        try:
            runs.log_fetches(self.db, rows)
            runs.record_failures(self.db, failures, retry_hours=self.retry_hours, gone_after=self.gone_after)
        except sqlite3.Error as err:   # keep them for the next flush rather than lose them
            log.warning("fetch log not written yet (%s); retrying", err)
            self.fetch_rows[:0], self.failure_rows[:0] = rows, failures

    def figures(self) -> dict:
        stats = self.crawler.stats
        fig = {k: stats.get_value(f"parkwatch/{k}", 0) for k in FIGURES}
        fig["items"] = (stats.get_value("parkwatch/items", 0) + sum(fig[k] for k in
                        ("new", "changed", "unchanged", "flagged", "queued")))
        fig["robots"] = self.robots
        fig["seconds"] = round(time.monotonic() - self.started, 2)
        return fig

    def _status(self, fig: dict) -> tuple[str, str | None]:
        if self.challenge:
            return SourceStatus.CHALLENGE, self.challenge
        if fig["items"] == 0 and fig["fetched"] == 0:
            return SourceStatus.FAILING, f"nothing could be fetched ({self.first_loss or 'no response'})"
        if fig["items"] == 0 and not fig["skipped_known"]:
            return SourceStatus.EMPTY, "no items found"
        return SourceStatus.OK, (f"{len(self.challenged_pages)} page(s) challenge-protected"
                                 if self.challenged_pages else None)

    def _closed(self, spider, reason):
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()
        fig = self.figures()
        fig["finish_reason"] = reason
        status, detail = self._status(fig)
        fig["why"] = detail or self.first_loss
        self.crawler.stats.set_value("parkwatch/figures", fig)
        if self.check_only:
            return
        run_id = self.ensure_run()
        fields = {"kind": getattr(spider, "kind_name", None), "status": status, "status_detail": detail,
                  "robots": self.robots, "last_run": run_id}
        if status == SourceStatus.OK:
            fields["last_ok"] = now()
            # a lost write means the source has not been read completely
            if reason == "finished" and not self.cut_short and not fig["write_failed"]:
                fields["backfill_complete"] = 1
        runs.set_source(self.db, self.slug, **fields)
        runs.add_source_stats(self.db, run_id, self.slug, {**fig, "status": status})
        if self.own_run:
            runs.finish_run(self.db, run_id, run_status(reason, [{**fig, "status": status}]))
        self.db.close()


def run_status(finish_reason: str, figures: list[dict]) -> RunStatus:
    """The truth about a run: interrupted; failed (a source failed, was challenge-protected or
    lost a write); partial (pages were lost); or ok."""
    if finish_reason != "finished":
        return RunStatus.INTERRUPTED
    if any(f.get("status") in (SourceStatus.FAILING, SourceStatus.CHALLENGE) or f.get("write_failed")
           for f in figures):
        return RunStatus.FAILED
    if any(f.get("failed") for f in figures):
        return RunStatus.PARTIAL
    return RunStatus.OK
