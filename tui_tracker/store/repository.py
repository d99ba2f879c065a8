"""The Store: the one API the engine, CLI and UI use to persist monitors, history, events.

Data dir layout (all UTF-8):

* `monitors.json` — TinyDB; table `monitors` (docs = `Monitor.to_dict()`, in
  insertion order) and table `meta` (`{"schema": 1, "app": "tui-tracker"}`).
  Small on purpose: no reading history in it, so saving check state costs the
  same after a year as on day one.
* `notifications.json` + `notifications.journal` — the alert events: a TinyDB
  snapshot (table `events`, docs = `Event.to_dict()`, and `meta`) plus an
  append-only journal of changes since, so recording an alert or a delivery costs
  the same at 5,000 events as at none. Capped; see `store/eventlog.py`.
  An event carries the rule state it fired with; at open, a monitor whose saved
  state predates its newest event adopts that event's state (`Monitor.last_event`),
  so an alert and "it fired" are durable together.
* `history/<monitor_id>.jsonl` — see `store/history.py`.
* `activity.jsonl` — the engine's recent activity lines; see `store/activitylog.py`.
* `lock`, `owner.pid` — see `store/lock.py`. Writable mode does NOT take the lock:
  callers hold a `DataDirLock` for as long as they write.

Every write is durable when the method returns (atomic replace or fsync'd append)
and failures raise StoreError with the previous state intact on disk and in memory.
Parsed data is cached in memory — valid because the lock holder is the only writer.
A read-only store reads the files once at open, never creates, writes or sweeps
anything, and works while another process owns the data dir.
"""

from __future__ import annotations

import copy
import errno
import logging
import secrets
import string
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Table

from ..core.errors import InputError, SaveError, StoreError
from ..core.model import Event, HistoryEntry, Monitor, copy_plain
from ..core.text import clean_text
from . import schema
from .activitylog import ActivityFile
from .eventlog import EventLog, journal_path
from .history import HistoryFiles
from .storage import AtomicJSONStorage, check_writable_dir

log = logging.getLogger(__name__)

MONITORS_FILE = "monitors.json"
EVENTS_FILE = "notifications.json"
HISTORY_DIR = "history"


_ID_FIRST = string.ascii_lowercase
_ID_REST = string.ascii_lowercase + string.digits
ID_LENGTH = 5

Docs = dict[int, dict[str, Any]]


class _Table(Table):
    """A TinyDB table with one extra operation: any change to the docs in ONE write.

    TinyDB's own insert/update/remove each rewrite the file, so saving the state of
    1000 monitors after a check pass would be 1000 full-file writes. Built on the
    public Storage read/write only (no TinyDB internals), and every write here goes
    through `mutate`, so TinyDB's own id counter is never consulted.
    """

    def mutate(self, change: Callable[[Docs], None]) -> None:
        """Apply `change` to {doc_id: doc} and write the result once (atomically)."""
        data = self.storage.read() or {}
        docs = {int(k): v for k, v in data.get(self.name, {}).items()}
        change(docs)
        data[self.name] = {str(k): v for k, v in docs.items()}
        self.storage.write(data)
        self.clear_cache()


class _DB(TinyDB):
    table_class = _Table


def _ref_text(ref: str) -> str:
    return clean_text(ref, 40)


class Store:
    """Persistence for one data dir. Open with `Store.open(data_dir)`."""

    def __init__(self, data_dir: Path, readonly: bool, monitors_db: _DB, events_db: _DB,
                 history: HistoryFiles) -> None:
        self.data_dir = data_dir
        self.readonly = readonly
        self._mdb = monitors_db
        self._edb = events_db
        self._monitors = cast(_Table, monitors_db.table(schema.MONITORS_TABLE, cache_size=0))
        events_storage = cast(AtomicJSONStorage, events_db.storage)
        self._events = EventLog(events_storage, journal_path(Path(events_storage.path)),
                                readonly=readonly)
        self._history = history
        self._activity = ActivityFile(data_dir, readonly=readonly)
        self._storage = cast(AtomicJSONStorage, monitors_db.storage)
        self._removed: set[str] = set()
        self._parsed: tuple[dict[str, Any], list[Monitor]] | None = None
        """The monitors validation parsed at open, with the cached table they came from:
        the first `list_monitors` returns them while that table is still the cache."""
        # The engine may call from worker threads while the UI reads; one lock keeps
        # each read-modify-write whole.
        self._mutex = threading.RLock()
        self._closed = False

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, data_dir: Path, *, readonly: bool = False) -> Store:
        """Open (and in writable mode create) a data dir; validates every file first.

        Raises StoreError for a damaged file, an unknown schema version or a data
        dir this user cannot write. Files are validated before anything is written,
        so a refused file stays byte-for-byte as it was.
        """
        data_dir = Path(data_dir).expanduser().absolute()
        if not readonly:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                kind = SaveError if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO) \
                    else StoreError
                raise kind(
                    f"Could not create the data dir {data_dir}: {exc.strerror or exc}."
                ) from exc
            check_writable_dir(data_dir)
            if (data_dir / HISTORY_DIR).is_dir():
                check_writable_dir(data_dir / HISTORY_DIR)
        elif data_dir.exists() and not data_dir.is_dir():
            raise StoreError(f"The data dir {data_dir} is not a directory.")
        parsed: list[Monitor] = []
        mdb = _DB(data_dir / MONITORS_FILE, storage=AtomicJSONStorage, readonly=readonly,
                  validate=lambda path, data: schema.validate_monitors_file(path, data, parsed))
        edb = _DB(data_dir / EVENTS_FILE, storage=AtomicJSONStorage, readonly=readonly,
                  validate=schema.validate_events_file)
        history = HistoryFiles(data_dir / HISTORY_DIR, readonly=readonly)
        store = cls(data_dir, readonly, mdb, edb, history)
        store._parsed = (store._storage.peek(schema.MONITORS_TABLE), parsed)
        if not readonly:
            meta = cast(_Table, mdb.table(schema.META_TABLE, cache_size=0))
            if not meta.all():
                meta.mutate(lambda docs: docs.update({1: dict(schema.META_DOC)}))
            store._events.ensure_meta()
        store._reconcile()
        return store

    def _reconcile(self) -> None:
        """Make the saved monitors agree with the events recorded for them.

        Drops (in memory) events of monitors that no longer exist, and gives a monitor
        whose saved rule state predates its newest alert the state that alert fired
        with: the alert was durable, the monitor's next save was not (kill -9, full
        disk), and without this it would fire again.
        """
        known = {doc.get("id") for _, doc in self._monitor_docs()}
        self._events.forget_where(lambda d: d.get("monitor_id") not in known)
        stale = []
        for _, doc in self._monitor_docs():
            newest = self._events.newest_with_state(doc["id"])
            if newest is not None and doc.get("last_event") != newest["id"]:
                m = _to_monitor(doc)
                m.rule_state = copy.deepcopy(newest["rule_state"])
                m.last_event = newest["id"]
                stale.append(m)
        if stale and not self.readonly:
            try:
                self.save_many(stale)
            except SaveError as exc:
                # Opening must still work on a full disk; the monitor keeps its older
                # state on disk and, at worst, its alert is recorded once more later.
                log.warning("could not adopt the rule state of recorded alerts: %s", exc)

    def close(self) -> None:
        """Release the TinyDB handles. Everything is already on disk."""
        with self._mutex:
            if not self._closed:
                self._closed = True
                self._mdb.close()
                self._edb.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(
                f"The data dir {self.data_dir} was opened read-only; nothing can be changed."
            )
        if self._closed:
            raise StoreError(f"The store for {self.data_dir} is closed.")

    # ------------------------------------------------------------------ monitors

    def _monitor_docs(self) -> list[tuple[int, dict[str, Any]]]:
        """(doc id, cached doc) in insertion order; callers must not mutate the docs."""
        docs = self._storage.peek(schema.MONITORS_TABLE)
        return [(int(k), doc) for k, doc in docs.items()]

    def _doc_id_of(self, monitor_id: str) -> int | None:
        for doc_id, doc in self._storage.peek(schema.MONITORS_TABLE).items():
            if doc.get("id") == monitor_id:
                return int(doc_id)
        return None

    def new_id(self) -> str:
        """A fresh id: 5 chars of [a-z0-9] starting with a letter, so it never reads as a number."""
        with self._mutex:
            taken = {doc["id"] for _, doc in self._monitor_docs()}
            while True:
                ident = secrets.choice(_ID_FIRST) + "".join(
                    secrets.choice(_ID_REST) for _ in range(ID_LENGTH - 1))
                if ident not in taken and not self._history.exists(ident):
                    return ident

    def list_monitors(self) -> list[Monitor]:
        """All monitors in insertion order (fresh objects: mutate and `save` them)."""
        with self._mutex:
            parsed, self._parsed = self._parsed, None
            table = self._storage.peek(schema.MONITORS_TABLE)
            if parsed is not None and parsed[0] is table and len(parsed[1]) == len(table):
                for m in parsed[1]:  # as `_to_monitor` leaves them: nothing shared
                    m.rule_state = copy_plain(m.rule_state)
                return parsed[1]
            return [_to_monitor(doc) for _, doc in self._monitor_docs()]

    def get(self, monitor_id: str) -> Monitor | None:
        with self._mutex:
            for _, doc in self._monitor_docs():
                if doc.get("id") == monitor_id:
                    return _to_monitor(doc)
            return None

    def resolve(self, ref: str) -> Monitor:
        """The monitor with id `ref`, or the only one whose id starts with `ref`.

        Raises InputError when none or several match.
        """
        ref = (ref or "").strip()
        with self._mutex:
            if not ref:
                raise InputError("No monitor id given.")
            docs = [doc for _, doc in self._monitor_docs()]
            for doc in docs:
                if doc["id"] == ref:
                    return _to_monitor(doc)
            matches = [doc for doc in docs if doc["id"].startswith(ref)]
        if len(matches) == 1:
            return _to_monitor(matches[0])
        if not matches:
            raise InputError(f"No monitor with id '{_ref_text(ref)}'.")
        ids = ", ".join(sorted(doc["id"] for doc in matches))
        raise InputError(f"The id '{_ref_text(ref)}' matches several monitors ({ids}); "
                         "type more of it.")

    def add(self, monitor: Monitor) -> Monitor:
        """Insert a new monitor; durable when it returns.

        An empty `monitor.id` gets `new_id()`. Raises InputError for an id that is
        taken or is not a plain word (ids name files).
        """
        with self._mutex:
            self._writable()
            if not monitor.id:
                monitor.id = self.new_id()
            if not schema.valid_monitor_id(monitor.id):
                raise InputError(f"The monitor id '{_ref_text(monitor.id)}' is not allowed; "
                                 "use letters, digits, '-' and '_'.")
            if self._doc_id_of(monitor.id) is not None:
                raise InputError(f"A monitor with id '{monitor.id}' already exists.")
            doc = _to_doc(monitor)
            self._monitors.mutate(lambda docs: docs.update({max(docs, default=0) + 1: doc}))
            self._removed.discard(monitor.id)
            return monitor

    def save(self, monitor: Monitor) -> None:
        """Upsert one monitor; durable when it returns."""
        self.save_many([monitor])

    def save_many(self, monitors: Iterable[Monitor]) -> None:
        """Upsert many monitors with ONE atomic file write.

        A monitor removed earlier through this store is not brought back: the engine
        may finish a check of a monitor the user has just removed.
        """
        with self._mutex:
            self._writable()
            wanted = {}
            for m in monitors:
                if m.id in self._removed:
                    continue
                if not schema.valid_monitor_id(m.id):
                    raise InputError(f"The monitor id '{_ref_text(m.id)}' is not allowed.")
                wanted[m.id] = _to_doc(m)
            if not wanted:
                return

            def change(docs: Docs) -> None:
                pending = dict(wanted)
                for doc_id, doc in docs.items():
                    new = pending.pop(str(doc.get("id")), None)
                    if new is not None:
                        docs[doc_id] = new
                next_id = max(docs, default=0) + 1
                for offset, new in enumerate(pending.values()):
                    docs[next_id + offset] = new

            self._monitors.mutate(change)

    def remove(self, monitor_id: str) -> None:
        """Delete a monitor with its history and events; durable when it returns.

        History and events go first: if the process dies halfway, the monitor is
        still listed (remove it again) rather than leaving orphan files behind.
        """
        with self._mutex:
            self._writable()
            if self._doc_id_of(monitor_id) is None:
                raise InputError(f"No monitor with id '{_ref_text(monitor_id)}'.")
            self._history.delete(monitor_id)
            self._events.remove_where(lambda d: d.get("monitor_id") == monitor_id)
            self._monitors.mutate(lambda docs: _drop(docs, lambda d: d.get("id") == monitor_id))
            self._removed.add(monitor_id)

    # ------------------------------------------------------------------ history

    def append_history(self, monitor_id: str, entry: HistoryEntry) -> None:
        """Append one entry (O(1), fsync'd). Ignored for a monitor that no longer exists."""
        with self._mutex:
            self._writable()
            if monitor_id in self._removed or self._doc_id_of(monitor_id) is None:
                return
            self._history.append(monitor_id, entry)

    def history(self, monitor_id: str, limit: int | None = None) -> list[HistoryEntry]:
        """Entries oldest first (append order); `limit` = only the newest N."""
        if not schema.valid_monitor_id(monitor_id):
            return []
        with self._mutex:
            return self._history.read(monitor_id, limit)

    # ---------------------------------------------------------------- activity

    def append_activity(self, items: list[dict[str, Any]]) -> None:
        """Append activity lines (oldest first) to `activity.jsonl` in one durable write."""
        with self._mutex:
            self._writable()
            self._activity.append(items)

    def activity(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The activity lines kept on disk, newest first (see `store/activitylog.py`)."""
        with self._mutex:
            return self._activity.read(limit)

    # ------------------------------------------------------------------ events

    def add_event(self, event: Event) -> None:
        """Record one event (outbox: before sending it); durable when it returns."""
        self.add_events([event])

    def add_events(self, events: list[Event]) -> None:
        """Record events with ONE durable write: all of them, or (SaveError) none.

        O(1) in the number stored (a journal append); trims the oldest events beyond
        the caps, never one with a pending delivery.
        """
        with self._mutex:
            self._writable()
            for event in events:
                if self._events.has(event.id):
                    raise ValueError(f"event id {event.id!r} is already stored")
            self._events.put([e.to_dict() for e in events])

    def update_event(self, event: Event) -> None:
        """Replace the stored event with the same id (its delivery states changed).

        No-op when the event is gone (its monitor was removed meanwhile). O(1).
        """
        with self._mutex:
            self._writable()
            if self._events.has(event.id):
                self._events.put([event.to_dict()])

    def events(self, monitor_id: str | None = None, limit: int | None = None) -> list[Event]:
        """Events newest first (by time, then by recording order), optionally of one monitor."""
        with self._mutex:
            pairs = [(Event.from_dict(d), self._events.order(d["id"]))
                     for d in self._events.docs(monitor_id)]
        pairs.sort(key=lambda pair: (pair[0].at, pair[1]), reverse=True)
        out = [ev for ev, _ in pairs]
        return out if limit is None else out[:max(0, limit)]

    def pending_events(self) -> list[Event]:
        """Events with at least one pending delivery, oldest first (outbox order)."""
        with self._mutex:
            pending = [Event.from_dict(d) for d in self._events.pending_docs()]
        pending.sort(key=lambda ev: ev.at)
        return pending


def _to_doc(monitor: Monitor) -> dict[str, Any]:
    # to_dict() copies rule_state only one level deep; a later in-place change by the
    # rules code must not reach the cache behind the disk's back.
    doc = monitor.to_dict()
    doc["rule_state"] = copy_plain(doc["rule_state"])
    return doc


def _to_monitor(doc: dict[str, Any]) -> Monitor:
    monitor = Monitor.from_dict(doc)
    monitor.rule_state = copy_plain(monitor.rule_state)
    return monitor




def _drop(docs: Docs, pred: Callable[[dict[str, Any]], bool]) -> None:
    for doc_id in [k for k, d in docs.items() if pred(d)]:
        del docs[doc_id]
