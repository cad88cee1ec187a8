"""Rendering rows as an aligned table, JSON, CSV or Markdown (one mechanism for every command).

Crawled text is untrusted: every rendering shows control and bidi characters as visible
escapes, so a title cannot clear a terminal, set its window title or reorder a line."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Sequence

from pipeline.text.clean import escape_controls, escape_json_controls

FORMATS = ("table", "json", "csv", "md")


def width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (list, tuple)):
        return "; ".join(cell(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e15 else f"{v:.0f}"
    if isinstance(v, int) and abs(v) >= 10000:
        return f"{v:,}"
    return escape_controls(str(v))


def _pad(s: str, w: int) -> str:
    return s + " " * (w - width(s))


def table(rows: Sequence[dict], columns: Sequence[str], *, max_width: int = 60) -> str:
    if not rows:
        return "(none)"
    cells = [[_clip(cell(r.get(c)), max_width) for c in columns] for r in rows]
    widths = [max(width(c), *(width(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, widths[i]) for i, c in enumerate(columns)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(v, widths[i]) for i, v in enumerate(row)).rstrip() for row in cells]
    return "\n".join(lines)


def _clip(s: str, n: int) -> str:
    s = s.replace("\n", " ")
    if width(s) <= n:
        return s
    out, w = "", 0
    for ch in s:
        w += width(ch)
        if w > n - 1:
            break
        out += ch
    return out + "…"


def markdown(rows: Sequence[dict], columns: Sequence[str]) -> str:
    if not rows:
        return "_(none)_"
    esc = lambda s: cell(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(esc(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def to_csv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([cell(r.get(c)) if not isinstance(r.get(c), (int, float)) or isinstance(r.get(c), bool)
                    else r.get(c) for c in columns])
    return buf.getvalue().rstrip("\n")


def dumps(obj) -> str:
    return escape_json_controls(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str) -> str:
    if fmt == "json":
        return dumps(list(rows))
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "md":
        return markdown(rows, columns)
    return table(rows, columns)
