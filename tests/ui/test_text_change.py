"""The detail pane shows what a text monitor's latest reading changed, as lines."""

from __future__ import annotations

from datetime import timedelta

from tui_tracker.core.model import HistoryEntry, Reading, utcnow
from tui_tracker.ui.widgets.cells import Palette
from tui_tracker.ui.widgets.detail import text_change


def _entry(minutes: int, text: str) -> HistoryEntry:
    return HistoryEntry(at=utcnow() + timedelta(minutes=minutes),
                        readings=[Reading("text", "Status", text)])


def test_shows_removed_and_added_lines_against_the_last_different_text() -> None:
    history = [_entry(0, "Incidents\nAll good\nNext window: Tuesday"),
               _entry(10, "Incidents\nAll good\nNext window: Tuesday"),
               _entry(20, "Incidents\nDegraded API [bold]x[/]\nNext window: Tuesday")]
    change = text_change(history, Palette())
    assert change is not None
    lines = change.plain.splitlines()
    assert "- All good" in lines
    assert "+ Degraded API [bold]x[/]" in lines  # page text stays literal
    assert not any(line.startswith(("---", "+++")) for line in lines)


def test_nothing_to_show_without_an_earlier_different_text() -> None:
    assert text_change([_entry(0, "same")], Palette()) is None
    assert text_change([_entry(0, "same"), _entry(5, "same")], Palette()) is None
