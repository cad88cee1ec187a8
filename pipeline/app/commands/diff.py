"""diff: what changed against the 2020 census, since a date, or in one run — as known now or at a date."""
from __future__ import annotations

import click

from pipeline.report import formats

from ..common import UserError, fmt_option, get_db, iso_date

COLUMNS = ["entity", "name", "change", "field", "old", "new", "first_seen", "run_id"]


def _moment(value: str | None, option: str) -> str | None:
    """A date (the end of that day, UTC) or a full ISO timestamp."""
    if not value:
        return None
    if len(value) == 10:
        iso_date(value, option)
        return f"{value}T23:59:59+00:00"
    import datetime as dt
    try:
        return dt.datetime.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-30 or a time like 2026-11-30T08:00:00+00:00",
                                 param_hint=option) from None


@click.command("diff")
@click.option("--since", metavar="DATE", help="Only changes first seen on or after this date.")
@click.option("--run", "run_id", type=int, metavar="ID", help="Only the changes this run recorded (`parkwatch runs`).")
@click.option("--as-of", "as_of", metavar="DATE", help="As known at the end of this date (or at this ISO time).")
@click.option("--record", is_flag=True, help="Record the changes no run recorded yet as a new diff run, and show them.")
@fmt_option(("table", "json", "md", "csv"))
@click.pass_context
def diff(ctx, since, run_id, as_of, record, fmt):
    """Changes at the level of facts against the 2020 census: new candidate parks, accepted new
    parks, new and changed figures, new policies and funds, pages gone, sources broken — each with
    its evidence and when it was first seen.

    \b
    Example:
      parkwatch diff --since 2026-11-01 --format md
      parkwatch diff --as-of 2026-10-31
    """
    from pipeline.diff import compute
    from pipeline.diff import record as recording
    if since and run_id:
        raise UserError("give --since or --run, not both")
    if record and (since or run_id or as_of):
        raise UserError("--record records what is known now; it takes no --since, --run or --as-of")
    db = get_db(ctx, create=False)
    if record:
        run, rows = recording.record_run(db)
        click.echo(f"diff run {run}: {len(rows)} new change(s)", err=True)
    elif run_id:
        rows = recording.of_run(db, run_id)
    else:
        rows = compute.diff(db, as_of=_moment(as_of, "--as-of"), since=iso_date(since, "--since"))
    for r in rows:
        r.setdefault("name", r.get("new") if r["entity"] in ("candidate", "park") else r["key"])
    click.echo(formats.render(rows, COLUMNS + (["key", "evidence"] if fmt in ("json", "csv") else []), fmt))
