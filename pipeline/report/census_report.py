"""The census report, regenerated from the store (parkwatch report census)."""
from __future__ import annotations

from db.census import facts_as_of

from . import claims as claims_mod
from .formats import dumps, markdown, table, to_csv
from .snapshot import Census

MONTHS = list(range(1, 13))


def _fact_row(p, f, fld):
    return {"park_id": p.id, "park": p.name, "raw": f["raw"], "value": f["value"], "low": f["low"],
            "high": f["high"], "unit": f["unit"], "qualifier": f["qualifier"],
            **({"tranche": f["tranche"]} if fld == "fund_yuan" else {}), "evidence": f["source_ref"]}


def build(db) -> dict:
    c = Census(db)
    parks, gov = c.all(), c.gov_led()
    by_province = [{"province": k, "parks": v, "gov_led": sum(p.province == k for p in gov)}
                   for k, v in c.count_by(parks, lambda p: p.province)]
    by_city = [{"city": k, "province": next(p.province for p in parks if p.city == k), "parks": v}
               for k, v in c.count_by(parks, lambda p: p.city)]
    years = sorted({p.year for p in parks if p.year})
    by_year = [{"year": y, "parks": sum(p.year == y for p in parks), "gov_led": sum(p.year == y for p in gov)}
               for y in years]
    gyears = sorted({p.year for p in gov if p.year} | set(years[-4:]))
    grid = []
    for m in MONTHS:
        row = {"month": m}
        for y in gyears:
            row[str(y)] = [p.name for p in gov if p.year == y and p.month == m]
        grid.append(row)
    return {
        "as_of": facts_as_of(db),
        "parks": len(parks),
        "gov_led": len(gov),
        "provinces": len({p.province for p in parks}),
        "cities": len({p.city for p in parks}),
        "by_province": by_province,
        "by_city": by_city,
        "by_year": by_year,
        "gov_led_by_province": [{"province": k, "gov_led": v} for k, v in c.count_by(gov, lambda p: p.province)],
        "gov_led_grid": {"years": gyears, "rows": grid},
        "areas": [_fact_row(p, f, "area_m2") for p, f in c.table_facts("area_m2", "table-2-2")],
        "enterprises": [_fact_row(p, f, "enterprises") for p, f in c.table_facts("enterprises", "table-2-3")],
        "funds": [_fact_row(p, f, "fund_yuan") for p, f in c.table_facts("fund_yuan", "table-2-5")],
        "claims": claims_mod.check(c),
    }


def _sections(rep: dict) -> list[tuple[str, list[dict], list[str]]]:
    years = [str(y) for y in rep["gov_led_grid"]["years"]]
    grid = [{"month": f"{r['month']} 月", **{y: r[y] for y in years}} for r in rep["gov_led_grid"]["rows"]]
    claims = [{**c, "agrees": {True: "yes", False: "NO", None: "?"}[c["agrees"]]} for c in rep["claims"]]
    return [
        ("Parks by province", rep["by_province"], ["province", "parks", "gov_led"]),
        ("Parks by city", rep["by_city"], ["city", "province", "parks"]),
        ("Parks by founding year", rep["by_year"], ["year", "parks", "gov_led"]),
        ("Government-led parks by province", rep["gov_led_by_province"], ["province", "gov_led"]),
        ("Government-led parks: founding year × month (table 2-1)", grid, ["month", *years]),
        ("Areas (table 2-2), m²", rep["areas"], ["park", "raw", "value", "qualifier"]),
        ("Settled enterprises (table 2-3)", rep["enterprises"], ["park", "raw", "low", "qualifier"]),
        ("Funds (table 2-5), yuan", rep["funds"], ["park", "raw", "value", "tranche"]),
        ("Claims check: the report's statements against its own data", claims,
         ["id", "claim", "report", "data", "agrees"]),
    ]


def render(rep: dict, fmt: str) -> str:
    if fmt == "json":
        return dumps(rep)
    head = (f"Census of blockchain industrial parks — {rep['parks']} parks, {rep['gov_led']} government-led, "
            f"{rep['provinces']} provinces, {rep['cities']} cities")
    wrong = [c for c in rep["claims"] if c["agrees"] is False]
    tail = f"Claims: {len(rep['claims'])} checked, {len(wrong)} contradicted by the data."
    parts = []
    if fmt == "csv":
        for title, rows, cols in _sections(rep):
            parts.append(f"# {title}\n" + to_csv(rows, cols))
        return "\n\n".join(parts)
    if fmt == "md":
        parts.append(f"# {head}")
        for title, rows, cols in _sections(rep):
            parts.append(f"## {title}\n\n" + markdown(rows, cols))
        parts.append(tail)
        return "\n\n".join(parts)
    parts.append(head)
    for title, rows, cols in _sections(rep):
        parts.append(f"== {title} ==\n" + table(rows, cols, max_width=48))
    parts.append(tail)
    return "\n\n".join(parts)
