"""Lock files beside the store: one per source, so two crawls of a source never run at once
(a scheduled one and a manual `parkwatch crawl` in another process), and one for the scheduler.

flock(2), non-blocking: a held lock is reported at once, never waited for; the kernel drops
it when its holder exits however it exits (kill -9 too), so no stale lock is ever left.
The scheduler takes a source's lock and hands the very descriptor to its crawl child
(pass_fds and INHERITED_ENV): the child's flock on an inherited descriptor succeeds, a
flock on a fresh one anywhere else fails, and the lock lasts as long as either holds it.
"""
from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass, field
from pathlib import Path

INHERITED_ENV = "PARKWATCH_CRAWL_LOCK"     # "<slug>:<fd>" given to a crawl child by the scheduler


def lock_dir(store: str | os.PathLike) -> Path:
    """<store>.locks/ beside the store (the store path with symlinks resolved)."""
    p = Path(store).resolve()
    return p.with_name(p.name + ".locks")


def source_lock_path(store, slug: str) -> Path:
    return lock_dir(store) / f"crawl-{slug}.lock"


def scheduler_lock_path(store) -> Path:
    return lock_dir(store) / "scheduler.lock"


def try_lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on `path`, or None when another holds it."""
    path.parent.mkdir(exist_ok=True)      # beside the store, whose folder exists
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())   # who holds it, for the message of the next one
    return fd


def holder(path: Path) -> str:
    """The pid written by the lock's holder ('?' when unknown)."""
    try:
        return path.read_text(encoding="ascii").strip() or "?"
    except (OSError, UnicodeDecodeError):
        return "?"


def _inherited(path: Path, slug: str) -> int | None:
    """The descriptor of `path` that the scheduler passed down for `slug`, if this process has it."""
    name, _, fd = os.environ.get(INHERITED_ENV, "").partition(":")
    if name != slug or not fd.isdigit():
        return None
    try:
        mine, there = os.fstat(int(fd)), os.stat(path)
    except OSError:
        return None
    if (mine.st_dev, mine.st_ino) != (there.st_dev, there.st_ino):
        return None
    try:
        fcntl.flock(int(fd), fcntl.LOCK_EX | fcntl.LOCK_NB)   # ours already: the same open file
    except BlockingIOError:
        return None
    return int(fd)


@dataclass
class SourceLocks:
    """The locks taken for a crawl: `held` slugs may be crawled, `busy` ones are being crawled elsewhere."""
    store: Path
    fds: dict[str, int] = field(default_factory=dict)
    busy: list[str] = field(default_factory=list)

    @property
    def held(self) -> list[str]:
        return list(self.fds)

    def release(self) -> None:
        # close, never LOCK_UN: an inherited descriptor's lock is the scheduler's too
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()


def take(store, slugs: list[str]) -> SourceLocks:
    """Lock each source for a crawl (in order); one already locked elsewhere goes to `busy`."""
    locks = SourceLocks(Path(store))
    for slug in slugs:
        path = source_lock_path(store, slug)
        fd = _inherited(path, slug)
        if fd is None:
            fd = try_lock(path)
        if fd is None:
            locks.busy.append(slug)
        else:
            locks.fds[slug] = fd
    return locks
