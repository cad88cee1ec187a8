"""The parks listing (parkwatch parks): one row per park, values with their evidence."""
from __future__ import annotations

from .snapshot import Census

COLUMNS = ["id", "name", "province", "city", "founded", "gov_led", "area_m2", "enterprises", "fund_yuan",
           "enterprises_qualifier", "aliases", "founded_evidence", "area_evidence", "enterprises_evidence",
           "fund_evidence"]


def _evidence(f: dict | None) -> str | None:
    if not f:
        return None
    kind = "table" if ":table-" in f["source_ref"] else f["source_kind"]
    return f"{kind} {f['source_ref']}: {f['raw']}"


def park_rows(db) -> list[dict]:
    c = Census(db)
    rows = []
    for p in c.all():
        area, ent, fund, fnd = (p.facts.get(k) for k in ("area_m2", "enterprises", "fund_yuan", "founded"))
        rows.append({
            "id": p.id, "name": p.name, "province": p.province, "city": p.city,
            "founded": (p.founded[:7] if p.founded_precision == "month" else p.founded) if p.founded else None,
            "gov_led": p.gov_led,
            "area_m2": area["value"] if area else None,
            "enterprises": (ent["value"] if ent["value"] is not None else ent["low"]) if ent else None,
            "fund_yuan": fund["value"] if fund else None,
            "enterprises_qualifier": ent["qualifier"] if ent else None,
            "aliases": sorted({a for a in p.aliases if a != p.name}),
            "founded_evidence": _evidence(fnd), "area_evidence": _evidence(area),
            "enterprises_evidence": _evidence(ent), "fund_evidence": _evidence(fund),
        })
    return rows
