"""History charts drawn with plotext 6 into a string, shown as `rich.text.Text`.

plotext 6 has no module-level `plot()`/`build()` as 5.x had: each chart builds on a
fresh `terminal()._master` figure (no shared global state between charts), and
`figure.build().string()` returns the ANSI text. Prices are drawn as a step line
(a price holds until the next check sees a new one); seats get one series per
section. NaN/inf never reach plotext (it cannot scale them): points are filtered.

`HistoryChart` is the widget: it draws at its own content size on every render, so
the chart fills its container and follows resizes (a chart drawn once at a guessed
size filled a third of the pane). plotext's own legend is a framed box drawn over
the data; a one-line legend above the plot, coloured like the series, costs one row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui_tracker.core.model import HistoryEntry
from tui_tracker.core.text import clean_text

MAX_SERIES = 6
"""Sections beyond this are left out of the chart (the table lists them all)."""
SERIES_COLORS = (12, 10, 9, 14, 13, 11)
"""ANSI colour numbers per series: the chart and its legend use the same ones."""
SERIES_MARKS = ("•", "×", "+", "o", "*", "#")
"""Without colour, series are told apart by these marks (the legend shows them)."""
MIN_WIDTH, MIN_HEIGHT = 20, 6
NICE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 2 * 3600,
              3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400,
              30 * 86400)
"""Seconds between time labels: the first that fits the width is used."""
NO_HISTORY = "No history yet: the chart appears after the first successful check."

Series = dict[str, tuple[str, list[tuple[float, float]]]]


def _series(history: Sequence[HistoryEntry]) -> Series:
    """key -> (label, [(timestamp, value)]) with only finite numbers, oldest first."""
    out: Series = {}
    for entry in sorted(history, key=lambda e: e.at):
        ts = entry.at.timestamp()
        for reading in entry.readings:
            n = reading.number
            if n is None or not math.isfinite(n):
                continue
            _label, points = out.setdefault(reading.key, (reading.label, []))
            points.append((ts, n))
    return out


def _all_seats(history: Sequence[HistoryEntry], keys: set[str]) -> bool:
    return any(entry.readings for entry in history) and all(
        r.unit == "seats" for entry in history for r in entry.readings if r.key in keys)


def seat_ticks(top: float, height: int) -> list[float]:
    """Whole-number y ticks from 0 to at least `top` (and at least 1), a row or more apart."""
    top = max(1, math.ceil(top))
    rows = max(2, height // 3)
    step = max(1, math.ceil(top / rows))
    last = step * math.ceil(top / step)
    return [float(v) for v in range(0, last + 1, step)]


def _step(points: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """A value holds until the next point: (x0,y0) (x1,y0) (x1,y1) ..."""
    xs: list[float] = []
    ys: list[float] = []
    for i, (x, y) in enumerate(points):
        if i:
            xs.append(x)
            ys.append(points[i - 1][1])
        xs.append(x)
        ys.append(y)
    return xs, ys


def _tick_format(step: float, span: float) -> str:
    if step < 60:
        return "%H:%M:%S"
    if step >= 86400:
        return "%b %d"
    return "%b %d %H:%M" if span >= 86400 else "%H:%M"


def _local_offset(ts: float) -> float:
    offset = datetime.fromtimestamp(ts).astimezone().utcoffset()
    return offset.total_seconds() if offset else 0.0


def time_ticks(lo: float, hi: float, plot_width: int) -> tuple[list[float], list[str]]:
    """Round-valued local-time ticks in [lo, hi] whose labels fit `plot_width` cells.

    Labels are HH:MM:SS for spans of seconds, HH:MM within a day, "Nov 24 18:00"
    across days at hourly steps and "Nov 24" for steps of a day or more.
    """
    if hi <= lo:
        return [lo], [datetime.fromtimestamp(lo).strftime("%H:%M:%S")]
    span = hi - lo
    for step in NICE_STEPS:
        fmt = _tick_format(step, span)
        label_len = len(datetime.fromtimestamp(lo).strftime(fmt)) + 2
        if (span / step + 1) * label_len <= plot_width:
            break
    else:
        step = NICE_STEPS[-1]
        fmt = _tick_format(step, span)
    offset = _local_offset(lo)
    first = math.ceil((lo + offset) / step) * step - offset
    positions: list[float] = []
    t = first
    while t <= hi + 1e-6:
        positions.append(t)
        t += step
    if not positions:  # the span holds no round value: label both ends
        positions = [lo, hi]
    return positions, [datetime.fromtimestamp(p).strftime(fmt) for p in positions]


def _label(label: str, key: str) -> str:
    name = clean_text(label or key, 24)
    return name[8:] if name.lower().startswith("section ") else name


def legend(names: Sequence[str], *, color: bool) -> Text:
    """One line naming each series in its colour (or with its mark when colourless)."""
    t = Text(no_wrap=True, overflow="ellipsis", end="")
    for i, name in enumerate(names):
        if i:
            t.append("   ")
        if color:
            t.append("━━ ", style=Style(color=Color.from_ansi(SERIES_COLORS[i])))
        else:
            t.append(f"{SERIES_MARKS[i]} ")
        t.append(name)
    return t


def render_chart(history: Sequence[HistoryEntry], width: int, height: int,
                 *, color: bool = True, until: datetime | None = None) -> Text:
    """The chart as Text, exactly `width` x `height` cells at most.

    `until` (the last check) extends the lines of series still present at the last
    entry: a value holds until it changes, and unchanged checks add no history.
    A short sentence replaces the chart when there is nothing to draw.
    """
    series = _series(history)
    if not series:
        return Text(NO_HISTORY)
    from plotext._kernel.terminal import terminal
    from plotext._primitives.marker import marker

    shown = list(series.items())[:MAX_SERIES]
    multi = len(shown) > 1
    plot_height = height - 1 if multi else height
    term = terminal()
    term.limit(False, False)  # else plotext caps the chart at its own terminal's size
    fig = term._master
    fig.plot_size(max(MIN_WIDTH, width), max(MIN_HEIGHT, plot_height))
    fig.theme("simple" if color else "colorless")
    fig.legend(False)
    all_x = [x for _, (_, pts) in shown for x, _ in pts]
    last = max(all_x)
    end = max(last, until.timestamp()) if until is not None else last
    lo = min(all_x)
    if end <= lo:  # one moment only: a short flat segment either side of it
        lo, end = lo - 30, lo + 30
    for i, (_key, (_name, pts)) in enumerate(shown):
        if pts[-1][0] == last and end > pts[-1][0]:
            pts = [*pts, (end, pts[-1][1])]
        elif len(pts) == 1:
            pts = [(lo, pts[0][1]), (end, pts[0][1])]
        xs, ys = _step(pts)
        mark = marker("hd", pixel=SERIES_COLORS[i]) if color else (
            marker("hd") if not multi else SERIES_MARKS[i])
        sig = fig.signal(xs, ys, marker=mark)
        sig.lines(True)
        fig.draw(sig)
    fig.ruler(0).lim(lo, end)
    if _all_seats(history, {key for key, _ in shown}):
        # Seats are whole numbers from 0: no "-1.0 … 1.0 in 0.5 steps" axis.
        top = max(y for _, (_, pts) in shown for _, y in pts)
        positions_y = seat_ticks(top, max(MIN_HEIGHT, plot_height))
        fig.ruler(1).lim(0, positions_y[-1])
        fig.ruler(1).ticks(positions_y, [str(int(v)) for v in positions_y])
    y_label_width = 8  # a y tick label and the frame; room left for the time labels
    positions, labels = time_ticks(lo, end, max(10, width - y_label_width))
    fig.ruler(0).ticks(positions, labels)
    chart = Text.from_ansi(fig.build().string(colorless=not color), no_wrap=True, end="")
    if not multi:
        return chart
    names = [_label(name, key) for key, (name, _) in shown]
    return Text("\n", end="").join([legend(names, color=color), chart])


class HistoryChart(Widget):
    """A chart of one monitor's history, redrawn at the widget's size on every render."""

    DEFAULT_CSS = """
    HistoryChart {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._history: Sequence[HistoryEntry] = ()
        self._until: datetime | None = None
        self._cache: tuple[tuple[object, ...], Text] | None = None

    def set_history(self, history: Sequence[HistoryEntry], until: datetime | None = None) -> None:
        """New data to draw (the same data again costs nothing)."""
        if history is self._history and until == self._until:
            return
        self._history, self._until = history, until
        self._cache = None
        self.refresh()

    @property
    def color(self) -> bool:
        return not getattr(self.app, "no_color", False)

    def render(self) -> Text:
        size = self.content_size
        key = (size.width, size.height, self.color)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        if size.width < MIN_WIDTH or size.height < MIN_HEIGHT:
            text = Text("Too small for a chart." if self._history else NO_HISTORY)
        else:
            text = render_chart(self._history, size.width, size.height, color=self.color,
                                until=self._until)
        self._cache = (key, text)
        return text

