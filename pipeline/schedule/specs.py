"""What the scheduler runs, as plain data: one job per source (its registry cron) and the cycle job.

The CLI reads the registry and passes (slug, cron) pairs here; nothing in this package
imports the crawler. Every job is a command line run as a child process.
"""
from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

DEFAULT_CYCLE = "30 7 * * *"
CYCLE_ID = "cycle"
# trials and tests: every job fires every N seconds instead of at its cron times
EVERY_ENV = "PARKWATCH_SCHEDULE_EVERY"


@dataclass(frozen=True)
class JobSpec:
    id: str                   # crawl:<slug> | cycle: stable, so a restart finds the stored job
    cron: str                 # as written (shown by --list)
    trigger: BaseTrigger
    argv: tuple[str, ...]
    source: str | None = None

    @property
    def kind(self) -> str:
        return "crawl" if self.source else "cycle"


def crawl_id(slug: str) -> str:
    return f"crawl:{slug}"


def trigger(cron: str) -> BaseTrigger:
    """The trigger of a 5-field cron string (the machine's time zone); ValueError names the problem."""
    every = os.environ.get(EVERY_ENV)
    try:
        cron_trigger = CronTrigger.from_crontab(cron)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{cron!r} is not a cron expression (minute hour day month weekday): {err}") from None
    if every:
        return IntervalTrigger(seconds=float(every))
    return cron_trigger


def _parkwatch(store: Path, *args: str) -> tuple[str, ...]:
    # this interpreter, not whatever `parkwatch` is first on PATH
    return (sys.executable, "-m", "pipeline.app", "--db", str(store), *args)


def plan(sources: list[tuple[str, str]], *, store: Path, sources_file: str | None, cycle_cron: str = DEFAULT_CYCLE,
         cycle_command: str | None = None) -> list[JobSpec]:
    """The jobs for (slug, cron) pairs and the cycle; the cycle runs `parkwatch run --skip-crawl`
    unless another command line is given."""
    extra = ("--sources", str(Path(sources_file).resolve())) if sources_file else ()
    jobs = [JobSpec(crawl_id(slug), cron, trigger(cron), _parkwatch(store, "crawl", slug, *extra), slug)
            for slug, cron in sources]
    argv = tuple(shlex.split(cycle_command)) if cycle_command else _parkwatch(store, "run", "--skip-crawl")
    if not argv:
        raise ValueError("the cycle command is empty")
    jobs.append(JobSpec(CYCLE_ID, cycle_cron, trigger(cycle_cron), argv))
    return jobs
