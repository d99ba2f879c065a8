"""The add/edit form in the real app (pilot): an edit that would duplicate another
monitor is refused as the CLI refuses it, and the error-alert count has its field."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.ui.helpers import wait_for
from tui_tracker.core.model import Kind, Mode, Monitor, Rules
from tui_tracker.store.repository import Store
from tui_tracker.ui.screens.form import MonitorForm


def seed(data_dir, *monitors: Monitor) -> None:
    store = Store.open(data_dir)
    for m in monitors:
        store.add(m)
    store.close()


def error_under(form: MonitorForm, field: str) -> str:
    err = form.query_one(f"#err-{field}", Static)
    return str(err.render()) if err.display else ""


async def open_edit(app, pilot, monitor_id: str) -> MonitorForm:
    await wait_for(pilot, lambda: monitor_id in app.table.models, "the monitors")
    app.table.move_cursor(row=app.table.get_row_index(monitor_id))
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, MonitorForm), "the form")
    assert app.screen.base.id == monitor_id
    return app.screen


def seed_kettle_and_lamp(data_dir) -> None:
    """Two paused price monitors: editing the lamp's URL to the kettle's duplicates it."""
    seed(data_dir,
         Monitor(id="kettl", url="http://127.0.0.1:9/kettle", name="Kettle",
                 kind=Kind.PRICE, mode=Mode.PAUSED),
         Monitor(id="lamp1", url="http://127.0.0.1:9/lamp", name="Lamp",
                 kind=Kind.PRICE, mode=Mode.PAUSED))


async def test_an_edit_that_duplicates_another_is_refused_then_insisted(make_app, data_dir):
    seed_kettle_and_lamp(data_dir)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_edit(app, pilot, "lamp1")
        form.query_one("#url", Input).value = "http://127.0.0.1:9/kettle/"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: error_under(form, "url"), "the refusal")
        said = error_under(form, "url")
        assert "kettl" in said and "Kettle" in said and "Save again" in said
        assert app.screen is form
        assert app.api.engine.get("lamp1").url == "http://127.0.0.1:9/lamp"  # not saved
        await pilot.press("ctrl+s")  # unchanged: insist, as --allow-duplicate does
        await wait_for(pilot, lambda: app.screen is not form, "the save")
        assert app.api.engine.get("lamp1").url == "http://127.0.0.1:9/kettle/"
        assert app.api.engine.get("kettl").url == "http://127.0.0.1:9/kettle"


async def test_a_changed_form_after_a_refusal_is_checked_again(make_app, data_dir):
    seed_kettle_and_lamp(data_dir)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_edit(app, pilot, "lamp1")
        form.query_one("#url", Input).value = "http://127.0.0.1:9/kettle"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: error_under(form, "url"), "the refusal")
        form.query_one("#name", Input).value = "Another name"  # not the same input now
        form.query_one("#err-url", Static).display = False
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: error_under(form, "url"), "the second refusal")
        assert "kettl" in error_under(form, "url") and app.screen is form
        assert app.api.engine.get("lamp1").name == "Lamp"


async def test_the_form_sets_and_turns_off_the_error_alert_count(make_app, data_dir):
    seed(data_dir, Monitor(id="cs101", url="http://127.0.0.1:9/seats", name="CS 101",
                           kind=Kind.SEATS, mode=Mode.PAUSED, rules=Rules(error_after=5)))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        form = await open_edit(app, pilot, "cs101")
        field = form.query_one("#error_after", Input)
        assert field.value == "5" and form.query_one("#row-error_after").display
        for bad, says in (("2.5", "whole number"), ("-1", "positive"), ("many", "number")):
            field.value = bad
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: error_under(form, "error_after"), f"refusing {bad}")
            assert says in error_under(form, "error_after"), (bad, error_under(form, "error_after"))
            assert app.screen is form and app.api.engine.get("cs101").rules.error_after == 5
        field.value = "2"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form, "the save")
        assert app.api.engine.get("cs101").rules.error_after == 2

        form = await open_edit(app, pilot, "cs101")
        assert form.query_one("#error_after", Input).value == "2"
        form.query_one("#error_after", Input).value = ""  # empty: never
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form, "the second save")
        assert app.api.engine.get("cs101").rules.error_after == 0

        form = await open_edit(app, pilot, "cs101")
        assert form.query_one("#error_after", Input).value == ""
        form.query_one("#error_after", Input).value = "none"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form, "the third save")
        assert app.api.engine.get("cs101").rules.error_after == 0


async def test_a_new_monitor_starts_with_the_default_error_alert_count(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, MonitorForm), "the form")
        assert app.screen.query_one("#error_after", Input).value == str(Rules().error_after)
