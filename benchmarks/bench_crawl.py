"""Crawl cost against bare Scrapy, re-crawl cost, peak memory, and the fault suite, in one run.

    python benchmarks/bench_crawl.py [--pages 2000] [--repeat 5]

1. Generates a TRS-style site (createPageHTML pagination, tYYYYMMDD_<id>.html detail pages of
   ~6 KB, GBK) with --pages articles, one of which answers 500 for ever, and serves it through the
   offline mirror's proxy.
2. `parkwatch crawl` of it (fresh store): CPU time per page (user + system of the crawl process),
   pages/s, peak RSS.
3. A bare Scrapy spider (Scrapy's own settings: it runs outside the project) fetching exactly
   the same URLs with the same politeness settings: the
   same figures, and the CPU-per-page ratio of the two. Steps 2 and 3 run back to back --repeat
   times (fresh stores); the ratio is the median of the pairs' ratios (this machine's speed
   drifts by a quarter between minutes, and mostly cancels within a pair); each pair's ratio and
   the ratio of the least CPU each needed are shown too.
4. A re-crawl of the unchanged mirror (the dead link included): requests made (against the
   minimum: robots.txt and the first list page) and wall time relative to the first crawl.
5. One crawl of the fault suite's hostile site (tests/crawler/faults/): wall time, peak RSS.
All figures come from one run of this script.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
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
DEAD = "/xxgk/tzgg/202601/t20260105_100004.html"   # article no. 4 of the generated site


def run_measured(cmd, env, cwd=REPO) -> dict:
    """Wall seconds, CPU seconds (user + system), peak RSS (MB) and exit code of a child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    return {"wall": time.perf_counter() - t, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": usage.ru_maxrss // 1024, "rc": os.waitstatus_to_exitcode(status)}


def crawl(db, src, env) -> list[str]:
    # --no-extract: the crawl alone against the bare crawl (the facts stage has its own benchmark)
    return [sys.executable, "-m", "pipeline.app", "--db", str(db), "crawl", "--sources", str(src), "--no-extract"]


def _figures(runs) -> str:
    return " ".join(f"{r['per_page']:.2f}" for r in runs) + f" (least {min(r['per_page'] for r in runs):.2f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5, help="back-to-back pairs of the two crawls")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="parkwatch-bench-"))
    lists = trs_site(tmp, args.pages)
    meta = tmp / "bench-trs" / "_meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + f"routes:\n  - path: {DEAD}\n    status: 500\n",
                    encoding="utf-8")
    mirror = server.serve(["bench-trs"], root=tmp)
    base = mirror.url("bench-trs")          # the site's own host name, reached through the mirror's proxy
    src = tmp / "sources.yaml"
    src.write_text(f"sources:\n  - slug: bench-trs\n    kind: listing\n    start_urls: ['{base}/xxgk/tzgg/index.html']\n"
                   f"    politeness: {POLITE}\n    pagination: {PAGINATION}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PARKWATCH_BACKOFF_BASE": "0.1", **mirror.env()}
    db = tmp / "bench.db"
    print(f"mirror: {args.pages} articles (one answers 500 for ever) + {lists} list pages at {base}")

    settings = ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=True",
                "-s", "AUTOTHROTTLE_START_DELAY=0.5", "-s", "AUTOTHROTTLE_TARGET_CONCURRENCY=1.5",
                "-s", "ROBOTSTXT_OBEY=True", "-s", "LOG_LEVEL=ERROR", "-s", "TELNETCONSOLE_ENABLED=False",
                "-s", "REMOTE_CONTROL_ENABLED=False"]
    urls = tmp / "urls.txt"
    ours, bares = [], []
    # the two crawls alternate, --repeat times: this machine's CPU figures drift by a quarter
    # between minutes, and the least CPU each needed is the figure least disturbed by it
    for i in range(args.repeat):
        store = db if i == 0 else tmp / f"bench{i}.db"
        n0 = mirror.count()
        run = run_measured(crawl(store, src, env), env)
        ours.append({**run, "requests": mirror.count() - n0, "per_page": run["cpu"] * 1000 / (mirror.count() - n0)})
        if i == 0:
            con = sqlite3.connect(db)
            stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            urls.write_text("\n".join(r[0] for r in con.execute(
                "SELECT url FROM fetches WHERE status = 200 AND final = 0 AND url NOT LIKE '%robots.txt'")),
                encoding="utf-8")
        n0 = mirror.count()
        # run outside the repository: in it, scrapy.cfg would give the bare spider our settings,
        # middlewares and fetch log (and a ./parkwatch.db)
        run = run_measured([sys.executable, "-m", "scrapy", "runspider", str(REPO / "benchmarks" / "bare_spider.py"),
                            "-a", f"urls_file={urls}", *settings], env, cwd=tmp)
        bares.append({**run, "requests": mirror.count() - n0, "per_page": run["cpu"] * 1000 / (mirror.count() - n0)})
    first, bare = ours[0], bares[0]
    fetched, bfetched = first["requests"], bare["requests"]
    print(f"parkwatch crawl: {fetched} requests, {stored} documents stored, {first['wall']:.1f} s wall, "
          f"{fetched / first['wall']:.0f} pages/s, peak RSS {first['rss']} MB (exit {first['rc']}); "
          f"CPU ms/page over {args.repeat} runs: {_figures(ours)}")
    print(f"bare scrapy spider: {bfetched} requests, {bare['wall']:.1f} s wall, {bfetched / bare['wall']:.0f} pages/s, "
          f"peak RSS {bare['rss']} MB (exit {bare['rc']}); CPU ms/page over {args.repeat} runs: {_figures(bares)}")
    best, bbest = min(r["per_page"] for r in ours), min(r["per_page"] for r in bares)
    pairs = [a["per_page"] / b["per_page"] for a, b in zip(ours, bares)]
    each = ", ".join(f"{x:.2f}x" for x in pairs)
    # the two crawls of a pair run a minute apart, so the machine's drift mostly cancels in their ratio
    print(f"CPU time per page, parkwatch / bare: {statistics.median(pairs):.2f}x, the median of {len(pairs)} "
          f"back-to-back pairs (target <= 1.3x); pair by pair: {each}; least of each: {best / bbest:.2f}x; "
          f"throughput ratio {(fetched / first['wall']) / (bfetched / bare['wall']):.2f}")

    n0 = mirror.count()
    again = run_measured(crawl(db, src, env), env)
    reqs = mirror.count() - n0
    must = 2  # robots.txt and the first list page
    print(f"re-crawl (unchanged, the dead link included): {reqs} requests (minimum {must}, target <= {must + 1}); "
          f"{again['wall']:.2f} s wall = {again['wall'] / first['wall']:.1%} of the first crawl (target <= 10%) "
          f"(exit {again['rc']})")
    mirror.stop()

    faults = REPO / "tests" / "crawler" / "faults"
    fm = server.serve(root=faults)
    fenv = {**env, **fm.env()}
    fault = run_measured(crawl(tmp / "faults.db", faults / "sources.yaml", fenv), fenv)
    lost = sqlite3.connect(tmp / "faults.db").execute("SELECT count(*) FROM fetches WHERE final = 1 AND reason IS "
                                                      "NOT NULL").fetchone()[0]
    print(f"fault suite crawl: {fault['wall']:.1f} s wall, CPU {fault['cpu']:.1f} s, peak RSS {fault['rss']} MB, "
          f"{lost} pages lost with a reason (exit {fault['rc']})")
    fm.stop()


if __name__ == "__main__":
    main()
