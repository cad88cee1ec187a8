"""Shared fixtures: stores, the offline mirror (an HTTP proxy on 127.0.0.1), the CLI in a subprocess."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from db.store import open_db

REPO = Path(__file__).resolve().parents[1]
_ACTIVE: dict = {}      # the session's mirror, once started: its proxy environment is used by parkwatch()


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "parkwatch.db"


@pytest.fixture(scope="session")
def _census_file(tmp_path_factory):
    from pipeline.load.baseline import load
    path = tmp_path_factory.mktemp("census") / "census.db"
    db = open_db(path)
    load(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def census_db(_census_file, tmp_path):
    """A store with the census loaded (a fresh copy per test)."""
    path = tmp_path / "census.db"
    shutil.copy(_census_file, path)
    db = open_db(path)
    yield db
    db.close()


# -- crawling: the offline mirror and crawls in a subprocess (Twisted runs once per process) --
@pytest.fixture(scope="session")
def mirror():
    """Every saved site of crawler/mirror/ behind one proxy on 127.0.0.1 (a free port) for the session."""
    from crawler.mirror import server
    m = server.serve()
    _ACTIVE["mirror"] = m
    yield m
    _ACTIVE.pop("mirror", None)
    m.stop()


def write_sources(path: Path, slugs=None, registry: Path | None = None, **overrides) -> Path:
    """A registry (default: the demo one), optionally narrowed and tweaked per slug."""
    from crawler import sources
    data = yaml.safe_load((registry or sources.DEMO_FILE).read_text(encoding="utf-8"))
    if slugs:
        data["sources"] = [s for s in data["sources"] if s["slug"] in set(slugs)]
    for s in data["sources"]:
        s.update(overrides.get(s["slug"], {}))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def cli_env(mirror=None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PARKWATCH_DB", None)
    env["PARKWATCH_BACKOFF_BASE"] = "0.05"   # retries without the real backoff wait
    m = mirror or _ACTIVE.get("mirror")
    if m is not None:
        env.update(m.env())
    return env


def parkwatch(*args, timeout=180, check=True, mirror=None, input=None):
    """Run the CLI in a fresh interpreter (through the mirror's proxy when one runs)."""
    proc = subprocess.run([sys.executable, "-m", "pipeline.app", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO, env=cli_env(mirror), input=input)
    if check and proc.returncode != 0:
        raise AssertionError(f"parkwatch {' '.join(map(str, args))} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def crawl(db_path, sources_file, *slugs, extra=(), check=True, mirror=None) -> dict:
    proc = parkwatch("--db", db_path, "crawl", *slugs, "--sources", sources_file, "--format", "json", *extra,
                     check=check, mirror=mirror)
    out = json.loads(proc.stdout)
    out["by_source"] = {s["source"]: s for s in out["sources"]}
    out["returncode"] = proc.returncode
    return out


@pytest.fixture
def crawl_env(tmp_path, mirror):
    """(db path, sources file) for crawling the mirror; fast retries."""
    return tmp_path / "crawl.db", write_sources(tmp_path / "sources.yaml")
