"""parse, eval extract: the extraction grammar by hand and against the annotated sets."""
from __future__ import annotations

import sys

import click

from pipeline.report import formats

from ..common import Group, fmt_option, iso_date

QUANTITY_COLUMNS = ["kind", "text", "value", "low", "high", "unit", "qualifier", "precision", "tranche", "label"]


@click.command("parse")
@click.argument("text", required=False)
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for relative and year-less dates.")
@fmt_option(("table", "json"))
def parse(text, published, fmt):
    """Show every date, area, money amount and count found in TEXT (or stdin with -).

    \b
    Example:
      parkwatch parse "上海市北区块链生态谷 6 月 13 日开园，规模 12 万平方米" --published 2020-11-25
    """
    from pipeline.extract.quantities import find_quantities
    if text is None or text == "-":
        if text is None and sys.stdin.isatty():
            raise click.UsageError("give TEXT, or - to read standard input")
        text = sys.stdin.read()
    iso_date(published, "--published", "2020-11-25")
    rows = [q.to_dict() for q in find_quantities(text, published=published)]
    click.echo(formats.render(rows, QUANTITY_COLUMNS, fmt))


@click.group(cls=Group, name="eval")
def evaluate():
    """Measure extraction against the annotated sets."""


@evaluate.command("extract")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Gold set YAML (default: the gold set shipped with parkwatch).")
@click.option("--backend", type=click.Choice(["dateparser", "regex"]), default="dateparser", show_default=True,
              help="Explicit numeric dates: cross-checked by dateparser, or read by the grammar alone.")
@click.option("--show-errors", is_flag=True, help="List every case that is not an exact match.")
@fmt_option(("table", "json"))
def eval_extract(gold, backend, show_errors, fmt):
    """Per kind: exact-match accuracy, confident wrong answers, no answers.

    \b
    Example:
      parkwatch eval extract --show-errors
    """
    from pipeline.evaluate import extraction
    res = extraction.run(extraction.load_gold(gold), dateparser=backend == "dateparser")
    if fmt == "json":
        click.echo(formats.dumps(res))
        return
    click.echo(formats.table(res["kinds"], ["kind", "cases", "exact", "accuracy", "wrong", "wrong_on_negatives",
                                            "no_answer"]))
    if show_errors:
        for e in res["errors"]:
            click.echo(f"\n[{e['id']}] {e['outcome']}: {formats.cell(e['text'])}")
            click.echo(f"  expected: {e['expected']}\n  got:      {e['got']}")


@evaluate.command("facts")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=None,
              help="Annotated corpus folder (default: the development corpus shipped with parkwatch; "
                   "pipeline/evaluate/corpus/facts-holdout is the held-out one).")
@click.option("--show-errors", is_flag=True, help="List every park, figure and class the extractor got wrong.")
@fmt_option(("table", "json"))
def eval_facts(corpus, show_errors, fmt):
    """Precision, recall and F1 per fact type of the whole extraction stage on an annotated corpus:
    parks detected, resolved to the right census park, new candidates (one per park across
    documents), area, settled enterprises, fund, policies, funds; and what was found in negatives.

    \b
    Example:
      parkwatch eval facts --corpus pipeline/evaluate/corpus/facts-holdout --show-errors
    """
    from pipeline.evaluate import facts
    res = facts.run(facts.load_corpus(corpus))
    if fmt == "json":
        click.echo(formats.dumps(res))
        return
    click.echo(formats.table(res["facts"], ["fact", "tp", "fp", "fn", "precision", "recall", "f1"]))
    neg = ", ".join(f"{n} {k}" for k, n in sorted(res["negatives"].items())) or "nothing"
    click.echo(f"\n{res['documents']} documents; document class right: {res['classification']:.1%}; "
               f"attribute values exact: {res['attribute_exactness']:.1%}; found in negatives: {neg}")
    if show_errors:
        for case, what, name in res["errors"]:
            click.echo(f"[{case}] {what}: {formats.cell(name)}")
