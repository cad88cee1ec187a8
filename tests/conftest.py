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
