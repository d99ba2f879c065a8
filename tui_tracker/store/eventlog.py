"""Alert events: a TinyDB snapshot (`notifications.json`) plus an append-only journal.

Why not plain TinyDB writes: every insert or update rewrote the whole file, so with
5,000 events (7.7 MB) recording one alert or one delivery cost ~220 ms, and the
outbox does both for every alert. Here a change is one appended JSON line + fsync
(`notifications.journal`), whatever the number stored; the snapshot is rewritten
only when the journal has grown as long as the live event set (so compaction
amortises to O(1) per change).

* **Journal**: first line `{"gen": N}`, then one `{"put": <event doc>}` per new or
  changed event (a put replaces the stored event with the same id). A torn last
  line (kill -9 mid-append) is skipped on load.
* **Compaction**: the snapshot is written atomically with `"journal": N+1` in its
  meta document, then the journal is atomically replaced by `{"gen": N+1}`. A
  journal whose gen differs from the snapshot's was already folded in (a kill
  between the two steps) and is ignored, so nothing is applied twice or out of order.
* **Caps**: the newest `EVENTS_PER_MONITOR` per monitor and `EVENTS_TOTAL` overall,
  never dropping an event with a pending delivery (the outbox must still send it).
  Trimming pops from the oldest end, so it is O(1) per new event in practice.

All data lives in memory (this process owns the data dir); reads never touch disk.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..core.errors import SaveError, StoreError
from ..core.model import DeliveryState, Event
from . import schema
from .storage import (
    DB_TEMP_PREFIX,
    AtomicJSONStorage,
    append_durably,
    atomic_write_bytes,
    read_json_file,
)

log = logging.getLogger(__name__)

EVENTS_PER_MONITOR = 200
EVENTS_TOTAL = 5000
COMPACT_MIN = 2000
"""The journal is folded into the snapshot once it holds this many lines (or more
than there are live events, whichever is larger)."""
GEN_KEY = "journal"

Doc = dict[str, Any]


def _has_pending(doc: Doc) -> bool:
    return any(x.get("state") == DeliveryState.PENDING.value
               for x in doc.get("deliveries") or ())


def _line(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("utf-8") + b"\n"


def _valid(doc: Any) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
        return False
    try:
        Event.from_dict(doc)
    except (KeyError, ValueError, TypeError, AttributeError):
        return False
    return True


class EventLog:
    """The events of one data dir, in recording order, kept in memory and on disk."""

    def __init__(self, storage: AtomicJSONStorage, journal: Path, *, readonly: bool) -> None:
        self.storage = storage
        self.journal = journal
        self.readonly = readonly
        self._docs: dict[str, Doc] = {}
        self._by_monitor: dict[str, deque[str]] = {}
        self._pending: set[str] = set()
        self._order: dict[str, int] = {}
        self._next_order = 0
        self._journal_lines = 0
        self._compact_at = COMPACT_MIN
        self._load(storage.read() or {})
        for _ in range(3):
            if self._replay() <= self._gen or not readonly:
                break
            # A reader raced the owner's compaction: the journal is newer than the
            # snapshot it read, so the events it folded in are in the new snapshot.
            try:
                data = read_json_file(storage.path)
                schema.validate_events_file(storage.path, data)
            except (OSError, StoreError):
                break
            self._load(data)
        self._trim()
        if not readonly and not self._journal_ok:
            try:
                self._reset_journal(self._gen)
            except SaveError as exc:  # a full disk must not stop the data dir opening
                log.warning("%s", exc)

    # ------------------------------------------------------------------ loading
    def _load(self, data: Any) -> None:
        """Start from a snapshot's contents (TinyDB layout, validated by the caller)."""
        self._docs, self._by_monitor, self._pending, self._order = {}, {}, set(), {}
        self._journal_lines = 0
        meta: dict[str, Any] = next(iter((data.get(schema.META_TABLE) or {}).values()), {})
        gen = meta.get(GEN_KEY)
        self._gen: int = gen if isinstance(gen, int) else 0
        table = data.get(schema.EVENTS_TABLE) or {}
        for _, doc in sorted(table.items(), key=lambda kv: int(kv[0])):
            self._put(doc)

    def _replay(self) -> int:
        """Apply the journal if it continues our snapshot; returns the journal's gen."""
        self._journal_ok = False
        try:
            raw = self.journal.read_bytes()
        except FileNotFoundError:
            return self._gen
        except OSError as exc:
            log.warning("could not read %s: %s", self.journal, exc)
            return self._gen
        lines = raw.split(b"\n")
        try:
            head = json.loads(lines[0])
        except ValueError:
            head = None
        gen = head.get("gen") if isinstance(head, dict) else None
        if not isinstance(gen, int):
            return self._gen  # not a journal of ours: ignore it
        if gen != self._gen:
            return gen  # older: already folded into the snapshot; newer: see __init__
        self._journal_ok = True
        for line in lines[1:]:
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError):
                continue  # a torn line left by kill -9
            doc = rec.get("put") if isinstance(rec, dict) else None
            if doc is not None and _valid(doc):
                self._put(doc)
            self._journal_lines += 1
        self._compact_at = max(COMPACT_MIN, 2 * len(self._docs))
        return gen

    def _reset_journal(self, gen: int) -> None:
        atomic_write_bytes(self.journal, _line({"gen": gen}),
                           prefix=f"{DB_TEMP_PREFIX}{self.journal.name}-")
        self._journal_lines = 0
        self._journal_ok = True

    # ------------------------------------------------------------------ memory
    def _put(self, doc: Doc) -> None:
        eid = doc["id"]
        if eid not in self._docs:
            self._order[eid] = self._next_order
            self._next_order += 1
            self._by_monitor.setdefault(doc.get("monitor_id", ""), deque()).append(eid)
        self._docs[eid] = doc
        if _has_pending(doc):
            self._pending.add(eid)
        else:
            self._pending.discard(eid)

    def _drop(self, eid: str) -> None:
        doc = self._docs.pop(eid)
        self._pending.discard(eid)
        self._order.pop(eid, None)
        ids = self._by_monitor.get(doc.get("monitor_id", ""))
        if ids is not None:
            if ids and ids[0] == eid:
                ids.popleft()
            else:
                with contextlib.suppress(ValueError):
                    ids.remove(eid)
            if not ids:
                del self._by_monitor[doc.get("monitor_id", "")]

    def _oldest_droppable(self, ids: Iterable[str]) -> str | None:
        for eid in ids:
            if eid not in self._pending:
                return eid
        return None

    def _trim(self) -> None:
        """Apply the caps from the oldest end, sparing pending events."""
        for ids in list(self._by_monitor.values()):
            while len(ids) > EVENTS_PER_MONITOR:
                victim = self._oldest_droppable(ids)
                if victim is None:
                    break
                self._drop(victim)
        while len(self._docs) > EVENTS_TOTAL:
            victim = self._oldest_droppable(self._docs)
            if victim is None:
                break
            self._drop(victim)

    # ------------------------------------------------------------------ writing
    def put(self, docs: list[Doc]) -> None:
        """Record new or changed events with ONE durable append (all or none of them).

        Raises SaveError with memory unchanged when the disk refuses.
        """
        if self.readonly:
            raise SaveError(f"Cannot change {self.journal}: the store was opened read-only.")
        if not docs:
            return
        if not self._journal_ok:
            self._reset_journal(self._gen)
        append_durably(self.journal, b"".join(_line({"put": d}) for d in docs))
        for d in docs:
            self._put(d)
        self._journal_lines += len(docs)
        self._trim()
        if self._journal_lines >= max(self._compact_at, len(self._docs)):
            try:
                self.compact()
            except SaveError as exc:  # the appends are durable; try again later
                log.warning("%s", exc)
                self._compact_at = self._journal_lines + COMPACT_MIN // 4

    def remove_where(self, pred: Callable[[Doc], bool]) -> None:
        """Drop matching events and rewrite the snapshot (rare: a monitor was removed)."""
        victims = [eid for eid, d in self._docs.items() if pred(d)]
        if not victims:
            return
        saved = dict(self._docs)
        for eid in victims:
            self._drop(eid)
        try:
            self.compact()
        except SaveError:
            for eid, doc in saved.items():  # back to what is on disk
                if eid not in self._docs:
                    self._put(doc)
            raise

    def forget_where(self, pred: Callable[[Doc], bool]) -> None:
        """Drop matching events from memory only (orphans of removed monitors at load)."""
        for eid in [eid for eid, d in self._docs.items() if pred(d)]:
            self._drop(eid)

    def compact(self) -> None:
        """Fold the journal into a new snapshot (atomic), then start a new journal."""
        gen = self._gen + 1
        meta = {**schema.META_DOC, GEN_KEY: gen}
        events = {str(i): doc for i, doc in enumerate(self._docs.values(), start=1)}
        self.storage.write({schema.META_TABLE: {"1": meta}, schema.EVENTS_TABLE: events})
        self._gen = gen
        self._journal_ok = False
        self._reset_journal(gen)
        self._compact_at = max(COMPACT_MIN, 2 * len(self._docs))

    def ensure_meta(self) -> None:
        """A new data dir: write the snapshot with its schema version once."""
        if not self.storage.exists:
            self.compact()

    # ------------------------------------------------------------------ reading
    def has(self, event_id: str) -> bool:
        return event_id in self._docs

    def docs(self, monitor_id: str | None = None) -> list[Doc]:
        """Stored docs (not copies: do not mutate), recording order."""
        if monitor_id is None:
            return list(self._docs.values())
        return [self._docs[eid] for eid in self._by_monitor.get(monitor_id, ())]

    def order(self, event_id: str) -> int:
        return self._order.get(event_id, 0)

    def pending_docs(self) -> list[Doc]:
        return [self._docs[eid] for eid in self._pending]

    def newest_with_state(self, monitor_id: str) -> Doc | None:
        """The newest event of a monitor that carries the rule state it fired with."""
        for eid in reversed(self._by_monitor.get(monitor_id, ())):
            doc = self._docs[eid]
            if isinstance(doc.get("rule_state"), dict):
                return doc
        return None

    def __len__(self) -> int:
        return len(self._docs)


def journal_path(snapshot: Path) -> Path:
    """`notifications.json` -> `notifications.journal`."""
    return snapshot.with_name(snapshot.stem + ".journal")
