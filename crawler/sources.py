"""The source registry: which sites to crawl and how, as data.

One shipped file (crawler/sources.yaml), or a user's own with --sources FILE /
-s PARKWATCH_SOURCES=FILE. Adding a source is config only; a bad entry is
rejected at load with the file, the entry and the reason.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import yaml

KINDS = ("listing", "feed", "sitemap", "json-api")
REFETCH = ("never", "conditional", "always")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
DEFAULT_FILE = Path(str(resources.files("crawler") / "sources.yaml"))
DEMO_FILE = Path(str(resources.files("crawler") / "demo_sources.yaml"))
ENV_VAR = "PARKWATCH_SOURCES"

_FIELDS = {"slug", "name", "kind", "start_urls", "pagination", "selectors", "keywords", "encoding", "schedule",
           "politeness", "refetch", "revisit_days", "verified", "api", "follow", "allowed_domains", "note", "cms"}
_SELECTORS = {"item", "link", "title", "date", "body"}
_PAGINATION = {"type", "template", "max_pages", "start"}
_POLITENESS = {"download_delay", "concurrency", "timeout"}
_API = {"items", "url", "title", "date", "summary", "id", "page_param", "size_param", "page_size", "start_page",
        "max_pages", "params", "method"}


class SourceError(ValueError):
    def __init__(self, file, entry, reason):
        self.file, self.entry, self.reason = str(file), entry, reason
        super().__init__(f"{file}: source {entry}: {reason}")


@dataclass(frozen=True)
class Source:
    slug: str
    kind: str
    start_urls: tuple[str, ...]
    name: str = ""
    pagination: dict = field(default_factory=dict)
    selectors: dict = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    encoding: str | None = None
    schedule: str = "0 6 * * *"
    politeness: dict = field(default_factory=dict)
    refetch: str = "conditional"
    revisit_days: float = 7
    verified: bool = True
    api: dict = field(default_factory=dict)
    follow: str | None = None           # regex a detail URL must match (sitemaps, feeds)
    allowed_domains: tuple[str, ...] = ()
    note: str = ""

    @property
    def domains(self) -> tuple[str, ...]:
        return self.allowed_domains or tuple(sorted({urlsplit(u).hostname or "" for u in self.start_urls}))


@dataclass(frozen=True)
class Registry:
    file: str
    defaults: dict
    sources: dict[str, Source]

    def get(self, slug: str) -> Source:
        if slug not in self.sources:
            known = ", ".join(sorted(self.sources)) or "(none)"
            raise KeyError(f"unknown source {slug!r} in {self.file}; known: {known}")
        return self.sources[slug]

    @property
    def contact(self) -> str:
        return self.defaults.get("contact") or "https://github.com/parkwatch/parkwatch"


def _cron_ok(expr: str) -> bool:
    try:
        from apscheduler.triggers.cron import CronTrigger
        CronTrigger.from_crontab(expr)
        return True
    except (ValueError, TypeError):
        return False


def _check(file, i, e: dict, defaults: dict) -> Source:
    label = f"#{i + 1}" + (f" ({e.get('slug')})" if isinstance(e, dict) and e.get("slug") else "")
    if not isinstance(e, dict):
        raise SourceError(file, label, "an entry must be a mapping")

    def bad(reason):
        return SourceError(file, label, reason)

    unknown = set(e) - _FIELDS
    if unknown:
        raise bad(f"unknown field(s): {', '.join(sorted(unknown))}")
    slug = e.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise bad("slug must be lower-case letters, digits and dashes (2–63 characters)")
    kind = e.get("kind")
    if kind not in KINDS:
        raise bad(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    urls = e.get("start_urls")
    if isinstance(urls, str):
        urls = [urls]
    if not urls or not all(isinstance(u, str) and re.match(r"^https?://[^/\s]+", u) for u in urls):
        raise bad("start_urls must be one or more http(s) URLs")
    for key, allowed in (("selectors", _SELECTORS), ("pagination", _PAGINATION), ("politeness", _POLITENESS),
                         ("api", _API)):
        v = e.get(key) or {}
        if not isinstance(v, dict):
            raise bad(f"{key} must be a mapping")
        extra = set(v) - allowed
        if extra:
            raise bad(f"unknown {key} field(s): {', '.join(sorted(extra))}")
    for name, sel in (e.get("selectors") or {}).items():
        try:
            from parsel import Selector
            (Selector(text="<html/>").xpath(sel) if sel.startswith(("/", "(")) else Selector(text="<html/>").css(sel))
        except Exception as err:  # parsel raises several types for bad expressions
            raise bad(f"selector {name} {sel!r} is not valid CSS or XPath: {err}")
    if kind == "json-api" and not (e.get("api") or {}).get("items"):
        raise bad("a json-api source needs api.items (where the list of results is in the JSON)")
    enc = e.get("encoding")
    if enc:
        import codecs
        try:
            codecs.lookup(enc)
        except LookupError:
            raise bad(f"unknown encoding {enc!r}")
    schedule = e.get("schedule") or defaults.get("schedule") or "0 6 * * *"
    if not _cron_ok(schedule):
        raise bad(f"schedule {schedule!r} is not a cron expression (minute hour day month weekday)")
    refetch = e.get("refetch") or defaults.get("refetch") or "conditional"
    if refetch not in REFETCH:
        raise bad(f"refetch must be one of {', '.join(REFETCH)}")
    kw = e.get("keywords") or []
    if isinstance(kw, str):
        kw = [kw]
    if e.get("follow"):
        try:
            re.compile(e["follow"])
        except re.error as err:
            raise bad(f"follow is not a regular expression: {err}")
    pol = {**(defaults.get("politeness") or {}), **(e.get("politeness") or {})}
    if pol.get("concurrency") is not None and not (1 <= int(pol["concurrency"]) <= 8):
        raise bad("politeness.concurrency must be between 1 and 8")
    return Source(
        slug=slug, kind=kind, start_urls=tuple(urls), name=e.get("name") or slug,
        pagination=e.get("pagination") or {}, selectors=e.get("selectors") or {}, keywords=tuple(kw),
        encoding=enc, schedule=schedule, politeness=pol, refetch=refetch,
        revisit_days=float(e.get("revisit_days", defaults.get("revisit_days", 7))),
        verified=bool(e.get("verified", True)), api=e.get("api") or {}, follow=e.get("follow"),
        allowed_domains=tuple(e.get("allowed_domains") or ()), note=e.get("note") or "")


def load(path: str | os.PathLike | None = None, *, text: str | None = None) -> Registry:
    """Load and validate a registry (default: $PARKWATCH_SOURCES or the shipped file)."""
    file = Path(path or os.environ.get(ENV_VAR) or DEFAULT_FILE)
    if text is None:
        if not file.exists():
            raise FileNotFoundError(f"sources file not found: {file}")
        text = file.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise SourceError(file, "-", f"not valid YAML: {err}") from None
    if isinstance(data, list):
        data = {"sources": data}
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourceError(file, "-", "expected a mapping with a list under 'sources'")
    defaults = data.get("defaults") or {}
    out: dict[str, Source] = {}
    for i, e in enumerate(data["sources"]):
        s = _check(file, i, e, defaults)
        if s.slug in out:
            raise SourceError(file, f"#{i + 1} ({s.slug})", "duplicate slug")
        out[s.slug] = s
    return Registry(str(file), defaults, out)


def substitute(text: str, placeholders: dict[str, str]) -> str:
    """Fill {site:<slug>} placeholders (demo sources pointing at the offline mirror)."""
    for k, v in placeholders.items():
        text = text.replace(k, v)
    return text
