"""review list | show | accept | merge | reject | edit | undo: the analyst's decisions on the CLI
(the same actions as the review page of `parkwatch serve`)."""
from __future__ import annotations

import getpass

import click

from pipeline.report import formats

from ..common import Group, UserError, fmt_option, get_db

LIST_COLUMNS = ["id", "kind", "name", "province", "city", "score", "status", "n_documents", "field", "raw"]


def _reviewer(f):
    return click.option("--reviewer", envvar="PARKWATCH_REVIEWER", default=lambda: getpass.getuser(),
                        show_default="your login name, or $PARKWATCH_REVIEWER", help="Who decides (recorded).")(f)


def _reason(f):
    return click.option("--reason", metavar="TEXT", help="Why (recorded with the decision).")(f)


def _done(ctx, result: dict, fmt: str = "table") -> None:
    if fmt == "json":
        click.echo(formats.dumps(result))
        return
    what = result.get("undid") and f"undid decision {result['undid']} ({result['action']} of {result['kind']} " \
        f"{result['target']})"
    what = what or (f"{result['action']} {result['kind'][0]}{result['target']}"
                    + (f" → {result['park_id']}" if result.get("park_id") else "")
                    + (f" ({formats.cell(result['name'])})" if result.get("name") else ""))
    click.echo(f"decision {result['decision']}: {what}")


def _each(ctx, ids, action) -> None:
    """One decision per id; an id that cannot be decided is reported and the rest go on (a bulk
    action never overrides a decision: the exit status says some were refused)."""
    from pipeline.review.items import ReviewError
    refused = 0
    for item_id in ids:
        try:
            _done(ctx, action(get_db(ctx, create=False), item_id))
        except ReviewError as e:
            refused += 1
            click.echo(f"{item_id}: {e}", err=True)
    if refused:
        ctx.exit(1)


@click.group(cls=Group)
def review():
    """Decide on new parks and new values: the queue, one card, accept / merge / reject / edit / undo.

    \b
    Example:
      parkwatch review list
      parkwatch review accept c12 --reason "opening confirmed by the district"
    """


@review.command("list")
@click.option("--kind", type=click.Choice(["candidate", "fact"]), help="Only candidates or only new values.")
@fmt_option(("table", "json", "csv"))
@click.pass_context
def review_list(ctx, kind, fmt):
    """What waits for a decision, most confident first: candidate new parks (c…) and new values of
    known parks (f…), with their evidence.

    \b
    Example:
      parkwatch review list --kind candidate --format json
    """
    from pipeline.review.items import queue
    rows = queue(get_db(ctx, create=False), kind=kind)
    click.echo(formats.render(rows, LIST_COLUMNS + (["evidence"] if fmt != "table" else []), fmt))


@review.command("show")
@click.argument("item_id", metavar="ID")
@fmt_option(("table", "json"))
@click.pass_context
def review_show(ctx, item_id, fmt):
    """One card: the evidence sentences, the resolver's features, the nearest known parks.

    \b
    Example:
      parkwatch review show c12
    """
    from pipeline.review.items import card
    c = card(get_db(ctx, create=False), item_id)
    if fmt == "json":
        click.echo(formats.dumps(c))
        return
    click.echo(f"{c['id']} {c['kind']}: {formats.cell(c['name'])} [{c['status']}]")
    for e in c["evidence"]:
        click.echo(f"  “{formats.cell(e['snippet'])}”\n    {formats.cell(e['url'])}")
    for p in c.get("nearest", []):
        click.echo(f"  near {p['id']} {formats.cell(p['name'])} (similarity {p['similarity']}; "
                   f"differs: {', '.join(p['differs']) or 'nothing'})")


@review.command("accept")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--name", help="The park's name, when the candidate's is not the right one.")
@_reason
@_reviewer
@click.pass_context
def review_accept(ctx, ids, name, reason, reviewer):
    """Accept: a candidate becomes a new park (with its aliases and figures); a new value of a known
    park becomes its value.

    \b
    Example:
      parkwatch review accept c12 f345
    """
    from pipeline.review import decisions
    _each(ctx, ids, lambda db, i: decisions.accept(db, i, reviewer=reviewer, reason=reason, name=name))


@review.command("merge")
@click.argument("item_id", metavar="ID")
@click.option("--into", "into", required=True, metavar="PARK_ID", help="The known park it is (p020).")
@_reason
@_reviewer
@click.pass_context
def review_merge(ctx, item_id, into, reason, reviewer):
    """Merge a candidate into a known park: its names become the park's aliases, its figures the park's.

    \b
    Example:
      parkwatch review merge c7 --into p020
    """
    from pipeline.review import decisions
    _each(ctx, [item_id], lambda db, i: decisions.merge(db, i, into, reviewer=reviewer, reason=reason))


@review.command("reject")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@_reason
@_reviewer
@click.pass_context
def review_reject(ctx, ids, reason, reviewer):
    """Reject: the candidate stays out of later runs (new evidence brings it back, flagged); a new
    value is not taken.

    \b
    Example:
      parkwatch review reject c9 --reason "a conference, not a park"
    """
    from pipeline.review import decisions
    _each(ctx, ids, lambda db, i: decisions.reject(db, i, reviewer=reviewer, reason=reason))


@review.command("edit")
@click.argument("item_id", metavar="ID")
@click.option("--name")
@click.option("--province")
@click.option("--city")
@click.option("--district")
@click.option("--type", "type_", type=click.Choice(["park", "incubator", "base", "zone", "pilot"]))
@click.option("--set", "figures", multiple=True, metavar="FIELD=VALUE",
              help="A figure: area_m2=20000, enterprises=45, fund_yuan=500000000 (repeatable).")
@click.option("--unflag", is_flag=True, help="A rejected candidate's new evidence changes nothing.")
@_reason
@_reviewer
@click.pass_context
def review_edit(ctx, item_id, name, province, city, district, type_, figures, unflag, reason, reviewer):
    """Correct a candidate (or the park it became): name, place, type, figures.

    \b
    Example:
      parkwatch review edit c12 --name 芜湖江城链谷区块链产业园 --set enterprises=40
    """
    from pipeline.review import decisions
    fields = {k: v for k, v in (("name", name), ("province", province), ("city", city), ("district", district),
                                ("type", type_)) if v}
    _each(ctx, [item_id], lambda db, i: decisions.edit(db, i, reviewer=reviewer, reason=reason, fields=fields,
                                                       figures=_figures(figures), unflag=unflag))


def _figures(pairs) -> dict:
    out = {}
    for p in pairs:
        field, _, value = p.partition("=")
        try:
            out[field.strip()] = int(value) if value.strip().isdigit() else float(value)
        except ValueError:
            raise UserError(f"--set {p!r}: give FIELD=NUMBER, e.g. enterprises=45") from None
    return out


@review.command("undo")
@click.argument("decision_id", required=False, type=int, metavar="[DECISION]")
@_reason
@_reviewer
@click.pass_context
def review_undo(ctx, decision_id, reason, reviewer):
    """Undo a decision: your last one, or the one given (its number is printed when it is made and
    listed by `parkwatch review show`).

    \b
    Example:
      parkwatch review undo
      parkwatch review undo 17
    """
    from pipeline.review import decisions
    _each(ctx, [decision_id], lambda db, i: decisions.undo(db, i, reviewer=reviewer, reason=reason))
