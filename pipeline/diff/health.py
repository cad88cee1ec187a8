"""Source health at the end of a crawl: zero items, a drop against the source's own history,
failing runs in a row, a challenge page, encoding failures, field coverage (title, date, body)
below a threshold. A problem opens an alert that is repeated while it lasts; the first run
without it closes the alert with one recovery notice. Thresholds: data/health.yaml."""
from __future__ import annotations

import logging
import statistics

from db import alerts as store
from db import runs
from pipeline import rules

log = logging.getLogger(__name__)


def _rules() -> dict:
    return rules.document("health.yaml")


def _drop(fig: dict, history: list[dict], r: dict) -> str | None:
    items = [h.get("items", 0) for h in history[: r["history_runs"]]]
    if len(items) < r["min_history"]:
        return None
    median = statistics.median(items)
    if median >= r["min_items"] and fig.get("items", 0) < r["drop_ratio"] * median:
        return f"{fig.get('items', 0)} items against a median of {median:g} in its last {len(items)} runs"
    return None


def _failing(fig: dict, history: list[dict], r: dict) -> str | None:
    runs_ = [fig, *history][: r["failing_runs"]]
    if len(runs_) == r["failing_runs"] and all(h.get("status") == "failing" for h in runs_):
        return f"nothing fetched in {r['failing_runs']} runs in a row ({fig.get('why') or 'no response'})"
    return None


def _coverage(cov: dict, r: dict) -> list[tuple[str, str]]:
    if cov["documents"] < r["coverage_min_documents"]:
        return []
    return [(f"coverage:{k}", f"{cov[k]:.0%} of {cov['documents']} stored documents have a {k}")
            for k in ("title", "published", "body") if cov[k] is not None and cov[k] < r["coverage_min"]]


def problems(db, slug: str, run_id: int, fig: dict) -> list[tuple[str, str]]:
    """(kind, message) for each health problem of one source in one run."""
    r = _rules()
    history = store.source_history(db, slug, run_id)
    found = []
    if fig.get("status") == "challenge-protected":
        found.append(("challenge", fig.get("why") or "a challenge page instead of the site"))
    elif fig.get("status") == "failing":
        msg = _failing(fig, history, r)
        if msg:
            found.append(("failing", msg))
    elif fig.get("items", 0) == 0:
        found.append(("zero-items", "the source answered but no item was found"))
    else:
        msg = _drop(fig, history, r)
        if msg:
            found.append(("drop", msg))
    cov = store.coverage(db, slug, run_id)
    if cov["decode_errors"]:
        found.append(("encoding", f"{cov['decode_errors']} page(s) could not be decoded"))
    return found + _coverage(cov, r)


def check_run(db, run_id: int) -> dict:
    """Open, repeat or close the alerts of every source of a crawl run; returns
    {"alerts": [...], "recovered": [...]} for the run's summary."""
    stats = runs.run_stats(db, run_id)
    raised, recovered = [], []
    for slug, fig in sorted(stats.items()):
        now_ = {kind: msg for kind, msg in problems(db, slug, run_id, fig)}
        for kind, msg in now_.items():
            a = store.raise_alert(db, slug, kind, msg, run_id)
            raised.append(a)
            log.warning("source %s: %s — %s (run %s, %s time(s))", slug, kind, msg, run_id, a["times"])
        for a in store.open_alerts(db, slug):
            if a["kind"] not in now_:
                store.resolve_alert(db, a["id"])
                recovered.append(a)
                log.info("source %s: %s recovered (run %s)", slug, a["kind"], run_id)
    return {"alerts": raised, "recovered": recovered}


def summary_lines(result: dict) -> list[str]:
    lines = [f"  ! {a['source']}: {a['kind']} — {a['message']}"
             + (f" ({a['times']} runs)" if a["times"] > 1 else "") for a in result["alerts"]]
    lines += [f"  ✓ {a['source']}: {a['kind']} recovered" for a in result["recovered"]]
    return lines
