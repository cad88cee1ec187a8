#!/usr/bin/env python3
"""Generate pipeline/data/t2s.csv from OpenCC's TSCharacters.txt.

Usage:
    python pipeline/data/tools/make_t2s.py PATH/TO/TSCharacters.txt [--out FILE] [--exclude FILE]

TSCharacters.txt is OpenCC's traditional -> simplified character dictionary, one
entry a line: key, a tab, the simplified candidates separated by spaces (lines that
start with '#' are comments in newer OpenCC versions). The package
opencc-python-reimplemented ships it as opencc/dictionary/TSCharacters.txt.

The table is strictly one character -> one character, so the pipeline can normalise
text while keeping exact character spans:
  1. every entry gives its FIRST simplified candidate;
  2. entries whose target is not exactly one character, or equals the key, are dropped;
  3. every key listed in t2s_exclude.csv (columns traditional,reason) is dropped: these
     characters are also used in ordinary simplified text (乾 著 徵 昇 ...), and must
     never be rewritten;
  4. one exception is kept on purpose: 於 -> 于 (於 survives in simplified text only as
     a rare surname); it must not be listed in the exclusion file;
  5. chains are resolved so that no key is also a value: if A -> B and B -> C are both
     in the table, A -> C. If B was dropped as a key in step 3 (it is ordinary
     simplified text, e.g. 薴 -> 苧 with 苧 excluded), A -> B stays as it is.
Rows are written sorted by code point, UTF-8, LF line ends, header
"traditional,simplified", no quoting. Stdlib only; the output depends on the input
files alone.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
EXCEPTIONS = {"於": "于"}


def read_tscharacters(path: Path) -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                key, values = line.split("\t", 1)
            except ValueError:
                raise SystemExit(f"{path}:{n}: no tab in {line!r}") from None
            cands = values.split()
            if not key or not cands:
                raise SystemExit(f"{path}:{n}: empty key or value in {line!r}")
            if key in entries:
                raise SystemExit(f"{path}:{n}: duplicate key {key!r}")
            entries[key] = cands
    return entries


def read_exclusions(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != ["traditional", "reason"]:
            raise SystemExit(f"{path}: columns must be traditional,reason, not {reader.fieldnames}")
        for row in reader:
            key, reason = row["traditional"], (row["reason"] or "").strip()
            if len(key) != 1 or not reason:
                raise SystemExit(f"{path}: bad row {row}")
            if key in out:
                raise SystemExit(f"{path}: duplicate key {key!r}")
            out[key] = reason
    return out


def build(entries: dict[str, list[str]], excluded: dict[str, str], log=print) -> dict[str, str]:
    clash = set(EXCEPTIONS) & set(excluded)
    if clash:
        raise SystemExit(f"exception(s) {sorted(clash)} must not be in the exclusion file")
    table: dict[str, str] = {}
    dropped = {"multi-character key": 0, "multi-character target": 0, "target equals key": 0, "excluded": 0}
    for key, cands in entries.items():
        target = cands[0]
        if len(key) != 1:
            dropped["multi-character key"] += 1
        elif len(target) != 1:
            dropped["multi-character target"] += 1
        elif target == key:
            dropped["target equals key"] += 1
        elif key in excluded:
            dropped["excluded"] += 1
        else:
            table[key] = target
    for key, target in EXCEPTIONS.items():
        if entries.get(key, [None])[0] != target:
            log(f"note: exception {key} -> {target} not in the OpenCC data as first candidate; added")
        table[key] = target

    # resolve chains A -> B -> C to A -> C (B stays a key: it is not ordinary simplified,
    # otherwise it was excluded above and is no key any more)
    resolved = {}
    for key in table:
        seen = [key]
        target = table[key]
        while target in table:
            if target in seen:
                raise SystemExit(f"cycle in the table: {' -> '.join(seen + [target])}")
            seen.append(target)
            target = table[target]
        if len(seen) > 1:
            log(f"chain resolved: {' -> '.join(seen + [target])}")
        resolved[key] = target

    for reason, n in dropped.items():
        log(f"dropped ({reason}): {n}")
    return resolved


def check(table: dict[str, str], excluded: dict[str, str]) -> None:
    values = set(table.values())
    bad = [k for k in table if k in values]
    assert not bad, f"keys that are also values: {bad}"
    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in table.items())
    assert not set(table) & set(excluded)
    assert not any(c in ',"\r\n' for kv in table.items() for c in kv)


def write(table: dict[str, str], out: Path) -> None:
    lines = ["traditional,simplified"] + [f"{k},{table[k]}" for k in sorted(table, key=ord)]
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tscharacters", type=Path, help="path of OpenCC's TSCharacters.txt")
    ap.add_argument("--out", type=Path, default=DATA / "t2s.csv")
    ap.add_argument("--exclude", type=Path, default=DATA / "t2s_exclude.csv")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr)

    entries = read_tscharacters(args.tscharacters)
    excluded = read_exclusions(args.exclude)
    log(f"{args.tscharacters}: {len(entries)} entries; {args.exclude}: {len(excluded)} exclusions")
    table = build(entries, excluded, log)
    check(table, excluded)
    write(table, args.out)
    log(f"wrote {args.out}: {len(table)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
