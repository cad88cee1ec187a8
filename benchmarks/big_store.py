"""A large generated store for the monitoring benchmarks (bench_report.py, bench_diff.py,
bench_review.py): the census, accepted parks up to N, documents each naming a park or a candidate,
facts (census, accepted, detected, rejected, some superseded), candidates, decisions, policies and
funds — written with bulk inserts (sqlite-utils) in a few seconds.

    from big_store import build;  build(path, n_parks=1000, n_facts=100_000, n_docs=50_000)
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.store import open_db, transaction  # noqa: E402
from pipeline.load.baseline import load  # noqa: E402

PROVINCES = ["北京", "上海", "广东", "浙江", "江苏", "湖南", "湖北", "四川", "重庆", "山东", "河北", "河南", "福建",
             "江西", "安徽", "海南", "广西", "贵州", "云南", "陕西", "甘肃", "辽宁", "吉林", "天津", "山西", "内蒙古",
             "新疆", "宁夏", "青海", "西藏", "黑龙江"]
FIELDS = [("area_m2", "m2", "万平方米"), ("enterprises", "count", "家"), ("fund_yuan", "CNY", "亿元"),
          ("opened_on", "date", ""), ("gov_led", "flag", "")]


def _stamp(rng, year_from=2025) -> str:
    return f"{rng.randint(year_from, 2026)}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}T08:00:00+00:00"


def _parks(rng, n: int) -> list[dict]:
    out = []
    for i in range(45, n + 1):
        name = f"{rng.choice(PROVINCES)}第{i}区块链产业园"
        out.append({"id": f"p{i:03d}", "name": name, "name_key": name, "province": name[:2], "city": "某市",
                    "founded": f"{rng.randint(2021, 2026)}-{rng.randint(1, 12):02d}-01", "founded_precision": "month",
                    "gov_led": rng.random() < 0.5, "status": "accepted", "origin": "detected", "content_hash": "x",
                    "created_at": _stamp(rng), "updated_at": _stamp(rng)})
    return out


def _documents(rng, n: int) -> list[dict]:
    return [{"id": i, "source": "bench", "url": f"https://gov.example.cn/news/{i}.html", "title": f"通知 {i}",
             "published": "2026-01-01", "first_seen": _stamp(rng), "last_seen": _stamp(rng)} for i in range(1, n + 1)]


def _candidates(parks: list[dict], rng) -> list[dict]:
    rows = [{"id": i + 1, "candidate_key": f"k{p['id']}", "name": p["name"], "province": p["province"],
             "status": "accepted", "park_id": p["id"], "reviewed_at": p["created_at"], "first_seen": _stamp(rng),
             "last_seen": _stamp(rng)} for i, p in enumerate(parks)]
    base = len(rows)
    rows += [{"id": base + i + 1, "candidate_key": f"new{i}", "name": f"{rng.choice(PROVINCES)}候选{i}链谷",
              "status": rng.choice(["new", "rejected"]), "first_seen": _stamp(rng), "last_seen": _stamp(rng)}
             for i in range(500)]
    return rows


def _fact(rng, i: int, park_ids: list[str], n_docs: int, cand_ids: list[int]) -> dict:
    field, unit, word = rng.choice(FIELDS)
    status = rng.choices(["accepted", "detected", "rejected"], [4, 5, 1])[0]
    value = {"opened_on": "2026-03-01", "gov_led": 1}.get(field, rng.randint(1, 500) * 1000)
    own = {"park_id": rng.choice(park_ids)} if status != "detected" or rng.random() < 0.7 else \
        {"candidate_id": rng.choice(cand_ids)}
    seen = _stamp(rng)
    return {"fact_key": f"doc|{i}", "field": field, "value": value, "low": value if field == "enterprises" else None,
            "unit": unit, "qualifier": "exact", "raw": f"{value}{word}", "source_kind": "document",
            "source_ref": str(i % n_docs + 1), "document_id": i % n_docs + 1, "evidence": f"据报道，{value}{word}",
            "effective_date": seen[:10], "status": status, "content_hash": "h", "first_seen": seen, "last_seen": seen,
            "superseded_at": _stamp(rng, 2026) if rng.random() < 0.05 else None, **own}


def _links(rng, n_docs: int, park_ids: list[str], cand_ids: list[int]) -> dict:
    mentions = [{"document_id": d, "entity": 0, "start": 0, "end": 8, "text": "区块链产业园", "snippet": "……区块链产业园……",
                 "extractor_version": "bench", "created_at": _stamp(rng),
                 **({"park_id": rng.choice(park_ids)} if d % 2 else {"candidate_id": rng.choice(cand_ids)})}
                for d in range(1, n_docs + 1)]
    # ids after the census's own policies and funds
    policies = [{"id": 1000 + i, "policy_key": f"pol{i}", "title": f"《促进区块链产业发展若干措施（{i}）》",
                 "source_kind": "document", "source_ref": str(i), "document_id": i, "content_hash": "p",
                 "first_seen": _stamp(rng), "last_seen": _stamp(rng)} for i in range(1, 2001)]
    funds = [{"id": 1000 + i, "fund_key": f"fund{i}", "name": f"区块链产业基金{i}", "amount": 10**9, "currency": "CNY",
              "raw": "10 亿元", "park_id": rng.choice(park_ids), "source_kind": "document", "source_ref": str(i),
              "document_id": i, "content_hash": "f", "first_seen": _stamp(rng), "last_seen": _stamp(rng)}
             for i in range(1, 1001)]
    return {"mentions": mentions, "policies": policies, "funds": funds,
            "policy_documents": [{"policy_id": 1000 + i, "document_id": i, "snippet": "印发"} for i in range(1, 2001)],
            "fund_documents": [{"fund_id": 1000 + i, "document_id": i, "snippet": "设立"} for i in range(1, 1001)]}


def build(path: Path, n_parks: int, n_facts: int, n_docs: int) -> None:
    rng = random.Random(2020)
    db = open_db(path)
    load(db)
    parks = _parks(rng, n_parks)
    cands = _candidates(parks, rng)
    park_ids = [f"p{i:03d}" for i in range(1, n_parks + 1)]
    cand_ids = [c["id"] for c in cands if c["status"] == "new"]
    n_census = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    with transaction(db):
        db["documents"].insert_all(_documents(rng, n_docs), batch_size=5000)
        db["parks"].insert_all(parks, batch_size=5000)
        db["park_aliases"].insert_all([{"park_id": p["id"], "alias": p["name"], "alias_key": p["name"],
                                        "source_kind": "review", "source_ref": "bench"} for p in parks])
        db["candidates"].insert_all(cands, batch_size=5000)
        db["decisions"].insert_all([{"kind": "candidate", "target_id": c["id"], "action": "accept",
                                     "park_id": c["park_id"], "reviewer": "bench", "before": "{}",
                                     "at": c["reviewed_at"]} for c in cands if c.get("park_id")])
        db["facts"].insert_all((_fact(rng, i, park_ids, n_docs, cand_ids) for i in range(n_facts - n_census)),
                               batch_size=5000)
        for table, rows in _links(rng, n_docs, park_ids, cand_ids).items():
            db[table].insert_all(rows, batch_size=5000)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
