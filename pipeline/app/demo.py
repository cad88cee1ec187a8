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
from pipeline.report import census_report, findings, formats

from .crawl_runner import FIGURE_COLUMNS, run_crawl
from .cycle import after_crawl, summary_text


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
    """The whole cycle on the mirror: the first run crawls the sites as saved; a later run crawls
    them as they are a week later (two new announcements, one updated page, one page gone), so
    its diff shows exactly those changes."""
    db = open_db(db_path)
    st = load(db)
    echo(f"baseline: 44 census parks ({st.new} new rows, {st.unchanged} unchanged)")
    reg = sources.load(sources.DEMO_FILE)
    state = 2 if documents.count_by_source(db, sorted(reg.sources)) else 1
    mirror = server.serve(state=state)
    try:
        echo(f"offline mirror: {len(mirror.sites)} saved sites behind the proxy {mirror.proxy}, "
             f"{'as saved' if state == 1 else 'a week later'}; crawling {len(reg.sources)} demo sources …")
        # the mirror is local: retries need no real backoff wait; a later run asks every stored page again
        extra = {"PARKWATCH_BACKOFF_BASE": 0.2, **({"PARKWATCH_REFETCH": "conditional", "PARKWATCH_RECHECK": 100}
                                                  if state == 2 else {})}
        with through(mirror):
            res = run_crawl(reg, sorted(reg.sources), db_path, progress=5, extra=extra)
        echo(formats.table(res.rows(), FIGURE_COLUMNS))
        echo(f"run {res.run_id}: {res.status} (demo-broken and demo-challenge fail on purpose: `parkwatch runs` "
             "lists every lost page with its reason)")
        out = resolve_path(db_path).parent / "report"
        summary = after_crawl(db, db_path, {"run": res.run_id, "status": res.status}, out=str(out))
        if state == 1:
            echo("\nwhat the documents say:")
            for line in findings.summary(db):
                echo(line)
        echo("")
        for line in summary_text(summary):
            echo(line)
        rep = census_report.build(db)
        echo(f"census: {rep['parks']} parks, {rep['gov_led']} government-led, {rep['provinces']} provinces "
             "(the 2020 tables as reviewed; accepted new parks count)")
        echo(f"store: {resolve_path(db_path)} — review the new parks: `parkwatch serve` (then open "
             "http://127.0.0.1:8765/) or `parkwatch review list`; `parkwatch diff`; run `parkwatch demo` again "
             "for the sites a week later" if state == 1 else
             f"store: {resolve_path(db_path)} — review: `parkwatch serve` or `parkwatch review list`; "
             f"`parkwatch diff --run {summary['diff_run']}`")
        if serve:
            _serve(mirror, echo)
        return {"crawl": res, "summary": summary, "state": state}
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
