"""The extraction stage over the store: each stored document read once per extractor version
(`--rerun`: all again), its findings written through db.findings with their evidence."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from db import census, findings
from pipeline.extract.mentions import words
from pipeline.extract.records import document_text, snippet
from pipeline.resolve.document import EXTRACTOR_VERSION, Findings, read_document
from pipeline.resolve.entities import Entity
from pipeline.resolve.resolver import Park, Resolver
from pipeline.text.names import name_key


def known_parks(db) -> Resolver:
    """The parks a mention may be: the census and every accepted park, under all their names."""
    r = Resolver(Park(p["id"], p["province"], p["city"], [p["name"]]) for p in census.active_parks(db))
    for a in census.aliases(db):
        if a["park_id"] in r.parks:
            r.add_alias(a["park_id"], a["alias"])
    return r


def candidate_index(db) -> Resolver:
    return Resolver(Park(c["candidate_key"], c["province"], c["city"], [c["name"], *c["aliases"]])
                    for c in findings.indexed_candidates(db))


def _mention_rows(e: Entity) -> list[dict]:
    return [{"start": m.start, "end": m.end, "text": m.text, "type": e.type, "province": e.province, "city": e.city,
             "district": e.district, "role": e.role, "event": e.event, "event_date": e.event_date,
             "event_precision": e.event_precision, "gov_led": e.gov_led, "gov_led_evidence": e.gov_led_evidence,
             "method": e.match.method if e.match else None, "score": e.match.score if e.match else None,
             "features": e.features, "snippet": m.snippet} for m in e.mentions]


def _fact_rows(e: Entity, published: str | None, text: str) -> list[dict]:
    """The park's figures, and its event and operator as facts of their own (opened_on 2026-11-08,
    gov_led 1), each with the words that say so."""
    rows = [{"field": f.field, "value": f.value, "low": f.low, "high": f.high, "unit": f.unit,
             "qualifier": f.qualifier, "raw": f.raw, "start": f.start, "end": f.end, "evidence": f.snippet,
             "effective_date": published} for f in e.facts]
    field = words()["event_fields"].get(e.event or "")
    if field and e.event_date and e.event_evidence:
        raw, a, b = e.event_evidence
        rows.append({"field": field, "value": e.event_date, "low": None, "high": None, "unit": "date",
                     "qualifier": e.event_precision or "day", "raw": raw, "start": a, "end": b,
                     "evidence": snippet(text, a, b), "effective_date": e.event_date})
    if e.gov_led is not None and e.gov_led_span:
        a, b = e.gov_led_span
        rows.append({"field": "gov_led", "value": int(e.gov_led), "low": None, "high": None, "unit": "flag",
                     "qualifier": "exact", "raw": e.gov_led_evidence, "start": a, "end": b,
                     "evidence": snippet(text, a, b), "effective_date": published})
    return rows


def _park_rows(f: Findings, published: str | None, text: str) -> list[dict]:
    out = []
    for e in f.parks:
        cand = None if e.park_id else {
            "key": e.candidate, "name": e.name, "province": e.province, "city": e.city, "district": e.district,
            "type": e.type, "score": e.features.get("known_best"), "features": e.features,
            "aliases": sorted({(m.text, name_key(m.text)) for m in e.mentions})}
        out.append({"park_id": e.park_id, "candidate": cand, "mentions": _mention_rows(e),
                    "facts": _fact_rows(e, published, text)})
    return out


def _policy_rows(f: Findings) -> list[dict]:
    return [{"policy_key": f"policy:{name_key(p.title)}|{p.region or ''}", "title": p.title, "doc_number": p.doc_number,
             "issuer": p.issuer, "level": p.level, "region": p.region, "province": p.region, "status": p.status,
             "period": p.period, "published": p.published,
             "measures": [{"what": m.what, "amount": m.amount, "unit": m.unit, "qualifier": m.qualifier,
                           "raw": m.raw} for m in p.measures],
             "start": p.start, "end": p.end, "snippet": p.snippet} for p in f.policies]


def _fund_rows(f: Findings, parks: Resolver, candidates: Resolver) -> list[dict]:
    out = []
    for x in f.funds:
        park_id = cand_key = None
        if x.park_text:
            m = parks.resolve(x.park_text)
            park_id = m.park_id if m else None
            c = candidates.resolve(x.park_text) if not m else None
            cand_key = c.park_id if c else None
        key = name_key(x.name) if x.name else f"{x.size}{x.currency}"
        out.append({"fund_key": f"fund:{key}|{x.region or ''}", "name": x.name, "amount": x.size,
                    "tranche": x.tranche, "currency": x.currency, "sponsors": x.sponsors,
                    "government_share": x.government_share, "region": x.region, "park_id": park_id,
                    "candidate_key": cand_key, "raw": x.raw, "start": x.start, "end": x.end, "snippet": x.snippet})
    return out


def extract(db, *, rerun: bool = False, since: str | None = None, ids: list[int] | None = None,
            progress: Callable[[int], None] | None = None) -> Counter:
    """Read the documents that need it; returns counts (documents, by class, parks, candidates …)."""
    parks, candidates = known_parks(db), candidate_index(db)
    stats: Counter = Counter()
    last = time.monotonic()
    for doc in list(findings.documents_to_extract(db, version=EXTRACTOR_VERSION, rerun=rerun, since=since, ids=ids)):
        meta = {k: v for k, v in (("发文字号", doc["doc_number"]), ("发文机关", doc["issuer"])) if v}
        f = read_document(doc["title"], doc["body"], published=doc["published"], meta=meta, parks=parks,
                          candidates=candidates)
        findings.write_findings(db, doc["id"], label=f.classification.label,
                                reason={"scores": f.classification.scores, "reasons": f.classification.reasons},
                                parks=_park_rows(f, doc["published"], document_text(doc["title"], doc["body"])), policies=_policy_rows(f),
                                funds=_fund_rows(f, parks, candidates), version=EXTRACTOR_VERSION)
        stats["documents"] += 1
        stats[f"class:{f.classification.label}"] += 1
        stats["parks"] += len(f.parks)
        stats["policies"] += len(f.policies)
        stats["funds"] += len(f.funds)
        if progress and time.monotonic() - last > 5:
            progress(stats["documents"])
            last = time.monotonic()
    return stats

