"""The activity log (`l`): what the engine did lately, newest first, one line each.

The same lines `tui-tracker run` prints (engine/activity.py makes both): checks with
their values, changes, errors, alerts and deliveries. `a` switches between the
selected monitor and all; typing in the box filters the lines by any word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, RichLog, Static

from tui_tracker.core.text import clean_text
from tui_tracker.ui.workers import ShowsWorkerErrors

if TYPE_CHECKING:
    from tui_tracker.engine.activity import Activity
    from tui_tracker.engine.api import EngineAPI

LIMIT = 500
REFRESH_SECONDS = 1.0


class ActivityScreen(ModalScreen[None], ShowsWorkerErrors):
    """The engine's recent activity, live while open."""

    BINDINGS = [
        Binding("escape,l", "close", "Close"),
        Binding("a", "toggle_scope", "Selected / all"),
    ]

    def __init__(self, api: EngineAPI, monitor_id: str | None = None,
                 monitor_name: str = "") -> None:
        super().__init__(classes="dialog")
        self.api = api
        self.monitor_id = monitor_id
        self.monitor_name = monitor_name
        self.show_all = True
        self.items: list[Activity] = []
        self._shown: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="activity-box"):
            yield Static(id="activity-title", classes="dialog-title")
            yield Input(placeholder="filter: a monitor id, name or word (e.g. error, alert)",
                        id="activity-filter", compact=True)
            yield RichLog(id="activity-log", wrap=True, markup=False, auto_scroll=False)
            yield Static(Text("a: selected monitor / all   escape: close"),
                         classes="dialog-detail")

    def on_mount(self) -> None:
        self.query_one(RichLog).focus()
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload)

    @work(exclusive=True, group="activity", exit_on_error=False)
    async def reload(self) -> None:
        scope = None if self.show_all else self.monitor_id
        self.items = await self.api.activity(scope, LIMIT)
        self._draw()

    def visible_lines(self) -> list[str]:
        words = self.query_one("#activity-filter", Input).value.casefold().split()
        lines = [a.line() for a in self.items]  # its parts are cleaned already
        return [line for line in lines if all(w in line.casefold() for w in words)]

    def _draw(self) -> None:
        lines = self.visible_lines()
        scope = ("all monitors" if self.show_all or self.monitor_id is None
                 else clean_text(self.monitor_name or self.monitor_id, 60))
        self.query_one("#activity-title", Static).update(
            Text(f"Activity — {scope} ({len(lines)} lines, newest first)"))
        if lines == self._shown:
            return
        self._shown = lines
        log = self.query_one(RichLog)
        log.clear()
        if not lines:
            log.write(Text("Nothing yet: checks, changes, alerts and deliveries show here."))
        for line in lines:
            log.write(Text(line))

    @on(Input.Changed, "#activity-filter")
    def _filter(self) -> None:
        self._draw()

    def action_toggle_scope(self) -> None:
        if self.monitor_id is None:
            return
        self.show_all = not self.show_all
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
