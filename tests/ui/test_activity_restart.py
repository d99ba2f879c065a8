"""The activity log (`l`) survives a restart (real app, real store, real loopback site):
what the engine did before the TUI was closed shows when it is opened again, and so do
the checks a cron `check` made in between."""

from __future__ import annotations

from tests.ui.helpers import wait_for
from tui_tracker.core.model import Monitor
from tui_tracker.engine.engine import Engine
from tui_tracker.store.repository import Store
from tui_tracker.ui.screens.activity import ActivityScreen


async def test_the_log_shows_what_happened_before_a_restart(site, make_app, data_dir,
                                                            settings):
    store = Store.open(data_dir)
    store.add(Monitor(id="kettl", url=site.url("/kettle.html"), name="Kettle"))
    store.close()

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.table.models.get("kettl") is not None
                       and app.table.models["kettl"].last_checked, "the first check")
    # The app has quit: its engine stopped and saved the log.
    assert (data_dir / "activity.jsonl").exists()

    # A cron `check` while no window is open adds its lines too.
    site.pages["/kettle.html"] = site.pages["/kettle.html"].replace("49.99", "44.99")
    cron_store = Store.open(data_dir)
    try:
        await Engine(cron_store, settings).run_once(last=True)
    finally:
        cron_store.close()

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: "kettl" in app.table.models, "the monitor")
        await pilot.press("l")
        assert isinstance(app.screen, ActivityScreen)
        await wait_for(pilot, lambda: len(app.screen.visible_lines()) >= 4, "the saved lines")
        lines = app.screen.visible_lines()
        # Newest first: this start, the cron change, the first run's stop, its check.
        starts = [i for i, text in enumerate(lines) if "the engine started" in text]
        change = next(i for i, text in enumerate(lines)
                      if " change " in text and "Kettle: $44.99" in text)
        stop = next(i for i, text in enumerate(lines) if "the engine stopped" in text)
        check = next(i for i, text in enumerate(lines) if "Kettle: $49.99" in text)
        assert len(starts) == 2 and starts[0] < change < stop < check < starts[1], lines
