"""Regenerate screenshots/*.svg (and .png when cairosvg is installed) from the real app.

Drives `TrackerApp.run_test()` against the demo site on 127.0.0.1 with a real store in
a temp dir and a real engine. The demo's clock is advanced by hand and every monitor
checked after each step, so the sparklines and charts have a history to show within
seconds instead of minutes.

    .venv/bin/python scripts/screenshots.py [--out screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui_tracker.config import Settings  # noqa: E402
from tui_tracker.demo.server import DemoServer, make_demo_monitors  # noqa: E402
from tui_tracker.engine.engine import Engine  # noqa: E402
from tui_tracker.store.repository import Store  # noqa: E402
from tui_tracker.ui.app import TrackerApp  # noqa: E402

STEPS = 14
"""Demo ticks to walk through before taking pictures (the history the charts show)."""


class ManualClock:
    """The demo server's clock, moved one tick at a time by this script."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


async def wait(pilot, condition, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        await pilot.pause(0.1)
    return True


def to_png(svg: Path) -> None:
    try:
        import cairosvg
    except ImportError:
        return
    cairosvg.svg2png(url=str(svg), write_to=str(svg.with_suffix(".png")), output_width=1600)


def save(app: TrackerApp, out: Path, name: str) -> None:
    path = out / f"{name}.svg"
    app.save_screenshot(filename=path.name, path=str(out))
    to_png(path)
    print(f"wrote {path}")


async def history_walk(app: TrackerApp, pilot, clock: ManualClock, server: DemoServer) -> None:
    engine = app.engine
    for _ in range(STEPS):
        clock.now += server.period
        before = {m.id: m.last_checked for m in engine.list()}
        engine.check_now([m.id for m in engine.list()])
        await wait(pilot, lambda b=before: engine.busy == 0 and all(
            m.last_checked != b[m.id] for m in engine.list()), timeout=45)


async def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    clock = ManualClock()
    server = DemoServer(clock=clock).start()
    with tempfile.TemporaryDirectory(prefix="tui-tracker-shots-") as tmp:
        data_dir = Path(tmp)
        store = Store.open(data_dir)
        for m in make_demo_monitors(server.urls):
            m.interval = 3600  # only this script's check_now calls fetch during the walk
            store.add(m)
        settings = Settings(host_gap=0.0)
        app = TrackerApp(Engine(store, settings), settings=settings)
        try:
            async with app.run_test(size=(120, 36)) as pilot:
                await wait(pilot, lambda: all(m.last_checked for m in app.engine.list()))
                await history_walk(app, pilot, clock, server)
                await pilot.pause(0.5)
                save(app, out, "dashboard")

                await pilot.press("enter")
                await wait(pilot, lambda: app.detail.monitor_id is not None)
                await pilot.pause(0.5)
                save(app, out, "detail")
                await pilot.press("down", "down", "down")
                await pilot.pause(0.8)
                save(app, out, "detail-seats")
                await pilot.press("escape")

                await pilot.press("n")
                await pilot.pause(0.3)
                await pilot.press("a")
                await pilot.pause(0.8)
                save(app, out, "notifications")
                await pilot.press("escape")

                await pilot.press("a")
                await pilot.pause(0.3)
                await pilot.click("#url")
                await pilot.press(*server.urls["grinder"])
                await pilot.press("ctrl+r")
                await wait(pilot, lambda: "via" in str(
                    app.screen.query_one("#preview").render()), timeout=30)
                await pilot.pause(0.3)
                save(app, out, "add-form-preview")
                await pilot.press("escape")
                await pilot.pause(0.3)

                await pilot.resize_terminal(80, 24)
                await pilot.pause(0.8)
                save(app, out, "dashboard-80x24")
        finally:
            store.close()
            server.stop()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    sys.exit(asyncio.run(main(parser.parse_args().out)))
