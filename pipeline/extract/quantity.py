"""The typed result of extraction: one date, area, money amount or count."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

KINDS = ("date", "area", "money", "count")
QUALIFIERS = ("exact", "approx", "at_least", "at_most", "range", "duration")


def plain(v: Any, *, places: int | None = None) -> Any:
    """A Fraction as an int when integral, else a float (rounded to `places`)."""
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return int(v)
        f = float(v)
        return round(f, places) if places is not None else f
    return v


@dataclass(frozen=True, slots=True)
class Quantity:
    kind: str
    text: str            # original[start:end]
    start: int
    end: int
    value: Any           # int/float for measures, ISO string for dates; None for a pure range
    low: Any
    high: Any
    unit: str            # date | m2 | CNY/USD/… | count
    qualifier: str = "exact"
    precision: str | None = None   # dates: year | month | day
    tranche: Any = None            # money: first tranche (首期)
    per_year: bool = False         # money: 每年
    label: str | None = None       # phase label: 一期, 二期 …

    def to_dict(self) -> dict:
        d = asdict(self)
        if self.kind != "money":
            d.pop("tranche")
            d.pop("per_year")
        if self.kind != "date":
            d.pop("precision")
        if not self.label:
            d.pop("label")
        return d
