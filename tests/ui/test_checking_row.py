"""A row being checked says so (the Checked cell reads "⟳ now") until its result is in."""

from __future__ import annotations

from tests.servers.site import Site
from tests.ui.helpers import wait_for
from tui_tracker.core.model import Mode, Monitor
from tui_tracker.store.repository import Store


async def test_a_row_shows_its_check_in_flight(make_app, data_dir) -> None:
    site = Site().start()
    try:
        store = Store.open(data_dir)
        store.add(Monitor(id="kettl", url=site.url("/product/1"), name="Kettle",
                          interval=3600, mode=Mode.PAUSED))
        store.close()
        site.state["delay"] = 2.0
        app = make_app()
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for(pilot, lambda: app.table.row_count == 1, "the row")
            cell = lambda: str(app.table.get_cell("kettl", "checked"))  # noqa: E731
            assert "now" not in cell()
            await pilot.press("c")
            await wait_for(pilot, lambda: cell() == "⟳ now", "the row marked as checking")
            await wait_for(pilot, lambda: app.table.models["kettl"].readings, "the result")
            await wait_for(pilot, lambda: cell() != "⟳ now", "the mark cleared")
            assert "kettl" not in app.table.checking
    finally:
        site.stop()
