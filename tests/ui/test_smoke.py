"""First light: the app opens on a store with a monitor and shows its checked value."""

from __future__ import annotations

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.core.model import Monitor
from tui_tracker.store.repository import Store


async def test_existing_monitor_gets_checked_and_shown(site, make_app, data_dir):
    store = Store.open(data_dir)
    store.add(Monitor(id="kettl", url=site.url("/kettle.html"), interval=600))
    store.close()
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.table.models["kettl"].readings, "the first check")
        await wait_for(pilot, lambda: "$49.99" in screen_text(app), "the value on screen")
        assert "Acme Kettle" in screen_text(app)
        assert "● ok" in screen_text(app)
