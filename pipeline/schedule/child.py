"""One job's command as a child process, watched: a timeout, SIGTERM then SIGKILL, the stderr tail.

A crawl runs in its own process (Twisted's reactor cannot be restarted, and a crashing or
hanging spider must not take the scheduler with it). The child gets its own session, so a
Ctrl-C at the terminal reaches the scheduler only, which forwards SIGTERM itself and waits.
"""
from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass

POLL_SECONDS = 0.2
TAIL_CHARS = 4000


@dataclass
class Outcome:
    exit_code: int           # negative: killed by that signal
    pid: int
    seconds: float
    timed_out: bool = False
    stopped: bool = False    # SIGTERM forwarded because the scheduler is stopping
    killed: bool = False     # SIGKILL after the grace period
    stderr_tail: str = ""


class Stop:
    """The scheduler's stop request, seen by every running job: `stopping` forwards SIGTERM to
    the children, `hurry` (a second Ctrl-C) kills them without waiting out the grace period."""

    def __init__(self):
        self.stopping = threading.Event()
        self.hurry = threading.Event()


def _signal(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)      # the child's session: its own children too
    except (ProcessLookupError, PermissionError):
        pass


def _tail(fh) -> str:
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    fh.seek(max(0, size - TAIL_CHARS * 2))
    return fh.read().decode("utf-8", "replace")[-TAIL_CHARS:]


def _watch(proc: subprocess.Popen, out: Outcome, *, timeout: float, grace: float, stop: Stop) -> int:
    """Wait for the child; past the timeout or on a stop, SIGTERM, then SIGKILL after `grace`."""
    deadline = time.monotonic() + timeout
    termed_at = None
    while True:
        try:
            return proc.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if termed_at is None and (now >= deadline or stop.stopping.is_set()):
            out.timed_out, out.stopped = now >= deadline, not now >= deadline
            _signal(proc, signal.SIGTERM)
            termed_at = now
        elif termed_at is not None and not out.killed and (now - termed_at >= grace or stop.hurry.is_set()):
            _signal(proc, signal.SIGKILL)
            out.killed = True


def run_child(argv, *, timeout: float, grace: float, stop: Stop, env: dict | None = None, pass_fds=(),
              on_start=None) -> Outcome:
    """Run `argv` to its end (or its timeout); stdout is dropped, stderr's tail is kept."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                env=env, pass_fds=tuple(pass_fds), start_new_session=True)
        if on_start:
            on_start(proc.pid)
        out = Outcome(exit_code=0, pid=proc.pid, seconds=0.0)
        out.exit_code = _watch(proc, out, timeout=timeout, grace=grace, stop=stop)
        out.seconds = round(time.monotonic() - started, 1)
        out.stderr_tail = _tail(err)
    return out
