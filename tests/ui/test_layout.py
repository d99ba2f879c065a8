"""What the screenshots showed wrong, pinned: column widths, the chart's size and
frame, the footer and status bar at 80 columns, live re-sorting, and NO_COLOR."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.core.model import HistoryEntry, Mode, Monitor, Reading, utcnow
from tui_tracker.store.repository import Store
from tui_tracker.ui.widgets.cells import Palette, spark_cell
from tui_tracker.ui.widgets.chart import HistoryChart, render_chart, time_ticks
from tui_tracker.ui.widgets.footer import TrackerFooter
from tui_tracker.ui.widgets.monitor_table import TREND_POINTS
from tui_tracker.ui.widgets.status import status_text

FRAME_RIGHT = "┐│┤┘"


def seed(data_dir, *monitors: Monitor, history: dict[str, list[HistoryEntry]] | None = None):
    store = Store.open(data_dir)
    for m in monitors:
        store.add(m)
    for mid, entries in (history or {}).items():
        for e in entries:
            store.append_history(mid, e)
    store.close()


def price_page(site, path: str, price: str) -> str:
    site.pages[path] = site.pages["/kettle.html"].replace("49.99", price)
    return site.url(path)


def price_history(span: timedelta, n: int = 12) -> list[HistoryEntry]:
    now = utcnow()
    return [HistoryEntry(now - span + span * i / (n - 1),
                         (Reading("price", "Kettle", 40.0 + (i % 4) * 3, "USD"),))
            for i in range(n)]


def seats_history(span: timedelta, n: int = 10) -> list[HistoryEntry]:
    now = utcnow()
    return [HistoryEntry(now - span + span * i / (n - 1), tuple(
        Reading(f"s{k}", f"Section 10{k}", float((i + k) % 5), "seats") for k in range(3)))
        for i in range(n)]


def plot_rows(text: str) -> list[str]:
    """The rows between the chart's top and bottom frame lines."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[top:bottom + 1]


# ------------------------------------------------------------------ sparkline


def test_spark_cell_is_always_exactly_its_width():
    for values in ([], [1.0], [1.0, 5.0, 3.0], [float(i) for i in range(40)]):
        cell = spark_cell(values, Palette(), TREND_POINTS)
        assert cell.cell_len == TREND_POINTS, values
    assert spark_cell([1.0, 2.0], Palette(), 12).plain.startswith(" " * 10)


async def test_trend_cells_fit_the_trend_column(site, make_app, data_dir):
    seed(data_dir, Monitor(id="kettl", url=site.url("/kettle.html"), name="Kettle"))
    app = make_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await wait_for(pilot, lambda: app.table.models["kettl"].readings, "a check")
        app.table.seed_trend("kettl", [float(v) for v in range(30)])
        app.table.flush()
        column = app.table.columns["trend"]
        cell = app.table.get_cell("kettl", "trend")
        assert cell.cell_len == column.width == TREND_POINTS
        assert "0s ago" in screen_text(app) or "1s ago" in screen_text(app)


# ---------------------------------------------------------------------- chart


def test_chart_is_exactly_the_size_asked_with_a_straight_right_frame():
    for history in (price_history(timedelta(minutes=20)), seats_history(timedelta(days=3))):
        for width, height in ((60, 14), (117, 20)):
            text = render_chart(history, width, height, color=False).plain
            lines = text.splitlines()
            assert len(lines) <= height
            assert max(cell_len(line) for line in lines) == width
            frame = plot_rows(text)
            ends = {len(line.rstrip()) for line in frame}
            assert len(ends) == 1, "the right frame is one straight column"
            assert all(line.rstrip()[-1] in FRAME_RIGHT for line in frame)


def test_chart_time_labels_follow_the_span():
    minutes = render_chart(price_history(timedelta(minutes=30)), 90, 14, color=False).plain
    days = render_chart(price_history(timedelta(days=4)), 90, 14, color=False).plain
    last = minutes.splitlines()[-1]
    assert ":" in last and not any(m in last for m in ("Jan", "Feb", "Mar", "Nov", "Dec"))
    day_labels = days.splitlines()[-1].split()
    assert day_labels and all(word.isalpha() or word.isdigit() for word in day_labels), days
    # Labels never crowd: each one fits the width it is given.
    positions, labels = time_ticks(0.0, 86400.0 * 3, 40)
    assert sum(len(label) + 2 for label in labels) <= 40 and len(positions) >= 2


def test_seats_chart_has_one_legend_entry_per_section_and_no_box_over_the_data():
    text = render_chart(seats_history(timedelta(minutes=40)), 80, 16, color=True)
    first = text.plain.splitlines()[0]
    assert "100" in first and "101" in first and "102" in first
    assert "Section" not in first, "the word every section shares is left out"
    assert "┌" not in first and text.plain.count("┌") == 1, "only the plot frame is boxed"
    colours = {str(span.style.color.number) for span in text.spans
               if getattr(span.style, "color", None) is not None
               and span.style.color.number is not None}
    assert {"12", "10", "9"} <= colours


async def test_detail_chart_fills_its_pane_and_follows_resize(make_app, data_dir):
    seed(data_dir, Monitor(id="kettl", url="http://127.0.0.1:9/k", name="Kettle",
                           mode=Mode.PAUSED),
         history={"kettl": price_history(timedelta(days=2))})
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.table.row_count == 1, "the row")
        await pilot.press("enter")
        chart = app.detail.query_one(HistoryChart)
        await wait_for(pilot, lambda: chart._history, "the history")
        await pilot.pause()
        width = chart.content_size.width
        assert width > 60, "the chart gets the pane's width, not a guess"
        lines = chart.render().plain.splitlines()
        assert max(cell_len(line) for line in lines) == width
        await pilot.resize_terminal(160, 40)
        await wait_for(pilot, lambda: chart.content_size.width > width, "the wider pane")
        await pilot.pause()
        wider = chart.render().plain.splitlines()
        assert max(cell_len(line) for line in wider) == chart.content_size.width
        assert "┤" in screen_text(app)


# ------------------------------------------------------------ 80x24 chrome


async def test_footer_and_status_fit_80_columns(site, make_app, data_dir):
    seed(data_dir, *(Monitor(id=f"m{i}xxx", url=site.url("/kettle.html"), name=f"K{i}")
                     for i in range(3)))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.table.row_count == 3, "rows")
        footer = app.screen.query_one(TrackerFooter)

        def bottom_line() -> str:
            lines = screen_text(app).splitlines()
            return next((line for line in reversed(lines) if line.strip()), "")

        # The footer lays out its keys a refresh after the bindings settle; under load that
        # can be after the rows show, so wait for the painted line rather than a fixed pause.
        seen: list[str] = [""]

        def footer_painted() -> bool:
            seen[0] = bottom_line()
            return "? Help" in seen[0]

        try:
            await wait_for(pilot, footer_painted, "the footer's keys on the bottom line")
        except AssertionError as error:
            raise AssertionError(f"{error}; the bottom line was {seen[0]!r}") from None
        assert {"help", "quit", "add"} <= footer.shown_actions
        assert "remove" not in footer.shown_actions, "something had to give at 80 columns"
        bottom = bottom_line()
        assert "? Help" in bottom and "q Quit" in bottom and "palette" in bottom, bottom
        status = app.status_bar.render()
        assert "idle" in str(status) or "⟳" in str(status)
        await pilot.resize_terminal(140, 30)
        await wait_for(pilot, lambda: "remove" in footer.shown_actions, "all keys when wide")
        await wait_for(pilot, lambda: "monitors" in str(app.status_bar.render()),
                       "the long status form")


def test_compact_status_keeps_checks_in_flight():
    now = utcnow()
    monitors = [Monitor(id=f"m{i}xxx", url="http://127.0.0.1:9/", last_checked=now,
                        last_success=now) for i in range(5)]
    full = status_text(monitors, now, 2, 5, "", "name", False, 0, Palette())
    short = status_text(monitors, now, 2, 5, "", "name", False, 0, Palette(), width=80)
    assert full.cell_len > 80 >= short.cell_len
    assert "⟳2" in short.plain and "5 ●" in short.plain and "5▶" in short.plain


# -------------------------------------------------------------------- sorting


async def test_sorted_rows_move_when_their_value_changes_and_cursor_follows(
        site, make_app, data_dir):
    seed(data_dir,
         Monitor(id="cheap", url=price_page(site, "/a.html", "10.00"), name="A", interval=600),
         Monitor(id="mid00", url=price_page(site, "/b.html", "20.00"), name="B", interval=600),
         Monitor(id="dear0", url=price_page(site, "/c.html", "30.00"), name="C", interval=600))
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: all(m.readings for m in app.table.models.values()),
                       "first checks")
        app.table.sort_by("value")
        assert app.table.visible_ids() == ["cheap", "mid00", "dear0"]
        app.table.move_cursor(row=0)
        assert app.table.selected_id == "cheap"
        price_page(site, "/a.html", "99.00")
        await pilot.press("c")  # check the row under the cursor now
        await wait_for(pilot, lambda: app.table.visible_ids() == ["mid00", "dear0", "cheap"],
                       "the row moved to its new place")
        assert app.table.selected_id == "cheap", "the cursor stays on the same monitor"
        assert "$99.00" in str(app.table.get_row_at(2))


# ------------------------------------------------------------------- colour


async def test_no_color_keeps_health_readable_by_symbol(site, make_app, data_dir, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    seed(data_dir, Monitor(id="okay0", url=site.url("/kettle.html"), name="Fine"),
         Monitor(id="gone0", url=site.url("/missing.html"), name="Broken"))
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        assert app.no_color
        await wait_for(pilot, lambda: app.table.models["okay0"].readings
                       and app.table.models["gone0"].error, "both checks")
        want = {"okay0": "● ok", "gone0": "✖ error"}

        def health() -> dict[str, str]:
            return {mid: app.table.get_cell(mid, "health").plain for mid in want}

        await wait_for(pilot, lambda: health() == want, f"health cells {want}")
        text = screen_text(app)
        assert "● ok" in text and "✖ error" in text
