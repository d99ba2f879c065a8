"""The amounts a price page shows, listed after a form preview so one can be picked.

Picking one posts `CandidateList.Picked` with its selector; the form puts that selector
in its Selector field, so the monitor watches exactly that element. Page text is shown
as inert `Text` (never markup).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_tracker.core.formatting import format_value
from tui_tracker.core.model import Candidate, Reading
from tui_tracker.core.text import clean_text

MAX_SHOWN = 12


class CandidateList(OptionList):
    """One option per candidate: amount, the words around it, and its selector."""

    @dataclass
    class Picked(Message):
        """The user chose a candidate; `selector` selects its element alone."""

        selector: str

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.candidates: list[Candidate] = []

    def show(self, candidates: list[Candidate]) -> None:
        """Replace the listed candidates; the list hides itself when there are none."""
        self.candidates = list(candidates)[:MAX_SHOWN]
        self.clear_options()
        for i, cand in enumerate(self.candidates):
            line = Text(format_value(Reading("price", "", cand.value, cand.unit)), style="bold")
            line.append("  " + clean_text(cand.context, 70))
            line.append("  " + clean_text(cand.selector, 60), style="dim")
            self.add_option(Option(line, id=str(i)))
        self.display = bool(self.candidates)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id or 0)
        if 0 <= index < len(self.candidates):
            self.post_message(self.Picked(self.candidates[index].selector))
