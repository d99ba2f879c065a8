"""Benchmark alert recording: store cost per event by events stored, and loop stalls.

Usage (from the repo root, with the project's virtualenv):

    .venv/bin/python bench/store_bench.py                 # 0, 1000, 5000 stored; 1000 alerts
    .venv/bin/python bench/store_bench.py --sizes 0 5000 --ops 300 --alerts 2000

What it measures (issue 10.9; notifications.json at its 5,000-event cap used to cost
~220 ms per store call, on the event loop):

1. **Cost per event** with N events already stored (N = `--sizes`): the mean and
   worst time of `Store.add_event` (a new alert with one pending delivery) and of
   `Store.update_event` (that delivery marked sent), over `--ops` alerts, each
   durable (fsync'd) when it returns. Compactions are included in the mean.
2. **Longest event-loop stall while alerts are recorded**: an `Engine` on a store
   holding the largest size; `--alerts` alerts go through its outbox exactly as a
   check's would (`record`, then `deliver`, with a notifier that accepts at once)
   while a probe task on the same loop measures how late each 5 ms sleep wakes.
   That lateness is what a TUI on the loop would freeze for.

It asserts nothing: figures depend on the machine (disk fsync speed above all).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui_tracker.config import Settings  # noqa: E402
from tui_tracker.core.model import (  # noqa: E402
    Delivery,
    DeliveryState,
    Event,
    Monitor,
    Reading,
    utcnow,
)
from tui_tracker.core.rules import Fired  # noqa: E402
from tui_tracker.engine.engine import Engine  # noqa: E402
from tui_tracker.engine.outbox import new_event_id  # noqa: E402
from tui_tracker.store.repository import Store  # noqa: E402

MONITORS = 50
READINGS = [Reading("price", "Acme Kettle, 1.7 l, brushed steel", 42.0, "USD")]


def event(monitor_id: str, state: DeliveryState = DeliveryState.SENT) -> Event:
    return Event(id=new_event_id(), monitor_id=monitor_id, at=utcnow(), rule="price_below",
                 message="Acme Kettle is $42.00, at or below your target $45.00.",
                 monitor_name="Acme Kettle", url="http://127.0.0.1/product/1",
                 old=READINGS, new=READINGS,
                 deliveries=[Delivery("email", "me@example.com", state=state, attempts=1)])


def filled_store(data_dir: Path, stored: int) -> Store:
    store = Store.open(data_dir)
    ids = [f"mon{i:02d}" for i in range(MONITORS)]
    store.save_many([Monitor(id=mid, url=f"http://127.0.0.1/{mid}") for mid in ids])
    batch: list[Event] = []
    for i in range(stored):
        batch.append(event(ids[i % MONITORS]))
        if len(batch) == 500:
            store.add_events(batch)
            batch = []
    if batch:
        store.add_events(batch)
    store._events.compact()  # start from a clean snapshot of that size
    return store


def cost_per_event(stored: int, ops: int) -> tuple[float, float, float, float]:
    with tempfile.TemporaryDirectory(prefix="tt-bench-") as tmp:
        store = filled_store(Path(tmp), stored)
        adds, updates = [], []
        for i in range(ops):
            ev = event(f"mon{i % MONITORS:02d}", DeliveryState.PENDING)
            t = time.perf_counter()
            store.add_event(ev)
            adds.append(time.perf_counter() - t)
            ev.deliveries[0].state = DeliveryState.SENT
            t = time.perf_counter()
            store.update_event(ev)
            updates.append(time.perf_counter() - t)
        store.close()
    return (statistics.mean(adds) * 1000, max(adds) * 1000,
            statistics.mean(updates) * 1000, max(updates) * 1000)


class InstantNotifier:
    """Accepts every message at once: only the store's cost is measured."""

    sent = 0

    async def send(self, to: list[str], subject: str, body: str) -> None:
        self.sent += 1


async def loop_stall(stored: int, alerts: int) -> tuple[float, float, int, float]:
    with tempfile.TemporaryDirectory(prefix="tt-bench-") as tmp:
        store = filled_store(Path(tmp), stored)
        notifier = InstantNotifier()
        settings = Settings(notify_to=["me@example.com"])
        engine = Engine(store, settings, notifier=notifier)
        engine.outbox.max_per_hour = alerts + 1  # measure the store, not the storm guard
        monitors = store.list_monitors()
        lags: list[float] = []
        done = asyncio.Event()
        loop = asyncio.get_running_loop()

        async def probe() -> None:
            while not done.is_set():
                t = loop.time()
                await asyncio.sleep(0.005)
                lags.append(loop.time() - t - 0.005)

        watcher = asyncio.create_task(probe())
        start = time.perf_counter()
        for i in range(alerts):
            m = monitors[i % len(monitors)]
            await engine.outbox.record(m, [Fired("price_below", f"alert {i}")], READINGS,
                                       READINGS)
            await engine.deliver()
        took = time.perf_counter() - start
        done.set()
        await watcher
        engine._io.shutdown(wait=True)
        store.close()
    lags.sort()
    return max(lags) * 1000, lags[int(len(lags) * 0.99)] * 1000, notifier.sent, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 5000])
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--alerts", type=int, default=1000)
    args = parser.parse_args()
    print("events stored | add_event mean / max ms | update_event mean / max ms")
    for n in args.sizes:
        add_mean, add_max, upd_mean, upd_max = cost_per_event(n, args.ops)
        print(f"{n:>13} | {add_mean:>8.2f} / {add_max:>7.2f}    | "
              f"{upd_mean:>8.2f} / {upd_max:>7.2f}")
    size = max(args.sizes)
    worst, p99, sent, took = asyncio.run(loop_stall(size, args.alerts))
    print(f"{args.alerts} alerts recorded and delivered through the engine's outbox with "
          f"{size} events stored: {took:.1f} s, {sent} mails; event-loop stall "
          f"max {worst:.1f} ms, p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()
