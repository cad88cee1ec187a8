"""What spiders yield: raw strings only; every value is parsed in pipeline/."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawDocument:
    source: str
    url: str                      # the URL as linked (identity), not the final redirect target
    title: str | None
    body: str
    date_candidates: list = field(default_factory=list)   # (where, raw text): meta, text, list, feed, url …
    list_title: str | None = None
    final_url: str | None = None
    attachments: list = field(default_factory=list)       # {url, title, type}
    meta_fields: dict = field(default_factory=dict)       # labelled metadata: 发文字号, 发文机关 …
    encoding: str | None = None
    bad_char_ratio: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    status: int = 200


@dataclass
class NotModified:
    """A 304 answer to a conditional re-fetch: the stored version is current."""
    source: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
