"""The census edition on a large store, timed end to end.

    python benchmarks/bench_report.py [--parks 1000] [--facts 100000] [--documents 50000]

Builds the store of big_store.py (the census, accepted parks up to --parks, --documents documents,
facts up to --facts, candidates, decisions, policies and funds). Then times
`parkwatch report` (a child process each: interpreter start, matplotlib and the charts included)
as Markdown, as HTML, --as-of a past date, and --include-candidates. Target: ≤ 10 s each.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from big_store import ROOT, build


def timed(path: Path, out: Path, *extra: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.app", "--db", str(path), "report", "--out", str(out), *extra],
                   check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parks", type=int, default=1000)
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--documents", type=int, default=50_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build(path, args.parks, args.facts, args.documents)
        print(f"store: {args.parks} parks, {args.facts} facts, {args.documents} documents built in "
              f"{time.perf_counter() - t:.1f} s")
        for label, extra in [("md", ()), ("html", ("--format", "html")), ("--as-of 2026-01-01", ("--as-of", "2026-01-01")),
                             ("--include-candidates", ("--include-candidates",))]:
            secs = timed(path, Path(tmp) / "out", *extra)
            print(f"parkwatch report {label}: {secs:.2f} s (target ≤ 10 s)")


if __name__ == "__main__":
    main()
