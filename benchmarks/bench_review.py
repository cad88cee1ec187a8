"""The review page's server time on a large store.

    python benchmarks/bench_review.py [--candidates 2000] [--facts 100000] [--queued-facts 10000]

Builds a store with bulk inserts (sqlite-utils): the census, --candidates new candidates each named
in 3 documents (a mention with its snippet in each), and --facts facts: --queued-facts new values of
known parks waiting for review, the rest figures of the candidates (detected) and of the parks
(accepted, some superseded). Then, with Flask's test client in this process, the median of 20
requests of the queue page (its first page and its last), of the decisions page, and the parts of
the queue page: pipeline.review.items.queue() and card() alone. Target: queue page ≤ 200 ms.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.store import open_db  # noqa: E402
from pipeline.load.baseline import load  # noqa: E402
from pipeline.review import decisions, web  # noqa: E402
from pipeline.review.items import card, queue  # noqa: E402

PROVINCES = ["北京", "上海", "广东", "浙江", "江苏", "湖南", "湖北", "四川", "重庆", "山东", "河北", "河南", "福建",
             "江西", "安徽", "海南", "广西", "贵州", "云南", "陕西"]
FIGURES = [("area_m2", "m2", "万平方米"), ("enterprises", "count", "家"), ("fund_yuan", "CNY", "亿元")]
STAMP = "2026-11-01T08:00:00+00:00"
DOCS_PER_CANDIDATE = 3


def _candidates(rng, n: int) -> tuple[list[dict], list[dict], list[dict]]:
    """n candidates, each named in its own 3 documents: (documents, candidates, mentions)."""
    docs, cands, mentions = [], [], []
    for i in range(1, n + 1):
        prov = rng.choice(PROVINCES)
        name = f"{prov}第{i}链谷区块链产业园"
        cands.append({"id": i, "candidate_key": f"{prov}|某市|{i}", "name": name, "province": prov, "city": "某市",
                      "type": "park", "status": "new", "score": round(rng.random() * 0.8, 2),
                      "features": json.dumps({"method": "new", "name": 0.4, "province": True}), "first_seen": STAMP,
                      "last_seen": STAMP, "extractor_version": "bench"})
        for j in range(DOCS_PER_CANDIDATE):
            d = (i - 1) * DOCS_PER_CANDIDATE + j + 1
            title = f"{name}{'开园' if j == 0 else '新入驻企业'}"
            docs.append({"id": d, "source": "bench", "url": f"https://gov.example.cn/news/{d}.html", "title": title,
                         "body": f"{title}。据介绍，{name}规划面积{rng.randint(1, 9)}平方公里。",
                         "published": "2026-10-01", "first_seen": STAMP, "last_seen": STAMP})
            mentions.append({"document_id": d, "entity": 0, "start": 0, "end": len(name), "text": name,
                             "candidate_id": i, "province": prov, "event": "开园" if j == 0 else None,
                             "method": "new", "score": 0.4, "snippet": title, "extractor_version": "bench",
                             "created_at": STAMP})
    return docs, cands, mentions


def _facts(rng, n: int, queued: int, n_cands: int, park_ids: list[str], n_docs: int):
    for i in range(n):
        field, unit, word = rng.choice(FIGURES)
        value = rng.randint(1, 500) * 1000
        if i < queued:
            own, status = {"park_id": rng.choice(park_ids)}, "detected"
        elif rng.random() < 0.65:
            own, status = {"candidate_id": rng.randint(1, n_cands)}, "detected"
        else:
            own, status = {"park_id": rng.choice(park_ids)}, "accepted"
        doc = rng.randint(1, n_docs)
        yield {"fact_key": f"doc:{doc}|{i}|{field}", "field": field, "value": value, "low": value, "high": value,
               "unit": unit, "qualifier": "exact", "raw": f"{value}{word}", "source_kind": "document",
               "source_ref": str(doc), "document_id": doc, "evidence": f"据报道，入驻{value}{word}。",
               "effective_date": "2026-10-01", "status": status, "content_hash": "h", "first_seen": STAMP,
               "last_seen": STAMP, "superseded_at": STAMP if status == "accepted" and rng.random() < 0.1 else None,
               **own}


def build(path: Path, n_cands: int, n_facts: int, queued: int) -> None:
    rng = random.Random(7)
    db = open_db(path)
    load(db)
    park_ids = [r["id"] for r in db["parks"].rows]
    docs, cands, mentions = _candidates(rng, n_cands)
    db["documents"].insert_all(docs, batch_size=2000)
    db["candidates"].insert_all(cands, batch_size=2000)
    db["mentions"].insert_all(mentions, batch_size=2000)
    db["facts"].insert_all(_facts(rng, n_facts, queued, n_cands, park_ids, len(docs)), batch_size=2000)
    for i in range(1, 40):                                   # a few decisions for the decisions page
        decisions.reject(db, f"c{n_cands - i}", reviewer="bench", reason="bench")
    db.close()


def median_ms(fn, n: int = 20, warm: int = 2) -> float:
    for _ in range(warm):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def _get(client, url: str):
    def run():
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--candidates", type=int, default=2000)
    ap.add_argument("--facts", type=int, default=100_000)
    ap.add_argument("--queued-facts", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build(path, args.candidates, args.facts, args.queued_facts)
        db = open_db(path, create=False)
        items = queue(db)
        print(f"store: {args.candidates} candidates ({args.candidates * DOCS_PER_CANDIDATE} documents and mentions), "
              f"{args.facts} facts ({args.queued_facts} queued); queue of {len(items)} items; built in "
              f"{time.perf_counter() - t:.1f} s")
        client = web.create_app(path, reviewer="bench").test_client()
        last = (len(items) - 1) // web.PAGE_SIZE
        figures = {"queue page (first page of 50)": median_ms(_get(client, "/")),
                   f"queue page (page {last + 1})": median_ms(_get(client, f"/?page={last}")),
                   "decisions page": median_ms(_get(client, "/decisions")),
                   "  of which items.queue()": median_ms(lambda: queue(db)),
                   "  of which items.card() of the first card": median_ms(lambda: card(db, items[0]["id"]))}
        db.close()
    for label, ms in figures.items():
        print(f"{label:<45} median {ms:8.1f} ms over 20 requests" + (" (target ≤ 200 ms)" if "page" in label else ""))


if __name__ == "__main__":
    main()
