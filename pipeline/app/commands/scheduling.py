"""schedule: crawl every source at its cron times and run the daily cycle, until stopped."""
from __future__ import annotations

import logging
import shlex
import sys

import click

from pipeline.report import formats

from ..common import UserError, db_path, fmt_option, pick_slugs, registry, sources_option


def _cron(ctx, param, value):
    from pipeline.schedule.specs import trigger
    try:
        trigger(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    return value


def _command_line(ctx, param, value):
    try:
        if value is not None and not shlex.split(value):
            raise ValueError("it is empty")
    except ValueError as e:
        raise click.BadParameter(f"{value!r} is not a command line: {e}") from None
    return value


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    for name, level in (("parkwatch.schedule", logging.INFO), ("apscheduler", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


def _started(settings):
    def show(done, jobs):
        click.echo(f"scheduling {len(jobs)} job(s) for {settings.store} (job store {settings.jobs_file}; "
                   f"{len(done['kept'])} kept, {len(done['new'])} new, {len(done['removed'])} removed); "
                   "SIGTERM or Ctrl-C stops", err=True)
        for j in jobs:
            click.echo(f"  {j.id}: next run {j.next_run_time.isoformat() if j.next_run_time else '-'}", err=True)
    return show


@click.command("schedule")
@click.argument("slugs", nargs=-1)
@sources_option
@click.option("--cycle", "cycle_cron", metavar="CRON", default="30 7 * * *", show_default=True, callback=_cron,
              help="When the cycle job runs (5-field cron, local time).")
@click.option("--cycle-command", metavar="COMMAND", callback=_command_line,
              help="The cycle job's command line (default: parkwatch --db DB run --skip-crawl).")
@click.option("--timeout", type=click.FloatRange(min=1), default=7200, show_default=True, metavar="SECONDS",
              help="A job running longer gets SIGTERM, then SIGKILL after --kill-grace.")
@click.option("--kill-grace", type=click.FloatRange(min=0), default=30, show_default=True, metavar="SECONDS",
              help="Seconds between SIGTERM and SIGKILL (on a timeout and on stopping).")
@click.option("--misfire-grace", type=click.FloatRange(min=1), default=86400, show_default=True, metavar="SECONDS",
              help="A run missed while the scheduler was down still runs (once) if at most this late.")
@click.option("--workers", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Jobs running at once.")
@click.option("--list", "list_only", is_flag=True,
              help="Show every job (trigger, next run, last outcome) without starting the scheduler.")
@fmt_option(("table", "json"))
@click.pass_context
def schedule(ctx, slugs, sources_file, cycle_cron, cycle_command, timeout, kill_grace, misfire_grace, workers,
             list_only, fmt):
    """Run the scheduler: each source (all of the registry when no SLUG is given) is crawled at its
    `schedule` cron by `parkwatch crawl SLUG` in a child process, and the cycle job
    (`parkwatch run --skip-crawl`) runs at --cycle, until SIGTERM or Ctrl-C. Jobs live in
    <store>.jobs.sqlite; each outcome is a row of the store's job_runs table. SIGTERM stops
    taking jobs, forwards SIGTERM to the running crawls, waits for them and exits 0.

    \b
    Example:
      parkwatch schedule --sources my-sources.yaml --timeout 3600
      parkwatch schedule --list --format json
    """
    from db.store import resolve_path
    from pipeline.schedule import listing, scheduler, specs
    reg = registry(sources_file)
    todo = pick_slugs(reg, slugs)
    store = resolve_path(db_path(ctx)).absolute()
    jobs = specs.plan([(slug, reg.get(slug).schedule) for slug in todo], store=store, sources_file=reg.file,
                      cycle_cron=cycle_cron, cycle_command=cycle_command)
    settings = scheduler.Settings(store, timeout=timeout, grace=kill_grace, misfire_grace=misfire_grace,
                                  workers=workers)
    try:
        if list_only:
            click.echo(formats.render(listing.job_rows(jobs, settings), listing.COLUMNS, fmt))
            return
        _log_to_stderr()
        ctx.exit(scheduler.serve(jobs, settings, on_started=_started(settings)))
    except scheduler.ScheduleError as e:
        raise UserError(str(e)) from None
