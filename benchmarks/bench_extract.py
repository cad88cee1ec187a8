"""Extraction speed and the dateparser choice, measured in one run.

    python benchmarks/bench_extract.py

Prints: expressions/s and 5 KB-articles/s for find_quantities; the same date
expressions through dateparser alone (speed and exact-match accuracy against the
gold set); and gold-set accuracy with explicit dates read by dateparser vs by the
regex fields alone.
"""
from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.evaluate import extraction as evaluate  # noqa: E402
from pipeline.extract.quantities import find_quantities  # noqa: E402


def rate(fn, items, repeat=3) -> float:
    best = []
    for _ in range(repeat):
        t = time.perf_counter()
        for it in items:
            fn(it)
        best.append(len(items) / (time.perf_counter() - t))
    return max(best)


def main() -> None:
    cases = evaluate.load_gold()
    texts = [(c["text"], c.get("published")) for c in cases]
    # warm the caches (rule tables, regexes) once
    for t, p in texts:
        find_quantities(t, published=p)
    print(f"gold cases: {len(cases)}")
    r_expr = rate(lambda tp: find_quantities(tp[0], published=tp[1]), texts)
    print(f"find_quantities, one case text each:   {r_expr:10.0f} expressions/s")

    filler = "会议指出，要坚持以习近平新时代中国特色社会主义思想为指导，推动数字经济和实体经济深度融合。"
    body, articles = "", []
    for t, _ in texts:
        body += t + filler
        if len(body.encode("utf-8")) >= 5 * 1024:
            articles.append(body)
            body = ""
    sizes = [len(a.encode("utf-8")) for a in articles]
    r_art = rate(lambda a: find_quantities(a, published="2025-06-30"), articles)
    print(f"find_quantities, {len(articles)} articles of {statistics.mean(sizes)/1024:.1f} KB: {r_art:8.1f} articles/s")

    # the same date expressions through dateparser alone
    from dateparser.date import DateDataParser
    ddp = DateDataParser(languages=["zh"], settings={"PREFER_DAY_OF_MONTH": "first"})
    exprs = []
    for c in cases:
        if c["kind"] == "date":
            for e in c["expected"] or []:
                if e["qualifier"] in ("exact", "approx") and e["value"]:
                    exprs.append((str(e["text"]), e["value"], c.get("published")))

    def dp(item):
        text, _, pub = item
        base = dt.datetime.fromisoformat(pub) if pub else None
        return ddp.get_date_data(text) if base is None else DateDataParser(
            languages=["zh"], settings={"PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": base}).get_date_data(text)

    def ours(item):
        text, _, pub = item
        return find_quantities(text, published=pub, kinds=("date",))

    right_dp = sum(1 for it in exprs if (d := dp(it)) and d.date_obj and d.date_obj.date().isoformat() == it[1])
    right_us = sum(1 for it in exprs if (q := ours(it)) and q[0].value == it[1])
    print(f"date point expressions from the gold set: {len(exprs)}")
    print(f"  dateparser alone:  {rate(dp, exprs, 1):8.0f} expr/s, exact {right_dp}/{len(exprs)} ({right_dp/len(exprs):.1%})")
    print(f"  parkwatch dates:   {rate(ours, exprs, 1):8.0f} expr/s, exact {right_us}/{len(exprs)} ({right_us/len(exprs):.1%})")

    for use_dp in (True, False):
        res = evaluate.run(cases, dateparser=use_dp)
        d = next(k for k in res["kinds"] if k["kind"] == "date")
        for t, p in texts:
            find_quantities(t, published=p, dateparser=use_dp)
        r = rate(lambda tp, dp=use_dp: find_quantities(tp[0], published=tp[1], kinds=("date",), dateparser=dp), texts, 2)
        name = "dateparser" if use_dp else "regex"
        print(f"explicit dates read by {name:<10}: date accuracy {d['accuracy']:.2%}, wrong {d['wrong']}, {r:8.0f} texts/s")


if __name__ == "__main__":
    main()
