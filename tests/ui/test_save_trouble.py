"""A save that fails (disk full) is shown, and so is its recovery; the app keeps running."""

from __future__ import annotations

from tests.faults import FlakyStore
from tests.ui.helpers import screen_text, wait_for
from tui_tracker.core.model import Monitor
from tui_tracker.engine.engine import Engine
from tui_tracker.engine.local import LocalEngine
from tui_tracker.ui.app import TrackerApp


async def test_unsaved_state_is_flagged_then_cleared(site, data_dir, settings) -> None:
    store = FlakyStore.open(data_dir)
    store.add(Monitor(id="kettl", url=site.url("/kettle.html"), interval=3600))
    store.failures = 2
    app = TrackerApp(LocalEngine(Engine(store, settings)), settings=settings)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_for(pilot, lambda: "No space left" in screen_text(app), "the save error")
        await wait_for(pilot, lambda: "Saving works again" in screen_text(app), "recovery")
        assert app.is_running
    store.close()
