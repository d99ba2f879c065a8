"""The one-line status bar: counts by health and by mode, checks in flight, filter, sort."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tui_tracker.core.model import Health, Mode, Monitor
from tui_tracker.core.text import clean_text
from tui_tracker.ui.widgets.cells import HEALTH_BADGE, MODE_BADGE, Palette


def status_text(monitors: Iterable[Monitor], now: datetime, busy: int, shown: int,
                filter_text: str, sort: str | None, reverse: bool, marked: int,
                p: Palette, width: int | None = None, note: str | None = None) -> Text:
    """The status line; the compact form when the full one is wider than `width`.

    `note` comes first in either form ("attached to pid 123"): which engine this
    window shows matters more than any count.

    Full:    ` tui-tracker  5 monitors  ● 5 ok  ◌ 0 stale ... │ ⟳ 2 checking`
    Compact: ` 5 ●  0 ◌  0 ✖ │ 5▶ 0‖ 0■ │ ⟳2` (80 columns keep checks in flight).
    """
    monitors = list(monitors)
    health = Counter(m.health(now) for m in monitors)
    modes = Counter(m.mode for m in monitors)
    full = _full(len(monitors), health, modes, busy, shown, filter_text, sort, reverse,
                 marked, p)
    if note:
        full = Text.assemble(Text(f" {note} ", style=p.accent), full, no_wrap=True,
                             overflow="ellipsis", end="")
    if width is None or full.cell_len <= width:
        return full
    compact = _compact(health, modes, busy, shown, filter_text, sort, reverse, marked, p)
    if note:
        compact = Text.assemble(Text(f" {note} │", style=p.accent), compact, no_wrap=True,
                                overflow="ellipsis", end="")
    return compact


def _health_styles(p: Palette) -> dict[Health, Style]:
    return {Health.HEALTHY: p.success, Health.STALE: p.warning, Health.ERROR: p.error,
            Health.BLOCKED: p.warning, Health.NEW: p.muted}


def _shown(health: Counter[Health]) -> list[Health]:
    """Every health, but `blocked` and `new` only when some monitor is (keeps 80 columns)."""
    return [h for h in Health if h not in (Health.BLOCKED, Health.NEW) or health[h]]


def _full(total: int, health: Counter[Health], modes: Counter[Mode], busy: int, shown: int,
          filter_text: str, sort: str | None, reverse: bool, marked: int,
          p: Palette) -> Text:
    t = Text(no_wrap=True, overflow="ellipsis", end="")
    t.append(" tui-tracker ", style="bold")
    t.append(f" {total} monitors  ")
    styles = _health_styles(p)
    for h in _shown(health):
        symbol, word = HEALTH_BADGE[h].split(" ", 1)
        t.append(f"{symbol} {health[h]} {word}  ", style=styles[h] if health[h] else p.muted)
    t.append("│ ", style=p.muted)
    for mode in Mode:
        symbol, word = MODE_BADGE[mode].split(" ", 1)
        t.append(f"{symbol} {modes[mode]} {word}  ", style=p.muted if not modes[mode] else "")
    t.append("│ ", style=p.muted)
    t.append(f"⟳ {busy} checking" if busy else "idle", style=p.accent if busy else p.muted)
    if marked:
        t.append(f"  ✓ {marked} marked", style="bold")
    if filter_text:
        t.append(f"  filter “{clean_text(filter_text, 30)}”: {shown} shown", style=p.accent)
    if sort:
        t.append(f"  sort {sort} {'▼' if reverse else '▲'}", style=p.muted)
    return t


def _compact(health: Counter[Health], modes: Counter[Mode], busy: int, shown: int,
             filter_text: str, sort: str | None, reverse: bool, marked: int,
             p: Palette) -> Text:
    """Counts before symbols, no words: the symbols are the legend (the table shows them)."""
    t = Text(no_wrap=True, overflow="ellipsis", end="")
    styles = _health_styles(p)
    for h in _shown(health):
        symbol = HEALTH_BADGE[h].split(" ", 1)[0]
        t.append(f" {health[h]} {symbol} ", style=styles[h] if health[h] else p.muted)
    t.append("│", style=p.muted)
    for mode in Mode:
        symbol = MODE_BADGE[mode].split(" ", 1)[0]
        t.append(f" {modes[mode]}{symbol}", style=p.muted if not modes[mode] else "")
    t.append(" │ ", style=p.muted)
    t.append(f"⟳{busy}" if busy else "idle", style=p.accent if busy else p.muted)
    if marked:
        t.append(f" ✓{marked}", style="bold")
    if filter_text:
        t.append(f" /{clean_text(filter_text, 12)}: {shown}", style=p.accent)
    if sort:
        t.append(f" {sort}{'▼' if reverse else '▲'}", style=p.muted)
    return t


class StatusBar(Static):
    """Docked at the top; the app updates it after each table flush and clock tick."""
