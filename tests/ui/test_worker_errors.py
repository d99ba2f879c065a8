"""One Worker.StateChanged handler: an unexpected exception in any worker is shown."""

from __future__ import annotations

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.core.model import Monitor
from tui_tracker.store.repository import Store


async def test_an_unexpected_worker_error_becomes_a_toast(make_app, data_dir) -> None:
    store = Store.open(data_dir)
    store.add(Monitor(id="kettl", url="http://127.0.0.1:9/k", name="Kettle", interval=3600))
    store.close()
    app = make_app()
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.table.row_count == 1, "the row")

        async def broken_history(*args: object, **kwargs: object) -> list:
            raise RuntimeError("disk on fire")

        app.api.history = broken_history  # a bug below the UI, not a TrackerError
        await pilot.press("enter")  # the detail pane loads history in a worker
        await wait_for(pilot, lambda: "disk on fire" in screen_text(app), "the error toast")
        assert "Unexpected internal error in load_detail" in screen_text(app)
        assert app.is_running
