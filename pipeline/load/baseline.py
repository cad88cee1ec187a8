"""Loading the 2020 census (db/baseline/*.csv) into the store.

Every raw figure is parsed by the project's own extraction functions, every
spelling of a park is resolved to one park and kept as an alias, and the whole
load is one transaction: a malformed row is reported with its file, line and
reason and the database is left as it was. A second load changes nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from db.census import add_alias, defer_foreign_keys, upsert
from db.store import content_hash, transaction
from pipeline.extract.quantities import parse_area, parse_count, parse_date, parse_money
from pipeline.extract.quantity import Quantity
from pipeline.resolve.resolver import Park, Resolver
from pipeline.text.names import name_key

SOURCE = "census2020"
# the census counts "as of the end of December 2020"; year-less dates in its 2020 tables
REPORT_DATE = dt.date(2020, 12, 31)


def baseline_dir() -> Path:
    return Path(str(resources.files("db") / "baseline"))


class BaselineError(ValueError):
    def __init__(self, file: str, line: int | None, reason: str):
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass
class Stats:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    by_table: dict = field(default_factory=dict)

    def count(self, table: str, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        t = self.by_table.setdefault(table, {"new": 0, "changed": 0, "unchanged": 0})
        t[outcome] += 1


_REQUIRED = {
    "parks.csv": ["seq", "province", "city", "name", "founded"],
    "gov_led.csv": ["name", "year", "month"],
    "areas.csv": ["seq", "name", "area"],
    "enterprises.csv": ["seq", "name", "enterprises"],
    "funds.csv": ["seq", "name", "fund"],
    "policies.csv": ["title", "short_name", "province", "issuer", "published", "park", "summary"],
    "plans.csv": ["level", "region", "published", "title", "targets"],
    "events.csv": ["date", "park", "event", "summary"],
    "prose_facts.csv": ["section", "park", "field", "raw", "note"],
}


def read_rows(folder: Path, name: str) -> list[tuple[int, dict]]:
    path = folder / name
    if not path.exists():
        raise BaselineError(name, None, "file is missing")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _REQUIRED[name] if c not in (reader.fieldnames or [])]
        if missing:
            raise BaselineError(name, 1, f"missing column(s): {', '.join(missing)}")
        rows = []
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise BaselineError(name, line, "wrong number of fields")
            rows.append((line, {k: (v or "").strip() for k, v in row.items()}))
    return rows


def display_name(raw: str) -> str:
    """The printed name without PDF line-break spaces (kept between two ASCII words)."""
    return re.sub(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])", "", raw.strip())


def _need(q: Quantity | None, file: str, line: int, what: str, raw: str) -> Quantity:
    if q is None:
        raise BaselineError(file, line, f"cannot read {what} from {raw!r}")
    return q


def _required(row: dict, col: str, file: str, line: int) -> str:
    if not row.get(col):
        raise BaselineError(file, line, f"empty {col}")
    return row[col]


class _Loader:
    def __init__(self, db, folder: Path):
        self.db, self.folder, self.stats = db, folder, Stats()
        self.resolver = Resolver()
        self.aliases: list[tuple[str, str, str]] = []

    def resolve(self, name: str, file: str, line: int, *, province: str | None = None) -> str:
        m = self.resolver.resolve(name, province=province)
        if not m:
            cands = f" (candidates: {', '.join(m.candidates)})" if m.candidates else ""
            raise BaselineError(file, line, f"park {name!r} does not resolve to one census park: {m.method}{cands}")
        self.alias(m.park_id, name, f"{SOURCE}:{file}:{line}")
        return m.park_id

    def alias(self, park_id: str, spelling: str, ref: str) -> None:
        self.resolver.add_alias(park_id, spelling)
        self.aliases.append((park_id, spelling, ref))

    def fact(self, park_id: str, fld: str, q: Quantity | None, raw: str, ref: str, evidence: str,
             *, text_value: str | None = None, effective: str | None = REPORT_DATE.isoformat()) -> None:
        row = {
            "fact_key": f"{park_id}|{fld}|{ref}",
            "park_id": park_id, "field": fld,
            "value": q.value if q else text_value,
            "low": q.low if q else None, "high": q.high if q else None,
            "unit": q.unit if q else None, "qualifier": q.qualifier if q else None,
            "precision": q.precision if q else None,
            "tranche": q.tranche if q else None, "label": q.label if q else None,
            "raw": raw, "source_kind": "baseline", "source_ref": ref, "document_id": None,
            "evidence": evidence, "effective_date": effective, "status": "baseline",
        }
        row["content_hash"] = content_hash({k: v for k, v in row.items() if k != "fact_key"})
        self.stats.count("facts", upsert(self.db, "facts", "fact_key", row))

    def row(self, table: str, key_col: str, row: dict) -> None:
        row["content_hash"] = content_hash({k: v for k, v in row.items() if k != key_col})
        self.stats.count(table, upsert(self.db, table, key_col, row))

    # -- tables ---------------------------------------------------------------------------
    def parks(self) -> None:
        f = "parks.csv"
        seen = set()
        self.park_rows = {}
        for line, r in read_rows(self.folder, f):
            seq = _required(r, "seq", f, line)
            if not seq.isdigit():
                raise BaselineError(f, line, f"seq {seq!r} is not a number")
            pid = f"p{int(seq):03d}"
            if pid in seen:
                raise BaselineError(f, line, f"duplicate seq {seq}")
            seen.add(pid)
            raw_name = _required(r, "name", f, line)
            founded_raw = _required(r, "founded", f, line)
            founded = _need(parse_date(founded_raw), f, line, "a founding date", founded_raw)
            if founded.value is None:
                raise BaselineError(f, line, f"founding date {founded_raw!r} is not a point in time")
            province, city = _required(r, "province", f, line), _required(r, "city", f, line)
            ref = f"{SOURCE}:table-1-1:{seq}"
            self.park_rows[pid] = {
                "id": pid, "name": display_name(raw_name), "name_key": name_key(raw_name),
                "province": province, "city": city,
                "founded": founded.value, "founded_precision": founded.precision,
                "gov_led": 0, "status": "baseline", "merged_into": None, "origin": SOURCE,
            }
            self.resolver.add_park(Park(pid, province, city, []))
            self.alias(pid, raw_name, ref)
            self.fact(pid, "founded", founded, founded_raw, ref, f"表 1-1 第 {seq} 行：{raw_name}｜{founded_raw}")
        collisions = self.resolver.collisions()
        if collisions:
            k, ids = next(iter(collisions.items()))
            raise BaselineError(f, None, f"name key {k!r} is shared by parks {', '.join(sorted(ids))}")

    def gov_led(self) -> None:
        f = "gov_led.csv"
        for line, r in read_rows(self.folder, f):
            name = _required(r, "name", f, line)
            pid = self.resolve(name, f, line)
            if self.park_rows[pid]["gov_led"]:
                raise BaselineError(f, line, f"{name!r} is listed twice")
            self.park_rows[pid]["gov_led"] = 1
            raw = f"{_required(r, 'year', f, line)}{_required(r, 'month', f, line)}"
            q = _need(parse_date(raw), f, line, "a year and month", raw)
            self.fact(pid, "founded", q, raw, f"{SOURCE}:table-2-1:{line - 1}", f"表 2-1：{name}｜{raw}")

    def measures(self, f: str, col: str, fld: str, table: str, parse) -> None:
        for line, r in read_rows(self.folder, f):
            name, raw = _required(r, "name", f, line), _required(r, col, f, line)
            pid = self.resolve(name, f, line)
            q = _need(parse(raw), f, line, fld, raw)
            ref = f"{SOURCE}:{table}:{r.get('seq') or line - 1}"
            self.fact(pid, fld, q, raw, ref, f"表 {table[6:]} 第 {r.get('seq')} 行：{name}｜{raw}")
            if fld == "fund_yuan":
                remark = re.sub(r"[（(]\s*(首期[^，,）)]*[，,]?\s*)?", "", raw[len(q.text):]).strip("（）() ，,")
                self.row("funds", "fund_key", {
                    "fund_key": f"{SOURCE}:{pid}:{ref}", "park_id": pid, "name": None,
                    "amount": q.value, "tranche": q.tranche, "currency": q.unit, "qualifier": q.qualifier,
                    "sponsor": remark or None, "raw": raw, "source_kind": "baseline", "source_ref": ref,
                    "document_id": None})

    def policies(self) -> None:
        f = "policies.csv"
        for line, r in read_rows(self.folder, f):
            title = _required(r, "title", f, line)
            raw = _required(r, "published", f, line)
            q = _need(parse_date(raw), f, line, "a publication date", raw)
            pid = self.resolve(r["park"], f, line) if r["park"] else None
            self.row("policies", "policy_key", {
                "policy_key": f"{SOURCE}:{name_key(title)}", "title": title, "short_name": r["short_name"] or None,
                "province": r["province"], "issuer": r["issuer"] or None, "doc_number": None,
                "published": q.value, "published_precision": q.precision, "published_raw": raw,
                "park_id": pid, "summary": r["summary"], "source_kind": "baseline",
                "source_ref": f"{SOURCE}:table-2-4:{line - 1}", "document_id": None})

    def plans(self) -> None:
        f = "plans.csv"
        for line, r in read_rows(self.folder, f):
            level = _required(r, "level", f, line)
            if level not in ("province", "city"):
                raise BaselineError(f, line, f"level must be province or city, not {level!r}")
            raw = _required(r, "published", f, line)
            q = _need(parse_date(raw, published=REPORT_DATE), f, line, "a publication date", raw)
            table = "table-3-1" if level == "province" else "table-3-2"
            title = _required(r, "title", f, line)
            self.row("plans", "plan_key", {
                "plan_key": f"{SOURCE}:{name_key(title)}", "level": level,
                "region": _required(r, "region", f, line), "published": q.value, "published_raw": raw,
                "title": title, "targets": r["targets"], "source_kind": "baseline",
                "source_ref": f"{SOURCE}:{table}:{line - 1}", "document_id": None})

    def events(self) -> None:
        f = "events.csv"
        for line, r in read_rows(self.folder, f):
            raw = _required(r, "date", f, line)
            q = _need(parse_date(raw, published=REPORT_DATE), f, line, "a date", raw)
            name = _required(r, "park", f, line)
            pid = self.resolve(name, f, line)
            self.row("events", "event_key", {
                "event_key": f"{SOURCE}:table-3-3:{line - 1}", "date": q.value, "date_raw": raw,
                "park_id": pid, "park_name": name, "event": r["event"], "summary": r["summary"],
                "source_kind": "baseline", "source_ref": f"{SOURCE}:table-3-3:{line - 1}", "document_id": None})

    def prose(self) -> None:
        f = "prose_facts.csv"
        parsers = {"area": ("area_m2", parse_area), "enterprises": ("enterprises", parse_count),
                   "fund": ("fund_yuan", parse_money), "founded": ("founded", parse_date),
                   "opened_on": ("opened_on", parse_date), "approved_on": ("approved_on", parse_date)}
        for line, r in read_rows(self.folder, f):
            name, fld, raw = (_required(r, c, f, line) for c in ("park", "field", "raw"))
            pid = self.resolve(name, f, line)
            ref = f"{SOURCE}:prose-{r['section']}:{line - 1}"
            evidence = f"{r['section']}：{name}｜{raw}｜{r['note']}"
            if fld in parsers:
                target, parse = parsers[fld]
                q = _need(parse(raw, published=REPORT_DATE), f, line, fld, raw)
                self.fact(pid, target, q, raw, ref, evidence)
            else:
                self.fact(pid, fld, None, raw, ref, evidence, text_value=raw)

    def write_parks(self) -> None:
        for row in self.park_rows.values():
            self.row("parks", "id", dict(row))
        for pid, spelling, ref in self.aliases:
            added = add_alias(self.db, pid, spelling, name_key(spelling), "baseline", ref)
            self.stats.count("park_aliases", "new" if added else "unchanged")


def load(db, folder: Path | None = None) -> Stats:
    """Load (or re-load) the baseline in one transaction."""
    loader = _Loader(db, Path(folder) if folder else baseline_dir())
    with transaction(db):
        # parks are written last (after gov_led marks them)
        defer_foreign_keys(db)
        loader.parks()
        loader.gov_led()
        loader.measures("areas.csv", "area", "area_m2", "table-2-2", parse_area)
        loader.measures("enterprises.csv", "enterprises", "enterprises", "table-2-3", parse_count)
        loader.measures("funds.csv", "fund", "fund_yuan", "table-2-5", parse_money)
        loader.policies()
        loader.plans()
        loader.events()
        loader.prose()
        loader.write_parks()
    return loader.stats
