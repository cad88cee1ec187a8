"""A snapshot of what the store knows about the parks, for reports and claims."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from db import census as store
from pipeline.text.names import loc_norm, name_key, variants


@dataclass
class ParkRow:
    id: str
    name: str
    province: str
    city: str
    founded: str | None
    founded_precision: str | None
    gov_led: bool
    aliases: list[str] = field(default_factory=list)
    facts: dict[str, dict] = field(default_factory=dict)   # field → preferred fact row

    @property
    def year(self) -> int | None:
        return int(self.founded[:4]) if self.founded else None

    @property
    def month(self) -> int | None:
        return int(self.founded[5:7]) if self.founded and self.founded_precision in ("month", "day") else None


# fields whose value a report table shows, and the preference among several facts:
# the newest effective date first, then a census table over prose
def _rank(f: dict) -> tuple:
    table = ":table-" in (f["source_ref"] or "")
    return (f["effective_date"] or "", f["source_kind"] == "document", table, f["id"])


class Census:
    def __init__(self, db, rows: tuple[list[dict], list[dict], list[dict]] | None = None):
        """rows: (parks, aliases, facts) to use instead of the store's active parks and all their facts."""
        self.db = db
        park_rows, alias_rows, fact_rows = rows or (store.active_parks(db), store.aliases(db), store.facts(db))
        self.parks: dict[str, ParkRow] = {
            r["id"]: ParkRow(r["id"], r["name"], loc_norm(r["province"]), loc_norm(r["city"]), r["founded"],
                             r["founded_precision"], bool(r["gov_led"])) for r in park_rows}
        for a in alias_rows:
            if a["park_id"] in self.parks:
                self.parks[a["park_id"]].aliases.append(a["alias"])
        facts = defaultdict(list)
        for f in fact_rows:
            if f["park_id"] in self.parks:
                facts[(f["park_id"], f["field"])].append(f)
        self.all_facts = facts
        for (pid, fld), fs in facts.items():
            self.parks[pid].facts[fld] = max(fs, key=_rank)

    # -- selections ---------------------------------------------------------------------
    def all(self) -> list[ParkRow]:
        return list(self.parks.values())

    def gov_led(self) -> list[ParkRow]:
        return [p for p in self.parks.values() if p.gov_led]

    def find(self, name: str) -> ParkRow | None:
        keys = set(variants(name))
        for p in self.parks.values():
            if keys & {k for a in p.aliases for k in variants(a)} or name_key(p.name) in keys:
                return p
        return None

    def table_facts(self, fld: str, table: str) -> list[tuple[ParkRow, dict]]:
        """Facts of one census table (table-2-2 …), in table order."""
        out = []
        for (pid, f_name), fs in self.all_facts.items():
            if f_name != fld:
                continue
            for f in fs:
                if f"census2020:{table}:" in (f["source_ref"] or ""):
                    out.append((self.parks[pid], f))
        return sorted(out, key=lambda pf: int(pf[1]["source_ref"].rsplit(":", 1)[1]))

    # -- groupings ------------------------------------------------------------------------
    @staticmethod
    def count_by(parks, key) -> list[tuple]:
        c = Counter(key(p) for p in parks)
        return sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))
