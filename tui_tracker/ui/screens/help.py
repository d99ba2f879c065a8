"""Every key of the dashboard, generated from the bindings so it cannot go stale."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui_tracker.ui.widgets.cells import HEALTH_BADGE, HEALTH_MEANING

EXTRA_KEYS = [
    ("↑ ↓ PgUp PgDn", "move through the monitors"),
    ("click a header", "sort by that column (again: reverse)"),
    ("ctrl+p", "command palette: every action by name"),
]
FILTER_HELP = ("/ filters by name, URL or tag; tag:cs shows only monitors tagged cs.")


class HelpScreen(ModalScreen[None]):
    """Keys from the app's BINDINGS plus the few that come from widgets."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__(classes="dialog")
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for binding in self.bindings:
            if binding.description:
                keys = ", ".join(k.strip() for k in binding.key.split(","))
                table.add_row(Text(binding.key_display or keys), Text(binding.description))
        for keys, what in EXTRA_KEYS:
            table.add_row(Text(keys), Text(what))
        badges = Table.grid(padding=(0, 2))
        badges.add_column(no_wrap=True)
        badges.add_column()
        for health, badge in HEALTH_BADGE.items():
            badges.add_row(Text(badge), Text(HEALTH_MEANING[health]))
        with VerticalScroll(classes="dialog-box", id="help-box"):
            yield Static(Text("tui-tracker keys", style="bold"), classes="dialog-title")
            yield Static(table)
            yield Static(Text(FILTER_HELP), classes="dialog-detail")
            yield Static(Text("Health", style="bold"), classes="dialog-detail")
            yield Static(badges)
            yield Static(Text("Health is what the checks see; Mode is what you asked for. A "
                              "paused or stopped monitor keeps the health it last had."),
                         classes="dialog-detail")
            yield Static(Text("escape closes this screen"), classes="dialog-detail")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
