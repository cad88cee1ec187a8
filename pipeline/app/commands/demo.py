"""demo: the whole cycle on the bundled offline mirror."""
from __future__ import annotations

import click

from ..common import db_path


@click.command("demo")
@click.option("--serve", is_flag=True, help="Keep the offline mirror running afterwards (Ctrl-C to stop).")
@click.pass_context
def demo(ctx, serve):
    """The whole cycle offline: start the bundled mirror on 127.0.0.1, crawl it with the demo
    sources, load the census baseline and print what was found and the census report.

    \b
    Example:
      parkwatch --db demo.db demo
    """
    from .. import demo as procedure
    procedure.run(db_path(ctx), serve=serve, echo=click.echo)
