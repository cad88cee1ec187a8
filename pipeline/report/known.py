"""What the store knew on a date, for the census edition: the 2020 census, the census with the
reviewed changes (accepted parks, accepted facts), and — only when asked — what no one had
reviewed yet (candidates, detected facts), kept apart so it can never slip into the counts."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from db import report as store

from .snapshot import Census, _rank

# a park without a founding date is dated by the first of these events it has a date for
DATE_FIELDS = ("founded", "opened_on", "approved_on", "signed_on", "construction_on")


@dataclass
class Known:
    as_of: str | None
    now: Census                      # census + accepted changes, as known at as_of
    then: Census                     # the 2020 census alone
    new_parks: list[dict]            # the accepted parks' rows (not in the census), oldest first
    sources: dict[str, list[dict]]   # park id → [{url, snippet}] of the documents naming it
    policies: list[dict]
    funds: list[dict]
    candidates: list[dict] = field(default_factory=list)        # unreviewed: only with include_candidates
    unreviewed_facts: list[dict] = field(default_factory=list)


def bound(as_of: str | None) -> str | None:
    """The exclusive end of the as-of day."""
    return None if as_of is None else (dt.date.fromisoformat(as_of) + dt.timedelta(days=1)).isoformat()


def preferred(fs: list[dict]) -> dict:
    """The value a table shows: the latest accepted fact by effective date replaces the census; among
    census facts the snapshot's own preference (a table over prose)."""
    accepted = [f for f in fs if f["status"] == "accepted"]
    if accepted:
        return max(accepted, key=lambda f: (f["effective_date"] or "", f["first_seen"] or "", f["id"]))
    return max(fs, key=_rank)


def _dated(park: dict, facts: list[dict]) -> dict:
    """The park row with founding date and operator taken from its accepted facts where they exist."""
    by_field = defaultdict(list)
    for f in facts:
        by_field[f["field"]].append(f)
    out = dict(park)
    accepted_date = next((preferred(by_field[k]) for k in DATE_FIELDS
                          if any(f["status"] == "accepted" for f in by_field[k])), None)
    if accepted_date and (accepted_date["field"] == "founded" or not out["founded"]):
        prec = accepted_date["precision"] or accepted_date["qualifier"]
        out["founded"] = str(accepted_date["value"])[:10]
        out["founded_precision"] = prec if prec in ("year", "month", "day") else "day"
    if by_field["gov_led"] and any(f["status"] == "accepted" for f in by_field["gov_led"]):
        out["gov_led"] = int(bool(preferred(by_field["gov_led"])["value"]))
    return out


def _snapshot(db, parks: list[dict], facts: list[dict]) -> Census:
    per_park = defaultdict(list)
    for f in facts:
        per_park[f["park_id"]].append(f)
    rows = [_dated(p, per_park[p["id"]]) for p in parks]
    ids = {p["id"] for p in parks}
    c = Census(db, (rows, store.aliases(db), [f for f in facts if f["park_id"] in ids]))
    for (pid, fld), fs in c.all_facts.items():
        c.parks[pid].facts[fld] = preferred(fs)
    return c


def _sources(rows: list[dict], key: str) -> dict:
    """owner → [{url, snippet}], one per document (its first mention)."""
    out: dict = defaultdict(list)
    seen = set()
    for r in rows:
        if (r[key], r["url"]) not in seen:
            seen.add((r[key], r["url"]))
            out[r[key]].append({"url": r["url"], "snippet": r["snippet"]})
    return out


def load(db, as_of: str | None = None, include_candidates: bool = False) -> Known:
    b = bound(as_of)
    parks = store.parks(db, b)
    now = _snapshot(db, parks, store.reviewed_facts(db, b))
    then = _snapshot(db, store.census_parks(db), store.census_facts(db))
    new = sorted((p for p in parks if p["status"] != "baseline"), key=lambda p: (p["created_at"], p["id"]))
    k = Known(as_of, now, then, new, _sources(store.park_sources(db, [p["id"] for p in new], b), "park_id"),
              store.document_policies(db, b), store.document_funds(db, b))
    if include_candidates:
        cands = store.unreviewed_candidates(db, b)
        srcs = _sources(store.candidate_sources(db, [c["id"] for c in cands], b), "candidate_id")
        k.candidates = [{**c, "sources": srcs.get(c["id"], [])} for c in cands]
        ids = {c["id"] for c in cands}
        # a figure belongs to a park of the edition, or to an unreviewed candidate; a rejected
        # candidate's figures belong to nothing
        k.unreviewed_facts = [f for f in store.unreviewed_facts(db, b)
                              if f["park_id"] in now.parks or f["candidate_id"] in ids]
    return k
