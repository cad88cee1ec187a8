"""parkwatch demo: the product end to end on the bundled offline mirror."""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager

from crawler import sources
from crawler.mirror import server
from db import documents
from db.store import open_db, resolve_path
from pipeline.load.baseline import load
from pipeline.load.extraction import extract
from pipeline.report import census_report, findings, formats

from .crawl_runner import FIGURE_COLUMNS, run_crawl


@contextmanager
def through(mirror):
    """Crawls in this process go through the mirror's proxy (Scrapy reads http_proxy)."""
    saved = {k: os.environ.get(k) for k in mirror.env()}
    os.environ.update(mirror.env())
    try:
        yield mirror
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run(db_path=None, *, serve=False, echo=print) -> dict:
    db = open_db(db_path)
    st = load(db)
    echo(f"baseline: 44 census parks ({st.new} new rows, {st.unchanged} unchanged)")
    reg = sources.load(sources.DEMO_FILE)
    mirror = server.serve()
    try:
        echo(f"offline mirror: {len(mirror.sites)} saved sites behind the proxy {mirror.proxy}; "
             f"crawling {len(reg.sources)} demo sources …")
        with through(mirror):
            # the mirror is local: retries need no real backoff wait
            res = run_crawl(reg, sorted(reg.sources), db_path, progress=5, extra={"PARKWATCH_BACKOFF_BASE": 0.2})
        echo(formats.table(res.rows(), FIGURE_COLUMNS))
        echo(f"run {res.run_id}: {res.status} (demo-broken and demo-challenge fail on purpose: `parkwatch runs` "
             "lists every lost page with its reason)")
        stats = extract(db)
        echo(f"\nextract: {stats['documents']} documents read; what they say:")
        for line in findings.summary(db):
            echo(line)
        echo("\ndocuments by relevance:\n" + formats.table(documents.count_by_relevance(db), ["relevance", "documents"]))
        rep = census_report.build(db)
        wrong = [c for c in rep["claims"] if c["agrees"] is False]
        echo(f"\ncensus: {rep['parks']} parks, {rep['gov_led']} government-led, {rep['provinces']} provinces; "
             f"{len(wrong)} of {len(rep['claims'])} report claims contradicted by its own tables "
             f"({', '.join(c['id'] for c in wrong)})")
        echo(f"store: {resolve_path(db_path)} — `parkwatch documents`, `parkwatch runs`, `parkwatch report census`")
        if serve:
            _serve(mirror, echo)
        return {"crawl": res, "report": rep}
    finally:
        mirror.stop()
        db.close()


def _serve(mirror, echo) -> None:
    """Keep the mirror up until Ctrl-C or SIGTERM (the crawl left Scrapy's own handlers installed:
    ours replace them before the first line tells the user to press a key)."""
    stop = threading.Event()
    old = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for slug in sorted(mirror.sites):
            echo(f"  {slug}: {mirror.url(slug)}")
        echo(f"serving the mirror as an HTTP proxy at {mirror.proxy} (e.g. curl -x {mirror.proxy} "
             f"{mirror.url('demo-gxt-trs')}/xxgk/tzgg/index.html); Ctrl-C or SIGTERM to stop")
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
