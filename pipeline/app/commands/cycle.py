"""run: one whole monitoring cycle now — crawl every source, read what was stored, check each
source's health, record the diff, write the report — ending with a summary of what is new."""
from __future__ import annotations

import json

import click

from pipeline.report import formats

from ..common import db_path, fmt_option, get_db, sources_option

EXIT_FAILED_STAGE = 5


def _crawl(ctx, slugs, sources_file, refetch) -> tuple[int, dict]:
    from ..cycle import parkwatch
    args = ["crawl", *slugs, "--format", "json"] + (["--sources", sources_file] if sources_file else []) \
        + (["--refetch"] if refetch else [])
    proc = parkwatch(db_path(ctx), *args)
    try:
        return proc.returncode, json.loads(proc.stdout or "{}")
    except ValueError:
        return proc.returncode or 1, {}


@click.command("run")
@click.argument("slugs", nargs=-1)
@sources_option
@click.option("--refetch", is_flag=True, help="Fetch every page again, known or not.")
@click.option("--skip-crawl", is_flag=True, help="Only read, diff and report what is stored (the scheduler's "
                                                  "cycle job: its crawls run on their own).")
@click.option("--out", default="report", show_default=True, metavar="DIR", help="Where the report is written.")
@click.option("--no-report", is_flag=True, help="Do not write the report.")
@click.option("--webhook", envvar="PARKWATCH_WEBHOOK", metavar="URL",
              help="POST the cycle's summary (JSON) to this URL ($PARKWATCH_WEBHOOK).")
@fmt_option(("table", "json"))
@click.pass_context
def run(ctx, slugs, sources_file, refetch, skip_crawl, out, no_report, webhook, fmt):
    """One whole cycle now: crawl → extract → source health → diff → report, and a summary of the
    new candidates, the changes and the sources' health.

    Exit status: the crawl's (0 ok, 3 failures, 4 interrupted), or 5 when a later stage failed.

    \b
    Example:
      parkwatch run --sources my-sources.yaml
      parkwatch run --skip-crawl --out /srv/census
    """
    from ..cycle import after_crawl, summary_text
    code, crawl = (0, {}) if skip_crawl else _crawl(ctx, slugs, sources_file, refetch)
    summary = after_crawl(get_db(ctx), db_path(ctx), crawl, out=None if no_report else out, slugs=slugs)
    if webhook:
        from pipeline.diff.notify import post
        err = post(webhook, {k: v for k, v in summary.items() if k != "fresh"})
        if err:
            click.echo(f"webhook {webhook}: {err}", err=True)
    if fmt == "json":
        click.echo(formats.dumps(summary))
    else:
        click.echo("\n".join(summary_text(summary)))
        click.echo("review what is new: parkwatch serve (or parkwatch review list)")
    ok = summary["report_ok"] is not False
    ctx.exit(code if ok else (code or EXIT_FAILED_STAGE))
