"""serve: the review page (pipeline.review.web) on werkzeug's threaded server — one analyst,
one machine; a token whenever other machines can reach it."""
from __future__ import annotations

import signal
import threading

import click

from ..common import UserError, db_path


def _url(host: str, port: int, token: str | None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host     # noqa: S104 — naming it, not binding
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs --token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port (0: any free one).")
@click.option("--token", envvar="PARKWATCH_TOKEN", metavar="TOKEN",
              help="Required of every request (?token=… once, or Authorization: Bearer …); or $PARKWATCH_TOKEN.")
@click.option("--reviewer", envvar="PARKWATCH_REVIEWER", metavar="NAME",
              help="Who decides (recorded); default: the name entered on the page, else your login name.")
@click.pass_context
def serve(ctx, host, port, token, reviewer):
    """The review page: the queue sorted by confidence, one key per decision (a accept, m merge,
    r reject, s skip, u undo), the decisions with their undo. Ctrl-C or SIGTERM stops it.

    \b
    Example:
      parkwatch serve
      PARKWATCH_TOKEN="$(python3 -c 'import secrets; print(secrets.token_urlsafe())')" parkwatch serve --host 0.0.0.0
    """
    from werkzeug.serving import make_server

    from pipeline.review.web import check_binding, create_app
    check_binding(host, token)
    app = create_app(db_path(ctx), token=token, reviewer=reviewer)
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as e:
        raise UserError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    click.echo(f"listening on {host}:{server.server_port} (Ctrl-C or SIGTERM to stop); open "
               f"{_url(host, server.server_port, token)}")
    _run(server)


def _run(server) -> None:
    """Serve until Ctrl-C or SIGTERM; shutdown() must come from another thread than serve_forever()."""
    stop = lambda *_: threading.Thread(target=server.shutdown, daemon=True).start()  # noqa: E731
    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever()
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        server.server_close()
        click.echo("stopped")
