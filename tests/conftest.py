import shutil

import pytest

from db.store import open_db


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "parkwatch.db"


@pytest.fixture(scope="session")
def _census_file(tmp_path_factory):
    from pipeline.baseline import load
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
import json
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def mirror():
    """Every saved site of crawler/mirror/ served on 127.0.0.1 (free ports) for the session."""
    from crawler.mirror import server
    m = server.serve()
    yield m
    m.stop()


def write_sources(path: Path, mirror, slugs=None, **overrides) -> Path:
    """The demo registry with the mirror's addresses, optionally narrowed and tweaked per slug."""
    from crawler import sources
    text = sources.substitute(sources.DEMO_FILE.read_text(encoding="utf-8"), mirror.placeholders())
    data = yaml.safe_load(text)
    keep = set(slugs or mirror.servers)
    data["sources"] = [s for s in data["sources"] if s["slug"] in keep]
    for s in data["sources"]:
        s.update(overrides.get(s["slug"], {}))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def parkwatch(*args, timeout=180, check=True):
    """Run the CLI in a fresh interpreter; returns CompletedProcess."""
    env = {**__import__("os").environ, "PYTHONPATH": str(REPO)}
    env.pop("PARKWATCH_DB", None)
    env["PARKWATCH_BACKOFF_BASE"] = "0.05"   # retries without the real backoff wait
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO, env=env)
    if check and proc.returncode not in (0,):
        raise AssertionError(f"parkwatch {' '.join(map(str, args))} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


def crawl(db_path, sources_file, *slugs, extra=(), check=True) -> dict:
    proc = parkwatch("--db", db_path, "crawl", *slugs, "--sources", sources_file, "--format", "json", *extra,
                     check=check)
    out = json.loads(proc.stdout)
    out["by_source"] = {s["source"]: s for s in out["sources"]}
    return out


@pytest.fixture
def crawl_env(tmp_path, mirror):
    """(db path, sources file) for crawling the mirror; fast retries."""
    src = write_sources(tmp_path / "sources.yaml", mirror)
    return tmp_path / "crawl.db", src
