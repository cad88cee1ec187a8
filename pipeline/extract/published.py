"""A document's publication date from the raw candidates a spider found.

Order of trust: a configured selector, a meta tag, a labelled date in the page text
("发布时间："), the feed or list entry, the URL pattern. The first candidate that
parses wins, and the result says which one it was.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from dataclasses import dataclass

from pipeline import rules

from .quantities import parse_date

ORDER = ("selector", "meta", "text", "feed", "api", "list", "url")


@dataclass(frozen=True)
class Published:
    date: str            # ISO
    precision: str
    source: str          # selector | meta | text | feed | api | list | url
    raw: str


@functools.cache
def _url_patterns():
    d = rules.document("url_dates.yaml")
    return [re.compile(p) for p in d["patterns"]], [re.compile(p) for p in d["month_patterns"]]


def parse_url_date(url: str) -> Published | None:
    days, months = _url_patterns()
    for pat in days:
        m = pat.search(url)
        if m:
            try:
                d = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            return Published(d.isoformat(), "day", "url", m.group(0))
    for pat in months:
        m = pat.search(url)
        if m and 1 <= int(m["m"]) <= 12:
            return Published(f"{m['y']}-{int(m['m']):02d}-01", "month", "url", m.group(0))
    return None


def _rfc822(raw: str) -> dt.date | None:
    try:
        t = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if t is None:
        return None
    if t.tzinfo is not None:  # the local calendar day in China
        t = t.astimezone(dt.timezone(dt.timedelta(hours=8)))
    return t.date()


_PLAIN = re.compile(r"^\s*((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


def _iso(raw: str) -> dt.date | None:
    p = _PLAIN.match(raw)
    if p:  # the common CMS form, "2026-01-05 10:00": no grammar needed
        try:
            return dt.date(int(p[1]), int(p[2]), int(p[3]))
        except ValueError:
            return None
    m = re.match(r"^\s*((?:19|20)\d{2})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", raw)
    if not m:
        return None
    try:
        t = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is not None:
        t = t.astimezone(dt.timezone(dt.timedelta(hours=8)))
    return t.date()


def parse_published(candidates, url: str | None = None) -> Published | None:
    """candidates: (source, raw text) pairs in any order. The most trusted candidate that
    parses wins; a coarser one (a month) gives way to a less trusted one that names a day
    inside it."""
    ranked = sorted((c for c in candidates or [] if c and c[1]), key=lambda c: ORDER.index(c[0]) if c[0] in ORDER else 99)
    found = [p for p in (_one(src, raw) for src, raw in ranked) if p]
    if url and not any(p.source == "url" for p in found):
        p = parse_url_date(url)
        if p:
            found.append(p)
    if not found:
        return None
    best = found[0]
    if best.precision != "day":
        prefix = best.date[:7] if best.precision == "month" else best.date[:4]
        finer = next((p for p in found[1:] if p.precision == "day" and p.date.startswith(prefix)), None)
        return finer or best
    return best


def _one(src: str, raw) -> Published | None:
    raw = str(raw).strip()
    if src == "url":
        return parse_url_date(raw)
    d = _iso(raw) or (_rfc822(raw) if re.search(r"[A-Za-z]{3}", raw) else None)
    if d:
        return Published(d.isoformat(), "day", src, raw)
    q = parse_date(raw)
    if q and q.value and q.qualifier == "exact":
        return Published(q.value, q.precision, src, raw)
    return None
