"""Rule tables under pipeline/data/, loaded lazily and cached.

Rules (units, numerals, qualifiers, gazetteer, aliases, keywords) are data, not code:
each loader reads one file the first time it is asked for and keeps the result.
"""
from __future__ import annotations

import csv
import functools
from importlib import resources
from pathlib import Path

import yaml

DATA = Path(str(resources.files("pipeline") / "data"))


class RuleError(ValueError):
    """A rule table is malformed (duplicate key, bad factor, missing column)."""


@functools.cache
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV rule table as dicts (blank cells are empty strings)."""
    path = DATA / name
    with path.open(encoding="utf-8", newline="") as fh:
        rows = []
        for line, row in enumerate(csv.DictReader(fh), start=2):
            if None in row or any(v is None for v in row.values()):
                raise RuleError(f"{path.name}:{line}: wrong number of columns")
            rows.append({k: v.strip() for k, v in row.items()})
    return tuple(rows)


@functools.cache
def document(name: str):
    """A YAML rule file."""
    with (DATA / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def keyed(name: str, key: str) -> dict[str, dict[str, str]]:
    """A CSV table indexed by one column; duplicate keys are an error."""
    return _keyed(name, key)


@functools.cache
def _keyed(name: str, key: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in table(name):
        k = row[key]
        if k in out:
            raise RuleError(f"{name}: duplicate {key} {k!r}")
        out[k] = row
    return out
