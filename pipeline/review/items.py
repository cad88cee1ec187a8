"""The review queue: one item per candidate new park or per new value of a known park, with the
evidence an analyst decides on, sorted by confidence. Item ids say their kind: c12 is candidate 12,
f345 is fact 345."""
from __future__ import annotations

import re

from db import census
from db import review as store
from pipeline.text.names import dice, variants

FIGURES = ("area_m2", "enterprises", "fund_yuan")
COMPARED = ("name", "province", "city", "founded", *FIGURES)


class ReviewError(Exception):
    """A review command that cannot be done (unknown id, already decided): one line for the user."""


def parse_id(item_id: str) -> tuple[str, int]:
    m = re.fullmatch(r"([cf])(\d+)", str(item_id).strip().lower())
    if not m:
        raise ReviewError(f"{item_id!r} is not a review id: c<number> for a candidate, f<number> for a fact "
                          "(`parkwatch review list` shows them)")
    return store.KINDS[m.group(1)], int(m.group(2))


def confidence(c: dict) -> float:
    """How sure the queue is that a candidate is a real new park: more documents, a reported
    event, figures and a precise place raise it; a close likeness to a known park lowers it (it
    is then rather a merge)."""
    score = 0.45 + 0.15 * min(max(c["n_documents"] - 1, 0), 2) + 0.1 * bool(c["n_events"]) \
        + 0.1 * bool(c["n_figures"]) + 0.1 * bool(c.get("district") or c.get("city"))
    if (c.get("score") or 0) >= 0.6:
        score -= 0.2
    return round(min(max(score, 0.0), 1.0), 2)


def _candidate_item(c: dict) -> dict:
    return {"id": f"c{c['id']}", "kind": "candidate", "name": c["name"], "province": c["province"],
            "city": c["city"], "district": c["district"], "type": c["type"], "score": confidence(c),
            "status": c["status"], "flagged": bool(c["flagged"]), "n_documents": c["n_documents"], "evidence": []}


def _fact_item(f: dict) -> dict:
    return {"id": f"f{f['id']}", "kind": "fact", "name": f["park_name"], "province": f["province"],
            "city": f["city"], "park_id": f["park_id"], "field": f["field"], "value": f["value"], "raw": f["raw"],
            "score": round(f["match_score"] if f["match_score"] is not None else 0.5, 2), "status": f["status"],
            "evidence": [{"url": f["document_url"], "snippet": f["evidence"]}]}


def with_evidence(db, items: list[dict]) -> list[dict]:
    """The candidates' evidence sentences, fetched for these items only (one query)."""
    ids = [int(i["id"][1:]) for i in items if i["kind"] == "candidate"]
    ev = store.evidence_of_candidates(db, ids)
    for i in items:
        if i["kind"] == "candidate":
            i["evidence"] = ev[int(i["id"][1:])]
    return items


def queue(db, *, kind: str | None = None, evidence: bool = True) -> list[dict]:
    """Everything waiting for a decision, most confident first (then oldest); `evidence=False`
    leaves the candidates' sentences out (a page fetches them for the cards it shows)."""
    items = []
    if kind in (None, "candidate"):
        items += [_candidate_item(c) for c in store.queue_candidates(db)]
    if kind in (None, "fact"):
        items += [_fact_item(f) for f in store.queue_facts(db)]
    items.sort(key=lambda i: (-i["score"], i["kind"], int(i["id"][1:])))
    return with_evidence(db, items) if evidence else items


# -- one card -----------------------------------------------------------------------------------
def _highlights(snippet: str, words: list[str]) -> list[list[int]]:
    """Where the extracted words stand in a snippet, as [start, end] pairs, not overlapping."""
    spans: list[list[int]] = []
    for w in sorted({w for w in words if w}, key=len, reverse=True):
        for m in re.finditer(re.escape(w), snippet):
            if all(m.end() <= a or m.start() >= b for a, b in spans):
                spans.append([m.start(), m.end()])
    return sorted(spans)


def nearest_parks(db, name: str, province: str | None, n: int = 3) -> list[dict]:
    """The known parks most like a candidate by name (same province first), with their figures."""
    keys = variants(name)
    scored = []
    for p in census.active_parks(db):
        s = max(dice(k, v) for k in keys for v in variants(p["name"]))
        if province and p["province"] and not (province in p["province"] or p["province"] in province):
            s *= 0.5
        scored.append((round(s, 3), p))
    top = [p for _, p in sorted(scored, key=lambda sp: -sp[0])[:n]]
    figures = store.park_figures(db, [p["id"] for p in top])
    return [{"id": p["id"], "name": p["name"], "province": p["province"], "city": p["city"], "founded": p["founded"],
             "similarity": s, **figures[p["id"]]} for s, p in sorted(scored, key=lambda sp: -sp[0])[:n]]


def _candidate_card(db, cid: int) -> dict:
    c = store.candidate(db, cid)
    if c is None:
        raise ReviewError(f"no candidate c{cid}")
    facts = store.facts_of(db, candidate_id=cid)
    ev, seen = [], set()
    for e in store.candidate_evidence(db, cid):          # one card line per sentence, however often named
        if (e["url"], e["snippet"]) not in seen:
            seen.add((e["url"], e["snippet"]))
            ev.append(e)
    raws = [f["raw"] for f in facts]
    evidence = [{**e, "highlights": _highlights(e["snippet"], [e["text"], *raws])} for e in ev]
    mine = {"name": c["name"], "province": c["province"], "city": c["city"],
            "founded": next((f["value"] for f in facts if f["field"] in ("founded", "opened_on")), None),
            **{f["field"]: f["raw"] for f in facts if f["field"] in FIGURES}}
    near = nearest_parks(db, c["name"], c["province"])
    for p in near:
        p["differs"] = [k for k in COMPARED if mine.get(k) is not None and p.get(k) is not None
                        and str(mine[k]) != str(p[k])]
    return {"id": f"c{cid}", "kind": "candidate", **{k: c[k] for k in ("name", "province", "city", "district", "type",
                                                                       "status", "flagged", "park_id")},
            "aliases": c["aliases"], "features": c["features"], "facts": facts, "evidence": evidence,
            "fields": mine, "nearest": near, "decisions": store.decisions(db, target=("candidate", cid))}


def _fact_card(db, fid: int) -> dict:
    f = store.fact(db, fid)
    if f is None:
        raise ReviewError(f"no fact f{fid}")
    known = [x for x in store.facts_of(db, park_id=f["park_id"]) if x["field"] == f["field"] and x["id"] != fid] \
        if f["park_id"] else []
    snippet = f["evidence"] or ""
    return {"id": f"f{fid}", "kind": "fact", "name": f["park_name"], "park_id": f["park_id"], "field": f["field"],
            "value": f["value"], "raw": f["raw"], "status": f["status"],
            "evidence": [{"url": f["document_url"], "snippet": snippet, "highlights": _highlights(snippet, [f["raw"]])}],
            "known_values": known, "decisions": store.decisions(db, target=("fact", fid))}


def card(db, item_id: str) -> dict:
    kind, n = parse_id(item_id)
    return _candidate_card(db, n) if kind == "candidate" else _fact_card(db, n)
