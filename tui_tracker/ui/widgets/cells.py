"""Table cells for one monitor, built as `rich.text.Text` so page text is never markup.

DataTable parses a `str` cell as markup: `[@click=app.quit]x[/]` becomes a live action
and `Save [/] now` raises MarkupError (HOSTILE-INPUTS 34-35). Every cell here is a
`Text` whose string is `clean_text`-ed first (36). Colours come from the running
theme (`Palette`), so light/dark themes and NO_COLOR follow Textual's settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rich.style import Style
from rich.text import Text

from tui_tracker.core.formatting import ago, format_readings, format_value
from tui_tracker.core.model import Health, Mode, Monitor, Reading
from tui_tracker.core.text import clean_text

SPARK = "▁▂▃▄▅▆▇█"
HEALTH_BADGE = {Health.HEALTHY: "● ok", Health.STALE: "◌ stale", Health.ERROR: "✖ error",
                Health.BLOCKED: "⊘ blocked", Health.NEW: "○ new"}
HEALTH_MEANING = {
    Health.HEALTHY: "the last check worked and is recent",
    Health.STALE: "no successful check for over twice the interval (the engine was down, "
                  "backlogged, or the monitor has never worked yet)",
    Health.ERROR: "the last check failed; the value column and the detail pane say why",
    Health.BLOCKED: "a login wall or bot check answered instead of the page",
    Health.NEW: "not checked yet",
}
"""What each badge means, for the help screen (a paused or stopped monitor keeps the
health it last had: only active monitors go stale)."""
MODE_BADGE = {Mode.ACTIVE: "▶ active", Mode.PAUSED: "‖ paused", Mode.STOPPED: "■ stopped"}


@dataclass(frozen=True, slots=True)
class Palette:
    """Rich styles resolved from the app's theme variables (never hard-coded colours)."""

    success: Style = field(default_factory=Style)
    warning: Style = field(default_factory=Style)
    error: Style = field(default_factory=Style)
    muted: Style = field(default_factory=Style)
    accent: Style = field(default_factory=Style)

    @classmethod
    def from_variables(cls, variables: dict[str, str]) -> Palette:
        def color(name: str, *, bold: bool = False) -> Style:
            value = variables.get(name)
            try:
                return Style(color=value, bold=bold) if value else Style(bold=bold)
            except Exception:  # a theme value Rich cannot parse: fall back to no colour
                return Style(bold=bold)

        return cls(success=color("success"), warning=color("warning"),
                   error=color("error", bold=True),
                   muted=color("foreground-muted") or Style(dim=True),
                   accent=color("accent"))


def plain(value: object, max_len: int = 200) -> Text:
    """Untrusted text as an inert, one-line cell."""
    return Text(clean_text(value, max_len), no_wrap=True, overflow="ellipsis", end="")


def health_cell(health: Health, p: Palette, active: bool = True) -> Text:
    """The badge; muted for a paused or stopped monitor (its health is only kept)."""
    style = {Health.HEALTHY: p.success, Health.STALE: p.warning, Health.ERROR: p.error,
             Health.BLOCKED: p.warning, Health.NEW: p.muted}[health]
    return Text(HEALTH_BADGE[health], style=style if active else p.muted, no_wrap=True, end="")


def mode_cell(mode: Mode, p: Palette) -> Text:
    style = Style() if mode is Mode.ACTIVE else p.muted
    return Text(MODE_BADGE[mode], style=style, no_wrap=True, end="")


def name_cell(m: Monitor, marked: bool = False) -> Text:
    text = plain(m.display_name, 120)
    if marked:
        text = Text.assemble(("✓ ", "bold"), text, no_wrap=True, end="")
    return text


def value_cell(m: Monitor, p: Palette) -> Text:
    """Current value, or the error reason when the last check failed."""
    if m.error is not None:
        return Text(clean_text(m.error, 120), style=p.error, no_wrap=True,
                    overflow="ellipsis", end="")
    if not m.readings:
        return Text("—", style=p.muted, end="")
    text = Text(format_readings(m.readings, limit=8), no_wrap=True, overflow="ellipsis", end="")
    if m.in_stock is False:
        text.append(" out of stock", style=p.warning)
    return text


def target_cell(m: Monitor, p: Palette) -> Text:
    parts = []
    if m.rules.below is not None:
        unit = m.readings[0].unit if m.readings else None
        parts.append("≤ " + format_value(Reading("price", "", m.rules.below, unit)))
    if m.rules.drop_pct is not None:
        parts.append(f"-{m.rules.drop_pct:g}%")
    if not parts:
        return Text("", end="")
    reached = bool(m.readings and m.rules.below is not None
                   and (m.readings[0].number or float("inf")) <= m.rules.below)
    return Text(" ".join(parts), style=p.success if reached else Style(), no_wrap=True, end="")


def sparkline(values: Sequence[float], width: int = 12) -> str:
    """Unicode block sparkline of the last `width` finite values."""
    vals = [v for v in values if v == v and v not in (float("inf"), float("-inf"))][-width:]
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    if hi == lo:
        return SPARK[3] * len(vals)
    scale = (len(SPARK) - 1) / (hi - lo)
    return "".join(SPARK[round((v - lo) * scale)] for v in vals)


def spark_cell(values: Sequence[float], p: Palette, width: int = 12) -> Text:
    """Exactly `width` cells: the newest value at the right edge, blanks before.

    A fixed width that equals the column's keeps every row's bars inside the column
    (and the newest points lined up) whatever the number of values so far.
    """
    line = sparkline(values, width)
    return Text(line.rjust(width), style=p.accent, no_wrap=True, overflow="crop", end="")


def time_cell(when: datetime | None, now: datetime, p: Palette) -> Text:
    return Text(ago(when, now), style=p.muted if when is None else Style(), no_wrap=True, end="")


def next_cell(m: Monitor, now: datetime, p: Palette) -> Text:
    if m.mode is not Mode.ACTIVE:
        return Text("—", style=p.muted, end="")
    if m.next_check is None or m.next_check <= now:
        return Text("due", no_wrap=True, end="")
    return Text(ago(m.next_check, now), no_wrap=True, end="")


def trend_value(readings: Sequence[Reading]) -> float | None:
    """The one number a sparkline follows: the price, or the total of open seats."""
    numbers = [r.number for r in readings if r.number is not None]
    if not numbers:
        return None
    if readings and readings[0].unit == "seats":
        return float(sum(numbers))
    return numbers[0]
