"""The diff at the level of facts: what is known now (or at `as_of`) against the 2020 census —
new candidate parks and accepted new parks, new and changed figures and events of parks, new
policies and funds, pages gone from their sources, sources that broke. Nothing is deleted: a
vanished page is a change, not a missing row. A page that changed without a new reading (only
boilerplate, or text removed) changes no fact, so it is no change here.

Each change: {entity, key, change, field, old, new, evidence: [{url, snippet}], first_seen,
run_id, change_key}; `run_id` is the run that first recorded it (None until a run did)."""
from __future__ import annotations

from collections import defaultdict

from db import changes as store

ENTITIES = ("park", "candidate", "fact", "policy", "fund", "source")
CHANGES = ("new", "changed", "vanished", "broken")
FIGURES = ("area_m2", "enterprises", "fund_yuan")


def _change(entity, key, change, *, field=None, old=None, new=None, evidence=(), first_seen=None, ckey=None, **more):
    return {"entity": entity, "key": key, "change": change, "field": field, "old": old, "new": new,
            "evidence": list(evidence), "first_seen": first_seen, "run_id": None,
            "change_key": ckey or f"{entity}|{key}|{field or ''}|{change}|{new if new is not None else ''}", **more}


def _parks_and_candidates(db, as_of) -> list[dict]:
    out = [_change("candidate", c["candidate_key"], "new", new=c["name"], evidence=c["evidence"],
                   first_seen=c["first_seen"], name=c["name"], province=c["province"], city=c["city"],
                   flagged=bool(c["flagged"]), ckey=f"candidate|{c['candidate_key']}|new")
           for c in store.candidates(db, as_of)]
    out += [_change("park", p["id"], "new", new=p["name"], evidence=p["evidence"], first_seen=p["created_at"],
                    name=p["name"], province=p["province"], city=p["city"], ckey=f"park|{p['id']}|new")
            for p in store.new_parks(db, as_of)]
    return out


def _figure_changes(db, as_of) -> list[dict]:
    """Per park (or open candidate) and field: the latest reading from a document against the
    value known before it — the census value, or an earlier reading. A known park's first reading
    of a field the census lacks is new; a candidate's first readings are part of the candidate."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in store.figures(db, as_of):
        target = ("p", f["park_id"]) if f["park_id"] else ("c", f["candidate_key"])
        if target[1]:
            groups[(*target, f["field"])].append(f)
    out = []
    for (kind, target, field), facts in groups.items():
        docs = [f for f in facts if f["document_id"] is not None]
        if not docs:
            continue
        cur = docs[-1]
        # the value known before this reading: learned earlier (readings of one moment are one)
        before = [f for f in facts if f["first_seen"] < cur["first_seen"]]
        prev = before[-1] if before else None
        if prev is not None and str(prev["value"]) == str(cur["value"]):
            continue
        if kind == "c" and (prev is None or field not in FIGURES):
            continue                       # a candidate's readings are part of it; its dates differ by source
        entity = "fact" if kind == "p" else "candidate"
        out.append(_change(entity, target, "changed" if prev else "new", field=field,
                           old=prev["raw"] if prev else None, new=cur["raw"],
                           evidence=[{"url": cur["url"], "snippet": cur["evidence"]}], first_seen=cur["first_seen"],
                           old_value=prev["value"] if prev else None, new_value=cur["value"], status=cur["status"],
                           name=cur["park_name"] or cur["candidate_name"],
                           ckey=f"{entity}|{target}|{field}|{cur['value']}"))
    return out


def _records(db, as_of) -> list[dict]:
    out = [_change("policy", p["policy_key"], "new", new=p["title"], evidence=p["evidence"], first_seen=p["first_seen"],
                   doc_number=p["doc_number"], status=p["status"], name=p["title"], ckey=f"policy|{p['policy_key']}|new")
           for p in store.new_records(db, "policies", "policy_documents", "policy_id", as_of)]
    out += [_change("fund", f["fund_key"], "new", new=f["name"] or f["raw"], evidence=f["evidence"],
                    first_seen=f["first_seen"], size=f["amount"], currency=f["currency"], name=f["name"] or f["raw"],
                    ckey=f"fund|{f['fund_key']}|new")
            for f in store.new_records(db, "funds", "fund_documents", "fund_id", as_of)]
    return out


def _sources(db, as_of) -> list[dict]:
    out = [_change("source", d["source"], "vanished", field="document", old=d["url"],
                   evidence=[{"url": d["url"], "snippet": d["title"]}], first_seen=d["gone_at"], url=d["url"],
                   name=d["source"],
                   ckey=f"source|{d['source']}|document|vanished|{d['url']}")
           for d in store.gone_documents(db, as_of)]
    out += [_change("source", a["source"], "broken", field=a["kind"], new=a["message"], first_seen=a["first_at"],
                    times=a["times"], ckey=f"source|{a['source']}|{a['kind']}|broken|{a['first_at']}")
            for a in store.broken_sources(db, as_of)]
    return out


def diff(db, *, as_of: str | None = None, since: str | None = None) -> list[dict]:
    """Everything known at `as_of` (now by default) that differs from the 2020 census, or only
    what was first seen on or after `since`; each with the run that recorded it."""
    rows = _parks_and_candidates(db, as_of) + _figure_changes(db, as_of) + _records(db, as_of) + _sources(db, as_of)
    if since:
        rows = [r for r in rows if (r["first_seen"] or "") >= since]
    runs = store.recorded(db)
    for r in rows:
        r["run_id"] = (runs.get(r["change_key"]) or {}).get("run_id")
    order = {e: i for i, e in enumerate(ENTITIES)}
    return sorted(rows, key=lambda r: (order[r["entity"]], r["first_seen"] or "", r["key"]))
