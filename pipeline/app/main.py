"""parkwatch: the one command-line entry point; each group of commands lives in commands/."""
from __future__ import annotations

import sys

import click

from .commands import census, crawling, cycle, demo, diff, extraction, facts, review, scheduling, serve, store
from .common import Group


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


for command in (census.baseline, census.report, census.parks, extraction.parse, extraction.evaluate,
                crawling.crawl, crawling.ingest, crawling.sources, store.documents, store.import_documents,
                store.runs, facts.extract, facts.candidates, facts.mentions, facts.facts, facts.policies,
                facts.funds, diff.diff, review.review, serve.serve, scheduling.schedule, cycle.run, demo.demo):
    cli.add_command(command)


def main():
    """The console script: a mistake in what was typed is one line (and the --help to read), not
    click's three-line usage block; the exit status is the command's own."""
    try:
        rv = cli.main(prog_name="parkwatch", standalone_mode=False)
    except click.UsageError as e:
        where = f"; see `{e.ctx.command_path} --help`" if e.ctx else ""
        click.echo(f"Error: {e.format_message().rstrip('.')}{where}", err=True)
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except BrokenPipeError:             # `parkwatch documents | head`
        sys.stderr.close()
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)


if __name__ == "__main__":
    main()
