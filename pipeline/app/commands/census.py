"""baseline load, report census, parks: the 2020 census in the store."""
from __future__ import annotations

import click

from pipeline.report import formats

from ..common import Group, UserError, fmt_option, get_db, iso_date


@click.group(cls=Group)
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
    from pipeline.load.baseline import load
    st = load(get_db(ctx), folder)
    click.echo(f"baseline: {st.new} new, {st.changed} changed, {st.unchanged} unchanged")
    for t, c in st.by_table.items():
        click.echo(f"  {t:<14} {c['new']:>4} new {c['changed']:>4} changed {c['unchanged']:>4} unchanged")


@click.group(cls=Group, invoke_without_command=True)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The edition as known on that day (default: now).")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True,
              help="index.md, or index.html (one page, no script); charts are SVG files beside it.")
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False), default="report", show_default=True,
              help="Folder to write into.")
@click.option("--include-candidates", is_flag=True, help="Add the unreviewed candidates and figures, marked "
                                                          "as such and kept out of the counts.")
@click.pass_context
def report(ctx, as_of, fmt, out_dir, include_candidates):
    """The updated census (the next edition), or another report below.

    Without a command: the 2020 tables recomputed with the reviewed changes, the parks and
    figures accepted since, new policies and funds, the claims check on the new data and charts.

    \b
    Example:
      parkwatch report --format html --out report/
      parkwatch report --as-of 2026-06-30 --include-candidates
    """
    if ctx.invoked_subcommand is not None:
        return
    from pathlib import Path

    from pipeline.report import edition, publish
    from pipeline.report.charts import FontMissing
    iso_date(as_of, "--as-of")
    db = get_db(ctx, create=False)
    require_baseline(db)
    try:
        paths = publish.write(edition.build(db, as_of=as_of, include_candidates=include_candidates),
                              Path(out_dir), fmt)
    except FontMissing as e:
        raise UserError(str(e)) from None
    for path in paths:
        click.echo(str(path))


@report.command("census")
@fmt_option()
@click.pass_context
def report_census(ctx, fmt):
    """The census figures and the claims check.

    \b
    Example:
      parkwatch report census --format md > census.md
    """
    from pipeline.report import census_report
    db = get_db(ctx, create=False)
    require_baseline(db)
    click.echo(census_report.render(census_report.build(db), fmt))


def require_baseline(db):
    from db.census import park_count
    if not park_count(db):
        raise UserError("the store has no parks yet: run `parkwatch baseline load` first")


@click.command("parks")
@fmt_option(("table", "json", "csv"))
@click.pass_context
def parks(ctx, fmt):
    """One row per park with its values and their evidence.

    \b
    Example:
      parkwatch parks --format csv > parks.csv
    """
    from pipeline.report.park_table import COLUMNS, park_rows
    db = get_db(ctx, create=False)
    require_baseline(db)
    click.echo(formats.render(park_rows(db), COLUMNS if fmt != "table" else COLUMNS[:9], fmt))
