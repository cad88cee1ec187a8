"""Fixture sites for the scheduler: a healthy TRS list served by the mirror, a server that accepts
and never answers (a hanging crawl), a closed port (a crawl that fails), the scheduler in a process."""
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from crawler.mirror import server
from tests.conftest import REPO, cli_env
from tests.crawler.sites import trs_list_site

QUICK = f"{sys.executable} -c pass"          # the cycle job's command in tests


def articles(n: int, start: int = 1) -> list[tuple[str, str]]:
    return [(str(i), f"区块链产业园第{i}号通知") for i in range(start, start + n)]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Two small TRS sites (hosts edge… and slow…) behind one mirror."""
    root = tmp_path_factory.mktemp("sites")
    trs_list_site(root, [articles(4)], slug="edge", host="edge.example.gov.cn")
    trs_list_site(root, [articles(10), articles(10, 11), articles(10, 21)], slug="slow", host="slow.example.gov.cn")
    m = server.serve(root=root)
    yield m
    m.stop()


class Hanging:
    """Accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.conns = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self):
        self.sock.close()
        for c in self.conns:
            c.close()


@pytest.fixture
def hanging():
    h = Hanging()
    yield h
    h.close()


def closed_port() -> int:
    s = socket.create_server(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def source(slug: str, url: str, *, delay: float = 0, timeout: float = 5, **extra) -> dict:
    return {"slug": slug, "kind": "listing", "start_urls": [url],
            "politeness": {"download_delay": delay, "concurrency": 1 if delay else 2, "timeout": timeout}, **extra}


def local(slug: str, port: int, **kw) -> dict:
    return source(slug, f"http://127.0.0.1:{port}/xxgk/index.html", allow_private=True, **kw)


def write_registry(path, entries) -> str:
    import yaml
    path.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    return str(path)


def start_scheduler(db, sources_file, *args, mirror=None, every: float | None = None,
                    cycle_command: str = QUICK) -> subprocess.Popen:
    env = cli_env(mirror)
    if every:
        env["PARKWATCH_SCHEDULE_EVERY"] = str(every)
    return subprocess.Popen([sys.executable, "-m", "pipeline.app", "--db", str(db), "schedule", "--sources",
                             str(sources_file), "--cycle-command", cycle_command, *map(str, args)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def stop(proc: subprocess.Popen, timeout: float = 30) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def history(db, job_id: str | None = None) -> list[dict]:
    """job_runs rows, oldest first ([] before there are any). A plain sqlite3 connection: open_db
    in this process would drop the POSIX locks of a Recorder running here (see recorder.py)."""
    if not db.exists():
        return []
    con = sqlite3.connect(db, timeout=30)
    con.row_factory = sqlite3.Row
    try:
        sql, args = ("SELECT * FROM job_runs WHERE job_id = ? ORDER BY id", [job_id]) if job_id else (
            "SELECT * FROM job_runs ORDER BY id", [])
        return [dict(r) for r in con.execute(sql, args)]
    except sqlite3.OperationalError:        # the store is there, its tables not yet
        return []
    finally:
        con.close()


def documents(db, slug: str | None = None) -> int:
    if not db.exists():
        return 0
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute("SELECT count(*) FROM documents WHERE ? IS NULL OR source = ?", [slug, slug]).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def wait_for(predicate, timeout: float, proc: subprocess.Popen | None = None, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the scheduler exited ({proc.returncode}) waiting for {what}:\n"
                                 f"{proc.stderr.read()[-3000:]}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def list_jobs(db, sources_file, *args) -> dict[str, dict]:
    proc = subprocess.run([sys.executable, "-m", "pipeline.app", "--db", str(db), "schedule", "--sources",
                           str(sources_file), "--cycle-command", QUICK, "--list", "--format", "json", *args],
                          cwd=REPO, env=cli_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return {r["id"]: r for r in json.loads(proc.stdout)}
