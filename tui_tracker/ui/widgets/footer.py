"""A compact footer that keeps the most useful keys when the terminal is narrow.

Textual's Footer lays every shown binding in one row and lets the rest fall off the
right edge: at 80 columns Help (?) and Quit (q) were the ones lost. This footer is
compact (less padding per key) and, when the keys still do not fit, leaves out the
lowest-priority ones. They stay in the command palette and the help screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PALETTE_ROOM = 12
"""Cells the command-palette key on the right takes (`▏^p palette`)."""


def key_width(key: FooterKey) -> int:
    """Cells one compact key takes: `k Description` and a one-cell margin."""
    return cell_len(key.key_display) + 1 + cell_len(key.description) + 1


def keys_that_fit(keys: Sequence[FooterKey], priority: Sequence[str], width: int) -> set[str]:
    """Actions to show: by priority while they fit; unlisted actions come last."""
    rank = {action: i for i, action in enumerate(priority)}
    ordered = sorted(keys, key=lambda k: rank.get(k.action, len(rank)))
    shown: set[str] = set()
    used = 0
    for key in ordered:
        w = key_width(key)
        if used + w > width:
            continue
        used += w
        shown.add(key.action)
    return shown


class TrackerFooter(Footer):
    """`Footer(compact=True)` that drops low-priority keys to fit its width."""

    def __init__(self, priority: Iterable[str], **kwargs: object) -> None:
        super().__init__(compact=True, **kwargs)  # type: ignore[arg-type]
        self.priority = tuple(priority)
        self.shown_actions: set[str] = set()
        """Actions on screen after the last compose (tests read it)."""
        self._laid_out_width = 0

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        width = self.size.width or self.app.size.width
        self._laid_out_width = width
        keys = [w for w in widgets if isinstance(w, FooterKey)
                and not w.has_class("-command-palette")]
        room = width - (PALETTE_ROOM if len(keys) < len(widgets) else 0)
        self.shown_actions = keys_that_fit(keys, self.priority, room)
        for widget in widgets:
            if (isinstance(widget, FooterKey) and not widget.has_class("-command-palette")
                    and widget.action not in self.shown_actions):
                continue
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)
