"""Running spiders from the command line: several sources in one process, a run row,
progress lines and a summary per source."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from twisted.internet import defer

from crawler.store import run_status
from db import runs
from db.store import open_db, resolve_path
from db.vocab import RunKind

FIGURE_COLUMNS = ["source", "status", "fetched", "new", "changed", "unchanged", "failed", "skipped_known", "list_pages",
                  "robots", "seconds"]
REDIS_COLUMNS = ["source", "status", "fetched", "queued", "failed", "list_pages", "robots", "seconds"]


@dataclass
class CrawlResult:
    run_id: int | None
    status: str
    figures: dict[str, dict]

    def rows(self) -> list[dict]:
        return [{"source": slug, **f} for slug, f in self.figures.items()]


def redis_settings(url: str, *, seed: bool, refetch: bool = False) -> dict:
    """Distributed crawling with scrapy-redis: the request queue and the duplicate filter live
    in Redis and are shared by every process (on any machine) crawling the same sources; items
    go to a Redis list per source, and `parkwatch ingest` moves them into the store."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,                 # the dupefilter remembers articles across runs
        "SCHEDULER_FLUSH_ON_START": bool(refetch and seed),
        "REDIS_URL": url,
        "ITEM_PIPELINES": {"crawler.pipelines.RedisQueuePipeline": 300},
        "PARKWATCH_SEED": seed,                    # only the seeding process enqueues start URLs
    }


def crawl_settings(sources_file: str, db_path, *, run_id=None, check=False, refetch=False, progress=0.0,
                   verbose=False, extra: dict | None = None):
    from scrapy.settings import Settings
    s = Settings()
    s.setmodule("crawler.settings", priority="project")
    s.set("PARKWATCH_SOURCES", str(sources_file), priority="cmdline")
    s.set("PARKWATCH_DB", str(resolve_path(db_path)), priority="cmdline")
    if run_id:
        s.set("PARKWATCH_RUN_ID", run_id, priority="cmdline")
    if check:
        s.set("PARKWATCH_CHECK", True, priority="cmdline")
        s.set("ITEM_PIPELINES", {}, priority="cmdline")
    if refetch:
        s.set("PARKWATCH_REFETCH", "conditional", priority="cmdline")
    s.set("PARKWATCH_PROGRESS_INTERVAL", progress, priority="cmdline")
    s.set("LOG_LEVEL", "INFO" if verbose else "ERROR", priority="cmdline")
    for k, v in (extra or {}).items():
        s.set(k, v, priority="cmdline")
    return s


def host_groups(registry, slugs: list[str]) -> list[list[str]]:
    """Sources that share a host, in one group each: a group is crawled one source after the
    other, so the per-site concurrency limit holds across sources (groups run side by side)."""
    owner: dict[str, int] = {}
    groups: list[set[str]] = []
    for slug in slugs:
        hosts = set(registry.get(slug).domains)
        hit = sorted({owner[h] for h in hosts if h in owner})
        merged = {slug}.union(*(groups[i] for i in hit))
        for i in hit:
            groups[i] = set()
        groups.append(merged)
        for s in merged:
            for h in registry.get(s).domains:
                owner[h] = len(groups) - 1
    return [sorted(g, key=slugs.index) for g in groups if g]


def _stats(crawler):
    """A crawler's stats, or None when it never started."""
    try:
        return crawler.stats
    except RuntimeError:
        return None


def _chain(process, crawlers: dict, group: list[str], state: dict):
    """Crawl one group's sources in turn; after a shutdown (Ctrl-C, SIGTERM) start no more."""
    def next_one(_, c):
        if state["stop"]:
            return None
        return process.crawl(c).addBoth(lambda r: done(r, c))

    def done(result, c):
        stats = _stats(c)
        state["stop"] |= bool(stats and stats.get_value("finish_reason") == "shutdown")
        return result

    d = defer.succeed(None)
    for slug in group:
        d.addCallback(next_one, crawlers[slug])
    return d


def run_crawl(registry, slugs: list[str], db_path=None, *, check=False, refetch=False, progress=0.0,
              verbose=False, extra: dict | None = None) -> CrawlResult:
    """Crawl the given sources of a registry in this process (once per process: Twisted)."""
    from scrapy.crawler import CrawlerProcess
    for slug in slugs:
        registry.get(slug)
    db = open_db(db_path)
    run_id = None if check else runs.start_run(db, RunKind.CRAWL, slugs)
    settings = crawl_settings(registry.file, db_path, run_id=run_id, check=check, refetch=refetch,
                              progress=progress, verbose=verbose, extra=extra)
    settings.set("LOG_INSTALL_ROOT_HANDLER", verbose, priority="cmdline")
    process = CrawlerProcess(settings)
    if not verbose:
        logging.getLogger("scrapy").setLevel(logging.ERROR)
    crawlers = {slug: process.create_crawler(slug) for slug in slugs}
    state = {"stop": False}
    for group in host_groups(registry, slugs):
        _chain(process, crawlers, group, state)
    try:
        process.start()
    except KeyboardInterrupt:  # a second Ctrl-C: Scrapy already stopped the engine
        pass
    figures = {slug: (_stats(c).get_value("parkwatch/figures") if _stats(c) else None) or {"status": "not started"}
               for slug, c in crawlers.items()}
    started = [f for f in figures.values() if "finish_reason" in f]
    reason = "finished" if len(started) == len(figures) and all(
        f["finish_reason"] == "finished" for f in started) else "shutdown"
    if run_id:
        stored = runs.run_stats(db, run_id)
        figures = {slug: {**f, **stored.get(slug, {})} for slug, f in figures.items()}
    status = run_status(reason, list(figures.values()))
    if run_id:
        runs.finish_run(db, run_id, status)
    db.close()
    return CrawlResult(run_id, status, figures)
