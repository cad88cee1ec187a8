"""The store's words, defined once: run kinds and statuses, source statuses, outcomes.

They are str enums, so they are stored and printed as the plain words (`"ok"`), and
a misspelt one is an AttributeError instead of a silent new status.
"""
from __future__ import annotations

from enum import StrEnum


class RunKind(StrEnum):
    CRAWL = "crawl"
    INGEST = "ingest"
    EXTRACT = "extract"
    DIFF = "diff"
    CYCLE = "cycle"


class RunStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"            # finished, every source read, but some pages were lost (see fetches)
    FAILED = "failed"              # finished, but a source failed or was challenge-protected, or a write was lost
    INTERRUPTED = "interrupted"    # stopped before the end (Ctrl-C, SIGTERM, kill -9)


class SourceStatus(StrEnum):
    NEW = "new"
    OK = "ok"
    EMPTY = "empty"                # answered, but no items
    FAILING = "failing"            # nothing could be fetched
    CHALLENGE = "challenge-protected"


class Outcome(StrEnum):
    """What storing one crawled item did."""
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    FLAGGED = "flagged"            # stored without text: decode errors, empty body
    FAILED = "failed"              # the write failed: counted and reported, never silent


class UrlStatus(StrEnum):
    """A URL that failed: retried later with a growing interval, or given up as gone."""
    FAILING = "failing"
    GONE = "gone"
