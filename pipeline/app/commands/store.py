"""documents, runs: what the store holds."""
from __future__ import annotations

import click

from pipeline.report import formats

from ..common import fmt_option, get_db, iso_date

DOCUMENT_COLUMNS = ["id", "source", "published", "published_from", "relevance", "title", "attachments", "encoding",
                    "version_count", "flags", "url"]


@click.command("documents")
@click.option("--source", "source", metavar="SLUG", help="Only this source.")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this date.")
@click.option("--relevance", type=click.Choice(["park", "policy", "fund", "other"]), help="Only this label.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="At most this many (0: all).")
@fmt_option(("table", "json", "csv"))
@click.pass_context
def documents(ctx, source, since, relevance, limit, fmt):
    """Stored documents, newest first: URL, source, title, publication date and where it came from.

    \b
    Example:
      parkwatch documents --source demo-gxt-trs --since 2025-01-01 --relevance park
    """
    from db.documents import list_documents
    iso_date(since, "--since")
    rows = list_documents(get_db(ctx, create=False), source=source, since=since, relevance=relevance, limit=limit)
    if fmt == "table":
        for r in rows:
            r["attachments"] = len(r["attachments"])
    cols = DOCUMENT_COLUMNS + (["doc_number", "duplicate_of", "first_seen"] if fmt != "table" else [])
    click.echo(formats.render(rows, cols, fmt))


@click.command("runs")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@fmt_option(("table", "json"))
@click.pass_context
def runs(ctx, limit, fmt):
    """Recent runs with their per-source figures and failures.

    \b
    Example:
      parkwatch runs --limit 3
    """
    import json

    from db import runs as store

    from ..crawl_runner import FIGURE_COLUMNS
    db = get_db(ctx, create=False)
    store.mark_interrupted(db)
    out = [{"id": r["id"], "kind": r["kind"], "started_at": r["started_at"], "finished_at": r["finished_at"],
            "status": r["status"], "sources": json.loads(r["stats"] or "{}"),
            "failures": store.run_failures(db, r["id"])} for r in store.recent_runs(db, limit)]
    if fmt == "json":
        click.echo(formats.dumps(out))
        return
    for run in out:
        click.echo(f"run {run['id']} {run['kind']} {run['status']}  {run['started_at']} → {run['finished_at'] or '…'}")
        rows = [{"source": k, **v} for k, v in run["sources"].items()]
        click.echo(formats.table(rows, FIGURE_COLUMNS) if rows else "  (no figures)")
        for f in run["failures"]:
            click.echo(formats.cell(f"  failed: {f['source']} {f['url']} {f['reason'] or ''}").rstrip())
        click.echo("")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", default="import", show_default=True, metavar="SLUG",
              help="The source slug the documents are stored under (when a record has none).")
@click.option("--no-extract", "no_extract", is_flag=True, help="Store only; `parkwatch extract` reads them later.")
@click.pass_context
def import_documents(ctx, file, source, no_extract):
    """Store documents from a YAML list or a JSON-lines file of {url, title, body, published
    [, source]} records (announcements saved by hand, a corpus), then read them.

    \b
    Example:
      parkwatch import saved.jsonl --source hand-collected
    """
    from pipeline.load.documents import import_records
    from pipeline.load.extraction import extract

    from .facts import summary
    db = get_db(ctx)
    counts = import_records(db, file, source=source)
    click.echo(", ".join(f"{v} {k}" for k, v in counts.items()) or "nothing to import")
    if not no_extract:
        click.echo(summary(extract(db)))
