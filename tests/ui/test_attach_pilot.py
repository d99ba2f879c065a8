"""An attached window driven by the pilot, its owner a real control socket in the same loop.

Cheaper than the pty tests, so it covers the paths a person takes less often: declining
to take over, acting while the owner is gone, events arriving from the owner.
"""

from __future__ import annotations

from pathlib import Path

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.config import Settings
from tui_tracker.core.model import Mode, Monitor
from tui_tracker.engine.control import ControlServer
from tui_tracker.engine.engine import Engine
from tui_tracker.engine.local import LocalEngine
from tui_tracker.engine.remote import RemoteEngine
from tui_tracker.store.repository import Store
from tui_tracker.ui.app import TrackerApp
from tui_tracker.ui.screens.confirm import ConfirmScreen


async def test_owner_events_reach_the_window_and_its_loss_is_said(data_dir: Path) -> None:
    store = Store.open(data_dir)
    store.add(Monitor(id="kettl", url="http://127.0.0.1:9/k", name="Kettle", interval=3600,
                      mode=Mode.PAUSED))
    settings = Settings(deadline=5.0)
    owner = LocalEngine(Engine(store, settings), poll=False)
    server = ControlServer(owner, data_dir / "control.sock")
    await server.start()
    app = TrackerApp(RemoteEngine(data_dir), settings=settings, take_over=lambda: owner)
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for(pilot, lambda: app.table.row_count == 1, "the owner's monitor")
            assert "attached to pid" in screen_text(app)
            await owner.set_mode(["kettl"], Mode.STOPPED)  # the owner acts; we hear of it
            await wait_for(pilot, lambda: app.table.models["kettl"].mode is Mode.STOPPED,
                           "the owner's event")
            await server.close()  # the owner goes away
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen),
                           "the take-over question")
            # Pushed is not yet painted (the full suite's load once caught it between).
            await wait_for(pilot, lambda: "has stopped" in screen_text(app),
                           "the take-over question's words")
            await pilot.press("n")
            await wait_for(pilot, lambda: "engine gone" in screen_text(app), "the status")
            assert "has stopped" not in screen_text(app)
            await pilot.press("p")
            await wait_for(pilot, lambda: "has stopped" in screen_text(app), "the error toast")
            assert app.table.models["kettl"].mode is Mode.STOPPED  # nothing changed
            assert app.is_running
    finally:
        store.close()
