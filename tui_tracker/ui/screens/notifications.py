"""Notification history: what fired, when, with which values, and how delivery went.

Shows the selected monitor's events or all of them (`a` toggles), newest first, read
from the store through the engine in a worker so the UI never waits on the disk.
Live: a fired alert or a delivery update reloads the list while it is open.

The table gives one line per alert; the pane under it shows the highlighted alert in
full, wrapped at any width (the whole message, every delivery with its state, attempts
and whole error), and `enter` opens the same in a screen of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from tui_tracker.core.formatting import (
    delivery_lines,
    event_rules,
    event_values,
    local_time,
    short_time,
)
from tui_tracker.core.model import DeliveryState, Event, utcnow
from tui_tracker.core.text import clean_text
from tui_tracker.ui.workers import ShowsWorkerErrors

if TYPE_CHECKING:
    from tui_tracker.engine.api import EngineAPI

LIMIT = 500
FIXED = (("at", "When", 15), ("monitor", "Monitor", 16), ("delivery", "Delivery", 10))
"""Fixed columns; "What happened" takes every other column the box has."""


def delivery_summary(event: Event) -> Text:
    """A short cell: `✓ sent`, `✖ 1 failed`, `… pending`; the pane below has the rest."""
    if not event.deliveries:
        return Text("not sent", end="")
    states = [d.state for d in event.deliveries]
    if DeliveryState.FAILED in states:
        n = states.count(DeliveryState.FAILED)
        return Text(f"✖ {n} failed", end="")
    if DeliveryState.PENDING in states:
        return Text("… pending", end="")
    return Text("✓ sent", end="")


def delivery_text(event: Event) -> Text:
    """Every delivery on its own line, in full."""
    return Text("\n".join(delivery_lines(event)), end="")


def event_detail(event: Event) -> Text:
    """One alert in full, wrapped by the widget: nothing of it is cut."""
    t = Text(end="")
    t.append(local_time(event.at), style="bold")
    t.append(f"  {clean_text(event.monitor_name or event.monitor_id, 200)}")
    t.append(f" ({event.monitor_id})\n")
    t.append(clean_text(event.message, 2000) + "\n")
    for line in delivery_lines(event, utcnow()):  # what went wrong comes before the rest
        t.append("→ ", style="dim")
        t.append(f"{line}\n")
    t.append("rules: ", style="dim")
    t.append(", ".join(event_rules(event)) + "\n")
    values = event_values(event, 8)
    if values:
        t.append("values: ", style="dim")
        t.append(clean_text(values, 400) + "\n")
    if event.url:
        t.append("page: ", style="dim")
        t.append(clean_text(event.url, 400) + "\n")
    return t


class EventScreen(ModalScreen[None]):
    """One alert in full (enter on a notification)."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, event: Event) -> None:
        super().__init__(classes="dialog")
        self.event = event

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box", id="event-box"):
            yield Static(Text("Notification"), classes="dialog-title")
            yield Static(event_detail(self.event), id="event-text")
            yield Static(Text("escape: back"), classes="dialog-detail")

    def action_close(self) -> None:
        self.dismiss(None)


class NotificationsScreen(ModalScreen[None], ShowsWorkerErrors):
    """Modal list of events for one monitor (or all)."""

    BINDINGS = [
        Binding("escape,n,q", "close", "Close"),
        Binding("a", "toggle_scope", "Selected / all"),
        Binding("right", "open", "Open", show=False, priority=True),
    ]

    def __init__(self, api: EngineAPI, monitor_id: str | None,
                 monitor_name: str = "") -> None:
        super().__init__(classes="dialog")
        self.api = api
        self.monitor_id = monitor_id
        self.monitor_name = monitor_name
        self.show_all = monitor_id is None
        self.events: list[Event] = []
        self._width = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="notifications-box"):
            yield Static(id="notifications-title", classes="dialog-title")
            yield DataTable(id="notifications-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="notification-detail"):
                yield Static(id="notification-text")
            yield Static(Text("↑↓: choose   enter: open   a: selected / all   escape: close"),
                         classes="dialog-detail")

    def on_mount(self) -> None:
        self._columns()
        self.reload()

    def _message_width(self) -> int:
        table = self.query_one(DataTable)
        width = table.size.width or int(self.app.size.width * 0.95) - 6
        fixed = sum(w for *_, w in FIXED) + 2 * table.cell_padding * (len(FIXED) + 1)
        return max(16, width - fixed - 2)

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        self._width = self._message_width()
        table.clear(columns=True)
        for key, label, width in FIXED[:2]:
            table.add_column(label, key=key, width=width)
        table.add_column("What happened", key="message", width=self._width)
        key, label, width = FIXED[2]
        table.add_column(label, key=key, width=width)

    def on_resize(self) -> None:
        self.call_after_refresh(self._relayout)

    def _relayout(self) -> None:
        if self._message_width() != self._width:
            self._columns()
            self._fill()

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
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = self.selected_event()
        table.clear()
        now = utcnow()
        for e in self.events:
            message = clean_text(e.message, 400)
            name = clean_text(e.monitor_name, 160)
            if name and message.startswith(name + ": "):
                message = message[len(name) + 2:]  # the Monitor column already says it
            table.add_row(
                Text(short_time(e.at, now), end=""),
                Text(clean_text(e.monitor_name or e.monitor_id, 40), end=""),
                Text(message, end="", no_wrap=True, overflow="ellipsis"),
                delivery_summary(e),
                key=e.id,
            )
        if not self.events:
            table.add_row(Text(""), Text(""), Text("No notifications yet."), Text(""))
        elif keep is not None and keep.id in {e.id for e in self.events}:
            table.move_cursor(row=table.get_row_index(keep.id), animate=False)
        self.query_one("#notifications-title", Static).update(self._title())
        self._show_detail()

    def selected_event(self) -> Event | None:
        table = self.query_one(DataTable)
        if not self.events or table.row_count == 0:
            return None
        row = table.cursor_row
        return self.events[row] if 0 <= row < len(self.events) else None

    def _show_detail(self) -> None:
        e = self.selected_event()
        text = self.query_one("#notification-text", Static)
        text.update(event_detail(e) if e is not None else Text(""))

    @on(DataTable.RowHighlighted, "#notifications-table")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#notifications-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        e = self.selected_event()
        if e is not None:
            self.app.push_screen(EventScreen(e))

    def action_toggle_scope(self) -> None:
        if self.monitor_id is None:
            return
        self.show_all = not self.show_all
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
