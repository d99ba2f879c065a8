"""From the engine interface's events to Textual messages: the one place that maps them.

The listener runs on the app's loop (local engine) or from the control-socket reader
(remote engine); either way it only wraps and posts, and returns at once.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.message_pump import MessagePump

from tui_tracker.engine import events as ev
from tui_tracker.engine.api import ApiEvent, Checking, EngineAPI, OwnerGone
from tui_tracker.ui import messages as msg


def to_message(event: ApiEvent) -> Message | None:
    """The message for an event, or None for one the UI does not show."""
    if isinstance(event, ev.CheckFinished):
        return msg.MonitorChanged(event.monitor, checked=True, changed=event.changed)
    if isinstance(event, ev.MonitorUpdated):
        return msg.MonitorChanged(event.monitor)
    if isinstance(event, ev.MonitorRemoved):
        return msg.MonitorGone(event.monitor_id)
    if isinstance(event, ev.CheckStarted):
        return msg.CheckBegan(event.monitor_id)
    if isinstance(event, ev.ValuesChanged):
        return msg.ValuesMoved(event.monitor, event.old, event.new)
    if isinstance(event, ev.AlertFired):
        return msg.AlertRecorded(event.event)
    if isinstance(event, ev.DeliveryUpdated):
        return msg.DeliveryChanged(event.event)
    if isinstance(event, ev.SaveFailed):
        return msg.SaveTrouble(event.error)
    if isinstance(event, Checking):
        return msg.ChecksInFlight(event.ids)
    if isinstance(event, OwnerGone):
        return msg.OwnerLost(event.pid, event.reason)
    return None


class EngineBridge:
    """Subscribes `target` to an engine's events for as long as it is attached."""

    def __init__(self, target: MessagePump) -> None:
        self.target = target
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, api: EngineAPI) -> None:
        self.detach()
        self._unsubscribe = api.subscribe(self.on_event)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def on_event(self, event: ApiEvent) -> None:
        message = to_message(event)
        if message is not None:
            self.target.post_message(message)
