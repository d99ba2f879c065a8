"""DataDirLock across real processes: refusal naming the pid, kill -9 takeover, read-only use."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_tracker.core.errors import LockedError, StoreError
from tui_tracker.core.model import Monitor
from tui_tracker.store.lock import DataDirLock, owner_pid
from tui_tracker.store.repository import Store

ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys, time
from pathlib import Path
from tui_tracker.store.lock import DataDirLock
from tui_tracker.store.repository import Store
lock = DataDirLock(Path(sys.argv[1])).acquire()
store = Store.open(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.read()          # hold until the parent closes stdin (or kills us)
store.close()
lock.release()
print("released", flush=True)
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen]:
    """A separate process owning tmp_path."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def test_second_process_gets_locked_error_naming_the_pid(tmp_path: Path, holder) -> None:
    lock = DataDirLock(tmp_path)
    with pytest.raises(LockedError) as info:
        lock.acquire()
    assert info.value.pid == holder.pid
    assert f"process {holder.pid}" in str(info.value)
    assert str(tmp_path) in str(info.value)
    assert not lock.held
    assert owner_pid(tmp_path) == holder.pid


def test_clean_release_frees_the_lock(tmp_path: Path, holder) -> None:
    holder.stdin.close()
    assert holder.stdout.readline().strip() == "released"
    holder.wait(timeout=30)
    assert owner_pid(tmp_path) is None
    assert not (tmp_path / "owner.pid").exists()
    with DataDirLock(tmp_path) as lock:
        assert lock.held


def test_lock_of_a_killed_process_is_taken_over(tmp_path: Path, holder) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    # The dead owner's pid file is still there, and must not be believed.
    assert (tmp_path / "owner.pid").read_text(encoding="utf-8").strip() == str(holder.pid)
    assert owner_pid(tmp_path) is None
    with DataDirLock(tmp_path):
        assert owner_pid(tmp_path) == os.getpid()
        assert (tmp_path / "owner.pid").read_text(encoding="utf-8").strip() == str(os.getpid())
    assert owner_pid(tmp_path) is None


def test_readonly_open_works_while_locked_and_writes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add(Monitor(id="abcde", url="http://127.0.0.1/", name="watched"))
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout.readline().strip() == "locked"
        (tmp_path / ".db-stale.tmp").write_text("x", encoding="utf-8")
        before = {p: (p.read_bytes(), p.stat().st_mtime_ns)
                  for p in tmp_path.rglob("*") if p.is_file()}
        with Store.open(tmp_path, readonly=True) as ro:
            assert [m.name for m in ro.list_monitors()] == ["watched"]
            with pytest.raises(StoreError):
                ro.save(ro.get("abcde"))
        assert owner_pid(tmp_path) == proc.pid
        after = {p: (p.read_bytes(), p.stat().st_mtime_ns)
                 for p in tmp_path.rglob("*") if p.is_file()}
        assert after == before
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_owner_pid_without_lock_file_creates_nothing(tmp_path: Path) -> None:
    assert owner_pid(tmp_path) is None
    assert owner_pid(tmp_path / "missing") is None
    assert list(tmp_path.iterdir()) == []


def test_same_process_second_lock_object_is_refused(tmp_path: Path) -> None:
    with DataDirLock(tmp_path):
        with pytest.raises(LockedError) as info:
            DataDirLock(tmp_path).acquire()
        assert info.value.pid == os.getpid()


def test_acquire_is_idempotent_and_release_too(tmp_path: Path) -> None:
    lock = DataDirLock(tmp_path / "new")
    lock.acquire()
    lock.acquire()
    assert lock.held
    lock.release()
    lock.release()
    assert not lock.held
    assert owner_pid(tmp_path / "new") is None


SPAWNER = """
import subprocess, sys
from pathlib import Path
from tui_tracker.store.lock import DataDirLock
lock = DataDirLock(Path(sys.argv[1])).acquire()
# Like the browser a TUI starts: a child that outlives a kill -9 of its parent.
child = subprocess.Popen(["sleep", "60"], close_fds=False)
print(child.pid, flush=True)
sys.stdin.read()
"""


def test_lock_is_not_inherited_by_children_that_outlive_the_owner(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", SPAWNER, str(tmp_path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    grandchild = int(proc.stdout.readline())
    try:
        assert owner_pid(tmp_path) == proc.pid
        proc.kill()
        proc.wait(timeout=30)
        os.kill(grandchild, 0)  # still alive
        with DataDirLock(tmp_path) as lock:
            assert lock.held
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.kill(grandchild, signal.SIGKILL)
