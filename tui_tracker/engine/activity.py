"""The activity log: the engine's recent events as one line each, newest first.

The TUI's log screen (`l`) and `tui-tracker run`'s output show the same lines, made
here: one per check (its values, or its error), one per alert, one per delivery
change, one per save trouble. The engine keeps the last `SIZE` in memory (a ring, so
months of polling cost nothing); an attached window asks the owner for them.

The lines outlive a restart: the engine hands the new ones to the store in batches
(`take_unsaved`, written to `activity.jsonl` off the event loop with its other saves)
and, when it starts, puts the saved ones back before its own (`preload`). A person
who opens the log after a night away sees what happened in the night, whether the
TUI or `run` was up then.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui_tracker.core.formatting import format_readings, local_time
from tui_tracker.core.model import parse_iso, utcnow
from tui_tracker.core.text import clean_text
from tui_tracker.engine import events as ev

SIZE = 2000
"""Lines kept; older ones fall off."""
KINDS = ("check", "change", "error", "alert", "delivery", "save", "edit", "start", "stop")


@dataclass(frozen=True, slots=True)
class Activity:
    """One thing the engine did, as a person reads it."""

    at: datetime
    kind: str
    """check, change, error, alert, delivery, save, edit, start or stop."""
    text: str
    monitor_id: str | None = None

    def line(self) -> str:
        """`2026-11-30 18:09:16 UTC  change    k3x9a  Acme Kettle: $49.99 → $39.50`."""
        return f"{local_time(self.at)}  {self.kind:<8}  {self.monitor_id or '-':<5}  {self.text}"

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "text": self.text,
                "monitor_id": self.monitor_id}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Activity:
        mid = d.get("monitor_id")
        return cls(at=parse_iso(str(d["at"])) or utcnow(),
                   kind=clean_text(str(d.get("kind") or ""), 10),
                   text=clean_text(str(d.get("text") or ""), 600),
                   monitor_id=clean_text(str(mid), 20) if mid else None)


def restore(saved: list[dict[str, Any]]) -> list[Activity]:
    """Lines read back from the store (any JSON at all), cleaned; unreadable ones dropped."""
    out = []
    for d in saved:
        try:
            out.append(Activity.from_json(d))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def describe(event: object, at: datetime | None = None) -> list[Activity]:
    """The activity lines of one engine event (none for those a person does not follow)."""
    at = at or utcnow()
    if isinstance(event, ev.CheckFinished):
        m = event.monitor
        name = clean_text(m.display_name, 60)
        if not event.ok:
            return [Activity(at, "error", f"{name}: {clean_text(event.error, 300)}", m.id)]
        kind = "change" if event.changed else "check"
        return [Activity(at, kind, f"{name}: {format_readings(m.readings)}", m.id)]
    if isinstance(event, ev.AlertFired):
        e = event.event
        return [Activity(at, "alert", f"{', '.join(e.rules or [e.rule])}: "
                                      f"{clean_text(e.message, 300)}", e.monitor_id)]
    if isinstance(event, ev.DeliveryUpdated):
        e = event.event
        return [Activity(at, "delivery", f"{d.channel} {clean_text(d.to, 80)}: {d.state.value}"
                                         + (f" ({clean_text(d.error, 300)})" if d.error else ""),
                         e.monitor_id) for d in e.deliveries]
    if isinstance(event, ev.SaveFailed):
        return [Activity(at, "save", clean_text(event.error, 300) if event.error else
                         "saving works again")]
    if isinstance(event, ev.MonitorUpdated):
        m = event.monitor
        return [Activity(at, "edit", f"{clean_text(m.display_name, 60)}: saved "
                                     f"({m.mode.value})", m.id)]
    if isinstance(event, ev.MonitorRemoved):
        return [Activity(at, "edit", "removed", event.monitor_id)]
    return []


class ActivityLog:
    """A ring of recent activity; `record` is an engine subscriber."""

    def __init__(self, size: int = SIZE, now: Callable[[], datetime] = utcnow) -> None:
        self._items: deque[Activity] = deque(maxlen=size)
        self._unsaved: deque[Activity] = deque(maxlen=size)
        """Lines not handed to the store yet (bounded: a disk that stays full drops
        the oldest, never memory)."""
        self._now = now

    def record(self, event: object) -> None:
        self.add(describe(event, self._now()))

    def note(self, kind: str, text: str) -> None:
        """A line of the engine's own (started, stopped)."""
        self.add([Activity(self._now(), kind, text)])

    def add(self, lines: list[Activity]) -> None:
        self._items.extend(lines)
        self._unsaved.extend(lines)

    def take_unsaved(self) -> list[Activity]:
        """The lines recorded since the last call, oldest first, for the store."""
        lines = list(self._unsaved)
        self._unsaved.clear()
        return lines

    def put_back(self, lines: list[Activity]) -> None:
        """Lines the store could not write (disk full): offered again next time."""
        newer = list(self._unsaved)
        self._unsaved.clear()
        self._unsaved.extend(lines + newer)  # past the bound, the oldest go

    def preload(self, older: list[Activity]) -> None:
        """Lines from before this process (newest first), placed before its own."""
        mine = list(self._items)
        self._items.clear()
        self._items.extend(reversed(older))
        self._items.extend(mine)

    def recent(self, monitor_id: str | None = None, limit: int | None = None) -> list[Activity]:
        """Newest first; only one monitor's when `monitor_id` is given."""
        out = [a for a in reversed(self._items) if monitor_id is None or a.monitor_id == monitor_id]
        return out[:limit] if limit else out
