"""Textual messages the app posts for engine events: facts, one per kind of change.

The engine calls its subscribers on the app's loop; the subscriber only wraps each
event in one of these and posts it, so widgets handle them like any other message.
"""

from __future__ import annotations

from textual.message import Message

from tui_tracker.core.model import Event, Monitor


class MonitorChanged(Message):
    """A monitor's state changed (check finished, edited, mode changed, added)."""

    def __init__(self, monitor: Monitor, *, checked: bool = False, changed: bool = False) -> None:
        super().__init__()
        self.monitor = monitor
        self.checked = checked
        self.changed = changed


class MonitorGone(Message):
    """A monitor was removed."""

    def __init__(self, monitor_id: str) -> None:
        super().__init__()
        self.monitor_id = monitor_id


class CheckBegan(Message):
    """A check of a monitor started (the busy count went up)."""

    def __init__(self, monitor_id: str) -> None:
        super().__init__()
        self.monitor_id = monitor_id


class ValuesMoved(Message):
    """A monitor's readings differ from its previous successful check."""

    def __init__(self, monitor: Monitor, old: tuple, new: tuple) -> None:
        super().__init__()
        self.monitor = monitor
        self.old = old
        self.new = new


class AlertRecorded(Message):
    """A rule fired and its event is in the notification history."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class DeliveryChanged(Message):
    """An alert's delivery state changed (sent, failed, retrying)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class SaveTrouble(Message):
    """Check state could not be saved (`error`), or saving works again (`error` None)."""

    def __init__(self, error: str | None) -> None:
        super().__init__()
        self.error = error


class ChecksInFlight(Message):
    """The monitors being checked right now (rows show it)."""

    def __init__(self, ids: frozenset[str]) -> None:
        super().__init__()
        self.ids = ids


class OwnerLost(Message):
    """The engine this window was attached to went away; `reason` says so in a sentence."""

    def __init__(self, pid: int | None, reason: str) -> None:
        super().__init__()
        self.pid = pid
        self.reason = reason
