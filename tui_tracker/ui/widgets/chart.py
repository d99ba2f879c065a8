"""History charts drawn with plotext 6 into a string, shown as `rich.text.Text`.

plotext 6 has no module-level `plot()`/`build()` as 5.x had: each chart builds on a
fresh `terminal()._master` figure (no shared global state between charts), and
`figure.build().string()` returns the ANSI text. Prices are drawn as a step line
(a price holds until the next check sees a new one); seats get one series per
section. NaN/inf never reach plotext (it cannot scale them): points are filtered.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from rich.text import Text

from tui_tracker.core.model import HistoryEntry
from tui_tracker.core.text import clean_text

MAX_SERIES = 6
"""Sections beyond this are left out of the chart (the table lists them all)."""


def _series(history: Sequence[HistoryEntry]) -> dict[str, tuple[str, list[tuple[float, float]]]]:
    """key -> (label, [(timestamp, value)]) with only finite numbers, oldest first."""
    out: dict[str, tuple[str, list[tuple[float, float]]]] = {}
    for entry in sorted(history, key=lambda e: e.at):
        ts = entry.at.timestamp()
        for reading in entry.readings:
            n = reading.number
            if n is None or not math.isfinite(n):
                continue
            _label, points = out.setdefault(reading.key, (reading.label, []))
            points.append((ts, n))
    return out


def _step(points: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    xs: list[float] = []
    ys: list[float] = []
    for i, (x, y) in enumerate(points):
        if i:
            xs.append(x)
            ys.append(points[i - 1][1])
        xs.append(x)
        ys.append(y)
    return xs, ys


def _time_ticks(lo: float, hi: float, count: int = 4) -> tuple[list[float], list[str]]:
    if hi <= lo:
        return [lo], [datetime.fromtimestamp(lo).strftime("%H:%M")]
    span = hi - lo
    if span < 600:
        fmt = "%H:%M:%S"
    elif span < 86400:
        fmt = "%H:%M"
    else:
        fmt = "%m-%d %H:%M" if span < 7 * 86400 else "%m-%d"
    positions = [lo + span * i / (count - 1) for i in range(count)]
    return positions, [datetime.fromtimestamp(p).strftime(fmt) for p in positions]


def render_chart(history: Sequence[HistoryEntry], width: int, height: int,
                 *, color: bool = True) -> Text:
    """The chart as Text; a short sentence instead when there is nothing to draw."""
    series = _series(history)
    points = sum(len(p) for _, p in series.values())
    if not series or points == 0:
        return Text("No history yet: the chart appears after the first successful check.")
    import plotext
    from plotext._kernel.terminal import terminal

    fig = terminal()._master
    fig.plot_size(max(20, width), max(6, height))
    fig.theme("simple" if color else "colorless")
    all_x = [x for _, pts in series.values() for x, _ in pts]
    for key, (label, pts) in list(series.items())[:MAX_SERIES]:
        if len(pts) == 1:  # one point draws nothing as a line; widen it to a flat step
            pts = [pts[0], (pts[0][0] + 60, pts[0][1])]
        xs, ys = _step(pts)
        sig = fig.signal(xs, ys)
        sig.lines(True)
        name = clean_text(label or key, 24)
        sig.label(name[8:] if name.lower().startswith("section ") else name)
        fig.draw(sig)
    lo, hi = min(all_x), max(all_x)
    positions, labels = _time_ticks(lo, max(hi, lo + 60), 2 if hi - lo < 120 else 4)
    fig.ruler(0).ticks(positions, labels)
    if len(series) == 1:
        fig.legend(False)
    else:  # headroom above the data so the legend box (top left) covers none of it
        all_y = [y for _, pts in series.values() for _, y in pts]
        lo_y, hi_y = min(all_y), max(all_y)
        rows = min(len(series), MAX_SERIES)
        room = max(1.0, hi_y - lo_y) * (2 * rows + 2) / max(4, height - 4 - 2 * rows)
        fig.ruler(1).lim(min(0.0, lo_y), hi_y + room)
    del plotext  # imported for its side effect of initialising defaults
    return Text.from_ansi(fig.build().string(colorless=not color), no_wrap=True, end="")
