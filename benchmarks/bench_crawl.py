"""Crawl throughput, re-crawl cost and peak memory on a generated local mirror.

    python benchmarks/bench_crawl.py [--pages 2000]

1. Generates a TRS-style site (createPageHTML pagination, tYYYYMMDD_<id>.html detail pages
   of ~6 KB, GBK) with --pages articles, and serves it with the offline mirror server.
2. `parkwatch crawl` of it (fresh store): pages/s, peak RSS of the crawl process.
3. A bare Scrapy spider fetching exactly the same URLs with the same politeness settings:
   pages/s; the ratio of the two.
4. A re-crawl of the unchanged mirror: requests made (vs. list pages that must be read:
   the first list page and robots.txt) and wall time relative to the first crawl.
All figures come from one run of this script.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.mirror import server  # noqa: E402
from crawler.mirror.generate import trs_site  # noqa: E402

POLITE = {"download_delay": 0, "concurrency": 8, "timeout": 30}
PAGINATION = {"max_pages": 1000}


def run_measured(cmd, env) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MB, exit code) of a child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t, usage.ru_maxrss // 1024, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="parkwatch-bench-"))
    lists = trs_site(tmp, args.pages)
    mirror = server.serve(["bench-trs"], root=tmp)
    base = mirror.url("bench-trs")          # the site's own host name, reached through the mirror's proxy
    src = tmp / "sources.yaml"
    src.write_text(f"sources:\n  - slug: bench-trs\n    kind: listing\n    start_urls: ['{base}/xxgk/tzgg/index.html']\n"
                   f"    politeness: {POLITE}\n    pagination: {PAGINATION}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), **mirror.env()}
    db = tmp / "bench.db"
    print(f"mirror: {args.pages} articles + {lists} list pages (+ robots.txt) at {base}")

    n0 = mirror.count()
    wall, rss, rc = run_measured([sys.executable, "-m", "pipeline.app", "--db", str(db), "crawl", "bench-trs",
                                  "--sources", str(src)], env)
    fetched = mirror.count() - n0
    con = sqlite3.connect(db)
    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    crawl_s = con.execute("SELECT (julianday(finished_at) - julianday(started_at)) * 86400 FROM runs "
                          "ORDER BY id DESC LIMIT 1").fetchone()[0]
    print(f"parkwatch crawl: {fetched} requests, {stored} documents stored, {wall:.1f} s wall "
          f"({crawl_s:.1f} s in the run), {fetched / wall:.0f} pages/s wall, peak RSS {rss} MB (exit {rc})")

    urls = tmp / "urls.txt"
    urls.write_text("\n".join(r[0] for r in con.execute("SELECT url FROM fetches WHERE status = 200 "
                                                       "AND url NOT LIKE '%robots.txt'")), encoding="utf-8")
    n0 = mirror.count()
    settings = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=True",
                "-s", "AUTOTHROTTLE_START_DELAY=0.5", "-s", "AUTOTHROTTLE_TARGET_CONCURRENCY=1.5",
                "-s", "ROBOTSTXT_OBEY=True", "-s", "LOG_LEVEL=ERROR", "-s", "TELNETCONSOLE_ENABLED=False"]
    bwall, brss, brc = run_measured([sys.executable, "-m", "scrapy", "runspider", str(REPO / "benchmarks" /
                                     "bare_spider.py"), "-a", f"urls_file={urls}", *settings], env)
    bfetched = mirror.count() - n0
    print(f"bare scrapy spider: {bfetched} requests, {bwall:.1f} s wall, {bfetched / bwall:.0f} pages/s, "
          f"peak RSS {brss} MB (exit {brc})")
    print(f"throughput ratio parkwatch / bare: {(fetched / wall) / (bfetched / bwall):.2f}")

    n0 = mirror.count()
    rwall, rrss, rrc = run_measured([sys.executable, "-m", "pipeline.app", "--db", str(db), "crawl", "bench-trs",
                                     "--sources", str(src)], env)
    reqs = mirror.count() - n0
    rcrawl = con.execute("SELECT (julianday(finished_at) - julianday(started_at)) * 86400 FROM runs "
                         "ORDER BY id DESC LIMIT 1").fetchone()[0]
    must = 2  # the first list page and robots.txt
    print(f"re-crawl (unchanged): {reqs} requests = {reqs / must:.2f} x the {must} that must be read; "
          f"{rwall:.1f} s wall = {rwall / wall:.1%} of the first crawl ({rcrawl:.1f} s in the run = "
          f"{rcrawl / crawl_s:.1%})")
    mirror.stop()


if __name__ == "__main__":
    main()
