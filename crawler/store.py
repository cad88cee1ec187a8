"""The crawl's handle on the store: one per crawler, shared by its spider, item
pipeline and middlewares; it owns the run bookkeeping and per-source figures."""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from scrapy import signals

from db.store import open_db
from pipeline import documents, runs

FLUSH_EVERY = 200


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
        self.counts: Counter = Counter()
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

    def ensure_run(self) -> int | None:
        if self.run_id is None and not self.check_only:
            self.run_id = runs.start_run(self.db, "crawl", [self.slug])
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
            self.counts["items"] += 1
            return "checked"
        run_id = self.ensure_run()
        if isinstance(item, NotModified):
            outcome = documents.mark_seen(self.db, item.source, item.url, etag=item.etag,
                                          last_modified=item.last_modified, run_id=run_id)
            self.counts["not_modified"] += 1
        else:
            outcome = documents.ingest(self.db, item.__dict__, run_id=run_id)
        self.counts[outcome] += 1
        return outcome

    def fetch(self, *, url, method, status=None, nbytes=None, duration=None, error=None) -> None:
        self.counts["requests"] += 1
        if status is not None:
            self.counts["fetched"] += 1
        if error:
            self.counts["fetch_errors"] += 1
        self.fetch_rows.append({"run_id": None, "source": self.slug, "url": url, "method": method, "status": status,
                                "bytes": nbytes, "duration_ms": int(duration * 1000) if duration is not None else None,
                                "error": error, "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
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
        c = self.counts
        return {"requests": c["requests"], "fetched": c["fetched"], "new": c["new"], "changed": c["changed"],
                "unchanged": c["unchanged"], "not_modified": c["not_modified"], "flagged": c["flagged"], "failed": c["failed"],
                "skipped_known": c["skipped_known"], "filtered": c["filtered"], "robots_blocked": c["robots_blocked"],
                "challenge": c["challenge"], "list_pages": c["list_pages"], "queued": c["queued"],
                "items": c["items"] + c["new"] + c["changed"] + c["unchanged"] + c["flagged"] + c["queued"],
                "robots": self.robots, "seconds": round(time.monotonic() - self.started, 2)}

    def _closed(self, spider, reason):
        self.flush()
        fig = self.figures()
        fig["finish_reason"] = reason
        self.crawler.stats.set_value("parkwatch/figures", fig)
        if self.check_only:
            return
        run_id = self.ensure_run()
        if self.challenge:
            status, detail = "challenge-protected", self.challenge
        elif fig["items"] == 0 and fig["fetched"] == 0:
            status, detail = "failing", "nothing could be fetched"
        elif fig["items"] == 0 and not fig["skipped_known"]:
            status, detail = "empty", "no items found"
        else:
            status, detail = "ok", (f"{len(self.challenged_pages)} page(s) challenge-protected"
                                    if self.challenged_pages else None)
        fields = {"kind": getattr(spider, "kind_name", None), "status": status, "status_detail": detail,
                  "robots": self.robots, "last_run": run_id}
        if status == "ok":
            fields["last_ok"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            if reason == "finished" and not self.cut_short:
                fields["backfill_complete"] = 1
        runs.set_source(self.db, self.slug, **fields)
        runs.add_source_stats(self.db, run_id, self.slug, {**fig, "status": status})
        if self.own_run:
            runs.finish_run(self.db, run_id, "ok" if reason == "finished" else "interrupted")
        self.db.close()
