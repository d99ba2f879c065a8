"""Notification history: what fired, when, with which values, and how delivery went.

Shows the selected monitor's events or all of them (`a` toggles), newest first, read
from the store through the engine in a worker so the UI never waits on the disk.
Live: a fired alert or a delivery update reloads the list while it is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui_tracker.core.formatting import format_readings
from tui_tracker.core.model import DeliveryState, Event
from tui_tracker.core.text import clean_text
from tui_tracker.ui.workers import ShowsWorkerErrors

if TYPE_CHECKING:
    from tui_tracker.engine.api import EngineAPI

LIMIT = 500


def delivery_text(event: Event) -> Text:
    if not event.deliveries:
        return Text("not sent (no recipients)", end="")
    t = Text(no_wrap=True, end="")
    for i, d in enumerate(event.deliveries):
        if i:
            t.append(" · ")
        mark = {DeliveryState.SENT: "✓", DeliveryState.FAILED: "✖",
                DeliveryState.PENDING: "…"}[d.state]
        t.append(f"{mark} {d.channel} {clean_text(d.to, 40)} {d.state.value}")
        if d.error:
            t.append(f" ({clean_text(d.error, 80)})")
    return t


class NotificationsScreen(ModalScreen[None], ShowsWorkerErrors):
    """Modal list of events for one monitor (or all)."""

    BINDINGS = [
        Binding("escape,n,q", "close", "Close"),
        Binding("a", "toggle_scope", "Selected / all"),
    ]

    def __init__(self, api: EngineAPI, monitor_id: str | None,
                 monitor_name: str = "") -> None:
        super().__init__(classes="dialog")
        self.api = api
        self.monitor_id = monitor_id
        self.monitor_name = monitor_name
        self.show_all = monitor_id is None
        self.events: list[Event] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="notifications-box"):
            yield Static(id="notifications-title", classes="dialog-title")
            yield DataTable(id="notifications-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text("a: selected / all   escape: close"), classes="dialog-detail")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label, width in (("at", "When", 14), ("monitor", "Monitor", 18),
                                  ("rule", "Rule", 13), ("message", "What happened", 44),
                                  ("values", "Values", 22), ("delivery", "Delivery", 40)):
            table.add_column(label, key=key, width=width)
        self.reload()

    def _title(self) -> Text:
        if self.show_all or self.monitor_id is None:
            scope = "all monitors"
        else:
            scope = clean_text(self.monitor_name, 80)
        return Text(f"Notifications — {scope} ({len(self.events)})")

    @work(exclusive=True, group="notifications", exit_on_error=False)
    async def reload(self) -> None:
        scope = None if self.show_all else self.monitor_id
        self.events = await self.api.events(scope, LIMIT)
        table = self.query_one(DataTable)
        table.clear()
        for e in self.events:
            values = format_readings(e.old, 3) + " → " + format_readings(e.new, 3) if e.old else \
                format_readings(e.new, 3)
            message = clean_text(e.message, 160)
            name = clean_text(e.monitor_name, 160)
            if name and message.startswith(name + ": "):
                message = message[len(name) + 2:]  # the Monitor column already says it
            table.add_row(
                Text(e.at.astimezone().strftime("%m-%d %H:%M:%S"), end=""),
                Text(clean_text(e.monitor_name or e.monitor_id, 40), end=""),
                Text(clean_text(e.rule, 30), end=""),
                Text(message, end=""),
                Text(clean_text(values, 80), end=""),
                delivery_text(e),
                key=e.id,
            )
        if not self.events:
            table.add_row(Text(""), Text(""), Text(""), Text("No notifications yet."),
                          Text(""), Text(""))
        self.query_one("#notifications-title", Static).update(self._title())

    def action_toggle_scope(self) -> None:
        if self.monitor_id is None:
            return
        self.show_all = not self.show_all
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
