"""One owner per data dir: an exclusive flock on `<data_dir>/lock`, pid in `owner.pid`.

TinyDB does not support two processes on one file: two instances even with
sequential writes collide on document ids and serve stale query caches
(HOSTILE-INPUTS 48). The TUI and `tui-tracker run` therefore hold this lock for
their whole life, and writing commands take it for theirs.

The lock is a `flock` (via the `filelock` package), which the kernel drops when
the holder dies — even by kill -9 — so a dead owner's lock is simply taken over;
there is no stale-lock cleanup to get wrong. `owner.pid` only serves the error
message: who holds the lock is decided by trying the lock, never by the pid file.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from types import TracebackType

import filelock

from ..core.errors import LockedError, StoreError
from .storage import DB_TEMP_PREFIX, atomic_write_bytes

LOCK_NAME = "lock"
PID_NAME = "owner.pid"


def _file_lock(path: Path) -> filelock.BaseFileLock:
    # thread_local=False: the engine may release from another thread than the one
    # that acquired; timeout=0: never wait, report the owner instead.
    return filelock.FileLock(path, timeout=0, thread_local=False)


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

    Keep a reference for as long as you own the dir: filelock releases the flock
    when the lock object is garbage-collected.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._lock = _file_lock(self.data_dir / LOCK_NAME)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def acquire(self) -> DataDirLock:
        """Take the lock or raise LockedError(pid of the owner); creates the dir if needed."""
        if self.held:
            return self
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        except filelock.Timeout:
            raise LockedError(_read_pid(self.data_dir), str(self.data_dir)) from None
        except OSError as exc:
            raise StoreError(
                f"Could not lock the data dir {self.data_dir}: {exc.strerror or exc}."
            ) from exc
        try:
            atomic_write_bytes(self.data_dir / PID_NAME, f"{os.getpid()}\n".encode(),
                               prefix=f"{DB_TEMP_PREFIX}{PID_NAME}-")
        except StoreError:
            self._lock.release()
            raise
        return self

    def release(self) -> None:
        """Give up ownership (idempotent). The pid file goes first, so nobody reads ours later."""
        if not self.held:
            return
        if _read_pid(self.data_dir) == os.getpid():
            with contextlib.suppress(OSError):
                (self.data_dir / PID_NAME).unlink()
        self._lock.release(force=True)

    def __enter__(self) -> DataDirLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def owner_pid(data_dir: Path) -> int | None:
    """The pid of the live process owning `data_dir`, or None when nobody does.

    Decided by trying the lock (a pid file left by a killed owner means nothing).
    Creates no file: when `lock` does not exist, nobody can hold it. While this very
    process holds the lock through another `DataDirLock`, returns our own pid.
    Returns 0 when the lock is held but its owner's pid cannot be read.
    """
    path = Path(data_dir) / LOCK_NAME
    if not path.exists():
        return None
    probe = _file_lock(path)
    try:
        probe.acquire()
    except filelock.Timeout:
        # The owner writes its pid right after locking; give a fresh owner a moment.
        for _ in range(20):
            pid = _read_pid(Path(data_dir))
            if pid is not None:
                return pid
            time.sleep(0.025)
        return 0
    except OSError:
        return None  # cannot even open the lock file: we cannot tell, so claim nothing
    probe.release(force=True)
    return None
