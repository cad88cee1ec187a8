"""The traditional -> simplified character table pipeline/data/t2s.csv.

Self-contained: reads the CSV files with the csv module only (no project code), paths
relative to this file. The coverage test compares the table with OpenCC's
TSCharacters.txt as shipped by the opencc-python-reimplemented package (module name
``opencc``) and is skipped when that package is not installed.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "pipeline" / "data"
TABLE = DATA / "t2s.csv"
EXCLUDE = DATA / "t2s_exclude.csv"

# kept on purpose although 於 is also a (rare) simplified character
EXCEPTIONS = {"於": "于"}
# keys that GB2312 can encode yet are not characters of ordinary simplified text (they
# are the traditional or variant forms of their targets in the 通用规范汉字表), plus the
# exception 於; a new GB2312 key must be reviewed and either listed here or excluded
GB2312_REVIEWED = set("後捱摺於榘菸醣麴徵")   # 徵: traditional 徵求意見稿 must read as 征求意见稿


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    fields, rows = _rows(TABLE)
    assert fields == ["traditional", "simplified"]
    out = {r["traditional"]: r["simplified"] for r in rows}
    assert len(out) == len(rows), "duplicate keys"
    return out


@pytest.fixture(scope="module")
def excluded() -> dict[str, str]:
    fields, rows = _rows(EXCLUDE)
    assert fields == ["traditional", "reason"]
    out = {r["traditional"]: r["reason"] for r in rows}
    assert len(out) == len(rows), "duplicate keys in the exclusion file"
    return out


def test_table_loads_through_plain_csv():
    raw = TABLE.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and b'"' not in raw
    lines = raw.decode("utf-8").splitlines()
    assert lines[0] == "traditional,simplified"
    with open(TABLE, encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    assert len(records) == len(lines) > 1
    assert all(len(r) == 2 for r in records)
    keys = [r[0] for r in records[1:]]
    assert keys == sorted(keys, key=ord), "rows are sorted by code point"


def test_one_to_one_and_no_key_is_a_value(table):
    for key, value in table.items():
        assert len(key) == 1 and len(value) == 1, (key, value)
        assert key != value, key
    assert not set(table) & set(table.values()), "a key is also a value: one pass is not enough"


def test_excluded_keys_are_absent(table, excluded):
    for key, reason in excluded.items():
        assert len(key) == 1 and reason.strip(), (key, reason)
    assert not set(table) & set(excluded)
    for key, value in EXCEPTIONS.items():
        assert key not in excluded and table.get(key) == value
    # the deliberate exclusions named in pipeline/data/README.md
    assert set("乾著剋夥薹苧麽昇甯葯鍊") <= set(excluded)
    assert table["徵"] == "征"        # kept: 徵求意見稿, 徵收 in reposts; 宫商角徵羽 is rare in news


def test_gb2312_keys_are_reviewed(table):
    def in_gb2312(c: str) -> bool:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return True

    assert {k for k in table if in_gb2312(k)} <= GB2312_REVIEWED


def _tscharacters() -> Path:
    opencc = pytest.importorskip("opencc")  # the opencc-python-reimplemented package
    path = Path(opencc.__file__).resolve().parent / "dictionary" / "TSCharacters.txt"
    if not path.is_file():
        pytest.skip(f"the installed 'opencc' module ships no {path.name} (not opencc-python-reimplemented?)")
    return path


def test_table_covers_opencc_tscharacters(table, excluded):
    expected = {}
    with open(_tscharacters(), encoding="utf-8-sig") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            key, values = line.split("\t", 1)
            target = values.split()[0]
            if len(key) == 1 and len(target) == 1 and key != target and key not in excluded:
                expected[key] = target
    expected.update(EXCEPTIONS)

    def resolved(c: str) -> str:  # chains A -> B -> C become A -> C in the table
        seen = set()
        while c in table and c not in seen:
            seen.add(c)
            c = table[c]
        return c

    missing = {k: v for k, v in expected.items() if k not in table}
    wrong = {k: (table[k], v) for k, v in expected.items() if k in table and table[k] != resolved(v)}
    extra = sorted(set(table) - set(expected))
    assert not missing, f"OpenCC mappings missing from t2s.csv: {missing}"
    assert not wrong, f"targets that differ from OpenCC (table, OpenCC): {wrong}"
    assert not extra, f"keys that are not OpenCC single-character mappings: {extra}"
