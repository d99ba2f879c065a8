"""One engine, many windows: what attaching costs, with 1,000 monitors.

Seeds a temp data dir with N monitors (paused, so nothing is fetched), starts
`tui-tracker run` on it in a subprocess (the owner), then measures:

- event -> attached repaint: an attached TUI (the real app, headless, over a
  `RemoteEngine`) is shown; another client asks the owner to flip one monitor between
  paused and stopped; time from sending the request until the attached table has drawn
  the row with the new mode (includes the owner's durable save of the change, the event
  over the socket and the table's 0.2 s coalescing flush);
- forwarded round trip: `set_mode` of one monitor over the socket, request to reply
  (durable save included), and `monitors` (all N, as JSON) request to reply;
- a whole forwarded CLI command: `tui-tracker pause ID` as a subprocess, start to exit
  (interpreter start-up included).

Prints figures and asserts nothing.

    .venv/bin/python bench/attach_bench.py [--monitors 1000] [--flips 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui_tracker.config import Settings  # noqa: E402
from tui_tracker.core.model import Mode, Monitor, Reading, utcnow  # noqa: E402
from tui_tracker.engine.remote import RemoteEngine  # noqa: E402
from tui_tracker.store.repository import Store  # noqa: E402
from tui_tracker.ui.app import TrackerApp  # noqa: E402


def seed(data_dir: Path, n: int) -> list[str]:
    store = Store.open(data_dir)
    now = utcnow()
    ids = []
    for i in range(n):
        m = Monitor(id=f"b{i:04d}", url=f"http://127.0.0.2/item/{i}", name=f"Bench item {i}",
                    mode=Mode.PAUSED, last_checked=now, last_success=now,
                    readings=[Reading("price", f"Item {i}", 10.0 + i, "USD")])
        store.add(m)
        ids.append(m.id)
    store.close()
    return ids


def summary(name: str, ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=20, method="inclusive")
    return (f"{name}: median {statistics.median(ms):.1f} ms, p95 {q[18]:.1f} ms, "
            f"max {max(ms):.1f} ms (n={len(ms)})")


async def measure(data_dir: Path, ids: list[str], flips: int) -> None:
    app = TrackerApp(RemoteEngine(data_dir), settings=Settings())
    other = RemoteEngine(data_dir)
    await other.start()
    t0 = time.perf_counter()
    async with app.run_test(size=(160, 50)) as pilot:
        while app.table.row_count < len(ids):
            await pilot.pause(0.05)
        print(f"attached TUI: {app.table.row_count} rows shown {time.perf_counter() - t0:.2f} s "
              f"after start (connect + all monitors as JSON)")
        painted = [0.0]
        original = app.table.render_lines

        def render_lines(crop, _orig=original):  # the repaint a user sees
            painted[0] = time.perf_counter()
            return _orig(crop)

        app.table.render_lines = render_lines  # type: ignore[method-assign]
        target = ids[0]
        latencies = []
        for i in range(flips):
            mode = Mode.STOPPED if i % 2 == 0 else Mode.PAUSED
            t = time.perf_counter()
            await other.set_mode([target], mode)
            while mode.value not in str(app.table.get_cell(target, "mode")):
                await asyncio.sleep(0.001)
            patched = time.perf_counter()  # the flush put the new mode in the cell
            while painted[0] < patched:
                await asyncio.sleep(0.001)
            latencies.append((painted[0] - t) * 1000)
            await asyncio.sleep(0.05)
        print(summary("event -> attached repaint (0.2 s flush timer included)", latencies))
    rtt, listing = [], []
    for i in range(200):
        t = time.perf_counter()
        await other.set_mode([ids[1]], Mode.STOPPED if i % 2 == 0 else Mode.PAUSED)
        rtt.append((time.perf_counter() - t) * 1000)
    for _ in range(20):
        t = time.perf_counter()
        await other.monitors()
        listing.append((time.perf_counter() - t) * 1000)
    await other.close()
    print(summary("forwarded set_mode round trip (durable save included)", rtt))
    print(summary(f"forwarded monitors() of {len(ids)} round trip", listing))


def main(n: int, flips: int) -> None:
    with tempfile.TemporaryDirectory(prefix="tui-tracker-attachbench-") as tmp:
        data_dir = Path(tmp) / "data"
        ids = seed(data_dir, n)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TUI_TRACKER_")}
        owner = subprocess.Popen([sys.executable, "-m", "tui_tracker", "--data-dir",
                                  str(data_dir), "run"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=env)
        try:
            deadline = time.monotonic() + 30
            while not (data_dir / "control.sock").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            print(f"owner: `tui-tracker run` pid {owner.pid} with {n} monitors")
            asyncio.run(measure(data_dir, ids, flips))
            cli = []
            for i in range(5):
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "tui_tracker", "--data-dir",
                                str(data_dir), "stop" if i % 2 == 0 else "pause", ids[2]],
                               check=True, capture_output=True, env=env)
                cli.append((time.perf_counter() - t) * 1000)
            print(f"forwarded CLI command (`tui-tracker pause ID`, process start to exit): "
                  f"median {statistics.median(cli):.0f} ms, max {max(cli):.0f} ms (n=5)")
        finally:
            owner.terminate()
            owner.wait(timeout=30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--monitors", type=int, default=1000)
    parser.add_argument("--flips", type=int, default=40)
    a = parser.parse_args()
    main(a.monitors, a.flips)
