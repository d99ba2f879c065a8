"""An empty dashboard says what to do; a filter that hides everything says how to undo it."""

from __future__ import annotations

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.core.model import Mode, Monitor


async def test_empty_table_hint_then_rows_then_filtered_hint(site, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "No monitors yet" in screen_text(app), "the hint")
        await app.api.engine.add(Monitor(id="", url=site.url("/kettle.html"), name="Kettle",
                                     mode=Mode.PAUSED))
        await wait_for(pilot, lambda: "Kettle" in screen_text(app), "the new row")
        assert "No monitors yet" not in screen_text(app)
        await pilot.press("slash")
        await pilot.press(*"zzz")
        await wait_for(pilot, lambda: "Nothing matches the filter" in screen_text(app),
                       "the filtered hint")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Nothing matches" not in screen_text(app), "the rows back")
        assert "Kettle" in screen_text(app)
