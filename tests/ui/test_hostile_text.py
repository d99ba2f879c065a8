"""Page text that looks like markup or carries escape codes shows literally, never crashes.

HOSTILE-INPUTS 34-36: a str cell or toast is parsed as markup (`[@click=...]` runs an
action, `Save [/] now` raises MarkupError) and ESC sequences reach the terminal. The
store may hold such strings directly, so they are written straight into it here.
"""

from __future__ import annotations

from datetime import timedelta

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.core.model import Event, Mode, Monitor, Reading, utcnow
from tui_tracker.engine import events as ev
from tui_tracker.store.repository import Store

HOSTILE = ["[bold red]X[/]", "Save [/] now", "[@click=app.quit]x[/]", "[link=file:///x]y",
           "[/bold]"]
OSC52 = "\x1b]52;c;aGVsbG8=\x07clip"


def hostile_monitor(i: int, name: str) -> Monitor:
    now = utcnow()
    return Monitor(
        id=f"h{i}xxx", url=f"http://127.0.0.1:9/{i}", name=name, mode=Mode.PAUSED,
        title=OSC52, last_checked=now, last_success=now, last_changed=now - timedelta(minutes=3),
        readings=[Reading("a1", HOSTILE[1], 3.0, "seats"), Reading("b2", HOSTILE[2], 0.0,
                                                                    "seats")],
    )


async def test_markup_and_escapes_in_names_readings_and_toasts(make_app, data_dir):
    store = Store.open(data_dir)
    for i, name in enumerate([*HOSTILE, OSC52]):
        store.add(hostile_monitor(i, name))
    store.close()
    app = make_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.table.row_count == len(HOSTILE) + 1, "rows")
        text = screen_text(app)
        for needle in ("[bold red]X[/]", "Save [/] now", "[@click=app.quit]x[/]", "[/bold]"):
            assert needle in text, needle
        assert "\x1b" not in text and "clip" in text
        # A click on the @click text must not run app.quit.
        table = app.table
        await pilot.click(table, offset=(30, 3))
        await pilot.pause()
        assert app.is_running

        # Toasts from the real subscriber path, with hostile names and values.
        m = hostile_monitor(1, "Save [/] now")
        app.bridge.on_event(ev.ValuesChanged(m, (Reading("p", "[/bold]", 1.0, "USD"),),
                                              (Reading("p", "[link=file:///x]y", 2.0, "USD"),)))
        app.bridge.on_event(ev.AlertFired(Event(
            id="e1", monitor_id=m.id, at=utcnow(), rule="any_change",
            message="[@click=app.quit]x[/] Save [/] now", monitor_name="[bold red]X[/]")))
        await wait_for(pilot, lambda: "[@click=app.quit]x[/] Save [/] now" in screen_text(app),
                       "the hostile toast")
        assert "Save [/] now" in screen_text(app)

        # The detail pane and notification modal render the same strings literally.
        await pilot.press("home", "enter")
        await wait_for(pilot, lambda: app.detail.monitor_id is not None, "detail")
        await wait_for(pilot, lambda: "[bold red]X[/]" in screen_text(app),
                       "the name shown literally in the detail pane")
        await pilot.press("n", "a")
        await pilot.pause(0.3)
        await pilot.press("escape")
        assert app.is_running
