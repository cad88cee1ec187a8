"""The scheduler's one connection to the store, owned by one thread for the scheduler's lifetime;
the job threads hand it their writes.

One connection, opened once: open_db reads the file's header with open()/close(), and a
close() drops every POSIX lock the process holds on the file, its SQLite connections' too
(sqlite.org/howtocorrupt.html §2.2) — with one connection per job thread, a job starting
would drop the others' locks. Kept open, its shared lock also stops another process's last
close from checkpointing and deleting the WAL while crawls are writing to it.
"""
from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from db.store import open_db


class Recorder:
    def __init__(self, store: str):
        self._queue: queue.Queue = queue.Queue()
        self._opened: Future = Future()
        self._thread = threading.Thread(target=self._serve, args=(store,), name="store", daemon=True)
        self._thread.start()
        self._opened.result()           # a store that cannot be used fails here, in the caller

    def _serve(self, store: str) -> None:
        try:
            db = open_db(store)
        except BaseException as e:      # handed to the caller of __init__
            self._opened.set_exception(e)
            return
        self._opened.set_result(None)
        try:
            while (item := self._queue.get()) is not None:
                write, args, kwargs, done = item
                try:
                    done.set_result(write(db, *args, **kwargs))
                except BaseException as e:
                    done.set_exception(e)
        finally:
            db.close()

    def call(self, write, *args, **kwargs):
        """`write(db, *args, **kwargs)` on the store thread; its result or its exception."""
        done: Future = Future()
        self._queue.put((write, args, kwargs, done))
        return done.result()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
