"""UI responsiveness with 1,000 monitors while check results pour in.

Builds a temp store with 1,000 monitors (paused, so the engine fetches nothing),
runs the real app headless, and pushes synthetic `CheckFinished`/`ValuesChanged`
events through the app's real engine subscriber while pressing keys. Reports:

- key press -> repaint: time from posting a `down` key event to the app until the
  table renders lines again with the cursor moved (its `render_lines` is wrapped);
- flush cost: time of one `MonitorTable.flush()` of N dirty rows;
- memory: the process's RSS before and after.

Prints figures and asserts nothing.

    .venv/bin/python bench/ui_bench.py [--monitors 1000] [--presses 50]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import psutil
from textual import events

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui_tracker.config import Settings  # noqa: E402
from tui_tracker.core.model import Mode, Monitor, Reading, utcnow  # noqa: E402
from tui_tracker.engine import events as ev  # noqa: E402
from tui_tracker.engine.engine import Engine  # noqa: E402
from tui_tracker.engine.local import LocalEngine  # noqa: E402
from tui_tracker.store.repository import Store  # noqa: E402
from tui_tracker.ui.app import TrackerApp  # noqa: E402


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


def make_monitors(n: int) -> list[Monitor]:
    now = utcnow()
    out = []
    for i in range(n):
        seats = i % 3 == 0
        readings = ([Reading(f"s{j}", f"Section {j}", float(random.randint(0, 5)), "seats")
                     for j in range(3)] if seats else
                    [Reading("price", f"Item {i}", round(random.uniform(10, 500), 2), "USD")])
        out.append(Monitor(id=f"b{i:04d}", url=f"http://127.0.0.2/item/{i}",
                           name=f"Bench item {i}", mode=Mode.PAUSED, readings=readings,
                           last_checked=now, last_success=now,
                           last_changed=now - timedelta(minutes=i % 60)))
    return out


def synthetic_result(m: Monitor) -> Monitor:
    snap = Monitor.from_dict(m.to_dict())
    snap.readings = [Reading(r.key, r.label, max(0.0, float(r.value) + random.choice((-1, 1))),
                             r.unit) for r in m.readings]
    snap.last_checked = snap.last_changed = snap.last_success = utcnow()
    return snap


async def stream(app: TrackerApp, monitors: list[Monitor], per_second: int,
                 stop: asyncio.Event) -> int:
    sent = 0
    while not stop.is_set():
        for _ in range(max(0, per_second // 10)):
            m = random.choice(monitors)
            snap = synthetic_result(m)
            app.bridge.on_event(ev.CheckFinished(snap, True, True, None))
            app.bridge.on_event(ev.ValuesChanged(snap, tuple(m.readings), tuple(snap.readings)))
            sent += 1
        await asyncio.sleep(0.1)
    return sent


async def main(n: int, presses: int, per_second: int) -> None:
    base_rss = rss_mb()
    with tempfile.TemporaryDirectory(prefix="tui-tracker-uibench-") as tmp:
        store = Store.open(Path(tmp))
        monitors = make_monitors(n)
        t0 = time.perf_counter()
        for m in monitors:
            store.add(m)
        print(f"store: {n} monitors added in {time.perf_counter() - t0:.1f} s")
        settings = Settings()
        app = TrackerApp(LocalEngine(Engine(store, settings)), settings=settings)
        t0 = time.perf_counter()
        async with app.run_test(size=(160, 50)) as pilot:
            while app.table.row_count < n:
                await pilot.pause(0.05)
            print(f"startup: table of {app.table.row_count} rows in "
                  f"{time.perf_counter() - t0:.2f} s; RSS {rss_mb():.0f} MB "
                  f"(+{rss_mb() - base_rss:.0f} MB)")
            stop = asyncio.Event()
            streamer = asyncio.create_task(stream(app, monitors, per_second, stop))
            # Time a repaint by wrapping the table's line renderer: the first line drawn
            # after the cursor moved is the repaint the user sees.
            painted = [0.0]
            original = app.table.render_lines

            def render_lines(crop, _orig=original):
                painted[0] = time.perf_counter()
                return _orig(crop)

            app.table.render_lines = render_lines  # type: ignore[method-assign]
            latencies = []
            for _ in range(presses):
                before = app.table.cursor_row
                t = time.perf_counter()
                app.post_message(events.Key("down", None))
                while app.table.cursor_row == before or painted[0] < t:
                    await asyncio.sleep(0.001)
                latencies.append((painted[0] - t) * 1000)
                await asyncio.sleep(0.05)
            stop.set()
            sent = await streamer
            # One flush of every row dirty: the worst case the 0.2 s timer can face.
            for m in monitors:
                app.table.upsert(synthetic_result(m))
            t = time.perf_counter()
            app.table.flush()
            full_flush = (time.perf_counter() - t) * 1000
            # "inclusive": the default extrapolates past the largest sample (p95 > max).
            q = statistics.quantiles(latencies, n=20, method="inclusive")
            print(f"key->repaint over {presses} presses with {sent} results streamed "
                  f"(~{per_second}/s): median {statistics.median(latencies):.1f} ms, "
                  f"p95 {q[18]:.1f} ms, max {max(latencies):.1f} ms")
            print(f"flush of all {n} rows dirty: {full_flush:.0f} ms; "
                  f"table flushes during run: {app.flushes}")
            print(f"RSS at end: {rss_mb():.0f} MB")
        store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--presses", type=int, default=50)
    parser.add_argument("--rate", type=int, default=200, help="check results per second")
    a = parser.parse_args()
    asyncio.run(main(a.monitors, a.presses, a.rate))
