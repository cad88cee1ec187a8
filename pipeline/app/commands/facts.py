"""extract, candidates, mentions, facts, policies, funds: what the documents say, with evidence."""
from __future__ import annotations

import click

from pipeline.report import formats

from ..common import fmt_option, get_db, iso_date

LIST_FORMATS = ("table", "json", "csv")
FACT_FIELDS = ["area_m2", "enterprises", "fund_yuan", "founded", "opened_on", "approved_on", "signed_on",
               "construction_on", "gov_led"]


@click.command("extract")
@click.option("--since", metavar="YYYY-MM-DD", help="Only documents published on or after this date.")
@click.option("--rerun", is_flag=True, help="Read every document again (after an improvement of the extractor); "
                                            "review decisions are kept.")
@fmt_option(("table", "json"))
@click.pass_context
def extract(ctx, since, rerun, fmt):
    """Find parks, policies and funds in the stored documents not read by this extractor version yet.

    \b
    Example:
      parkwatch extract
      parkwatch extract --rerun --since 2025-01-01
    """
    from pipeline.load.extraction import extract as run
    iso_date(since, "--since")
    stats = run(get_db(ctx, create=False), rerun=rerun, since=since,
                progress=lambda n: click.echo(f"  {n} documents read …", err=True))
    if fmt == "json":
        click.echo(formats.dumps(dict(stats)))
        return
    click.echo(summary(stats))


def summary(stats) -> str:
    classes = ", ".join(f"{k.split(':', 1)[1]} {v}" for k, v in sorted(stats.items()) if k.startswith("class:"))
    return (f"extract: {stats['documents']} document(s) read ({classes or 'none'}); {stats['parks']} park(s), "
            f"{stats['policies']} polic(y/ies), {stats['funds']} fund(s) found")


@click.command("candidates")
@click.option("--status", type=click.Choice(["new", "accepted", "merged", "rejected"]), help="Only this status.")
@click.option("--province", metavar="NAME", help="Only this province (short form: 湖南).")
@fmt_option(LIST_FORMATS)
@click.pass_context
def candidates(ctx, status, province, fmt):
    """Candidate new parks: parks found in documents that are not known parks, one per park however
    many documents report it.

    \b
    Example:
      parkwatch candidates --status new --format json
    """
    from db.findings import list_candidates
    rows = list_candidates(get_db(ctx, create=False), status=status, province=province)
    cols = ["id", "name", "province", "city", "district", "type", "status", "n_documents", "first_seen"]
    click.echo(formats.render(rows, cols + (["documents"] if fmt != "table" else []), fmt))


@click.command("mentions")
@click.option("--source", metavar="SLUG", help="Only documents of this source.")
@click.option("--park", "park_id", metavar="ID", help="Only mentions of this known park (p020).")
@click.option("--candidate", "candidate_id", type=int, metavar="ID", help="Only mentions of this candidate.")
@fmt_option(LIST_FORMATS)
@click.pass_context
def mentions(ctx, source, park_id, candidate_id, fmt):
    """Every park mention: the name as written, its span in the document, the park or candidate it
    resolved to.

    \b
    Example:
      parkwatch mentions --park p020 --format json
    """
    from db.findings import list_mentions
    rows = list_mentions(get_db(ctx, create=False), source=source, park_id=park_id, candidate_id=candidate_id)
    cols = ["document_url", "park_id", "park_name", "candidate_id", "text", "start", "end"]
    click.echo(formats.render(rows, cols + (["event", "event_date", "role", "snippet"] if fmt != "table" else []),
                              fmt))


@click.command("facts")
@click.option("--park", "park_id", metavar="ID", help="Only this known park.")
@click.option("--candidate", "candidate_id", type=int, metavar="ID", help="Only this candidate.")
@click.option("--field", type=click.Choice(FACT_FIELDS), help="Only this field.")
@click.option("--all", "everything", is_flag=True, help="Also the census's own facts (no document).")
@fmt_option(LIST_FORMATS)
@click.pass_context
def facts(ctx, park_id, candidate_id, field, everything, fmt):
    """Facts found in documents — figures (area, settled enterprises, fund), events (founded,
    opened_on, approved_on, signed_on, construction_on) and who runs the park (gov_led) — each
    with its raw text, its span and its sentence.

    \b
    Example:
      parkwatch facts --field enterprises --format csv
    """
    from db.findings import list_facts
    rows = list_facts(get_db(ctx, create=False), park_id=park_id, candidate_id=candidate_id, field=field,
                      documents_only=not everything)
    cols = ["park_id", "candidate_id", "field", "value", "unit", "qualifier", "raw", "document_url", "snippet"]
    click.echo(formats.render(rows, cols + (["status"] if fmt != "table" else []), fmt))


@click.command("policies")
@click.option("--all", "everything", is_flag=True, help="Also the census's policies (no document).")
@fmt_option(LIST_FORMATS)
@click.pass_context
def policies(ctx, everything, fmt):
    """Blockchain policies found in documents: drafts, issued texts and interpretations of one
    policy are one row.

    \b
    Example:
      parkwatch policies --format json
    """
    from db.findings import list_policies
    rows = list_policies(get_db(ctx, create=False), documents_only=not everything)
    cols = ["id", "title", "doc_number", "issuer", "level", "region", "status", "published"]
    click.echo(formats.render(rows, cols + (["period", "measures", "documents"] if fmt != "table" else []), fmt))


@click.command("funds")
@click.option("--all", "everything", is_flag=True, help="Also the census's funds (no document).")
@fmt_option(LIST_FORMATS)
@click.pass_context
def funds(ctx, everything, fmt):
    """Blockchain funds found in documents, one row per fund.

    \b
    Example:
      parkwatch funds --format json
    """
    from db.findings import list_funds
    rows = list_funds(get_db(ctx, create=False), documents_only=not everything)
    for r in rows:
        r["size_yuan"], r["tranche_yuan"] = r.pop("amount"), r.pop("tranche")
    cols = ["id", "name", "size_yuan", "tranche_yuan", "currency", "region", "park_id", "candidate_id"]
    click.echo(formats.render(rows, cols + (["sponsors", "government_share", "documents"] if fmt != "table" else []),
                              fmt))
