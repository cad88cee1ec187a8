"""A diff run: the changes known now that no earlier run recorded, stored under this run, so
`parkwatch diff --run ID` answers "what did this run find" and later runs do not report them again."""
from __future__ import annotations

from db import changes as store
from db import runs
from db.vocab import RunKind, RunStatus

from .compute import diff


def record_run(db) -> tuple[int, list[dict]]:
    """(run id, the changes first recorded by it)."""
    run_id = runs.start_run(db, RunKind.DIFF)
    try:
        fresh = store.record(db, [r for r in diff(db) if r["run_id"] is None], run_id)
    except BaseException as err:
        runs.finish_run(db, run_id, RunStatus.FAILED, error=str(err)[:500])
        raise
    runs.finish_run(db, run_id, RunStatus.OK)
    return run_id, fresh


def of_run(db, run_id: int) -> list[dict]:
    return store.of_run(db, run_id)
