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
    from crawler.sources import SourceError
    from .baseline import BaselineError
    from .rules import RuleError
    return (BaselineError, RuleError, SourceError, FileNotFoundError, PermissionError, IsADirectoryError)


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


# -- crawling -------------------------------------------------------------------------------
def sources_option(f):
    return click.option("--sources", "sources_file", envvar="PARKWATCH_SOURCES", metavar="FILE",
                        type=click.Path(dir_okay=False), default=None,
                        help="Source registry YAML (default: the shipped crawler/sources.yaml).")(f)


def _registry(sources_file):
    from crawler import sources
    return sources.load(sources_file)


def _slugs(registry, slugs):
    unknown = [s for s in slugs if s not in registry.sources]
    if unknown:
        raise UserError(f"unknown source(s): {', '.join(unknown)} — `parkwatch sources list` shows the slugs "
                        f"of {registry.file}")
    return list(slugs) or sorted(registry.sources)


def _print_crawl(result, fmt="table"):
    from .crawl import FIGURE_COLUMNS
    rows = result.rows()
    if fmt == "json":
        click.echo(formats.dumps({"run": result.run_id, "status": result.status, "sources": rows}))
        return
    click.echo(formats.table(rows, FIGURE_COLUMNS))
    click.echo(f"run {result.run_id}: {result.status}" if result.run_id else f"check: {result.status}")


@cli.command("crawl")
@click.argument("slugs", nargs=-1)
@sources_option
@click.option("--refetch", is_flag=True, help="Re-fetch known pages with conditional requests now "
                                               "(otherwise only after the source's revisit_days).")
@click.option("--verbose", "-v", is_flag=True, help="Scrapy's own log on stderr.")
@click.option("--redis", "redis_url", metavar="URL", envvar="PARKWATCH_REDIS",
              help="Distributed crawling with scrapy-redis: share the request queue and duplicate filter in "
                   "this Redis; items are queued there for `parkwatch ingest`.")
@click.option("--worker", is_flag=True, help="With --redis: only work on the shared queue, do not seed start URLs.")
@fmt_option(("table", "json"))
@click.pass_context
def crawl_cmd(ctx, slugs, sources_file, refetch, verbose, redis_url, worker, fmt):
    """Crawl sources (all of the registry when no SLUG is given), with progress and a summary.

    \b
    Example:
      parkwatch crawl hunan-gxt-notices gov-policy-library
      parkwatch crawl --sources my-sources.yaml
      parkwatch crawl --redis redis://10.0.0.5:6379/0            # seeds and crawls
      parkwatch crawl --redis redis://10.0.0.5:6379/0 --worker   # on more machines
    """
    from .crawl import redis_settings, run_crawl
    if worker and not redis_url:
        raise click.UsageError("--worker needs --redis URL")
    reg = _registry(sources_file)
    todo = _slugs(reg, slugs)
    extra = redis_settings(redis_url, seed=not worker, refetch=refetch) if redis_url else None
    where = f"Redis {redis_url}" if redis_url else (ctx.find_root().obj.get("db_path") or "parkwatch.db")
    click.echo(f"crawling {len(todo)} source(s) into {where} …", err=True)
    res = run_crawl(reg, todo, ctx.find_root().obj.get("db_path"), refetch=refetch, progress=0 if verbose else 5,
                    verbose=verbose, extra=extra)
    if redis_url and fmt == "table":
        from .crawl import REDIS_COLUMNS
        click.echo(formats.table(res.rows(), REDIS_COLUMNS))
        click.echo(f"run {res.run_id}: {res.status}; store the queued items with `parkwatch ingest --redis {redis_url}`")
    else:
        _print_crawl(res, fmt)
    if res.status != "ok":
        ctx.exit(1)


@cli.command("ingest")
@click.argument("slugs", nargs=-1)
@sources_option
@click.option("--redis", "redis_url", metavar="URL", envvar="PARKWATCH_REDIS", required=True,
              help="The Redis that `parkwatch crawl --redis` queued items in.")
@click.option("--wait", type=float, default=0, show_default=True,
              help="Seconds to keep waiting for items once the queues are empty (0: stop).")
@fmt_option(("table", "json"))
@click.pass_context
def ingest_cmd(ctx, slugs, sources_file, redis_url, wait, fmt):
    """Store the items that distributed crawlers queued in Redis (the store's single writer).

    \b
    Example:
      parkwatch ingest --redis redis://10.0.0.5:6379/0 --wait 30
    """
    from .ingest import drain
    reg = _registry(sources_file)
    todo = _slugs(reg, slugs)
    try:
        res = drain(get_db(ctx), redis_url, todo, block=wait)
    except Exception as e:  # redis.ConnectionError and friends: the user's Redis is not there
        if type(e).__module__.startswith("redis"):
            raise UserError(f"Redis {redis_url}: {e}") from None
        raise
    rows = [{"source": s, **c} for s, c in res.items()]
    cols = ["source", "new", "changed", "unchanged", "flagged", "malformed"]
    click.echo(formats.dumps(rows) if fmt == "json" else formats.table(rows, cols))


@cli.group(cls=Group)
def sources():
    """The source registry."""


@sources.command("list")
@sources_option
@fmt_option(("table", "json", "csv"))
@click.pass_context
def sources_list(ctx, sources_file, fmt):
    """Configured sources with their last known status.

    \b
    Example:
      parkwatch sources list --sources my-sources.yaml
    """
    reg = _registry(sources_file)
    state = {r["slug"]: r for r in get_db(ctx).query("SELECT * FROM sources")}
    rows = [{"slug": s.slug, "kind": s.kind, "name": s.name, "verified": s.verified, "schedule": s.schedule,
             "status": state.get(s.slug, {}).get("status", "never crawled"),
             "last_ok": state.get(s.slug, {}).get("last_ok"), "robots": state.get(s.slug, {}).get("robots"),
             "start_url": s.start_urls[0]} for s in reg.sources.values()]
    click.echo(formats.render(rows, ["slug", "kind", "verified", "status", "last_ok", "robots", "schedule", "name"],
                              fmt))


@sources.command("check")
@click.argument("slugs", nargs=-1)
@sources_option
@fmt_option(("table", "json"))
@click.pass_context
def sources_check(ctx, slugs, sources_file, fmt):
    """Fetch the first list page of each source and say whether it still yields items
    (nothing is stored). Needs internet for the real sources.

    \b
    Example:
      parkwatch sources check hunan-gxt-notices
    """
    from .crawl import run_crawl
    reg = _registry(sources_file)
    todo = _slugs(reg, slugs)
    res = run_crawl(reg, todo, ctx.find_root().obj.get("db_path"), check=True)
    rows = []
    for slug, f in res.figures.items():
        ok = f.get("items", 0) > 0
        verdict = "challenge-protected" if f.get("challenge") else ("ok" if ok else
                                                                    ("no items" if f.get("fetched") else "unreachable"))
        rows.append({"source": slug, "verdict": verdict, "items": f.get("items", 0), "fetched": f.get("fetched", 0),
                     "robots": f.get("robots"), "requests": f.get("requests", 0)})
    click.echo(formats.render(rows, ["source", "verdict", "items", "fetched", "requests", "robots"], fmt))
    if any(r["verdict"] != "ok" for r in rows):
        ctx.exit(1)


@cli.command("documents")
@click.option("--source", "source", metavar="SLUG", help="Only this source.")
@click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this date.")
@click.option("--relevance", type=click.Choice(["park", "policy", "fund", "other"]), help="Only this label.")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many (0: all).")
@fmt_option(("table", "json", "csv"))
@click.pass_context
def documents_cmd(ctx, source, since, relevance, limit, fmt):
    """Stored documents, newest first: URL, source, title, publication date and where it came from.

    \b
    Example:
      parkwatch documents --source demo-gxt-trs --since 2025-01-01 --relevance park
    """
    import datetime as dt
    import json
    if since:
        try:
            dt.date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter(f"{since!r} is not a date like 2025-01-01", param_hint="--since")
    where, args = ["1 = 1"], []
    if source:
        where.append("source = ?")
        args.append(source)
    if since:
        where.append("published >= ?")
        args.append(since)
    if relevance:
        where.append("relevance = ?")
        args.append(relevance)
    sql = (f"SELECT id, source, url, title, published, published_from, relevance, doc_number, attachments, encoding, "
           f"flags, version_count, duplicate_of, first_seen FROM documents WHERE {' AND '.join(where)} "
           f"ORDER BY published DESC, id DESC" + (f" LIMIT {int(limit)}" if limit else ""))
    rows = []
    for r in get_db(ctx).query(sql, args):
        att = json.loads(r["attachments"] or "[]")
        r["attachments"] = len(att) if fmt == "table" else att
        r["flags"] = json.loads(r["flags"]) if r["flags"] else []
        rows.append(r)
    cols = ["id", "source", "published", "published_from", "relevance", "title", "attachments", "encoding",
            "version_count", "flags", "url"]
    if fmt != "table":
        cols += ["doc_number", "duplicate_of", "first_seen"]
    click.echo(formats.render(rows, cols, fmt))


@cli.command("runs")
@click.option("--limit", type=int, default=10, show_default=True)
@fmt_option(("table", "json"))
@click.pass_context
def runs_cmd(ctx, limit, fmt):
    """Recent runs with their per-source figures and failures.

    \b
    Example:
      parkwatch runs --limit 3
    """
    import json
    db = get_db(ctx)
    from . import runs as runs_mod
    runs_mod.mark_interrupted(db)
    out = []
    for r in db.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit]):
        stats = json.loads(r["stats"] or "{}")
        fails = [dict(f) for f in db.query(
            "SELECT source, url, status, error FROM fetches WHERE run_id = ? AND (error IS NOT NULL OR status >= 400) "
            "ORDER BY id LIMIT 20", [r["id"]])]
        out.append({"id": r["id"], "kind": r["kind"], "started_at": r["started_at"], "finished_at": r["finished_at"],
                    "status": r["status"], "sources": stats, "failures": fails})
    if fmt == "json":
        click.echo(formats.dumps(out))
        return
    for run in out:
        click.echo(f"run {run['id']} {run['kind']} {run['status']}  {run['started_at']} → {run['finished_at'] or '…'}")
        rows = [{"source": k, **v} for k, v in run["sources"].items()]
        from .crawl import FIGURE_COLUMNS
        click.echo(formats.table(rows, FIGURE_COLUMNS) if rows else "  (no figures)")
        for f in run["failures"]:
            click.echo(f"  failed: {f['source']} {f['url']} {f['status'] or ''} {f['error'] or ''}".rstrip())
        click.echo("")


@cli.command("demo")
@click.option("--serve", is_flag=True, help="Keep the offline mirror running afterwards (Ctrl-C to stop).")
@click.pass_context
def demo_cmd(ctx, serve):
    """The whole cycle offline: start the bundled mirror on 127.0.0.1, crawl it with the demo
    sources, load the census baseline and print what was found and the census report.

    \b
    Example:
      parkwatch --db demo.db demo
    """
    from . import demo
    demo.run(ctx.find_root().obj.get("db_path"), serve=serve, echo=click.echo)


def main():
    cli(prog_name="parkwatch")


if __name__ == "__main__":
    main()
