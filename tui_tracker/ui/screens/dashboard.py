"""The dashboard: the monitor table, its filter, the detail pane, and every action on them.

Talks to the engine only through `EngineAPI` (local or attached, it cannot tell).
Engine events arrive as messages from `ui/bridge.py`; handlers only record what
changed, and a 0.2 s timer flushes the table in one batch, so a flood of check results
never costs more than five repaints a second.
"""

from __future__ import annotations

import os
import sys
from time import monotonic
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tui_tracker.config import Settings
from tui_tracker.core.errors import TrackerError
from tui_tracker.core.formatting import format_readings
from tui_tracker.core.model import Mode, Monitor, utcnow
from tui_tracker.core.text import clean_text
from tui_tracker.engine.api import EngineAPI
from tui_tracker.ui import messages as msg
from tui_tracker.ui.screens.activity import ActivityScreen
from tui_tracker.ui.screens.confirm import ConfirmScreen
from tui_tracker.ui.screens.form import MonitorForm
from tui_tracker.ui.screens.help import HelpScreen
from tui_tracker.ui.screens.notifications import NotificationsScreen
from tui_tracker.ui.widgets.cells import Palette
from tui_tracker.ui.widgets.detail import DetailPane
from tui_tracker.ui.widgets.footer import TrackerFooter
from tui_tracker.ui.widgets.monitor_table import COLUMNS, TREND_POINTS, MonitorTable
from tui_tracker.ui.widgets.status import StatusBar, status_text
from tui_tracker.ui.workers import ShowsWorkerErrors

FLUSH_SECONDS = 0.2
TICK_SECONDS = 1.0
TOAST_GAP = 4.0
"""Seconds between update toasts: a burst of changes is one toast naming how many,
and at most one is on screen at a time (they once piled up over the detail pane)."""
SORT_CYCLE = tuple(c.key for c in COLUMNS)
def has_display() -> bool:
    """A local graphical session a browser can open on (not a bare SSH login)."""
    if sys.platform == "darwin" or os.name == "nt":
        return not os.environ.get("SSH_CONNECTION")
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def toast_summary(toasts: list[tuple[str, str, str]]) -> str:
    """`3 values changed, 1 alert: Acme Kettle, CS 101 and 2 more`."""
    alerts = sum(1 for *_, sev in toasts if sev == "warning")
    changes = len(toasts) - alerts
    parts = []
    if changes:
        parts.append(f"{changes} value{'' if changes == 1 else 's'} changed")
    if alerts:
        parts.append(f"{alerts} alert{'' if alerts == 1 else 's'}")
    names = list(dict.fromkeys(title for title, *_ in toasts))
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return f"{', '.join(parts)}: {', '.join(names[:3])}{more}."


FOOTER_PRIORITY = ("quit", "help", "add", "check_now", "pause", "notifications", "edit",
                   "resume", "remove", "filter", "stop")
"""Footer keys kept first when the terminal is narrow (all stay in the palette and help)."""

EMPTY_HINT = (
    "No monitors yet. Press a to add one: paste a product or course page URL and preview "
    "what it would read. To see tui-tracker at work first, quit and run: tui-tracker demo"
)
EMPTY_FILTERED = "Nothing matches the filter. Press escape to clear it."

BINDINGS = [
    Binding("a", "add", "Add", id="add"),
    Binding("e", "edit", "Edit", id="edit"),
    Binding("p", "pause", "Pause", id="pause"),
    Binding("r", "resume", "Resume", id="resume"),
    Binding("s", "stop", "Stop", id="stop"),
    Binding("x,delete", "remove", "Remove", id="remove", key_display="x"),
    Binding("c", "check_now", "Check now", id="check"),
    Binding("n", "notifications", "Notifications", id="notifications"),
    Binding("enter", "toggle_detail", "Detail", id="detail", show=False),
    Binding("slash", "filter", "Filter", id="filter", key_display="/"),
    Binding("o", "cycle_sort", "Sort", id="sort", show=False),
    Binding("O", "reverse_sort", "Reverse the sort", id="reverse_sort", show=False),
    Binding("l", "activity", "Activity log", id="activity", show=False),
    Binding("y", "copy_url", "Copy the URL", id="copy_url", show=False),
    Binding("b", "open_url", "Open in a browser", id="open_url", show=False),
    Binding("space", "mark", "Mark", id="mark", show=False),
    Binding("t", "test_email", "Send a test email", id="test_email", show=False),
    Binding("question_mark", "help", "Help", id="help", key_display="?"),
    Binding("escape", "escape", "Close; clear marks, filter, detail", show=False),
    Binding("q", "quit", "Quit", id="quit"),
]


class DashboardScreen(Screen[None], ShowsWorkerErrors):
    """The main screen over an engine interface."""

    BINDINGS = list(BINDINGS)

    def __init__(self, api: EngineAPI, settings: Settings) -> None:
        super().__init__(id="dashboard")
        self.api = api
        self.settings = settings
        self.palette_ = Palette()
        self._toasts: list[tuple[str, str, str]] = []
        self._last_toast = -TOAST_GAP
        self._owner_note: str | None = None
        self.flushes = 0
        """Table flushes so far (the UI benchmark and tests wait on it)."""

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        self.status_bar = StatusBar(id="status")
        self.filter_box = Input(placeholder="filter by name or URL — enter: keep, escape: clear",
                                id="filter")
        self.table = MonitorTable(id="monitors")
        self.empty_hint = Static(id="empty")
        self.detail = DetailPane(id="detail")
        yield self.status_bar
        yield self.filter_box
        yield self.table
        yield self.empty_hint
        yield self.detail
        yield TrackerFooter(FOOTER_PRIORITY)

    async def on_mount(self) -> None:
        self.refresh_palette()
        self.filter_box.display = False
        self.detail.display = False
        self.table.on_flushed = self._flushed
        self.table.focus()
        self.set_interval(FLUSH_SECONDS, self._flush)
        self.set_interval(TICK_SECONDS, self._tick)
        self.update_status()
        start = getattr(self.app, "start_engine", None)
        if start is not None:
            await start()

    def load(self, monitors: list[Monitor]) -> None:
        """Show these monitors (start-up, or after taking over), then fill the sparklines."""
        self.table.load(monitors)
        self.table.set_checking(self.api.checking)
        self.update_status()
        self.seed_trends()

    def refresh_palette(self) -> None:
        """Cell colours from the app's theme (they live in the cells, not in CSS)."""
        app = self.app
        variables = dict(getattr(app, "theme_variables", {}) or app.get_css_variables())
        palette = Palette.from_variables(variables)
        self.palette_ = palette
        self.table.palette = palette
        self.detail.palette = palette
        self.table.repaint_all()

    def set_owner_note(self, note: str | None) -> None:
        """Said first on the status bar (attached, owner gone); None says nothing."""
        self._owner_note = note
        self.update_status()

    # ------------------------------------------------------- engine messages
    def on_monitor_changed(self, message: msg.MonitorChanged) -> None:
        m = message.monitor
        self.table.upsert(m)
        if message.checked:
            self.table.set_checking(self.table.checking - {m.id})
            if m.id not in self.table.trends or message.changed:
                self.table.push_trend(m.id, m.readings)
        if self.detail.display and self.detail.monitor_id == m.id:
            self.load_detail(m.id, with_history=message.checked)

    def on_monitor_gone(self, message: msg.MonitorGone) -> None:
        self.table.drop(message.monitor_id)

    def on_check_began(self, message: msg.CheckBegan) -> None:
        self.table.set_checking(self.table.checking | {message.monitor_id})

    def on_checks_in_flight(self, message: msg.ChecksInFlight) -> None:
        self.table.set_checking(message.ids)

    def on_values_moved(self, message: msg.ValuesMoved) -> None:
        if not message.old:
            return
        name = clean_text(message.monitor.display_name, 50)
        text = f"{format_readings(message.old, 3)} → {format_readings(message.new, 3)}"
        self._toasts.append((name, text, "information"))

    def on_alert_recorded(self, message: msg.AlertRecorded) -> None:
        e = message.event
        self._toasts.append((clean_text(e.monitor_name or e.monitor_id, 50),
                             clean_text(e.message, 160), "warning"))
        if self.settings.bell:
            self.app.bell()
        self._reload_notifications_screen()

    def on_save_trouble(self, message: msg.SaveTrouble) -> None:
        # Shown until saving works again: the values on screen are not on disk yet.
        if message.error:
            self.notify(f"{message.error} Check results are kept in memory and saving is "
                        "retried every second.", title="Not saved", severity="error",
                        markup=False, timeout=30)
        else:
            self.notify("Saving works again; all check results are on disk.",
                        title="Saved", markup=False)

    def on_delivery_changed(self, message: msg.DeliveryChanged) -> None:
        self._reload_notifications_screen()

    def _reload_notifications_screen(self) -> None:
        if isinstance(self.app.screen, NotificationsScreen):
            self.app.screen.reload()

    # ------------------------------------------------------------ timers
    def _flush(self) -> None:
        self.table.flush()
        self.update_status()
        self._show_toasts()

    def _flushed(self) -> None:
        self.flushes += 1

    def on_resize(self) -> None:
        # After layout, so the status bar's new width is known.
        self.call_after_refresh(self.update_status)

    def _tick(self) -> None:
        # Re-read the checks in flight: a check cancelled by a pause ends without an event.
        self.table.set_checking(self.api.checking)
        self.table.tick()
        self.update_status()

    def update_status(self) -> None:
        t = self.table
        self._update_empty_hint()
        self.status_bar.update(status_text(
            t.models.values(), utcnow(), len(t.checking), t.row_count, t.filter_text,
            t.sort_column, t.sort_reverse, len(t.marked), self.palette_,
            width=self.status_bar.size.width or self.app.size.width, note=self._owner_note))

    def _update_empty_hint(self) -> None:
        """An empty table says what to do next instead of showing a blank screen."""
        t = self.table
        empty = t.row_count == 0
        t.set_class(empty, "-empty")
        self.empty_hint.display = empty
        if not empty:
            return
        hint = EMPTY_FILTERED if t.models else EMPTY_HINT
        if str(self.empty_hint.content) != hint:
            self.empty_hint.update(Content(hint))

    def _show_toasts(self) -> None:
        """One toast per burst of updates, never over another screen, per `toasts`."""
        mode = getattr(self.settings, "toasts", "all")
        if mode == "alerts":
            self._toasts = [t for t in self._toasts if t[2] == "warning"]
        if mode == "off" or not self._toasts:
            self._toasts = []
            return
        if self.app.screen is not self:
            return  # held (and summed up) until the dashboard is on top again
        now = monotonic()
        if now - self._last_toast < TOAST_GAP:
            return
        toasts, self._toasts = self._toasts, []
        self._last_toast = now
        # markup=False everywhere: page text must never be parsed as markup.
        alerts = [t for t in toasts if t[2] == "warning"]
        if len(alerts) == 1 and len(toasts) > 1:  # the one alert says itself
            title, text, _ = alerts[0]
            more = len(toasts) - 1
            self.notify(f"{text} (and {more} value{'' if more == 1 else 's'} changed)",
                        title=title, severity="warning", markup=False, timeout=TOAST_GAP)
            return
        if len(toasts) == 1:
            title, text, severity = toasts[0]
            self.notify(text, title=title, severity=severity, markup=False,  # type: ignore[arg-type]
                        timeout=TOAST_GAP)
            return
        self.notify(toast_summary(toasts), title="Updates", markup=False, timeout=TOAST_GAP,
                    severity="warning" if any(t[2] == "warning" for t in toasts) else
                    "information")

    def on_screen_suspend(self) -> None:
        """Another screen opens on top: no update toast may cover it."""
        self.app.clear_notifications()

    @work(group="trends", exit_on_error=False)
    async def seed_trends(self) -> None:
        """Fill sparklines from stored history, one monitor at a time, off the loop's I/O."""
        from tui_tracker.ui.widgets.cells import trend_value

        for mid in list(self.table.models):
            try:
                history = await self.api.history(mid, TREND_POINTS)
            except TrackerError:
                continue
            values = [v for v in (trend_value(h.readings) for h in history) if v is not None]
            if values and mid in self.table.models:
                self.table.seed_trend(mid, values)

    # ------------------------------------------------------------ helpers
    def selected(self) -> Monitor | None:
        mid = self.table.selected_id
        return self.table.models.get(mid) if mid else None

    def _error(self, exc: BaseException) -> None:
        self.notify(str(exc), title="Error", severity="error", markup=False, timeout=8)

    def _need_selection(self) -> list[str]:
        ids = self.table.target_ids()
        if not ids:
            self.notify("No monitor selected: add one with a.", markup=False,
                        severity="warning")
        return ids

    @staticmethod
    def _count(n: int) -> str:
        return f"{n} monitor" + ("" if n == 1 else "s")

    # ------------------------------------------------------------ actions
    def action_add(self) -> None:
        self.app.push_screen(MonitorForm(self.api), callback=self._form_done)

    def action_edit(self) -> None:
        m = self.selected()
        if m is None:
            self._need_selection()
            return
        self.app.push_screen(MonitorForm(self.api, m), callback=self._form_done)

    def _form_done(self, result: tuple[str, Monitor] | None) -> None:
        """The form saved through the engine already; show the row and say so."""
        if result is None:
            return
        verb, saved = result
        self.table.upsert(saved)
        self.table.flush()
        self.table.select(saved.id)
        self.notify(f"{verb} {clean_text(saved.display_name, 60)} ({saved.id}); checking now.",
                    markup=False)

    def action_pause(self) -> None:
        self._set_mode(Mode.PAUSED, "Paused")

    def action_resume(self) -> None:
        self._set_mode(Mode.ACTIVE, "Resumed")

    def action_stop(self) -> None:
        self._set_mode(Mode.STOPPED, "Stopped")

    def _set_mode(self, mode: Mode, verb: str) -> None:
        ids = self._need_selection()
        if ids:
            self.apply_mode(ids, mode, verb)

    @work(group="actions", exit_on_error=False)
    async def apply_mode(self, ids: list[str], mode: Mode, verb: str) -> None:
        try:
            changed = await self.api.set_mode(ids, mode)
        except TrackerError as exc:
            self._error(exc)
            return
        for m in changed:
            self.table.upsert(m)
        self.table.flush()
        self.notify(f"{verb} {self._count(len(changed))}." if changed else
                    f"Already {mode.value}.", markup=False)

    def action_remove(self) -> None:
        ids = self._need_selection()
        if not ids:
            return
        names = ", ".join(clean_text(self.table.models[i].display_name, 40) for i in ids[:3])
        more = f" and {len(ids) - 3} more" if len(ids) > 3 else ""
        question = f"Remove {self._count(len(ids))}?"
        detail = f"{names}{more}\nIts history and notifications are deleted too."

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_monitors(ids)

        self.app.push_screen(ConfirmScreen(question, detail), callback=answered)

    @work(group="actions", exit_on_error=False)
    async def remove_monitors(self, ids: list[str]) -> None:
        try:
            removed = await self.api.remove(ids)
        except TrackerError as exc:
            self._error(exc)
            return
        for mid in removed:
            self.table.drop(mid)
        self.table.flush()
        self.notify(f"Removed {self._count(len(removed))}.", markup=False)

    def action_check_now(self) -> None:
        ids = self._need_selection()
        if ids:
            self.check_now(ids)

    @work(group="actions", exit_on_error=False)
    async def check_now(self, ids: list[str]) -> None:
        try:
            await self.api.check_now(ids)
        except TrackerError as exc:
            self._error(exc)
            return
        self.table.set_checking(self.table.checking | set(ids))
        self.notify(f"Checking {self._count(len(ids))} now.", markup=False, timeout=2)

    def action_test_email(self) -> None:
        self.notify("Sending a test email…", markup=False, timeout=2)
        self.send_test_email()

    @work(group="mail", exclusive=True, exit_on_error=False)
    async def send_test_email(self) -> None:
        try:
            result = await self.api.send_test_mail()
        except TrackerError as exc:
            self._error(exc)
            return
        self.notify(result, title="Test email", markup=False, timeout=8)

    def action_notifications(self) -> None:
        m = self.selected()
        self.app.push_screen(NotificationsScreen(self.api, m.id if m else None,
                                                 m.display_name if m else ""))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen([b for b in self.BINDINGS if isinstance(b, Binding)]))

    async def action_quit(self) -> None:
        await self.app.run_action("quit")

    def action_filter(self) -> None:
        box = self.filter_box
        box.display = True
        box.focus()

    def action_cycle_sort(self) -> None:
        current = self.table.sort_column
        visible = [k for k in SORT_CYCLE if k in self.table.visible_columns]
        nxt = visible[(visible.index(current) + 1) % len(visible)] if current in visible \
            else "name"
        self.table.sort_column = None
        self.table.sort_by(nxt)
        self.update_status()

    def action_reverse_sort(self) -> None:
        """Same column, the other way round (by name when nothing is sorted yet)."""
        table = self.table
        if table.sort_column is None:
            table.sort_column, table.sort_reverse = "name", False
        table.sort_by(table.sort_column)  # the same column again reverses it
        self.update_status()

    def action_activity(self) -> None:
        m = self.selected()
        self.app.push_screen(ActivityScreen(self.api, m.id if m else None,
                                            m.display_name if m else ""))

    def action_copy_url(self) -> None:
        """The selected URL to the clipboard through the terminal (OSC 52)."""
        m = self.selected()
        if m is None:
            self._need_selection()
            return
        self.app.copy_to_clipboard(m.url)
        self.notify(f"Copied {clean_text(m.url, 80)} (terminals that allow OSC 52 put it on "
                    "the clipboard).", markup=False, timeout=4)

    def action_open_url(self) -> None:
        """Open the selected page in a browser when this machine has a display."""
        m = self.selected()
        if m is None:
            self._need_selection()
            return
        if not has_display():
            self.app.copy_to_clipboard(m.url)
            self.notify("No display here (over SSH?): the URL is copied instead, and the "
                        "detail pane's link opens it from your terminal.", markup=False,
                        timeout=6)
            return
        self.app.open_url(m.url)
        self.notify(f"Opening {clean_text(m.url, 80)}", markup=False, timeout=3)

    def action_mark(self) -> None:
        self.table.toggle_mark()
        self.update_status()

    def action_escape(self) -> None:
        if self.table.clear_marks():
            pass
        elif self.table.filter_text:
            self._clear_filter()
        elif self.detail.display:
            self.detail.display = False
        self.update_status()

    def _clear_filter(self) -> None:
        box = self.filter_box
        box.value = ""
        box.display = False
        self.table.set_filter("")
        self.table.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value.strip())
        self.update_status()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._clear_filter()
        self.table.focus()

    def on_key(self, event: Any) -> None:
        if event.key == "escape" and self.filter_box.has_focus:
            event.stop()
            self._clear_filter()
            self.update_status()

    def action_toggle_detail(self) -> None:
        self.detail.display = not self.detail.display
        if self.detail.display:
            mid = self.table.selected_id
            if mid:
                self.load_detail(mid, with_history=True)
            else:
                self.detail.show(None)

    @on(DataTable.RowSelected, "#monitors")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_toggle_detail()

    @on(DataTable.RowHighlighted, "#monitors")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.detail.display and event.row_key.value:
            self.load_detail(event.row_key.value, with_history=True)

    @work(exclusive=True, group="detail", exit_on_error=False)
    async def load_detail(self, monitor_id: str, with_history: bool = True) -> None:
        m = self.table.models.get(monitor_id)
        if m is None:
            self.detail.show(None)
            return
        history = None
        if with_history:
            try:
                history = await self.api.history(monitor_id, 500)
            except TrackerError as exc:
                self._error(exc)
        self.detail.show(m, history)
