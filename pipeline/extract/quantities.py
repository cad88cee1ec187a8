"""find_quantities: every date, area, money amount and count in a text.

Pure functions over a string; never raise on any input: a bug in one grammar gives no
result for that text and is logged, so one bad page cannot stop a crawl. (The
grammars themselves, `dates.find_dates` and `measures.find_measures`, do raise; the
property tests call them directly.)
"""
from __future__ import annotations

import datetime as dt
import logging

from pipeline.text.normalize import normalize

from .dates import find_dates
from .measures import find_measures
from .quantity import KINDS, Quantity

log = logging.getLogger(__name__)


def as_date(published) -> dt.date | None:
    """A publication date from a date, datetime or ISO string ('2020-11-25')."""
    if published is None or published == "":
        return None
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    return dt.date.fromisoformat(str(published)[:10])


def find_quantities(text: str, *, published=None, kinds=KINDS, dateparser: bool = True) -> list[Quantity]:
    """dateparser: cross-check explicit numeric dates with dateparser (the default) or not."""
    if not isinstance(text, str) or not text:
        return []
    pub = as_date(published)
    try:
        n = normalize(text)
        dates = find_dates(n, published=pub, dateparser=dateparser) if "date" in kinds else []
        mkinds = tuple(k for k in kinds if k != "date")
        measures = find_measures(n, kinds=mkinds) if mkinds else []
    except (RecursionError, MemoryError):
        raise
    except Exception:  # a grammar bug must not take a crawl down: no answer for this text
        log.exception("extraction failed on %r", text[:80])
        return []
    # a number inside a date (the 28 of 4 月 28 日) is never also a measure
    measures = [q for q in measures if all(q.end <= d.start or q.start >= d.end for d in dates)]
    return sorted(dates + measures, key=lambda q: (q.start, q.end))


def _one(kind: str, text: str, published) -> Quantity | None:
    found = find_quantities(text, published=published, kinds=(kind,))
    return found[0] if found else None


def parse_date(text: str, *, published=None) -> Quantity | None:
    return _one("date", text, published)


def parse_area(text: str, *, published=None) -> Quantity | None:
    return _one("area", text, published)


def parse_money(text: str, *, published=None) -> Quantity | None:
    return _one("money", text, published)


def parse_count(text: str, *, published=None) -> Quantity | None:
    return _one("count", text, published)
