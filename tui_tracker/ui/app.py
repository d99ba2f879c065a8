"""The Textual app: the dashboard, its keys, and the bridge from engine events to widgets.

The engine runs on this app's event loop (started on mount, stopped on exit). One
subscriber turns each engine event into a message from `ui/messages.py`; handlers
only record what changed, and a 0.2 s timer flushes the table in one batch, so a
flood of check results never costs more than five repaints a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Any

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from tui_tracker.config import Settings
from tui_tracker.core.errors import TrackerError
from tui_tracker.core.formatting import format_readings
from tui_tracker.core.model import Mode, Monitor, utcnow
from tui_tracker.core.text import clean_text
from tui_tracker.engine import events as ev
from tui_tracker.ui import messages as msg
from tui_tracker.ui.commands import TrackerCommands
from tui_tracker.ui.screens.confirm import ConfirmScreen
from tui_tracker.ui.screens.form import MonitorForm
from tui_tracker.ui.screens.help import HelpScreen
from tui_tracker.ui.screens.notifications import NotificationsScreen
from tui_tracker.ui.terminal import arm_exit_deadline, guarded_driver
from tui_tracker.ui.widgets.cells import Palette
from tui_tracker.ui.widgets.detail import DetailPane
from tui_tracker.ui.widgets.footer import TrackerFooter
from tui_tracker.ui.widgets.monitor_table import COLUMNS, TREND_POINTS, MonitorTable
from tui_tracker.ui.widgets.status import StatusBar, status_text

FLUSH_SECONDS = 0.2
TICK_SECONDS = 1.0
MAX_TOASTS_PER_FLUSH = 3
"""More value changes than this in one flush become one summary toast, not a wall."""
SORT_CYCLE = tuple(c.key for c in COLUMNS)
FOOTER_PRIORITY = ("quit", "help", "add", "check_now", "pause", "notifications", "edit",
                   "resume", "remove", "filter", "stop")
"""Footer keys kept first when the terminal is narrow (all stay in the palette and help)."""


EMPTY_HINT = (
    "No monitors yet. Press a to add one: paste a product or course page URL and preview "
    "what it would read. To see tui-tracker at work first, quit and run: tui-tracker demo"
)
EMPTY_FILTERED = "Nothing matches the filter. Press escape to clear it."


class TrackerApp(App[int]):
    """The tui-tracker dashboard over a running `Engine`."""

    TITLE = "tui-tracker"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {TrackerCommands}
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
        Binding("space", "mark", "Mark", id="mark", show=False),
        Binding("t", "test_email", "Send a test email", id="test_email", show=False),
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
        Binding("escape", "escape", "Clear filter / marks", show=False),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, engine: Any, settings: Settings | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.settings = settings or engine.settings
        self.palette_ = Palette()
        self._unsubscribe: Any = None
        self._toasts: list[tuple[str, str, str]] = []
        self._engine_stopped = False
        self._hung_up = False
        self.flushes = 0
        """Table flushes so far (the UI benchmark and tests wait on it)."""

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        # Kept as attributes: `query_one` searches the active screen, which is a modal
        # while a dialog is open, and the timers keep running under it.
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
        self.filter_box.display = False
        self.detail.display = False
        self._refresh_palette()
        self.theme_changed_signal.subscribe(self, lambda _theme: self._on_theme())
        self.table.on_flushed = self._flushed
        self.table.load(self.engine.list())
        self.table.focus()
        self._unsubscribe = self.engine.subscribe(self._on_engine_event)
        await self.engine.start()
        self.set_interval(FLUSH_SECONDS, self._flush)
        self.set_interval(TICK_SECONDS, self._tick)
        self._update_status()
        self.seed_trends()
        self._catch_hangup()

    async def on_unmount(self) -> None:
        self._release_signals()
        await self.stop_engine()

    # ------------------------------------------------------------ signals
    HANGUP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)

    def _catch_hangup(self) -> None:
        """SIGHUP (the SSH session dropped) and SIGTERM close the app as `q` does.

        Python's default for both is to die on the spot: no state saved, and the
        browser left to notice its pipe closing. Pilot tests run headless in the
        test runner's process, whose signals are left alone.
        """
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in self.HANGUP_SIGNALS:
            try:
                loop.add_signal_handler(sig, self._on_hangup, sig)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not the main thread, or no signals here: keep the default

    def _release_signals(self) -> None:
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in self.HANGUP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)

    def get_driver_class(self) -> Any:
        """Textual's terminal driver, made to survive a terminal that vanishes (ui/terminal.py)."""
        base = super().get_driver_class()
        return guarded_driver(base) if base.__name__ == "LinuxDriver" else base

    def on_terminal_lost(self) -> None:
        """The terminal is gone without a SIGHUP reaching us first: close as on SIGHUP."""
        self._on_hangup(signal.SIGHUP)

    def _on_hangup(self, sig: signal.Signals) -> None:
        if self._hung_up:
            return
        self._hung_up = True
        # Whatever stalls on the way out (a dead terminal, a hung browser), the process
        # ends within 5 s and the kernel releases the data dir (DESIGN "Small print").
        arm_exit_deadline(128 + int(sig))
        self.run_worker(self._close_after_signal(sig), group="hangup", exit_on_error=False)

    async def _close_after_signal(self, sig: signal.Signals) -> None:
        await self.stop_engine()
        self.exit(128 + int(sig))

    async def stop_engine(self) -> None:
        """Stop checks, save state, close the browser; idempotent."""
        if self._engine_stopped:
            return
        self._engine_stopped = True
        if self._unsubscribe is not None:
            self._unsubscribe()
        await self.engine.stop()

    def _refresh_palette(self) -> None:
        variables = dict(getattr(self, "theme_variables", {}) or self.get_css_variables())
        self.palette_ = Palette.from_variables(variables)
        self.table.palette = self.palette_
        self.detail.palette = self.palette_

    def _on_theme(self) -> None:
        self._refresh_palette()
        self.table.repaint_all()

    # ------------------------------------------------------- engine -> messages
    def _on_engine_event(self, event: ev.EngineEvent) -> None:
        """The engine subscriber: wrap, post, return at once (runs on our loop)."""
        if isinstance(event, ev.CheckFinished):
            self.post_message(msg.MonitorChanged(event.monitor, checked=True,
                                                 changed=event.changed))
        elif isinstance(event, ev.MonitorUpdated):
            self.post_message(msg.MonitorChanged(event.monitor))
        elif isinstance(event, ev.MonitorRemoved):
            self.post_message(msg.MonitorGone(event.monitor_id))
        elif isinstance(event, ev.CheckStarted):
            self.post_message(msg.CheckBegan(event.monitor_id))
        elif isinstance(event, ev.ValuesChanged):
            self.post_message(msg.ValuesMoved(event.monitor, event.old, event.new))
        elif isinstance(event, ev.AlertFired):
            self.post_message(msg.AlertRecorded(event.event))
        elif isinstance(event, ev.DeliveryUpdated):
            self.post_message(msg.DeliveryChanged(event.event))
        elif isinstance(event, ev.SaveFailed):
            self.post_message(msg.SaveTrouble(event.error))

    def on_monitor_changed(self, message: msg.MonitorChanged) -> None:
        m = message.monitor
        self.table.upsert(m)
        if message.checked and (m.id not in self.table.trends or message.changed):
            self.table.push_trend(m.id, m.readings)
        if self.detail.display and self.detail.monitor_id == m.id:
            self.load_detail(m.id, with_history=message.checked)

    def on_monitor_gone(self, message: msg.MonitorGone) -> None:
        self.table.drop(message.monitor_id)

    def on_check_began(self, message: msg.CheckBegan) -> None:
        self._status_dirty = True

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
            self.bell()
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
        if isinstance(self.screen, NotificationsScreen):
            self.screen.reload()

    # ------------------------------------------------------------ timers
    def _flush(self) -> None:
        self.table.flush()
        self._update_status()
        self._show_toasts()

    def _flushed(self) -> None:
        self.flushes += 1

    def on_resize(self) -> None:
        # After layout, so the status bar's new width is known.
        self.call_after_refresh(self._update_status)

    def _tick(self) -> None:
        self.table.tick()
        self._update_status()

    def _update_status(self) -> None:
        t = self.table
        self._update_empty_hint()
        self.status_bar.update(status_text(
            t.models.values(), utcnow(), self.engine.busy, t.row_count, t.filter_text,
            t.sort_column, t.sort_reverse, len(t.marked), self.palette_,
            width=self.status_bar.size.width or self.size.width))

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
        toasts, self._toasts = self._toasts, []
        if not toasts:
            return
        if len(toasts) > MAX_TOASTS_PER_FLUSH:
            alerts = sum(1 for *_, sev in toasts if sev == "warning")
            summary = f"{len(toasts) - alerts} values changed, {alerts} alerts fired."
            # markup=False everywhere: page text must never be parsed as markup.
            self.notify(summary, title="Updates", markup=False,
                        severity="warning" if alerts else "information")
            return
        for title, text, severity in toasts:
            self.notify(text, title=title, severity=severity, markup=False)  # type: ignore[arg-type]

    @work(group="trends", exit_on_error=False)
    async def seed_trends(self) -> None:
        """Fill sparklines from stored history, one monitor at a time, off the loop's I/O."""
        from tui_tracker.ui.widgets.cells import trend_value

        for mid in list(self.table.models):
            try:
                history = await self.engine.history(mid, TREND_POINTS)
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
        self.push_screen(MonitorForm(), callback=self._form_done)

    def action_edit(self) -> None:
        m = self.selected()
        if m is None:
            self._need_selection()
            return
        self.push_screen(MonitorForm(m), callback=self._form_done)

    def _form_done(self, monitor: Monitor | None) -> None:
        if monitor is not None:
            self.save_monitor(monitor)

    @work(group="actions", exit_on_error=False)
    async def save_monitor(self, monitor: Monitor) -> None:
        try:
            if monitor.id and monitor.id in self.table.models:
                saved = await self.engine.update(monitor)
                verb = "Saved"
            else:
                saved = await self.engine.add(monitor)
                verb = "Added"
        except TrackerError as exc:
            self._error(exc)
            return
        self.table.upsert(saved)
        self.table.flush()
        self.table._restore_cursor(saved.id)
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
            changed = await self.engine.set_mode(ids, mode)
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

        self.push_screen(ConfirmScreen(question, detail), callback=answered)

    @work(group="actions", exit_on_error=False)
    async def remove_monitors(self, ids: list[str]) -> None:
        try:
            removed = await self.engine.remove(ids)
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
            self.engine.check_now(ids)
            self.notify(f"Checking {self._count(len(ids))} now.", markup=False, timeout=2)

    def action_test_email(self) -> None:
        self.notify("Sending a test email…", markup=False, timeout=2)
        self.send_test_email()

    @work(group="mail", exclusive=True, exit_on_error=False)
    async def send_test_email(self) -> None:
        try:
            result = await self.engine.send_test_mail()
        except TrackerError as exc:
            self._error(exc)
            return
        self.notify(result, title="Test email", markup=False, timeout=8)

    def action_notifications(self) -> None:
        m = self.selected()
        self.push_screen(NotificationsScreen(m.id if m else None,
                                             m.display_name if m else ""))

    def action_help(self) -> None:
        self.push_screen(HelpScreen(list(self.BINDINGS)))

    def action_filter(self) -> None:
        box = self.filter_box
        box.display = True
        box.focus()

    def action_cycle_sort(self) -> None:
        current = self.table.sort_column
        visible = [k for k in SORT_CYCLE if k in self.table._layout]
        nxt = visible[(visible.index(current) + 1) % len(visible)] if current in visible \
            else "name"
        self.table.sort_column = None
        self.table.sort_by(nxt)
        self._update_status()

    def action_mark(self) -> None:
        self.table.toggle_mark()
        self._update_status()

    def action_escape(self) -> None:
        if self.table.marked:
            marked, self.table.marked = self.table.marked, set()
            for mid in marked:
                self.table._dirty.add(mid)
            self.table.flush()
        elif self.table.filter_text:
            self._clear_filter()
        elif self.detail.display:
            self.detail.display = False
        self._update_status()

    def _clear_filter(self) -> None:
        box = self.filter_box
        box.value = ""
        box.display = False
        self.table.set_filter("")
        self.table.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value.strip())
        self._update_status()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._clear_filter()
        self.table.focus()

    def on_key(self, event: Any) -> None:
        box = self.filter_box
        if event.key == "escape" and box.has_focus:
            event.stop()
            self._clear_filter()
            self._update_status()

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
                history = await self.engine.history(monitor_id, 500)
            except TrackerError as exc:
                self._error(exc)
        self.detail.show(m, history)

    async def action_quit(self) -> None:
        self.notify("Saving and closing…", markup=False, timeout=2)
        await self.stop_engine()
        self.exit(0)

