"""The whole extraction stage (quantities, park mentions, resolution, policies, funds,
classification), measured in one run.

    python benchmarks/bench_facts.py [--documents 10000]

Prints: documents/s of read_document on 5 KB articles on one core (target ≥ 100/s); then a store
of N documents (the annotated corpora's announcements, repeated under distinct URLs and
published dates) read by `parkwatch extract`, and again by `parkwatch extract --rerun`: wall
time and peak memory of each run (a child process each, so the figures are the command's own).
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.evaluate import facts  # noqa: E402
from pipeline.resolve.document import read_document  # noqa: E402
from pipeline.resolve.resolver import Resolver  # noqa: E402
from pipeline.text.normalize import normalize  # noqa: E402
from pipeline.text.places import find_places  # noqa: E402

FILLER = ("会议强调，要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，加快构建新发展格局，"
          "着力推动高质量发展，统筹发展和安全，持续改善营商环境。")


def corpus() -> list[dict]:
    return facts.load_corpus(facts.DEV) + facts.load_corpus(facts.CORPUS / "facts-dev2")


def articles(cases: list[dict], size: int = 5 * 1024) -> list[dict]:
    """Each announcement padded with ordinary government prose to about `size` bytes of UTF-8."""
    out = []
    for c in cases:
        body = c["body"]
        while len(body.encode("utf-8")) < size:
            body += "\n" + FILLER
        out.append({**c, "body": body})
    return out


def docs_per_second(items: list[dict], repeat: int = 3) -> float:
    parks = facts.census_resolver()
    for c in items[:20]:                                   # rule tables and regexes loaded once
        read_document(c["title"], c["body"], published=c["published"], parks=parks, candidates=Resolver())
    best = 0.0
    for _ in range(repeat):
        normalize.cache_clear()           # no text read in an earlier round is remembered
        find_places.cache_clear()
        cands = Resolver()
        t = time.perf_counter()
        for c in items:
            read_document(c["title"], c["body"], published=c["published"], parks=parks, candidates=cands)
        best = max(best, len(items) / (time.perf_counter() - t))
    return best


def _child(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and the last output line of one parkwatch command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline.app", *args], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr[-2000:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return wall, peak, proc.stdout.strip().splitlines()[-1]


def store_run(cases: list[dict], n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db, src = Path(tmp) / "bench.db", Path(tmp) / "docs.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i in range(n):
                c = cases[i % len(cases)]
                year = 2021 + (i // len(cases)) % 5
                fh.write(json.dumps({"url": f"https://bench.example.cn/{i}.html", "title": c["title"],
                                     "body": c["body"], "published": f"{year}{str(c['published'])[4:]}"},
                                    ensure_ascii=False) + "\n")
        _child(["--db", str(db), "baseline", "load"])
        wall, peak, _ = _child(["--db", str(db), "import", str(src), "--no-extract"])
        print(f"store of {n} documents: import {wall:.1f} s")
        for label, extra in (("extract", []), ("extract --rerun", ["--rerun"])):
            wall, peak, last = _child(["--db", str(db), "extract", *extra])
            print(f"  parkwatch {label:<16} {wall:7.1f} s wall, {n / wall:7.1f} documents/s, peak RSS {peak:6.0f} MB"
                  f"  ({last})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=10_000)
    n = ap.parse_args().documents
    cases = corpus()
    arts = articles(cases)
    sizes = [len(a["body"].encode("utf-8")) for a in arts]
    rate = docs_per_second(arts)
    print(f"read_document on {len(arts)} articles of {statistics.mean(sizes) / 1024:.1f} KB: "
          f"{rate:6.1f} documents/s on one core (target ≥ 100)")
    store_run(cases, n)


if __name__ == "__main__":
    main()
