"""The source registry: which sites to crawl and how, as data.

One shipped file (crawler/sources.yaml), or a user's own with --sources FILE /
-s PARKWATCH_SOURCES=FILE. Adding a source is config only. Every field is checked
at load (types and ranges by pydantic models); a bad value is one line naming the
file, the entry, the field and the reason.
"""
from __future__ import annotations

import codecs
import ipaddress
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

KINDS = ("listing", "feed", "sitemap", "json-api")
REFETCH = ("never", "conditional", "always")
DEFAULT_FILE = Path(str(resources.files("crawler") / "sources.yaml"))
DEMO_FILE = Path(str(resources.files("crawler") / "demo_sources.yaml"))
ENV_VAR = "PARKWATCH_SOURCES"
MAX_FILE_BYTES = 1_000_000
DEFAULT_SCHEDULE = "0 6 * * *"
DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024


class SourceError(ValueError):
    def __init__(self, file, entry, reason):
        self.file, self.entry, self.reason = str(file), entry, reason
        super().__init__(f"{file}: source {entry}: {reason}")


# -- the models: field types and ranges --------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _listify(v):
    return [v] if isinstance(v, str) else v


Text = Annotated[str, Field(min_length=1, max_length=2000)]


class Pagination(_Strict):
    type: Literal["auto", "trs", "template", "none"] = "auto"
    template: Text | None = None
    max_pages: int | None = Field(None, ge=1, le=10_000)
    start: int | None = Field(None, ge=0, le=10_000)


class Selectors(_Strict):
    item: Text | None = None
    link: Text | None = None
    title: Text | None = None
    date: Text | None = None
    body: Text | None = None

    @model_validator(mode="after")
    def _valid(self):
        from parsel import Selector

        from .reading.selectors import select
        for name, sel in self.model_dump(exclude_none=True).items():
            try:
                select(Selector(text="<html/>"), sel)
            except Exception as err:  # parsel raises several types for bad expressions
                raise ValueError(f"selector {name} {sel!r} is not valid CSS or XPath: {err}") from None
        return self


class Politeness(_Strict):
    download_delay: float | None = Field(None, ge=0, le=600)
    concurrency: int | None = Field(None, ge=1, le=8)
    timeout: float | None = Field(None, gt=0, le=600)


class Api(_Strict):
    items: Text
    url: Text = "url"
    title: Text = "title"
    date: Text = "date"
    summary: Text | None = None
    id: Text = "id"
    page_param: Text = "p"
    size_param: Text | None = None
    page_size: int = Field(10, ge=1, le=1000)
    start_page: int = Field(1, ge=0, le=1000)
    max_pages: int | None = Field(None, ge=1, le=10_000)
    params: dict[str, str | int | float | bool] = {}
    method: Literal["GET", "POST"] = "GET"


class Defaults(_Strict):
    contact: Text | None = None
    schedule: Text | None = None
    refetch: Literal["never", "conditional", "always"] | None = None
    revisit_days: float | None = Field(None, ge=0, le=3650)
    politeness: Politeness = Politeness()


class Entry(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    kind: Literal["listing", "feed", "sitemap", "json-api"]
    start_urls: list[Text] = Field(min_length=1, max_length=50)
    name: Text | None = None
    pagination: Pagination = Pagination()
    selectors: Selectors = Selectors()
    keywords: list[Text] = Field([], max_length=100)
    encoding: Text | None = None
    schedule: Text | None = None
    politeness: Politeness = Politeness()
    refetch: Literal["never", "conditional", "always"] | None = None
    revisit_days: float | None = Field(None, ge=0, le=3650)
    verified: bool = True
    api: Api | None = None
    follow: Text | None = None
    allowed_domains: list[Text] = Field([], max_length=50)
    allow_private: bool = False
    max_page_bytes: int = Field(DEFAULT_MAX_PAGE_BYTES, ge=1024, le=1024 ** 3)
    note: str = ""
    cms: str | None = None

    _lists = field_validator("start_urls", "keywords", "allowed_domains", mode="before")(_listify)

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v):
        if v is not None:
            try:
                codecs.lookup(v)
            except LookupError:
                raise ValueError(f"unknown encoding {v!r}") from None
        return v

    @field_validator("follow")
    @classmethod
    def _regex(cls, v):
        if v is not None:
            try:
                re.compile(v)
            except re.error as err:
                raise ValueError(f"not a regular expression: {err}") from None
        return v

    @model_validator(mode="after")
    def _checks(self):
        if self.kind == "json-api" and self.api is None:
            raise ValueError("a json-api source needs api.items (where the list of results is in the JSON)")
        for u in self.start_urls:
            check_url(u, allow_private=self.allow_private)
        return self


def check_url(url: str, *, allow_private: bool = False) -> None:
    """An http(s) URL with a host, no credentials, and (unless allowed) no private address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", url):
        raise ValueError(f"start_urls must be http(s) URLs with a host, not {url!r}")
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"start_urls must not carry a user name or password ({parts.hostname})")
    if allow_private:
        return
    host = parts.hostname
    private = host == "localhost" or host.endswith(".localhost")
    try:
        ip = ipaddress.ip_address(host)
        private = ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast \
            or ip.is_unspecified
    except ValueError:
        pass
    if private:
        raise ValueError(f"start_urls: {host} is a private, loopback or link-local address "
                         "(set allow_private: true for a source on your own network)")


# -- what the crawler reads -------------------------------------------------------------------
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
    schedule: str = DEFAULT_SCHEDULE
    politeness: dict = field(default_factory=dict)
    refetch: str = "conditional"
    revisit_days: float = 7
    verified: bool = True
    api: dict = field(default_factory=dict)
    follow: str | None = None           # regex a detail URL must match (sitemaps, feeds)
    allowed_domains: tuple[str, ...] = ()
    allow_private: bool = False
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    note: str = ""

    @property
    def domains(self) -> tuple[str, ...]:
        return self.allowed_domains or tuple(sorted({urlsplit(u).hostname or "" for u in self.start_urls}))

    @property
    def origins(self) -> frozenset[tuple[str, str, int]]:
        """(scheme, host, port) a redirect may lead to: those of the start URLs."""
        out = set()
        for u in self.start_urls:
            p = urlsplit(u)
            out.add((p.scheme, p.hostname or "", p.port or (443 if p.scheme == "https" else 80)))
        return frozenset(out)


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


def _why(err: ValidationError) -> str:
    """The first problem of a pydantic error as 'field a.b: reason (got x)'."""
    e = err.errors()[0]
    where = ".".join(str(x) for x in e["loc"] if not str(x).startswith("function-"))
    msg = e["msg"].removeprefix("Value error, ")
    if e["type"] == "extra_forbidden":
        return f"unknown field {where}"
    got = e.get("input")
    shown = f" (got {got!r})" if e["type"] not in ("value_error", "missing") and not isinstance(got, dict) else ""
    return f"field {where}: {msg}{shown}" if where else msg


def _source(file, i: int, e, defaults: Defaults) -> Source:
    label = f"#{i + 1}" + (f" ({e.get('slug')})" if isinstance(e, dict) and isinstance(e.get("slug"), str) else "")
    if not isinstance(e, dict):
        raise SourceError(file, label, "an entry must be a mapping")
    try:
        m = Entry.model_validate(e)
    except ValidationError as err:
        raise SourceError(file, label, _why(err)) from None
    schedule = m.schedule or defaults.schedule or DEFAULT_SCHEDULE
    if not _cron_ok(schedule):
        raise SourceError(file, label, f"schedule {schedule!r} is not a cron expression (minute hour day month weekday)")
    pol = {**defaults.politeness.model_dump(exclude_none=True), **m.politeness.model_dump(exclude_none=True)}
    revisit = m.revisit_days if m.revisit_days is not None else defaults.revisit_days
    return Source(
        slug=m.slug, kind=m.kind, start_urls=tuple(m.start_urls), name=m.name or m.slug,
        pagination=m.pagination.model_dump(exclude_none=True), selectors=m.selectors.model_dump(exclude_none=True),
        keywords=tuple(m.keywords), encoding=m.encoding, schedule=schedule, politeness=pol,
        refetch=m.refetch or defaults.refetch or "conditional", revisit_days=7 if revisit is None else revisit,
        verified=m.verified, api=m.api.model_dump(exclude_none=True) if m.api else {}, follow=m.follow,
        allowed_domains=tuple(m.allowed_domains), allow_private=m.allow_private, max_page_bytes=m.max_page_bytes,
        note=m.note)


def _read(file: Path) -> str:
    if not file.exists():
        raise FileNotFoundError(f"sources file not found: {file}")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise SourceError(file, "-", f"file is larger than {MAX_FILE_BYTES // 1000} KB; a registry is a small YAML file")
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SourceError(file, "-", f"not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}); "
                                     "save the file as UTF-8") from None


def load(path: str | os.PathLike | None = None, *, text: str | None = None) -> Registry:
    """Load and validate a registry (default: $PARKWATCH_SOURCES or the shipped file)."""
    file = Path(path or os.environ.get(ENV_VAR) or DEFAULT_FILE)
    if text is None:
        text = _read(file)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise SourceError(file, "-", f"not valid YAML: {' '.join(str(err).split())}") from None
    if isinstance(data, list):
        data = {"sources": data}
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourceError(file, "-", "expected a mapping with a list under 'sources'")
    try:
        defaults = Defaults.model_validate(data.get("defaults") or {})
    except ValidationError as err:
        raise SourceError(file, "defaults", _why(err)) from None
    out: dict[str, Source] = {}
    for i, e in enumerate(data["sources"]):
        s = _source(file, i, e, defaults)
        if s.slug in out:
            raise SourceError(file, f"#{i + 1} ({s.slug})", "duplicate slug")
        out[s.slug] = s
    return Registry(str(file), defaults.model_dump(exclude_none=True), out)
