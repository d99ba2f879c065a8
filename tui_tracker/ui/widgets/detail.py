"""The detail pane: the selected monitor's chart, latest readings, source, fetcher, error.

Everything shown is built as `rich.text.Text` from cleaned strings: a title like
`[bold red]X[/]` appears as those characters (HOSTILE-INPUTS 34-36).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui_tracker.core.formatting import ago, format_value, seat_count
from tui_tracker.core.intervals import format_interval
from tui_tracker.core.model import HistoryEntry, Monitor, utcnow
from tui_tracker.core.text import clean_text
from tui_tracker.ui.widgets.cells import Palette
from tui_tracker.ui.widgets.chart import HistoryChart

MAX_DIFF_LINES = 60


def text_change(history: Sequence[HistoryEntry], p: Palette) -> Text | None:
    """What the latest text reading changed since the one before, as a line diff.

    None while there is no earlier, different text. Lines are page text: cleaned and
    appended as plain `Text` (never markup), one line each, capped.
    """
    texts = [h.readings[0].value for h in history
             if h.readings and isinstance(h.readings[0].value, str)]
    if len(texts) < 2:
        return None
    new = texts[-1]
    old = next((t for t in reversed(texts[:-1]) if t != new), None)
    if old is None:
        return None
    out = Text(end="")
    shown = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        if shown >= MAX_DIFF_LINES:
            out.append("  … more changes\n", style=p.muted)
            break
        shown += 1
        if line.startswith("@@"):
            out.append("  …\n", style=p.muted)
            continue
        style = p.error if line[:1] == "-" else p.success if line[:1] == "+" else p.muted
        out.append(f"{line[:1] or ' '} ", style=style)
        out.append(clean_text(line[1:], 300), style=style)
        out.append("\n")
    return out


def read_via(m: Monitor) -> str:
    """How checks of a rendered page read it, for the fetcher row ("" when plain).

    Short on purpose: the row must stay one line beside the chart (`list --json` has
    the endpoint's URL as `data_endpoint`).
    """
    if m.read_via == "endpoint":
        return "via data endpoint"
    if m.read_via == "browser" and m.learned.get("mode") == "render":
        return "always rendered"
    return ""


def link_style(url: str) -> Style:
    """A hyperlink style for a URL that is safe inside an escape sequence, else none."""
    if url.startswith(("http://", "https://")) and url.isprintable() and " " not in url \
            and len(url) <= 2000:
        return Style(link=url)
    return Style()


def describe(m: Monitor, p: Palette, history: Sequence[HistoryEntry] = ()) -> Text:
    """The text block beside the chart."""
    now = utcnow()
    t = Text(no_wrap=False, end="")
    t.append(clean_text(m.display_name, 200), style="bold")
    t.append("\n")
    # An OSC 8 link: terminals that know it open the page on click (ctrl/cmd+click).
    t.append(clean_text(m.url, 300), style=p.muted + link_style(m.url))
    if m.final_url and m.final_url != m.url:
        # Redirects are followed, not hidden: the user sees where the value came from.
        t.append("\n→ ", style=p.muted)
        t.append(clean_text(m.final_url, 300), style=p.warning)
    t.append("\n\n")
    if m.error:  # first: what is wrong matters more than the facts below
        t.append("Last error\n", style=p.error)
        t.append(clean_text(m.error, 1000))
        t.append(f"\n({m.failures} failed in a row)\n\n", style=p.muted)
    fetcher = m.fetcher.value
    if m.resolved_fetcher is not None:
        fetcher += f" → {m.resolved_fetcher.value}"
    if via := read_via(m):
        fetcher += f" · {via}"
    rows = [
        ("id", m.id),
        ("kind", m.kind.value),
        ("fetcher", fetcher),
        ("source", m.source or "—"),
        ("interval", format_interval(m.interval)),
        ("mode", m.mode.value),
        ("health", m.health(now).value),
        ("checked", ago(m.last_checked, now)),
        ("changed", ago(m.last_changed, now)),
    ]
    if m.in_stock is not None:
        rows.append(("in stock", "yes" if m.in_stock else "no"))
    if m.emails:
        rows.append(("email", ", ".join(m.emails)))
    if m.tags:
        rows.append(("tags", " ".join(m.tags)))
    for label, value in rows:
        t.append(f"{label:>9} ", style=p.muted)
        t.append(clean_text(value, 200))
        t.append("\n")
    t.append("\nReadings\n", style="bold")
    if not m.readings:
        t.append("  none yet\n", style=p.muted)
    for r in m.readings[:40]:
        t.append("  ")
        t.append(clean_text(r.label, 60))
        t.append("  ")
        t.append(format_value(r) if r.unit != "seats" else seat_count(r), style="bold")
        t.append("\n")
    change = text_change(history, p) if m.kind.value == "text" else None
    if change is not None:
        t.append("\nWhat changed\n", style="bold")
        t.append_text(change)
    return t


class DetailPane(Vertical):
    """Chart on the left, facts on the right; hidden until the user asks (enter)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.monitor_id: str | None = None
        self.palette = Palette()
        self._history: Sequence[HistoryEntry] = ()

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-body"):
            yield HistoryChart(id="detail-chart")
            with VerticalScroll(id="detail-facts"):
                yield Static(id="detail-text")

    def show(self, monitor: Monitor | None, history: Sequence[HistoryEntry] | None = None) -> None:
        """Draw `monitor` (None clears); `history` None keeps the last chart data.

        The chart draws itself at its own size when it is laid out (and again on
        resize), so it is handed data here, not a size guessed before layout.
        """
        if history is not None:
            self._history = history
        text = self.query_one("#detail-text", Static)
        chart = self.query_one("#detail-chart", HistoryChart)
        if monitor is None:
            self.monitor_id = None
            text.update(Text("No monitor selected."))
            chart.set_history(())
            return
        self.monitor_id = monitor.id
        text.update(describe(monitor, self.palette, self._history))
        chart.set_history(self._history, until=monitor.last_checked)
