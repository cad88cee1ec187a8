"""What an analyst decides: accept a candidate (a new park, with its aliases and figures), merge
it into a known park, reject it (suppressed until new evidence brings it back, flagged), edit it,
accept or reject a new value of a known park, and undo any decision. Each is one transaction of
db.review that records what it changed; a decided item is not decided again until undone."""
from __future__ import annotations

from db import review as store
from db.store import now
from pipeline.text.names import name_key

from .items import ReviewError, parse_id

EDITABLE = {"candidate": ("name", "province", "city", "district", "type"),
            "park": ("name", "province", "city", "founded", "gov_led")}
UNITS = {"area_m2": "m2", "enterprises": "count", "fund_yuan": "CNY"}


def _open_candidate(db, cid: int) -> dict:
    c = store.candidate(db, cid)
    if c is None:
        raise ReviewError(f"no candidate c{cid} (`parkwatch review list` shows the open ones)")
    if c["status"] not in ("new", "rejected"):
        raise ReviewError(f"c{cid} is already {c['status']}{' as ' + c['park_id'] if c['park_id'] else ''}; "
                          f"`parkwatch review undo` first to decide again")
    if c["status"] == "rejected" and not c["flagged"]:
        raise ReviewError(f"c{cid} was rejected and no new evidence came since; `parkwatch review undo` first")
    return c


def _founded(facts: list[dict]) -> tuple[str | None, str | None]:
    dated = sorted((f["value"], f["qualifier"]) for f in facts if f["field"] in ("founded", "opened_on") and f["value"])
    return dated[0] if dated else (None, None)


def _gov_led(facts: list[dict]) -> int:
    votes = [int(f["value"]) for f in facts if f["field"] == "gov_led" and f["value"] is not None]
    return int(bool(votes) and sum(votes) * 2 > len(votes))


def accept(db, item_id: str, *, reviewer: str, reason: str | None = None, name: str | None = None) -> dict:
    kind, n = parse_id(item_id)
    if kind == "fact":
        return _fact_status(db, n, "accepted", reviewer, reason)
    c = _open_candidate(db, n)
    name = name or c["name"]
    key = name_key(name)
    clash = store.park_with_key(db, key)
    if clash:
        raise ReviewError(f"a park named {name!r} exists already ({clash}): "
                          f"`parkwatch review merge c{n} --into {clash}`")
    facts = store.facts_of(db, candidate_id=n)
    founded, precision = _founded(facts)

    def writes(rec):
        park_id = store.next_park_id(db)
        store.new_park(rec, {"id": park_id, "name": name, "name_key": key, "province": c["province"], "city": c["city"],
                             "founded": founded, "founded_precision": precision, "gov_led": _gov_led(facts)})
        aliases = store.add_aliases(rec, park_id, _aliases(c, name), f"candidate:{n}")
        store.set_candidate(rec, n, status="accepted", park_id=park_id, reviewed_at=now(), flagged=0)
        moved = store.adopt_candidate_rows(rec, n, park_id, now())
        return park_id, {"name": name, "aliases": aliases, "facts": moved}
    return store.decide(db, kind="candidate", target_id=n, action="accept", reviewer=reviewer, reason=reason,
                        writes=writes)


def _aliases(c: dict, *extra: str) -> list[tuple[str, str]]:
    names = {a for a in [c["name"], *c["aliases"], *extra] if a}
    return sorted((a, name_key(a)) for a in names)


def merge(db, item_id: str, into: str, *, reviewer: str, reason: str | None = None) -> dict:
    kind, n = parse_id(item_id)
    if kind != "candidate":
        raise ReviewError("only a candidate can be merged into a park; a fact is accepted or rejected")
    c = _open_candidate(db, n)
    target = store.park(db, into)
    if target is None or target["status"] not in ("baseline", "accepted"):
        raise ReviewError(f"no park {into!r} to merge into (`parkwatch parks` lists them)")

    def writes(rec):
        aliases = store.add_aliases(rec, into, _aliases(c), f"candidate:{n}")
        store.set_candidate(rec, n, status="merged", park_id=into, reviewed_at=now(), flagged=0)
        moved = store.adopt_candidate_rows(rec, n, into, now())
        return into, {"name": target["name"], "aliases": aliases, "facts": moved}
    return store.decide(db, kind="candidate", target_id=n, action="merge", reviewer=reviewer, reason=reason,
                        writes=writes)


def reject(db, item_id: str, *, reviewer: str, reason: str | None = None) -> dict:
    kind, n = parse_id(item_id)
    if kind == "fact":
        return _fact_status(db, n, "rejected", reviewer, reason)
    c = _open_candidate(db, n)
    if c["status"] == "rejected":
        raise ReviewError(f"c{n} is rejected already (flagged by new evidence: accept, merge, or "
                          f"`parkwatch review edit c{n} --unflag`)")

    def writes(rec):
        store.set_candidate(rec, n, status="rejected", reviewed_at=now(), flagged=0)
        store.candidate_facts_status(rec, n, "rejected")
        return None, {"name": c["name"]}
    return store.decide(db, kind="candidate", target_id=n, action="reject", reviewer=reviewer, reason=reason,
                        writes=writes)


def _fact_status(db, fid: int, status: str, reviewer: str, reason: str | None) -> dict:
    f = store.fact(db, fid)
    if f is None:
        raise ReviewError(f"no fact f{fid}")
    if f["status"] != "detected":
        raise ReviewError(f"f{fid} is already {f['status']}; `parkwatch review undo` first to decide again")

    def writes(rec):
        store.set_fact(rec, fid, status=status)
        return f["park_id"], {"name": f["park_name"], "field": f["field"], "value": f["value"]}
    return store.decide(db, kind="fact", target_id=fid, action="accept" if status == "accepted" else "reject",
                        reviewer=reviewer, reason=reason, writes=writes)


def edit(db, item_id: str, *, reviewer: str, reason: str | None = None, fields: dict | None = None,
         figures: dict | None = None, unflag: bool = False) -> dict:
    """Change a candidate's name or place (or, once it is a park, the park's), and set figures
    (a reviewer's value is an accepted fact of its own)."""
    kind, n = parse_id(item_id)
    if kind != "candidate":
        raise ReviewError("edit works on candidates (and the parks they became); a fact is accepted or rejected")
    c = store.candidate(db, n)
    if c is None:
        raise ReviewError(f"no candidate c{n}")
    fields, figures = dict(fields or {}), dict(figures or {})
    on_park = c["park_id"] if c["status"] in ("accepted", "merged") else None
    bad = [k for k in fields if k not in EDITABLE["park" if on_park else "candidate"]] + \
        [k for k in figures if k not in UNITS]
    if bad or not (fields or figures or unflag):
        raise ReviewError(f"nothing to edit{': unknown field ' + ', '.join(bad) if bad else ''}")

    def writes(rec):
        if on_park and fields:
            store.set_park(rec, on_park, **fields, **({"name_key": name_key(fields["name"])} if "name" in fields else {}))
        elif fields or unflag:
            store.set_candidate(rec, n, **fields, **({"flagged": 0} if unflag else {}))
        for fld, value in figures.items():
            store.edited_fact(rec, park_id=on_park, candidate_id=None if on_park else n, field=fld, value=value,
                              unit=UNITS[fld], reviewer=reviewer)
        return on_park, {"name": fields.get("name", c["name"]), "fields": fields, "figures": figures}
    return store.decide(db, kind="candidate", target_id=n, action="edit", reviewer=reviewer, reason=reason,
                        writes=writes)


def undo(db, decision_id: int | None = None, *, reviewer: str, reason: str | None = None) -> dict:
    """Undo one decision (the reviewer's last one by default). A decision that a later one built
    on (the same rows) is undone after that one."""
    d = store.decision(db, decision_id) if decision_id else store.last_decision(db, reviewer)
    if d is None:
        raise ReviewError(f"no decision {decision_id}" if decision_id else f"no decision of {reviewer} to undo")
    if d["undone_at"] or d["action"] == "undo":
        raise ReviewError(f"decision {d['id']} is {'an undo' if d['action'] == 'undo' else 'undone already'}")
    later = store.later_conflicts(db, d)
    if later:
        raise ReviewError(f"decision {d['id']} was built on by decision(s) {', '.join(map(str, later))}: undo those first")
    return store.undo(db, d, reviewer, reason)
