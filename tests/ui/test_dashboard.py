"""Pilot tests of the dashboard against a real loopback site, store and engine."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.core.model import Mode, Monitor, Rules
from tui_tracker.store.repository import Store
from tui_tracker.ui.screens.confirm import ConfirmScreen
from tui_tracker.ui.screens.form import MonitorForm
from tui_tracker.ui.screens.help import HelpScreen
from tui_tracker.ui.screens.notifications import NotificationsScreen


def seed(data_dir, *monitors: Monitor) -> None:
    store = Store.open(data_dir)
    for m in monitors:
        store.add(m)
    store.close()


def on_disk(data_dir) -> dict[str, Monitor]:
    """What the data dir holds right now (a separate read-only store, as another process)."""
    store = Store.open(data_dir, readonly=True)
    try:
        return {m.id: m for m in store.list_monitors()}
    finally:
        store.close()


async def test_add_through_form_with_preview_then_value_appears(site, make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, MonitorForm)
        app.screen.query_one("#url", Input).value = site.url("/kettle.html")
        app.screen.query_one("#below", Input).value = "45"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "json-ld" in screen_text(app), "the preview")
        text = screen_text(app)
        assert "$49.99" in text and "via http" in text
        assert on_disk(data_dir) == {}, "preview must save nothing"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(on_disk(data_dir)) == 1, "the monitor on disk")
        saved = next(iter(on_disk(data_dir).values()))
        assert saved.url == site.url("/kettle.html") and saved.rules.below == 45
        await wait_for(pilot, lambda: "$49.99" in screen_text(app), "the value in the table")
        assert not isinstance(app.screen, MonitorForm)
        assert "≤ $45.00" in screen_text(app)
        assert "Added Acme Kettle" in screen_text(app) or "Added" in screen_text(app)


async def test_form_shows_validation_messages_inline(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("a")
        form = app.screen
        form.query_one("#url", Input).value = "ftp://nope"
        form.query_one("#interval", Input).value = "soon"
        form.query_one("#emails", Input).value = "not-an-address"
        form.query_one("#drop_pct", Input).value = "150"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MonitorForm), "an invalid form must stay open"
        for field in ("url", "interval", "emails", "drop_pct"):
            assert app.screen.query_one(f"#err-{field}").display, field
        errors = {f: str(app.screen.query_one(f"#err-{f}").render())
                  for f in ("url", "interval", "emails", "drop_pct")}
        assert "interval" in errors["interval"] and "email address" in errors["emails"]
        assert "between 0 and 100" in errors["drop_pct"]
        await pilot.press("escape")
        assert not isinstance(app.screen, MonitorForm)
        assert app.api.engine.list() == []


async def test_pause_resume_stop_remove_are_saved(site, make_app, data_dir):
    seed(data_dir, Monitor(id="kettl", url=site.url("/kettle.html"), interval=600))
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.table.row_count == 1, "the row")
        for key, mode in (("p", Mode.PAUSED), ("r", Mode.ACTIVE), ("s", Mode.STOPPED)):
            await pilot.press(key)
            await wait_for(pilot, lambda m=mode: on_disk(data_dir)["kettl"].mode is m,
                           f"{mode} on disk")
            await wait_for(pilot, lambda m=mode: m.value in screen_text(app), f"{mode} shown")
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert "kettl" in on_disk(data_dir)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_for(pilot, lambda: on_disk(data_dir) == {}, "removal on disk")
        await wait_for(pilot, lambda: app.table.row_count == 0, "the row gone")


async def test_marked_rows_pause_together(site, make_app, data_dir):
    seed(data_dir, *(Monitor(id=f"m{i}xxx", url=site.url("/kettle.html"), name=f"k{i}")
                     for i in range(3)))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.table.row_count == 3, "rows")
        await pilot.press("space", "down", "space")
        assert len(app.table.marked) == 2
        await pilot.press("p")
        await wait_for(pilot, lambda: sum(m.mode is Mode.PAUSED
                                          for m in on_disk(data_dir).values()) == 2,
                       "two paused on disk")
        assert on_disk(data_dir)["m2xxx"].mode is Mode.ACTIVE


async def test_detail_chart_history_and_notifications(site, make_app, data_dir):
    seed(data_dir, Monitor(id="kettl", url=site.url("/kettle.html"), interval=600,
                           rules=Rules(below=45)))
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.table.models["kettl"].readings, "first check")
        site.pages["/kettle.html"] = site.pages["/kettle.html"].replace("49.99", "39.50")
        await pilot.press("c")
        await wait_for(pilot, lambda: "$39.50" in screen_text(app), "the new price")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.detail.display and app.detail.monitor_id == "kettl",
                       "the detail pane")
        await wait_for(pilot, lambda: "┤" in screen_text(app), "the chart axis")
        # The facts pane's own text: a toast may cover part of the screen.
        text = str(app.detail.query_one("#detail-text").render()) + screen_text(app)
        assert "json-ld" in text and "Acme Kettle" in text and "39.5" in text
        history = await app.api.history("kettl")
        assert [h.readings[0].value for h in history] == [49.99, 39.5]
        await pilot.press("escape")  # closes the detail pane
        assert not app.detail.display
        await pilot.press("n")
        assert isinstance(app.screen, NotificationsScreen)
        await wait_for(pilot, lambda: "price_below" in screen_text(app), "the alert")
        row = [str(c) for c in app.screen.query_one("#notifications-table").get_row_at(0)]
        assert "not sent" in row
        detail = str(app.screen.query_one("#notification-text").render())
        assert "$49.99 → $39.50" in detail and "price_below" in detail
        assert "not sent: no recipients" in detail
        await pilot.press("a")
        await wait_for(pilot, lambda: "all monitors" in screen_text(app), "the all view")
        await pilot.press("escape")
        assert not isinstance(app.screen, NotificationsScreen)


async def test_failing_check_shows_error_badge_and_reason(site, make_app, data_dir):
    seed(data_dir, Monitor(id="gone1", url=site.url("/missing.html"), name="Missing page"))
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.table.models["gone1"].error, "the failure")
        await wait_for(pilot, lambda: "✖ error" in screen_text(app), "the error badge")
        assert "404" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Last error" in screen_text(app), "the full error")


async def test_filter_by_name_or_url_and_sort(site, make_app, data_dir):
    seed(data_dir,
         Monitor(id="kettl", url=site.url("/kettle.html"), name="Kettle"),
         Monitor(id="cours", url=site.url("/courses.html"), name="Courses"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.table.row_count == 2, "rows")
        await pilot.press("slash", "k", "e", "t")
        assert app.table.row_count == 1 and app.table.visible_ids() == ["kettl"]
        await pilot.press("enter")
        assert app.table.has_focus and app.table.row_count == 1
        await pilot.press("escape")
        assert app.table.row_count == 2
        await pilot.press("slash", *"courses.html")
        assert app.table.visible_ids() == ["cours"]
        await pilot.press("escape")
        app.table.sort_by("name")
        assert app.table.visible_ids() == ["cours", "kettl"]
        app.table.sort_by("name")
        assert app.table.visible_ids() == ["kettl", "cours"]


async def test_80x24_keeps_essential_columns(site, make_app, data_dir):
    seed(data_dir, Monitor(id="kettl", url=site.url("/kettle.html"), name="Kettle"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: "$49.99" in screen_text(app), "value")
        assert "Trend" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: "Trend" not in screen_text(app), "narrow layout")
        text = screen_text(app)
        for needle in ("Health", "Mode", "Kettle", "$49.99", "Checked"):
            assert needle in text, needle
        await pilot.press("enter")
        await pilot.pause()
        assert app.detail.display


async def test_escape_closes_help_and_palette_lists_actions(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Add", "Pause", "Remove", "Check now", "Notifications", "Filter"):
            assert words in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        from tui_tracker.ui.commands import TrackerCommands

        titles = [t for t, _, _ in TrackerCommands(app.screen)._commands()]
        assert {"Add", "Edit", "Pause", "Resume", "Stop", "Remove", "Check now",
                "Notifications", "Detail", "Filter", "Help"} <= set(titles)


async def test_detail_shows_where_a_redirect_ended(site, hostile, make_app, data_dir):
    # HOSTILE-INPUTS 9: redirects are followed, and the final address is shown, not hidden.
    from urllib.parse import quote

    target = site.url("/kettle.html")
    seed(data_dir, Monitor(id="redir", url=hostile.url("/redirect?to=" + quote(target, safe="")),
                           interval=600))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.table.models["redir"].readings, "first check")
        assert app.table.models["redir"].final_url == target
        await pilot.press("enter")
        await wait_for(pilot, lambda: f"→ {target}" in screen_text(app), "the final address")
