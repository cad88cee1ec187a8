"""What every command shares: the store handle, user errors, the --format and --sources options."""
from __future__ import annotations

import datetime as dt
import sqlite3

import click

from pipeline.report import formats


class UserError(click.ClickException):
    """A mistake in the user's input: printed as one line, exit status 1."""


def user_errors() -> tuple[type[Exception], ...]:
    """Domain errors that are the user's input, not a bug: shown as one clean line."""
    from crawler.sources import SourceError
    from db.store import StoreError
    from pipeline.load.baseline import BaselineError
    from pipeline.load.documents import RecordError
    from pipeline.review.items import ReviewError
    from pipeline.rules import RuleError
    return (BaselineError, RecordError, ReviewError, RuleError, SourceError, StoreError, FileNotFoundError,
            PermissionError, IsADirectoryError)


class Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except user_errors() as e:
            raise UserError(str(e)) from None
        except sqlite3.DatabaseError as e:
            path = ctx.find_root().obj.get("db_path") if ctx.find_root().obj else None
            raise UserError(f"database {path or 'parkwatch.db'}: {e}") from None


def db_path(ctx: click.Context):
    return ctx.find_root().obj.get("db_path")


def get_db(ctx: click.Context, *, create: bool = True):
    """The store; `create=False` for commands that only read (no empty store is made)."""
    from db.store import open_db
    obj = ctx.find_root().obj
    if "db" not in obj:
        obj["db"] = open_db(obj.get("db_path"), create=create)
    return obj["db"]


def fmt_option(choices=formats.FORMATS, default="table"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


def sources_option(f):
    return click.option("--sources", "sources_file", envvar="PARKWATCH_SOURCES", metavar="FILE",
                        type=click.Path(dir_okay=False), default=None,
                        help="Source registry YAML (default: the shipped crawler/sources.yaml).")(f)


def registry(sources_file):
    from crawler import sources
    return sources.load(sources_file)


def pick_slugs(reg, slugs) -> list[str]:
    unknown = [s for s in slugs if s not in reg.sources]
    if unknown:
        raise UserError(f"unknown source(s): {', '.join(unknown)} — `parkwatch sources list` shows the slugs "
                        f"of {reg.file}")
    return list(slugs) or sorted(reg.sources)


def iso_date(value: str | None, option: str, example: str = "2025-01-01") -> str | None:
    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date like {example}", param_hint=option) from None
    return value
