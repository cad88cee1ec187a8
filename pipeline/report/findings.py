"""What the documents found, in a few lines each with the sentence that says so: new candidate
parks, known parks with new figures, policies, funds (for `parkwatch demo` and run summaries)."""
from __future__ import annotations

from db import findings

from .formats import cell

FIELD_NAMES = {"area_m2": "area", "enterprises": "settled enterprises", "fund_yuan": "fund"}


def _value(f: dict) -> str:
    v = f["value"] if f["value"] is not None else f["low"]
    unit = {"m2": " m²", "CNY": " yuan", "count": ""}.get(f["unit"], f" {f['unit']}")
    q = {"at_least": "≥ ", "at_most": "≤ ", "approx": "≈ "}.get(f["qualifier"], "")
    return f"{q}{cell(v)}{unit}"


def summary(db, *, limit: int = 5) -> list[str]:
    """Lines for a terminal: every crawled text in them is escaped by formats.cell."""
    lines = []
    cands = sorted(findings.list_candidates(db, status="new"), key=lambda c: (-c["n_documents"], c["id"]))
    lines.append(f"new candidate parks: {len(cands)}")
    snippets = {m["candidate_id"]: m["snippet"] for m in reversed(findings.list_mentions(db)) if m["candidate_id"]}
    for c in cands[:limit]:
        place = " ".join(x for x in (c["province"], c["city"]) if x)
        lines.append(f"  • {cell(c['name'])} ({place}; {c['n_documents']} document(s)) — “{cell(snippets.get(c['id'], ''))}”")
    known = [f for f in findings.list_facts(db) if f["park_id"]]
    lines.append(f"known parks with new figures: {len({f['park_id'] for f in known})}")
    for f in known[:limit]:
        lines.append(f"  • {f['park_id']} {FIELD_NAMES.get(f['field'], f['field'])} {_value(f)} — “{cell(f['snippet'])}”")
    pols = findings.list_policies(db)
    lines.append(f"policies: {len(pols)}")
    for p in pols[:limit]:
        tag = ", ".join(x for x in (p.get("doc_number"), p.get("level"), p.get("status")) if x)
        lines.append(f"  • 《{cell(p['title'])}》 ({tag}) — {cell(p['documents'][0])}")
    funds = findings.list_funds(db)
    lines.append(f"funds: {len(funds)}")
    for f in funds[:limit]:
        size = f"{cell(f['amount'])} {f['currency'] or ''}".strip() if f["amount"] else "size not stated"
        lines.append(f"  • {cell(f['name'] or 'unnamed fund')} ({size}) — {cell(f['documents'][0])}")
    return lines
