"""crawl, ingest, sources list / check: reading the sources."""
from __future__ import annotations

import click

from db.vocab import RunStatus
from pipeline.report import formats

from ..common import Group, UserError, db_path, fmt_option, get_db, pick_slugs, registry, sources_option

# what `parkwatch crawl` exits with (1 and 2 are a mistake in the command line or the registry)
EXIT_CODES = {RunStatus.OK: 0, RunStatus.PARTIAL: 3, RunStatus.FAILED: 3, RunStatus.INTERRUPTED: 4}
EXIT_LOCKED = 6        # a source was skipped: another crawl of it holds its lock (and nothing worse happened);
                       # not 5, which `parkwatch run` (which runs this command) uses for its later stages


def _print_crawl(result, fmt="table", found=None):
    from ..crawl_runner import FIGURE_COLUMNS
    from .facts import summary
    rows = result.rows()
    if fmt == "json":
        out = {"run": result.run_id, "status": result.status, "sources": rows}
        if found is not None:
            out["extract"] = dict(found)
        click.echo(formats.dumps(out))
        return
    click.echo(formats.table(rows, FIGURE_COLUMNS))
    click.echo(f"run {result.run_id}: {result.status}" if result.run_id else f"check: {result.status}")
    if found is not None:
        click.echo(summary(found))


@click.command("crawl")
@click.argument("slugs", nargs=-1)
@sources_option
@click.option("--refetch", is_flag=True, help="Re-fetch known pages with conditional requests now "
                                               "(otherwise only after the source's revisit_days).")
@click.option("--verbose", "-v", is_flag=True, help="Scrapy's own log on stderr.")
@click.option("--redis", "redis_url", metavar="URL", envvar="PARKWATCH_REDIS",
              help="Distributed crawling with scrapy-redis: share the request queue and duplicate filter in "
                   "this Redis; items are queued there for `parkwatch ingest`.")
@click.option("--worker", is_flag=True, help="With --redis: only work on the shared queue, do not seed start URLs.")
@click.option("--no-extract", "no_extract", is_flag=True,
              help="Store the documents only; `parkwatch extract` reads them later.")
@fmt_option(("table", "json"))
@click.pass_context
def crawl(ctx, slugs, sources_file, refetch, verbose, redis_url, worker, no_extract, fmt):
    """Crawl sources (all of the registry when no SLUG is given), with progress and a summary.

    Exit status: 0 everything was read and stored; 3 the run finished with failures (a source
    failed or was challenge-protected, a write was lost, or pages were lost — `parkwatch runs`
    lists them); 4 the run was interrupted; 6 a source was skipped because another crawl of it is
    running (its lock beside the store is held; the others were read); 1 and 2 a mistake in the
    registry or the command line.

    \b
    Example:
      parkwatch crawl hunan-gxt-notices gov-policy-library
      parkwatch crawl --sources my-sources.yaml
      parkwatch crawl --redis redis://10.0.0.5:6379/0            # seeds and crawls
      parkwatch crawl --redis redis://10.0.0.5:6379/0 --worker   # on more machines
    """
    from ..crawl_runner import REDIS_COLUMNS, redis_settings, run_crawl
    if worker and not redis_url:
        raise click.UsageError("--worker needs --redis URL")
    reg = registry(sources_file)
    todo = pick_slugs(reg, slugs)
    if redis_url:
        _ping(redis_url)                      # before anything is started or written
    todo, skipped = (todo, []) if worker else _lock_sources(ctx, todo)
    extra = redis_settings(redis_url, seed=not worker, refetch=refetch) if redis_url else None
    where = f"Redis {redis_url}" if redis_url else (db_path(ctx) or "parkwatch.db")
    click.echo(f"crawling {len(todo)} source(s) into {where} …", err=True)
    res = run_crawl(reg, todo, db_path(ctx), refetch=refetch, progress=0 if verbose else 5, verbose=verbose,
                    extra=extra)
    found = None if redis_url or no_extract else _extract(ctx)
    if redis_url and fmt == "table":
        click.echo(formats.table(res.rows(), REDIS_COLUMNS))
        click.echo(f"run {res.run_id}: {res.status}; store the queued items with `parkwatch ingest --redis {redis_url}`")
    else:
        _print_crawl(res, fmt, found)
    ctx.exit(EXIT_CODES[res.status] or (EXIT_LOCKED if skipped else 0))


def _lock_sources(ctx, slugs):
    """One crawl of a source at a time (a scheduled one, another `parkwatch crawl`): a source whose
    lock beside the store is held is skipped with one line; none left is exit 6."""
    from db.store import open_db, resolve_path
    from pipeline.schedule.locks import holder, source_lock_path, take
    open_db(db_path(ctx)).close()             # a usable store (and its folder) before a lock file is made
    store = resolve_path(db_path(ctx))
    locks = take(store, slugs)
    ctx.call_on_close(locks.release)
    for slug in locks.busy:
        path = source_lock_path(store, slug)
        click.echo(f"skipped {slug}: another crawl of it is running (pid {holder(path)}, lock {path})", err=True)
    if not locks.held:
        ctx.exit(EXIT_LOCKED)
    return locks.held, locks.busy


def _extract(ctx):
    """The new and changed documents of the crawl, read by the extraction stage."""
    from pipeline.load.extraction import extract
    return extract(get_db(ctx), progress=lambda n: click.echo(f"  extract: {n} documents read …", err=True))


def _ping(redis_url: str) -> None:
    """An unreachable Redis is one line, before anything is started or written."""
    import redis
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=5).ping()
    except (redis.RedisError, ValueError) as e:
        raise UserError(f"Redis {redis_url}: {e}") from None


@click.command("ingest")
@click.argument("slugs", nargs=-1)
@sources_option
@click.option("--redis", "redis_url", metavar="URL", envvar="PARKWATCH_REDIS", required=True,
              help="The Redis that `parkwatch crawl --redis` queued items in.")
@click.option("--wait", type=float, default=0, show_default=True,
              help="Seconds to keep waiting for items once the queues are empty (0: stop).")
@click.option("--no-extract", "no_extract", is_flag=True,
              help="Store the documents only; `parkwatch extract` reads them later.")
@fmt_option(("table", "json"))
@click.pass_context
def ingest(ctx, slugs, sources_file, redis_url, wait, no_extract, fmt):
    """Store the items that distributed crawlers queued in Redis (the store's single writer), then
    read the new and changed documents (the extraction summary goes to stderr).

    \b
    Example:
      parkwatch ingest --redis redis://10.0.0.5:6379/0 --wait 30
    """
    from pipeline.load.redis_drain import drain
    reg = registry(sources_file)
    todo = pick_slugs(reg, slugs)
    _ping(redis_url)
    res = drain(get_db(ctx), redis_url, todo, block=wait)
    rows = [{"source": s, **c} for s, c in res.items()]
    cols = ["source", "new", "changed", "unchanged", "flagged", "malformed"]
    click.echo(formats.dumps(rows) if fmt == "json" else formats.table(rows, cols))
    if not no_extract:
        from .facts import summary
        click.echo(summary(_extract(ctx)), err=True)


@click.group(cls=Group)
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
    from db.runs import source_states
    from db.store import StoreError
    reg = registry(sources_file)
    try:
        state = source_states(get_db(ctx, create=False))
    except StoreError:
        state = {}             # nothing crawled yet: the registry alone
    rows = [{"slug": s.slug, "kind": s.kind, "name": s.name, "verified": s.verified, "schedule": s.schedule,
             "status": state.get(s.slug, {}).get("status", "never crawled"),
             "last_ok": state.get(s.slug, {}).get("last_ok"), "robots": state.get(s.slug, {}).get("robots"),
             "start_url": s.start_urls[0]} for s in reg.sources.values()]
    click.echo(formats.render(rows, ["slug", "kind", "verified", "status", "last_ok", "robots", "schedule", "name"],
                              fmt))


def _verdict(f: dict) -> str:
    if f.get("challenge"):
        return "challenge-protected"
    if f.get("items", 0) > 0:
        return "ok"
    return "no items" if f.get("fetched") else "unreachable"


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
    from ..crawl_runner import run_crawl
    reg = registry(sources_file)
    todo = pick_slugs(reg, slugs)
    res = run_crawl(reg, todo, db_path(ctx), check=True)
    rows = [{"source": slug, "verdict": _verdict(f), "why": f.get("why"), "items": f.get("items", 0),
             "fetched": f.get("fetched", 0), "robots": f.get("robots"), "requests": f.get("requests", 0)}
            for slug, f in res.figures.items()]
    click.echo(formats.render(rows, ["source", "verdict", "why", "items", "fetched", "requests", "robots"], fmt))
    if any(r["verdict"] != "ok" for r in rows):
        ctx.exit(1)
