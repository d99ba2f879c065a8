"""One owner per data dir: an exclusive flock on the data dir itself, pid in `owner.pid`.

TinyDB does not support two processes on one file: two instances even with
sequential writes collide on document ids and serve stale query caches
(HOSTILE-INPUTS 48). The TUI and `tui-tracker run` therefore hold this lock for
their whole life, and writing commands take it for theirs.

The lock is a `flock` on an open descriptor of the data directory. Not on a file in
it: a lock file can be deleted by hand while its owner runs, and the next process
then locks a fresh file and becomes a second owner (issue 10.6, HOSTILE-INPUTS 58).
The directory cannot be removed while it holds the data, and the kernel drops the
flock when the holder dies — even by kill -9 — so a dead owner's lock is simply
taken over; there is no stale-lock cleanup to get wrong. The descriptor is opened
close-on-exec, so a browser the owner started does not keep the lock after it.
`owner.pid` only serves the error message: who holds the lock is decided by trying
the lock, never by the pid file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from ..core.errors import LockedError, StoreError
from .storage import DB_TEMP_PREFIX, atomic_write_bytes

PID_NAME = "owner.pid"
LOCK_NAME = "lock"
"""The lock file of earlier versions; nothing locks it now (kept for callers naming it)."""


def _open_dir(data_dir: Path) -> int:
    return os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def _try_flock(fd: int) -> bool:
    """Take the exclusive lock without waiting; False when another descriptor holds it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _read_pid(data_dir: Path) -> int | None:
    try:
        text = (data_dir / PID_NAME).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


class DataDirLock:
    """Exclusive, non-blocking ownership of a data dir.

    Usage::

        with DataDirLock(data_dir):      # raises LockedError naming the owner's pid
            store = Store.open(data_dir)

    Keep the object for as long as you own the dir: its descriptor holds the flock.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> DataDirLock:
        """Take the lock or raise LockedError(pid of the owner); creates the dir if needed."""
        if self.held:
            return self
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = _open_dir(self.data_dir)
        except OSError as exc:
            raise StoreError(
                f"Could not lock the data dir {self.data_dir}: {exc.strerror or exc}."
            ) from exc
        if not _try_flock(fd):
            os.close(fd)
            raise LockedError(_owner_from_file(self.data_dir), str(self.data_dir))
        self._fd = fd
        try:
            atomic_write_bytes(self.data_dir / PID_NAME, f"{os.getpid()}\n".encode(),
                               prefix=f"{DB_TEMP_PREFIX}{PID_NAME}-")
        except StoreError:
            self._close()
            raise
        return self

    def _close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor drops the flock

    def release(self) -> None:
        """Give up ownership (idempotent). The pid file goes first, so nobody reads ours later."""
        if not self.held:
            return
        if _read_pid(self.data_dir) == os.getpid():
            with contextlib.suppress(OSError):
                (self.data_dir / PID_NAME).unlink()
        self._close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self._close()

    def __enter__(self) -> DataDirLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _owner_from_file(data_dir: Path) -> int | None:
    """The owner's pid from `owner.pid`; a fresh owner writes it right after locking."""
    for _ in range(20):
        pid = _read_pid(data_dir)
        if pid is not None:
            return pid
        time.sleep(0.025)
    return None


def owner_pid(data_dir: Path) -> int | None:
    """The pid of the live process owning `data_dir`, or None when nobody does.

    Decided by trying the lock (a pid file left by a killed owner means nothing).
    Creates no file. While this very process holds the lock through another
    `DataDirLock`, returns our own pid. Returns 0 when the lock is held but its
    owner's pid cannot be read (its pid file was deleted).
    """
    try:
        fd = _open_dir(Path(data_dir))
    except OSError:
        return None  # no such dir (nobody owns it), or we cannot tell: claim nothing
    try:
        if _try_flock(fd):
            return None
        return _owner_from_file(Path(data_dir)) or 0
    finally:
        os.close(fd)  # also drops our probe's lock, if we got it
