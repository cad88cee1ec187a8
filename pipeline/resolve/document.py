"""One document through the whole extraction stage: parks (found, grouped, resolved), policies,
funds, and what the document is about. Pure: the known parks and the candidates are indexes
passed in; nothing is read from or written to the store here."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.extract.classify import classify
from pipeline.extract.funds import find_funds
from pipeline.extract.parks import park_mentions
from pipeline.extract.policies import find_policies
from pipeline.extract.records import Classification, FactRecord, FundRecord, PolicyRecord, document_text, snippet
from pipeline.text.names import name_key

from .entities import Entity, resolve_mentions
from .resolver import Resolver

# the extraction stage's version: stored with every derived row, so `parkwatch extract --rerun`
# knows what to re-derive after an improvement
EXTRACTOR_VERSION = "2026.12.1"
NEGATIVE = ("irrelevant", "statistics")


@dataclass
class Findings:
    classification: Classification
    parks: list[Entity] = field(default_factory=list)
    policies: list[PolicyRecord] = field(default_factory=list)
    funds: list[FundRecord] = field(default_factory=list)


def read_document(title: str | None, body: str | None, *, published: str | None = None, meta: dict | None = None,
                  parks: Resolver, candidates: Resolver) -> Findings:
    """Everything the document says that parkwatch records. A document that turns out to be
    about nothing of ours (a job posting, a footer mention, statistics) yields no park, policy or
    fund; its candidates are taken back out of the index."""
    known = dict(candidates.parks)
    entities = resolve_mentions(park_mentions(title, body, published=published), parks, candidates, title or "")
    policies = find_policies(title or "", body or "", published=published, meta=meta)
    funds = find_funds(title or "", body or "", published=published)
    _fund_facts(entities, funds, document_text(title, body))
    c = classify(title, body, entities, policies, funds)
    if c.label in NEGATIVE:
        for key in set(candidates.parks) - set(known):
            candidates.remove_park(key)
        return Findings(c)
    return Findings(c, entities, policies, funds)


def _fund_facts(entities: list[Entity], funds: list[FundRecord], text: str) -> None:
    """A park's fund figure is the size of a yuan fund the fund reading linked to that park (by
    the name it was written under): one mechanism decides what the fund is and whose it is."""
    for f in funds:
        if not (f.park_text and f.size is not None and f.currency == "CNY" and f.size_span):
            continue
        key = name_key(f.park_text)
        for e in entities:
            names = [name_key(m.text) for m in e.mentions]
            if any(key == n or (len(key) >= 4 and key in n) for n in names):
                if not any(x.field == "fund_yuan" for x in e.facts):
                    a, b = f.size_span
                    e.facts.append(FactRecord("fund_yuan", f.size, f.size, f.size, "yuan", f.size_qualifier or "exact",
                                              f.size_raw, a, b, snippet(text, a, b)))
                break
