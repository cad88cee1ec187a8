"""The census report's quantitative claims, checked against the data.

Each claim (db/baseline/claims.yaml) names a metric here; the metric computes the
data's value from a Census snapshot and the claim's `compare` decides agreement.
"""
from __future__ import annotations

from fractions import Fraction
from importlib import resources
from pathlib import Path

import yaml

from pipeline.text.names import name_key

from .snapshot import Census


def _top(pairs, n=None):
    if not pairs:
        return []
    if n is None:
        best = pairs[0][1]
        return [k for k, v in pairs if v == best]
    cutoff = pairs[min(n, len(pairs)) - 1][1]
    return [k for k, v in pairs if v >= cutoff]


def _val(p, fld, side="value"):
    f = p.facts.get(fld)
    if not f:
        return None
    return f[side] if f[side] is not None else f["low"]


METRICS = {
    "park_count": lambda c: len(c.all()),
    "gov_led_count": lambda c: len(c.gov_led()),
    "province_count": lambda c: len({p.province for p in c.all()}),
    "parks_in_province": lambda c, province: sum(p.province == province for p in c.all()),
    "parks_in_city": lambda c, city: sum(p.city == city for p in c.all()),
    "top_provinces": lambda c: _top(c.count_by(c.all(), lambda p: p.province)),
    "top_cities": lambda c: _top(c.count_by(c.all(), lambda p: p.city)),
    "founded_in_years": lambda c, years: sum(p.year in years for p in c.all()),
    "top_years": lambda c, n: _top(c.count_by(c.all(), lambda p: p.year), n),
    "fewer_in_year": lambda c, year, than: sum(p.year == year for p in c.all()) < sum(p.year == than for p in c.all()),
    "earliest_year": lambda c: min(p.year for p in c.all() if p.year),
    "gov_led_share_years": lambda c, years: Fraction(sum(p.year in years for p in c.gov_led()), len(c.gov_led())),
    "gov_led_in_months": lambda c, months: sum(p.month in months for p in c.gov_led()),
    "gov_led_share_months": lambda c, months: Fraction(sum(p.month in months for p in c.gov_led()), len(c.gov_led())),
    "gov_led_fewer_in_year": lambda c, year, than: sum(p.year == year for p in c.gov_led()) < sum(p.year == than for p in c.gov_led()),
    "gov_led_in_province": lambda c, province: sum(p.province == province for p in c.gov_led()),
    "gov_led_top_provinces": lambda c, n: _top(c.count_by(c.gov_led(), lambda p: p.province), n),
    "gov_led_fewer_than": lambda c, province, than: sum(p.province == province for p in c.gov_led()) < sum(p.province == than for p in c.gov_led()),
    "largest_area_park": lambda c: max((p for p in c.all() if _val(p, "area_m2") is not None), key=lambda p: _val(p, "area_m2")).name,
    "max_area_over": lambda c, m2: max(_val(p, "area_m2") or 0 for p in c.all()) > m2,
    "parks_area_at_least": lambda c, m2: sum((_val(p, "area_m2") or 0) >= m2 for p in c.all()),
    "share_area_between": lambda c, low, high: Fraction(
        sum(low <= _val(p, "area_m2") <= high for p in c.all() if _val(p, "area_m2") is not None),
        max(1, sum(_val(p, "area_m2") is not None for p in c.all()))),
    "most_enterprises_park": lambda c: max((p for p in c.all() if _val(p, "enterprises") is not None), key=lambda p: _val(p, "enterprises")).name,
    "enterprises_low": lambda c, park: _val(c.find(park), "enterprises", "low") if c.find(park) else None,
    "more_than_one_over": lambda c, enterprises: sum((_val(p, "enterprises", "low") or 0) >= enterprises for p in c.all()) > 1,
    "parks_with_fund": lambda c: sum(_val(p, "fund_yuan") is not None for p in c.all()),
    "max_fund": lambda c: max(_val(p, "fund_yuan") or 0 for p in c.all()),
    "fund_of": lambda c, park: _val(c.find(park), "fund_yuan") if c.find(park) else None,
    "only_park_in_province": lambda c, parks: all(
        [p.name for p in c.all() if p.province == prov] == [c.find(n).name if c.find(n) else None]
        for prov, n in parks.items()),
}


def _gov_led_grid_agrees(c: Census) -> int:
    """Government-led parks whose table 2-1 year/month equals table 1-1's founding date."""
    n = 0
    for p in c.gov_led():
        fs = c.all_facts.get((p.id, "founded"), [])
        t11 = [f["value"][:7] for f in fs if ":table-1-1:" in f["source_ref"]]
        t21 = [f["value"][:7] for f in fs if ":table-2-1:" in f["source_ref"]]
        n += bool(t11 and t21 and t11 == t21)
    return n


def _earliest_gov_led(c: Census) -> str:
    """The earliest government-led park, at the finest precision the data has."""
    def when(p):
        exact = [f["value"] for f in c.all_facts.get((p.id, "opened_on"), []) if f["value"]]
        return ((p.founded or "9999")[:7], exact[0] if exact else "9999")   # an accepted park may have no date
    ranked = sorted(c.gov_led(), key=when)
    first = ranked[0]
    ties = [p for p in ranked if when(p)[0] == when(first)[0]]
    return first.name if len(ties) == 1 or when(first)[1] != "9999" else "；".join(p.name for p in ties)


METRICS["gov_led_grid_agrees"] = _gov_led_grid_agrees
METRICS["earliest_gov_led_park"] = _earliest_gov_led


def claims_file() -> Path:
    return Path(str(resources.files("db") / "baseline" / "claims.yaml"))


def _plain(v):
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}"
    return v


def _agrees(compare: str, report, data) -> bool | None:
    if data is None:
        return None
    if compare == "set":
        return {str(x) for x in report} == {str(x) for x in data}
    if compare == "majority":
        return data > Fraction(1, 2)
    if compare == "true":
        return bool(data) is bool(report)
    if isinstance(report, str) and isinstance(data, str):
        return name_key(report) == name_key(data)
    return report == data


def check(census: Census, path: Path | None = None) -> list[dict]:
    spec = yaml.safe_load((path or claims_file()).read_text(encoding="utf-8"))
    out = []
    for item in spec:
        fn = METRICS[item["metric"]]
        try:
            data = fn(census, **(item.get("args") or {}))
        except (ValueError, ZeroDivisionError):   # no data for the metric yet
            data = None
        out.append({"id": item["id"], "section": item.get("section"), "claim": item["claim"],
                    "report": item["report"], "data": _plain(data),
                    "agrees": _agrees(item.get("compare", "eq"), item["report"], data)})
    return out
