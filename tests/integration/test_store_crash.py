"""The store under real crashes, a real file-size limit and a real unprivileged user.

* kill -9 of a writer at a random moment, ~30 times: the data dir always opens,
  every TinyDB file parses, and at most the last write is lost (HOSTILE-INPUTS 45).
* RLIMIT_FSIZE with SIGXFSZ ignored: saving fails with a sentence and the old files
  stay valid and unchanged (46).
* a data dir another user cannot write: refused at open, read-only still works (49).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tui_tracker.core.model import HistoryEntry, Monitor, Reading, utcnow
from tui_tracker.store import eventlog
from tui_tracker.store.repository import EVENTS_FILE, MONITORS_FILE, Store

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

WRITER = r"""
import sys, uuid
from datetime import timedelta
from pathlib import Path
from tui_tracker.core.model import (Delivery, DeliveryState, Event, HistoryEntry, Monitor,
                                    Reading, utcnow)
from tui_tracker.store import history, repository
from tui_tracker.store.lock import DataDirLock
from tui_tracker.store.repository import Store

# Small caps so compaction and event trimming happen many times per run.
history.HISTORY_CAP, history.KEEP_RECENT, history.OLDER_BUDGET = 60, 10, 20
from tui_tracker.store import eventlog
eventlog.EVENTS_PER_MONITOR = 15
eventlog.COMPACT_MIN = 40

data_dir = Path(sys.argv[1])
lock = DataDirLock(data_dir).acquire()
store = Store.open(data_dir)
if not store.list_monitors():
    store.save_many([Monitor(id=f"mon{i}x", url=f"http://127.0.0.1/{i}") for i in range(5)])
monitors = store.list_monitors()
counter = max(m.failures for m in monitors)
previous = None
while True:
    counter += 1
    for m in monitors:
        m.failures = counter
        m.name = f"run {counter} " + "x" * (counter % 300)
        m.readings = [Reading("price", "p", float(counter % 7), "USD")]
    store.save_many(monitors)
    for m in monitors:
        store.append_history(m.id, HistoryEntry(at=utcnow(), readings=tuple(m.readings)))
    ev = Event(id=uuid.uuid4().hex, monitor_id=monitors[counter % 5].id, at=utcnow(),
               rule="any_change", message=f"change {counter}",
               deliveries=[Delivery("email", "a@example.test")])
    store.add_event(ev)
    if previous is not None:
        previous.deliveries[0].state = DeliveryState.SENT
        store.update_event(previous)
    previous = ev
    if counter % 10 == 0 or counter < 3:
        print("progress", counter, flush=True)
"""


def _check_data_dir(data_dir: Path) -> int:
    """Open everything the way a restarted app would; return the stored counter."""
    for name in (MONITORS_FILE, EVENTS_FILE):
        path = data_dir / name
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                assert isinstance(json.load(fh), dict)
    with Store.open(data_dir) as store:
        assert not list(data_dir.glob(".db-*.tmp")), "stale temp files survived the sweep"
        monitors = store.list_monitors()
        for m in monitors:
            store.history(m.id)  # must not raise, whatever the tail holds
        store.events()
        store.pending_events()
        return max((m.failures for m in monitors), default=0)


def test_kill_9_during_saves_never_damages_the_data_dir(tmp_path: Path, monkeypatch) -> None:
    # The caps the writer uses: trimmed events stay in the journal until compaction,
    # and each opener applies its caps when it replays it.
    monkeypatch.setattr(eventlog, "EVENTS_PER_MONITOR", 15)
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    last_counter = 0
    kills_mid_write = 0
    for round_no in range(30):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir)], env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()
            assert line.startswith("progress"), (seed, round_no, line, proc.stderr.read())
            time.sleep(rng.uniform(0.05, 1.5))
            assert proc.poll() is None, (seed, round_no, proc.stderr.read())
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        if list(data_dir.glob(".db-*.tmp")) or list(data_dir.glob("history/.hist-*.tmp")):
            kills_mid_write += 1
        counter = _check_data_dir(data_dir)
        # Atomic writes: the state is the old or the new one, so it never goes back.
        assert counter >= last_counter, (seed, round_no)
        assert counter > 0
        last_counter = counter
    # The loop really ran for a while across restarts.
    assert last_counter > 30
    with Store.open(data_dir, readonly=True) as store:
        for m in store.list_monitors():
            assert len(store.history(m.id)) <= 61
        # Each kill may strand one pending event, which trimming must keep.
        assert len(store.events(limit=None)) <= 5 * 15 + 31
    print(f"seed={seed} final counter={last_counter} kills mid-write={kills_mid_write}")


DISK_FULL = r"""
import json, os, resource, signal, sys
from pathlib import Path
from tui_tracker.core.errors import StoreError
from tui_tracker.core.model import Event, HistoryEntry, Monitor, Reading, utcnow
from tui_tracker.store.repository import Store

data_dir = Path(sys.argv[1])
store = Store.open(data_dir)
before = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = max(p.stat().st_size for p in data_dir.rglob("*") if p.is_file()) + 64
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
out = {"errors": {}}
big = "y" * 20000
attempts = {
    "save": lambda: store.save(Monitor(id="fatty", url="http://127.0.0.1/", name=big)),
    "update": lambda: store.save_many([Monitor(id="first", url="http://127.0.0.1/", name=big)]),
    "history": lambda: store.append_history(
        "first", HistoryEntry(at=utcnow(), readings=(Reading("text", "t", big),))),
    "event": lambda: store.add_event(Event(id="ev-big", monitor_id="first", at=utcnow(),
                                           rule="any_change", message=big)),
}
for name, attempt in attempts.items():
    try:
        attempt()
        out["errors"][name] = None
    except StoreError as exc:
        out["errors"][name] = str(exc)
# The process keeps running on its last good state.
out["names"] = [m.name for m in store.list_monitors()]
out["events"] = [e.id for e in store.events()]
out["history"] = len(store.history("first"))
out["changed"] = [str(p) for p in data_dir.rglob("*") if p.is_file() and p not in before]
out["changed"] += [str(p) for p, raw in before.items() if p.read_bytes() != raw]
# After the disk frees up, saving works again.
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
store.save(Monitor(id="later", url="http://127.0.0.1/"))
print(json.dumps(out))
"""


def test_file_size_limit_keeps_old_files_valid(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add(Monitor(id="first", url="http://127.0.0.1/", name="small"))
        store.append_history("first", HistoryEntry(at=utcnow(),
                                                   readings=(Reading("price", "p", 1.0, "USD"),)))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    proc = subprocess.run([sys.executable, "-c", DISK_FULL, str(tmp_path)], env=ENV,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    for name in ("save", "update", "history", "event"):
        message = out["errors"][name]
        assert message is not None, f"{name} did not fail under RLIMIT_FSIZE"
        assert message.startswith("Could not save ") and "File too large" in message, message
        assert "\n" not in message
    assert out["names"] == ["small"]
    assert out["events"] == []
    assert out["history"] == 1
    assert out["changed"] == []  # no file was touched by the failed saves
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for path, raw in before.items():
        if path.name != MONITORS_FILE:
            assert after[path] == raw, path
    assert not [p for p in tmp_path.rglob("*.tmp")]
    with Store.open(tmp_path, readonly=True) as store:
        assert [m.id for m in store.list_monitors()] == ["first", "later"]
        assert len(store.history("first")) == 1


UNPRIVILEGED = r"""
import json, os, sys
from pathlib import Path
from tui_tracker.core.errors import StoreError
from tui_tracker.store.repository import Store
if os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
out = {}
try:
    Store.open(Path(sys.argv[1])).close()
    out["writable"] = None
except StoreError as exc:
    out["writable"] = str(exc)
with Store.open(Path(sys.argv[1]), readonly=True) as store:
    out["readonly"] = [m.id for m in store.list_monitors()]
print(json.dumps(out))
"""


def test_not_writable_data_dir_is_refused_at_open() -> None:
    base = Path(tempfile.mkdtemp(prefix="tt-perm-"))
    try:
        os.chmod(base, 0o755)
        data_dir = base / "data"
        with Store.open(data_dir) as store:
            store.add(Monitor(id="abcde", url="http://127.0.0.1/"))
        for p in [data_dir, *data_dir.rglob("*")]:
            os.chmod(p, 0o555 if p.is_dir() else 0o444)
        if os.geteuid() != 0 and os.access(data_dir, os.W_OK):
            pytest.skip("this user can write a 0555 directory")
        proc = subprocess.run([sys.executable, "-c", UNPRIVILEGED, str(data_dir)], env=ENV,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        out = json.loads(proc.stdout)
        assert out["writable"] == (
            f"The data dir {data_dir} is not writable by this user; fix its permissions "
            "or choose another one with --data-dir.")
        assert out["readonly"] == ["abcde"]
    finally:
        for p in [base, *base.rglob("*")]:
            if p.is_dir():
                os.chmod(p, 0o755)
        subprocess.run(["rm", "-rf", str(base)], check=False)
