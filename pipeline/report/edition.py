"""The next edition of the census (parkwatch report): the 2020 tables recomputed with the reviewed
changes, what is new since 2020 with its evidence, and the claims check on the new data.

build() returns plain data (rows of dicts); publish.py renders it and charts.py draws it."""
from __future__ import annotations

import json
from collections import Counter, defaultdict

from db import report as store
from pipeline.text.names import loc_norm

from . import claims as claims_mod
from . import known
from .snapshot import Census

MONTHS = list(range(1, 13))
FIGURES = {"area_m2": "areas", "enterprises": "enterprises", "fund_yuan": "fund_table"}
UNKNOWN_YEAR = "unknown"
QUALIFIERS = {"at_least": "≥", "at_most": "≤", "approx": "≈", "exact": "=", "range": "range"}


def candidate_years(facts: list[dict]) -> dict[int, int]:
    """Each candidate's founding year: its earliest date of the first field (in DATE_FIELDS order) it has."""
    dates: dict = defaultdict(dict)
    for f in facts:
        if f["candidate_id"] and f["field"] in known.DATE_FIELDS and f["value"]:
            got = dates[f["candidate_id"]]
            got[f["field"]] = min(got.get(f["field"], "9999"), str(f["value"]))
    return {cid: int(next(d[k] for k in known.DATE_FIELDS if k in d)[:4]) for cid, d in dates.items()}


def _counts(rows, key) -> Counter:
    return Counter(key(r) for r in rows)


def _by(now: Census, then: Census, cands: list[dict], key, ckey) -> list[dict]:
    n, t = _counts(now.all(), key), _counts(then.all(), key)
    g, u = _counts(now.gov_led(), key), _counts(cands, ckey)
    keys = set(n) | set(t) | set(u)
    return [{"key": k, "parks_2020": t[k], "parks": n[k], "change": n[k] - t[k], "gov_led": g[k], "unreviewed": u[k]}
            for k in keys]


def by_province(now: Census, then: Census, cands: list[dict]) -> list[dict]:
    rows = _by(now, then, cands, lambda p: p.province or "—", lambda c: c["province"] or "—")
    rows.sort(key=lambda r: (-r["parks"], -r["parks_2020"], -r["unreviewed"], r["key"]))
    return [{"province": r.pop("key"), **r} for r in rows]


def by_year(now: Census, then: Census, cands: list[dict]) -> list[dict]:
    rows = _by(now, then, cands, lambda p: p.year or UNKNOWN_YEAR, lambda c: c["year"] or UNKNOWN_YEAR)
    rows.sort(key=lambda r: (r["key"] == UNKNOWN_YEAR, str(r["key"])))
    return [{"year": r.pop("key"), **r} for r in rows]


def gov_led_grid(now: Census) -> dict:
    """Table 2-1: government-led parks by founding year (columns) and month (rows)."""
    gov = now.gov_led()
    found = [p.year for p in gov if p.year]
    # the 2020 table has no gap years; a stray date far off does not widen the grid to decades
    years = list(range(min(found), max(found) + 1)) if found and max(found) - min(found) <= 15 else sorted(set(found))
    rows = [{"month": f"{m} 月", **{str(y): sorted(p.name for p in gov if p.year == y and p.month == m)
                                   for y in years}} for m in MONTHS]
    return {"years": [str(y) for y in years], "rows": rows}


def _source(f: dict) -> str:
    """census2020:table-2-3:2 → 2020 census, table 2-3 row 2 (a prose reference is shown as it is)."""
    parts = (f["source_ref"] or "").split(":")
    if len(parts) == 3 and parts[1].startswith("table-"):
        return f"2020 census, table {parts[1][6:]} row {parts[2]}"
    return f["source_ref"]


def _table_row(f: dict) -> int:
    ref = f["source_ref"] or ""
    return int(ref.rsplit(":", 1)[1]) if ":table-" in ref and ref.rsplit(":", 1)[1].isdigit() else 10**6


def _num(f: dict):
    return f["value"] if f["value"] is not None else f["low"]


def figures(now: Census, then: Census, fld: str) -> list[dict]:
    """One row per park with a value: the 2020 figure beside the current one and where that comes from."""
    rows = []
    for p in now.all():
        f = p.facts.get(fld)
        if not f:
            continue
        old = then.parks[p.id].facts.get(fld) if p.id in then.parks else None
        reviewed = f["status"] == "accepted"
        rows.append({"id": p.id, "park": p.name, "province": p.province, "gov_led": p.gov_led,
                     "census": old["raw"] if old else None, "current": f["raw"], "value": _num(f),
                     "qualifier": QUALIFIERS.get(f["qualifier"], f["qualifier"]), "tranche": f.get("tranche"),
                     "effective": f["effective_date"], "change": ("updated" if old else "new") if reviewed else "",
                     "sources": [f["document_url"] if reviewed else _source(f)],
                     "evidence": f["evidence"] if reviewed else None, "order": _table_row(f)})
    return sorted(rows, key=lambda r: (-(r["value"] or 0), r["order"], r["id"]))


def _date(p, fld: str) -> str | None:
    f = p.facts.get(fld)
    return str(f["value"]) if f and f["value"] else None


def new_parks(k: known.Known) -> list[dict]:
    """The accepted parks with their evidence: the documents that name them and those of their figures."""
    out, per_park = [], defaultdict(list)
    for (pid, _), fs in k.now.all_facts.items():
        per_park[pid] += fs
    for row in k.new_parks:
        p, srcs, facts = k.now.parks[row["id"]], k.sources.get(row["id"], []), per_park[row["id"]]
        urls = list(dict.fromkeys([*(s["url"] for s in srcs), *(f["document_url"] for f in facts if f["document_url"])]))
        evidence = list(dict.fromkeys([*(s["snippet"] for s in srcs), *(f["evidence"] for f in facts)]))
        shown = {fld: p.facts[fld]["raw"] if fld in p.facts else None for fld in ("area_m2", "enterprises", "fund_yuan")}
        out.append({"id": p.id, "park": p.name, "aliases": sorted({a for a in p.aliases if a != p.name}),
                    "province": p.province, "city": p.city, "founded": p.founded, "opened": _date(p, "opened_on"),
                    "gov_led": p.gov_led, "area": shown["area_m2"], "enterprises": shown["enterprises"],
                    "fund": shown["fund_yuan"], "accepted": row["created_at"], "sources": urls,
                    "evidence": [e for e in evidence if e][:3]})
    return out


def _list(v) -> list:
    if isinstance(v, str) and v.startswith("["):
        try:
            return json.loads(v)
        except ValueError:
            return [v]
    return [v] if v else []


def policies(rows: list[dict]) -> list[dict]:
    return [{"title": r["title"], "doc_number": r["doc_number"], "issuer": r["issuer"], "level": r["level"],
             "region": r["region"] or r["province"], "status": r["status"], "published": r["published"],
             "first_seen": r["first_seen"], "sources": r["documents"], "evidence": r["snippets"][:1]} for r in rows]


def funds(rows: list[dict]) -> list[dict]:
    return [{"name": r["name"], "amount": r["amount"], "currency": r["currency"], "tranche": r["tranche"],
             "sponsors": _list(r["sponsors"]) or _list(r["sponsor"]), "region": r["region"],
             "park": r["park_name"] or (f"{r['candidate_name']} (candidate)" if r["candidate_name"] else None),
             "first_seen": r["first_seen"], "sources": r["documents"], "evidence": r["snippets"][:1]} for r in rows]


def claims(now: Census, then: Census) -> list[dict]:
    """Each claim of the 2020 report against the 2020 data and against the data now."""
    word = {True: "yes", False: "no", None: "?"}
    old = {c["id"]: c for c in claims_mod.check(then)}
    return [{"id": c["id"], "claim": c["claim"], "report": c["report"], "data_2020": old[c["id"]]["data"],
             "data": c["data"], "agreed_2020": word[old[c["id"]]["agrees"]], "holds": word[c["agrees"]],
             "changed": old[c["id"]]["agrees"] != c["agrees"]} for c in claims_mod.check(now)]


def candidates(k: known.Known) -> list[dict]:
    return [{"id": f"c{c['id']}", "name": c["name"], "province": c["province"], "city": c["city"],
             "district": c["district"], "year": c["year"], "status": "unreviewed candidate",
             "first_seen": c["first_seen"], "sources": [s["url"] for s in c["sources"]],
             "evidence": [s["snippet"] for s in c["sources"] if s["snippet"]][:2]} for c in k.candidates]


def unreviewed_facts(k: known.Known) -> list[dict]:
    names = {c["id"]: c["name"] for c in k.candidates}
    return [{"park": k.now.parks[f["park_id"]].name if f["park_id"] in k.now.parks else names.get(f["candidate_id"]),
             "field": f["field"], "raw": f["raw"], "value": _num(f), "effective": f["effective_date"],
             "status": "unreviewed (detected)", "sources": [f["document_url"]], "evidence": f["evidence"]}
            for f in k.unreviewed_facts]


def totals(k: known.Known, rep: dict) -> dict:
    now, then = k.now, k.then
    changed = sum(r["change"] == "updated" for t in FIGURES.values() for r in rep[t])
    return {"parks": len(now.all()), "parks_2020": len(then.all()), "gov_led": len(now.gov_led()),
            "gov_led_2020": len(then.gov_led()), "provinces": len({p.province for p in now.all()}),
            "provinces_2020": len({p.province for p in then.all()}), "new_parks": len(k.new_parks),
            "updated_figures": changed, "policies": len(k.policies), "funds": len(k.funds),
            "candidates": len(k.candidates), "unreviewed_facts": len(k.unreviewed_facts)}


def build(db, *, as_of: str | None = None, include_candidates: bool = False) -> dict:
    k = known.load(db, as_of, include_candidates)
    years = candidate_years(k.unreviewed_facts)
    for c in k.candidates:
        c["year"] = years.get(c["id"])
        c["province"] = loc_norm(c["province"]) or None
    rep = {"as_of": as_of, "data_as_of": store.last_change(db), "include_candidates": include_candidates,
           "by_province": by_province(k.now, k.then, k.candidates), "by_year": by_year(k.now, k.then, k.candidates),
           "gov_led_grid": gov_led_grid(k.now), "new_parks": new_parks(k), "policies": policies(k.policies),
           "funds": funds(k.funds), "claims": claims(k.now, k.then), "candidates": candidates(k),
           "unreviewed_facts": unreviewed_facts(k)}
    rep.update({key: figures(k.now, k.then, fld) for fld, key in FIGURES.items()})
    rep["totals"] = totals(k, rep)
    return rep
