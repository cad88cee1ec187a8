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
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.mirror import server  # noqa: E402

POLITE = {"download_delay": 0, "concurrency": 8, "timeout": 30}
PAGINATION = {"max_pages": 1000}
PER_PAGE = 20
WORDS = ("区块链 产业园 数字经济 揭牌 入驻企业 规划面积 平方公里 专项资金 亿元 政策 通知 工业和信息化 "
         "高质量发展 创新应用 先导区 孵化器 基金 项目 签约 开园 省级 示范 园区 链谷").split()


def generate(root: Path, n: int) -> int:
    site = root / "bench-trs"
    lists = -(-n // PER_PAGE)
    (site / "xxgk" / "tzgg").mkdir(parents=True)
    (site / "_meta.yaml").write_text("slug: bench-trs\nencoding: gbk\nfetched: 2026-11-20\nrobots: \"User-agent: *\\n"
                                     "Disallow: /private/\\n\"\n", encoding="utf-8")
    rnd = random.Random(7)
    for p in range(lists):
        items = []
        for i in range(p * PER_PAGE, min(n, (p + 1) * PER_PAGE)):
            day = 20260101 + (i % 28)
            items.append(f'<li><a href="./202601/t{day}_{100000 + i}.html" title="关于区块链产业园建设的通知第{i}号">'
                         f"关于区块链产业园建设的通知第{i}号</a><span>2026-01-{1 + i % 28:02d}</span></li>")
            body = "".join(f"<p>{''.join(rnd.choice(WORDS) for _ in range(60))}。</p>" for _ in range(12))
            html = (f'<html><head><meta charset="gbk"><meta name="ArticleTitle" content="关于区块链产业园建设的通知第{i}号">'
                    f'<meta name="PubDate" content="2026-01-{1 + i % 28:02d} 10:00"></head><body><div class="nav">首页 '
                    f'政务公开</div><div class="TRS_Editor">{body}<p>规划面积 {1 + i % 9}.5 平方公里，入驻企业 {20 + i % 50}'
                    f' 余家。</p></div><a href="./P0202601{i}.pdf">附件1：申报指南.pdf</a></body></html>')
            d = site / "xxgk" / "tzgg" / "202601"
            d.mkdir(exist_ok=True)
            (d / f"t{day}_{100000 + i}.html").write_bytes(html.encode("gbk"))
        name = "index.html" if p == 0 else f"index_{p}.html"
        page = (f'<html><head><meta charset="gbk"></head><body><div class="nav"><a href="/">首页</a></div>'
                f'<ul class="list">{"".join(items)}</ul><script>createPageHTML({lists}, {p}, "index", "html");'
                f"</script></body></html>")
        (site / "xxgk" / "tzgg" / name).write_bytes(page.encode("gbk"))
    return lists


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
    lists = generate(tmp, args.pages)
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
