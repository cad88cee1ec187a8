"""parkwatch: the one command-line entry point (subcommands grouped by stage)."""
from __future__ import annotations

import sqlite3
import sys

import click

from . import formats


class UserError(click.ClickException):
    """A mistake in the user's input: printed as one line, exit status 1."""


# domain errors that are the user's input, not a bug: shown as clean messages
def _user_errors():
    from .baseline import BaselineError
    from .rules import RuleError
    return (BaselineError, RuleError, FileNotFoundError, PermissionError, IsADirectoryError)


class Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except _user_errors() as e:
            raise UserError(str(e)) from None
        except sqlite3.DatabaseError as e:
            raise UserError(f"database {ctx.obj.get('db_path') if ctx.obj else ''}: {e}") from None


def get_db(ctx: click.Context):
    from db.store import open_db
    obj = ctx.find_root().obj
    if "db" not in obj:
        obj["db"] = open_db(obj.get("db_path"))
    return obj["db"]


def fmt_option(choices=formats.FORMATS, default="table"):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db_path", envvar="PARKWATCH_DB", metavar="PATH",
              help="SQLite store (default ./parkwatch.db, or $PARKWATCH_DB).")
@click.version_option(package_name="parkwatch")
@click.pass_context
def cli(ctx, db_path):
    """Keep the 2020 census of China's blockchain industrial parks alive.

    \b
    Example:
      parkwatch baseline load && parkwatch report census
    """
    ctx.obj = {"db_path": db_path}


# -- baseline -------------------------------------------------------------------------------
@cli.group(cls=Group)
def baseline():
    """The 2020 census as the baseline."""


@baseline.command("load")
@click.option("--folder", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of baseline CSV files (default: the census shipped in db/baseline).")
@click.pass_context
def baseline_load(ctx, folder):
    """Load the census tables into the store (idempotent, all-or-nothing).

    \b
    Example:
      parkwatch --db census.db baseline load
    """
    from .baseline import load
    st = load(get_db(ctx), folder)
    click.echo(f"baseline: {st.new} new, {st.changed} changed, {st.unchanged} unchanged")
    for t, c in st.by_table.items():
        click.echo(f"  {t:<14} {c['new']:>4} new {c['changed']:>4} changed {c['unchanged']:>4} unchanged")


# -- report ---------------------------------------------------------------------------------
@cli.group(cls=Group)
def report():
    """Reports regenerated from the store."""


@report.command("census")
@fmt_option()
@click.pass_context
def report_census(ctx, fmt):
    """The census figures and the claims check.

    \b
    Example:
      parkwatch report census --format md > census.md
    """
    from . import report as rep
    db = get_db(ctx)
    _require_baseline(db)
    click.echo(rep.render(rep.build(db), fmt))


def _require_baseline(db):
    if not db.execute("SELECT count(*) FROM parks").fetchone()[0]:
        raise UserError("the store has no parks yet: run `parkwatch baseline load` first")


# -- parks ----------------------------------------------------------------------------------
@cli.command("parks")
@fmt_option(("table", "json", "csv"))
@click.pass_context
def parks_cmd(ctx, fmt):
    """One row per park with its values and their evidence.

    \b
    Example:
      parkwatch parks --format csv > parks.csv
    """
    from .parks import park_rows, COLUMNS
    db = get_db(ctx)
    _require_baseline(db)
    rows = park_rows(db)
    click.echo(formats.render(rows, COLUMNS if fmt != "table" else COLUMNS[:9], fmt))


# -- parse ----------------------------------------------------------------------------------
@cli.command("parse")
@click.argument("text", required=False)
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for relative and year-less dates.")
@fmt_option(("table", "json"))
def parse_cmd(text, published, fmt):
    """Show every date, area, money amount and count found in TEXT (or stdin with -).

    \b
    Example:
      parkwatch parse "上海市北区块链生态谷 6 月 13 日开园，规模 12 万平方米" --published 2020-11-25
    """
    import datetime as dt
    from .quantities import find_quantities
    if text is None or text == "-":
        if text is None and sys.stdin.isatty():
            raise click.UsageError("give TEXT, or - to read standard input")
        text = sys.stdin.read()
    if published:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            raise click.BadParameter(f"{published!r} is not a date like 2020-11-25", param_hint="--published")
    rows = [q.to_dict() for q in find_quantities(text, published=published)]
    cols = ["kind", "text", "value", "low", "high", "unit", "qualifier", "precision", "tranche", "label"]
    click.echo(formats.render(rows, cols, fmt))


# -- eval -----------------------------------------------------------------------------------
@cli.group(cls=Group, name="eval")
def eval_group():
    """Measure extraction against the gold set."""


@eval_group.command("extract")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Gold set YAML (default: tests/extraction/gold.yaml).")
@click.option("--backend", type=click.Choice(["dateparser", "regex"]), default="dateparser", show_default=True,
              help="Reader for explicit numeric dates.")
@click.option("--show-errors", is_flag=True, help="List every case that is not an exact match.")
@fmt_option(("table", "json"))
def eval_extract(gold, backend, show_errors, fmt):
    """Per kind: exact-match accuracy, confident wrong answers, no answers.

    \b
    Example:
      parkwatch eval extract --show-errors
    """
    from . import evaluate
    res = evaluate.run(evaluate.load_gold(gold), backend=backend)
    if fmt == "json":
        click.echo(formats.dumps(res))
        return
    click.echo(formats.table(res["kinds"], ["kind", "cases", "exact", "accuracy", "wrong", "wrong_on_negatives",
                                            "no_answer"]))
    if show_errors:
        for e in res["errors"]:
            click.echo(f"\n[{e['id']}] {e['outcome']}: {e['text']}")
            click.echo(f"  expected: {e['expected']}\n  got:      {e['got']}")


def main():
    cli(prog_name="parkwatch")


if __name__ == "__main__":
    main()
