"""The diff on a large store, timed.

    python benchmarks/bench_diff.py [--parks 1000] [--facts 100000] [--documents 50000]

Builds the store of big_store.py, then times `parkwatch diff --format json` and
`parkwatch diff --as-of 2026-01-01 --format json` as child processes (interpreter start included;
best of 3) and the same two computations in this process. Targets: diff ≤ 2 s, as-of ≤ 1 s.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from big_store import ROOT, build

from db.store import open_db
from pipeline.diff.compute import diff


def child(path: Path, *extra: str) -> tuple[float, int]:
    best, rows = float("inf"), 0
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "pipeline.app", "--db", str(path), "diff", *extra, "--format",
                              "json"], check=True, cwd=ROOT, capture_output=True, text=True).stdout
        best = min(best, time.perf_counter() - t)
        rows = out.count('"change_key"')
    return best, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parks", type=int, default=1000)
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--documents", type=int, default=50_000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        build(path, a.parks, a.facts, a.documents)
        for label, extra, target in (("diff", (), 2.0), ("diff --as-of 2026-01-01", ("--as-of", "2026-01-01"), 1.0)):
            secs, n = child(path, *extra)
            db = open_db(path, create=False)
            t = time.perf_counter()
            diff(db, as_of="2026-01-01T23:59:59+00:00" if extra else None)
            inner = time.perf_counter() - t
            db.close()
            print(f"parkwatch {label}: {secs:.2f} s wall ({n} changes; computation alone {inner:.2f} s; "
                  f"target ≤ {target:g} s)")


if __name__ == "__main__":
    main()
