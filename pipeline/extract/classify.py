"""What a document is about: a park event, a policy, a fund, a pilot zone, statistics, or nothing
of ours — decided from what the extraction found in it, with the reasons."""
from __future__ import annotations

import re

from pipeline.text.normalize import fold

from .mentions import words
from .records import Classification, FundRecord, PolicyRecord
from .relevance import label


def _has(text: str, key: str) -> list[str]:
    return [w for w in words()[key] if w in text]


_DATED = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}")


def _listing(body: str | None) -> bool:
    """An index page stored as a document: many of its lines are dates of the items listed (a
    title or summary, then its date), or short lines that are a title and a date."""
    lines = [ln.strip() for ln in (body or "").splitlines() if ln.strip()]
    dated = sum(bool(_DATED.search(ln)) and len(ln) < 80 for ln in lines)
    bare = sum(bool(_DATED.match(ln)) and len(ln) <= 20 for ln in lines)
    return len(lines) >= 6 and (dated >= 0.6 * len(lines) or (bare >= 5 and bare >= 0.3 * len(lines)))


def classify(title: str | None, body: str | None, entities: list, policies: list[PolicyRecord],
             funds: list[FundRecord], *, folded_body: str | None = None) -> Classification:
    """entities: the document's parks after grouping (objects with .type, .role, .event, .facts)."""
    t = fold(title)
    relevance = label(title, body, folded_body=folded_body)
    scores = {"parks": float(len(entities)), "policies": float(len(policies)), "funds": float(len(funds))}
    reasons = [f"relevance: {relevance}"]
    if _listing(body):
        return Classification("irrelevant", scores, reasons + ["a list of titles and dates, not an article"])
    known = [e for e in entities if getattr(e, "park_id", None)]
    if relevance == "other" and known:     # 黄埔链谷 is a blockchain park without saying 区块链
        relevance, reasons = "park", reasons + [f"known park {known[0].name}"]
    if relevance == "other":
        return Classification("irrelevant", scores, reasons + ["no blockchain term outside look-alike phrases"])
    if _has(t, "not_announcement") and not policies:
        return Classification("irrelevant", scores, reasons + [f"title: {', '.join(_has(t, 'not_announcement'))}"])
    busy = [e for e in entities if e.event or e.facts]
    if _has(t, "gathering_titles") and not busy and not policies and not funds:
        return Classification("irrelevant", scores, reasons + [f"title: {', '.join(_has(t, 'gathering_titles'))}"])
    subjects = [e for e in entities if e.role == "subject"]
    titled = any(w in t for w in words()["pilot_events"])
    pilots = [e for e in subjects if e.type in ("pilot", "zone") and (titled or e.event in words()["pilot_events"])]
    if policies and (relevance == "policy" or not subjects):
        return Classification("policy", scores, reasons + [f"policy: {policies[0].title}"])
    if funds and (relevance == "fund" or "基金" in t):
        return Classification("fund", scores, reasons + [f"fund: {funds[0].name or funds[0].raw}"])
    if pilots:
        return Classification("pilot_zone", scores, reasons + [f"{pilots[0].type} {pilots[0].name}: {pilots[0].event}"])
    if subjects or entities:
        s = (subjects or entities)[0]
        return Classification("park_event", scores, reasons + [f"park {s.name}: {s.event or 'figures'}"])
    if funds:
        return Classification("fund", scores, reasons + [f"fund: {funds[0].name or funds[0].raw}"])
    if _has(t + fold(body)[:600], "statistics_words"):
        return Classification("statistics", scores, reasons + [f"statistics: {', '.join(_has(t, 'statistics_words'))}"])
    return Classification("irrelevant", scores, reasons + ["no park, policy or fund found"])
