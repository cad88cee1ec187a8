"""scrapy-redis mode: move crawled items from Redis into the store (the single writer)."""
from __future__ import annotations

import json
from collections import Counter

from db import runs
from db.documents import mark_seen
from db.vocab import RunKind, RunStatus

from . import documents


def drain(db, redis_url: str, slugs: list[str], *, block: float = 0) -> dict[str, dict]:
    """Store every queued item of the given sources; with `block`, wait that many seconds
    for more after the lists run empty."""
    import redis
    r = redis.Redis.from_url(redis_url, decode_responses=True)
    run_id = runs.start_run(db, RunKind.INGEST, slugs)
    out: dict[str, Counter] = {s: Counter() for s in slugs}
    keys = {f"{s}:items": s for s in slugs}
    while True:
        got = None
        for key, slug in keys.items():
            raw = r.lpop(key)
            if raw is not None:
                got = (slug, raw)
                break
        if got is None and block:
            popped = r.blpop(list(keys), timeout=block)
            got = (keys[popped[0]], popped[1]) if popped else None
        if got is None:
            break
        slug, raw = got
        try:
            item = json.loads(raw)
        except ValueError:
            out[slug]["malformed"] += 1
            continue
        if "body" not in item:          # a NotModified answer
            mark_seen(db, item["source"], item["url"], etag=item.get("etag"),
                                last_modified=item.get("last_modified"), run_id=run_id)
            out[slug]["unchanged"] += 1
            continue
        out[slug][documents.ingest(db, item, run_id=run_id)] += 1
    for slug, c in out.items():
        runs.add_source_stats(db, run_id, slug, dict(c))
    runs.finish_run(db, run_id, RunStatus.OK)
    return {s: dict(c) for s, c in out.items()}
