"""What the edition's page shows, in order: the summary, then one table per section with its columns.
The templates (templates/edition.md, edition.html) only lay this out; a column's kind says how a
cell is shown: text, list (values joined), urls (links when http/https)."""
from __future__ import annotations

FIGURE_COLUMNS = [("park", "park"), ("province", "province"), ("census", "2020"), ("current", "now"),
                  ("value", "value"), ("qualifier", "qualifier"), ("effective", "as of"), ("change", "change"),
                  ("sources", "source", "urls"), ("evidence", "evidence")]


def _cols(*specs) -> list[dict]:
    return [{"key": s[0], "label": s[1], "kind": s[2] if len(s) > 2 else "text"} for s in specs]


def _counts(rep: dict, key: str, label: str) -> list[dict]:
    cols = [(key, label), ("parks_2020", "2020"), ("parks", "now"), ("change", "±"), ("gov_led", "gov-led now")]
    if rep["include_candidates"]:
        cols.append(("unreviewed", "unreviewed candidates (not counted)"))
    return _cols(*cols)


def _tables(rep: dict) -> list[tuple]:
    grid = rep["gov_led_grid"]
    return [
        ("by-province", "Parks by province (table 1-2)", None, _counts(rep, "province", "province"),
         rep["by_province"]),
        ("by-year", "Parks by founding year (table 1-3)", None, _counts(rep, "year", "year"), rep["by_year"]),
        ("gov-led-grid", "Government-led parks by founding year and month (table 2-1)", None,
         _cols(("month", "month"), *((y, y, "list") for y in grid["years"])), grid["rows"]),
        ("areas", "Areas (table 2-2), m²", None, _cols(*FIGURE_COLUMNS), rep["areas"]),
        ("enterprises", "Settled enterprises (table 2-3)", None, _cols(*FIGURE_COLUMNS), rep["enterprises"]),
        ("fund-table", "Funds of parks (table 2-5), yuan", None,
         _cols(*FIGURE_COLUMNS[:5], ("tranche", "first tranche"), *FIGURE_COLUMNS[5:]), rep["fund_table"]),
        ("new-parks", "New since 2020: accepted parks", "Parks an analyst accepted from the documents, with the "
         "documents that report them.",
         _cols(("id", "id"), ("park", "park"), ("aliases", "also called", "list"), ("province", "province"),
               ("city", "city"), ("founded", "founded (or first dated event)"), ("opened", "opened"), ("gov_led", "gov-led"),
               ("area", "area"), ("enterprises", "enterprises"), ("fund", "fund"), ("accepted", "accepted on"),
               ("sources", "sources", "urls"), ("evidence", "evidence", "list")), rep["new_parks"]),
        ("policies", "New policies found in documents", "Policies have no review step: listed as found.",
         _cols(("title", "title"), ("doc_number", "文号"), ("issuer", "issuer"), ("level", "level"),
               ("region", "region"), ("status", "status"), ("published", "published"), ("sources", "sources", "urls"),
               ("evidence", "evidence", "list")), rep["policies"]),
        ("funds", "New funds found in documents", "Funds have no review step: listed as found.",
         _cols(("name", "fund"), ("amount", "size"), ("currency", "currency"), ("tranche", "first tranche"),
               ("sponsors", "sponsors", "list"), ("region", "region"), ("park", "park"),
               ("sources", "sources", "urls"), ("evidence", "evidence", "list")), rep["funds"]),
        ("claims", "Claims check: the 2020 report's statements on the new data", "“held in 2020”: against the "
         "census's own tables; “holds now”: against the reviewed data of this edition.",
         _cols(("claim", "claim"), ("report", "2020 report says", "list"), ("data_2020", "2020 data", "list"),
               ("data", "data now", "list"), ("agreed_2020", "held in 2020"), ("holds", "holds now")), rep["claims"]),
    ]


def _unreviewed(rep: dict) -> list[tuple]:
    if not rep["include_candidates"]:
        return []
    return [
        ("candidates", "UNREVIEWED candidates (not part of any count above)", "New parks found in documents that "
         "no analyst has reviewed yet: they may be wrong, duplicates or not parks at all.",
         _cols(("id", "id"), ("name", "name"), ("status", "status"), ("province", "province"), ("city", "city"),
               ("year", "year"), ("first_seen", "first seen"), ("sources", "sources", "urls"),
               ("evidence", "evidence", "list")), rep["candidates"]),
        ("unreviewed-figures", "UNREVIEWED figures (detected in documents, not used above)", None,
         _cols(("park", "park or candidate"), ("field", "field"), ("raw", "as written"), ("value", "value"),
               ("effective", "as of"), ("status", "status"), ("sources", "source", "urls"), ("evidence", "evidence")),
         rep["unreviewed_facts"]),
    ]


def sections(rep: dict) -> list[dict]:
    return [{"id": i, "title": t, "note": n, "columns": c, "rows": r}
            for i, t, n, c, r in _tables(rep) + _unreviewed(rep)]


def summary(rep: dict) -> list[str]:
    """The opening paragraph's sentences (plain text: the templates escape them)."""
    t = rep["totals"]
    when = f"as known on {rep['as_of']}" if rep["as_of"] else f"as known now (last change {rep['data_as_of']})"
    lines = [f"Census of blockchain industrial parks, {when}.",
             f"{t['parks']} parks ({t['parks_2020']} in the 2020 census, {t['new_parks']} accepted since), "
             f"{t['gov_led']} government-led (2020: {t['gov_led_2020']}), in {t['provinces']} provinces "
             f"(2020: {t['provinces_2020']}).",
             f"{t['updated_figures']} census figure(s) replaced by reviewed figures from documents; "
             f"{t['policies']} policies and {t['funds']} funds found in documents."]
    if rep["include_candidates"]:
        lines.append(f"Includes {t['candidates']} UNREVIEWED candidate(s) and {t['unreviewed_facts']} UNREVIEWED "
                     "figure(s), marked as such and kept out of every count (hatched in the charts).")
    else:
        lines.append("Reviewed data only: the 2020 census and what an analyst accepted.")
    return lines
