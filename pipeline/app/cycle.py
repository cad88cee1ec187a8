"""The stages after a crawl, shared by `parkwatch run`, the scheduler's cycle job and the demo:
read what was stored, check each source's health, record the diff, write the report, and sum
it up — new candidates, changes, sources' health, where the report is."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter

from db import runs
from db.vocab import RunKind, RunStatus
from pipeline.diff.health import check_run, summary_lines
from pipeline.diff.record import record_run
from pipeline.load.extraction import extract
from pipeline.report import formats


def parkwatch(db_path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """A stage as its own parkwatch process (a crawl cannot restart Scrapy's reactor in this one)."""
    base = [sys.executable, "-m", "pipeline.app"] + (["--db", str(db_path)] if db_path else [])
    return subprocess.run([*base, *args], stdout=subprocess.PIPE, text=True, timeout=timeout)


def write_report(db_path, out: str) -> tuple[bool, str]:
    """(written?, the path of the report's index)."""
    proc = parkwatch(db_path, "report", "--format", "html", "--out", str(out))
    lines = [ln for ln in (proc.stdout or "").splitlines() if ln.strip()]
    index = next((ln.split()[-1] for ln in lines if "index.html" in ln), lines[-1] if lines else "")
    return proc.returncode == 0, index


def after_crawl(db, db_path, crawl: dict, *, out: str | None, slugs=()) -> dict:
    """Everything after the crawl, as one cycle run; returns its summary (also stored with the run)."""
    cycle = runs.start_run(db, RunKind.CYCLE, list(slugs))
    extract(db)                            # what the crawl did not read (it reads its own)
    health = check_run(db, crawl["run"]) if crawl.get("run") else {"alerts": [], "recovered": []}
    diff_run, fresh = record_run(db)
    report = write_report(db_path, out) if out else None
    counts = Counter(f"{r['entity']} {r['change']}" for r in fresh)
    summary = {"run": cycle, "diff_run": diff_run, "crawl": {"run": crawl.get("run"), "status": crawl.get("status")},
               "changes": dict(sorted(counts.items())),
               "new_candidates": [{"name": r.get("name"), "province": r.get("province"), "city": r.get("city"),
                                   "evidence": r["evidence"][:1]} for r in fresh
                                  if r["entity"] == "candidate" and r["change"] == "new"],
               "fresh": fresh, "alerts": health["alerts"], "recovered": health["recovered"],
               "report": report[1] if report and report[0] else None,
               "report_ok": None if report is None else report[0]}
    runs.add_source_stats(db, cycle, "cycle", {k: v for k, v in summary.items() if k != "fresh"})
    runs.finish_run(db, cycle, RunStatus.OK if report is None or report[0] else RunStatus.FAILED)
    return summary


def summary_text(s: dict, *, limit: int = 10) -> list[str]:
    """The summary as lines for a terminal (crawled text made safe by formats.cell)."""
    lines = [f"cycle {s['run']}: crawl run {s['crawl']['run'] or '-'} {s['crawl']['status'] or 'skipped'}; "
             f"changes: {', '.join(f'{n} {k}' for k, n in s['changes'].items()) or 'none'}"]
    for r in s["fresh"][:limit]:
        what = r.get("name") or r["key"]
        if r["change"] == "vanished":
            detail = f": {r['old']} answers 404/410 and left the list (flagged, kept)"
        elif r["field"]:
            detail = f" {r['field']}: {r['old'] or '—'} → {r['new'] or '—'}"
        else:
            detail = ""
        url = (r["evidence"][0] if r["evidence"] else {}).get("url") or ""
        lines.append(f"  {r['entity']} {r['change']}: {formats.cell(what)}{formats.cell(detail)} — {formats.cell(url)}")
    if len(s["fresh"]) > limit:
        lines.append(f"  … {len(s['fresh']) - limit} more: parkwatch diff --run {s['diff_run']}")
    health = summary_lines({"alerts": s["alerts"], "recovered": s["recovered"]})
    lines.append("source health:" + ("\n" + "\n".join(health) if health else " every source ok"))
    if s["report_ok"] is not None:
        lines.append(f"report: {s['report']}" if s["report_ok"] else "report: FAILED (see the error above)")
    return lines
