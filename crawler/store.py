"""The crawl's handle on the store: one per crawler, shared by its spider, item pipeline,
middlewares and extensions. It owns the run bookkeeping; every figure of a crawl is a
Scrapy stat under `parkwatch/` (one counter, read back by `figures()`)."""
from __future__ import annotations

import time

from scrapy import signals

from db import documents as doc_store
from db import runs
from db.store import now, open_db
from db.vocab import RunKind, RunStatus, SourceStatus
from pipeline.load import documents

FLUSH_EVERY = 200
FIGURES = ("requests", "fetched", "new", "changed", "unchanged", "not_modified", "flagged", "failed",
           "skipped_known", "filtered", "robots_blocked", "challenge", "list_pages", "queued")


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
        self.robots: str | None = None
        self.challenge: str | None = None
        self.challenged_pages: list[str] = []
        self.cut_short = False           # pagination stopped by max_pages: backfill not complete
        self.started = time.monotonic()
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

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

    def backfill_complete(self, slug: str) -> bool:
        return bool(runs.source_state(self.db, slug).get("backfill_complete"))

    # -- writes ---------------------------------------------------------------------------
    def ingest(self, item) -> str:
        from .items import NotModified
        if self.check_only:
            self.count("items")
            return "checked"
        run_id = self.ensure_run()
        if isinstance(item, NotModified):
            outcome = doc_store.mark_seen(self.db, item.source, item.url, etag=item.etag,
                                          last_modified=item.last_modified, run_id=run_id)
            self.count("not_modified")
        else:
            outcome = documents.ingest(self.db, item.__dict__, run_id=run_id)
        self.count(outcome)
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

    def lost(self, *, url, method, reason: str, status=None, error=None) -> None:
        """How a URL ended when it was not stored: one final row with the reason."""
        self._log(url=url, method=method, status=status, error=error, reason=reason, final=1)

    def _log(self, **row) -> None:
        self.fetch_rows.append({"run_id": None, "source": self.slug, "at": now(), **row})
        if len(self.fetch_rows) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.check_only or not self.fetch_rows:
            self.fetch_rows.clear()
            return
        run_id = self.ensure_run()
        for r in self.fetch_rows:
            r["run_id"] = run_id
        runs.log_fetches(self.db, self.fetch_rows)
        self.fetch_rows.clear()

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
            return SourceStatus.FAILING, "nothing could be fetched"
        if fig["items"] == 0 and not fig["skipped_known"]:
            return SourceStatus.EMPTY, "no items found"
        return SourceStatus.OK, (f"{len(self.challenged_pages)} page(s) challenge-protected"
                                 if self.challenged_pages else None)

    def _closed(self, spider, reason):
        self.flush()
        fig = self.figures()
        fig["finish_reason"] = reason
        self.crawler.stats.set_value("parkwatch/figures", fig)
        if self.check_only:
            return
        run_id = self.ensure_run()
        status, detail = self._status(fig)
        fields = {"kind": getattr(spider, "kind_name", None), "status": status, "status_detail": detail,
                  "robots": self.robots, "last_run": run_id}
        if status == SourceStatus.OK:
            fields["last_ok"] = now()
            if reason == "finished" and not self.cut_short:
                fields["backfill_complete"] = 1
        runs.set_source(self.db, self.slug, **fields)
        runs.add_source_stats(self.db, run_id, self.slug, {**fig, "status": status})
        if self.own_run:
            runs.finish_run(self.db, run_id, RunStatus.OK if reason == "finished" else RunStatus.INTERRUPTED)
        self.db.close()
