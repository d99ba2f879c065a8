"""A frozen Chromium (SIGSTOPped) under the real engine (issue 10.5, HOSTILE-INPUTS 57).

Before: browser checks ended 50-62 s after they started with a 30 s deadline, and an
HTTP monitor on the same host went unchecked for ~a minute, because hung browser
checks held the per-host slots. Now: the deadline holds from Python, the frozen
browser is killed and a new one serves the next checks, and HTTP monitors on the
same host keep their pace.
"""

from __future__ import annotations

import asyncio
import contextlib

import psutil
import pytest

from tests.servers.site import Site
from tests.waiting import wait_until_async
from tui_tracker.config import Settings
from tui_tracker.core.model import FetchMode, Kind, Monitor
from tui_tracker.engine import events as ev
from tui_tracker.engine.engine import Engine
from tui_tracker.store.repository import Store

DEADLINE = 4.0
# Learned data endpoints off: with them the browser monitors would be checked through
# their JSON after the first render and never meet the frozen browser.
SETTINGS = Settings(deadline=DEADLINE, per_host=2, browser_pages=2, browser_wait=0.5,
                    smtp_host="", notify_to=[], learn_endpoints=False)


def chromium_processes() -> list[psutil.Process]:
    found = []
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            name = proc.name().lower()
            if ("chrom" in name or "headless" in name) and \
                    proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
    return found


def alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def sites():
    a, b = Site("127.0.0.1").start(), Site("127.0.0.2").start()
    yield a, b
    a.stop()
    b.stop()


async def test_frozen_chromium_keeps_the_deadline_and_does_not_starve_http(tmp_path, sites):
    a, b = sites
    store = Store.open(tmp_path / "data")
    for mid, site, path, fetcher, kind in (
            ("brow1", a, "/js-seats", FetchMode.BROWSER, Kind.SEATS),
            ("brow2", a, "/js-seats?2", FetchMode.BROWSER, Kind.SEATS),
            ("http1", a, "/product/1", FetchMode.HTTP, Kind.PRICE),
            ("http2", b, "/product/1", FetchMode.HTTP, Kind.PRICE)):
        store.add(Monitor(id=mid, url=site.url(path), fetcher=fetcher, kind=kind, interval=1.0))
    engine = Engine(store, SETTINGS)
    loop = asyncio.get_running_loop()
    started: dict[str, float] = {}
    checks: list[tuple[str, float, float, bool]] = []  # (id, start, end, ok)

    def record(event: ev.EngineEvent) -> None:
        if isinstance(event, ev.CheckStarted):
            started[event.monitor_id] = loop.time()
        elif isinstance(event, ev.CheckFinished):
            mid = event.monitor.id
            checks.append((mid, started.pop(mid, loop.time()), loop.time(), event.ok))

    engine.subscribe(record)
    frozen: list[psutil.Process] = []
    await engine.start()
    try:
        await wait_until_async(lambda: {c[0] for c in checks if c[3]} >= {"brow1", "brow2"}, 60,
                                   "both browser monitors to read their page once")
        browser = engine.pool.get("browser")
        frozen = chromium_processes()
        assert frozen, "no Chromium process found"
        for proc in frozen:
            proc.suspend()  # SIGSTOP
        t0 = loop.time()
        await asyncio.sleep(3 * DEADLINE)
        t1 = loop.time()
        window = [c for c in checks if t0 <= c[1] and c[2] <= t1 + DEADLINE + 2]

        # 1. No browser check outlives its deadline (plus a little engine bookkeeping).
        # Checks still running count with their age so far.
        spans = [end - start for mid, start, end, _ in checks
                 if mid.startswith("brow") and start >= t0 - 1]
        spans += [loop.time() - start for mid, start in started.items() if mid.startswith("brow")]
        assert spans, "no browser check ran while Chromium was frozen"
        assert max(spans) <= DEADLINE + 2, f"a browser check took {max(spans):.1f} s"

        # 2. The HTTP monitor on the frozen browser's host kept its pace.
        same = [c for c in window if c[0] == "http1" and c[1] < t1]
        other = [c for c in window if c[0] == "http2" and c[1] < t1]
        assert len(same) >= 4 and len(same) >= len(other) // 2, (len(same), len(other))
        assert all(c[3] for c in same)

        # 3. The frozen browser was killed and a new one reads pages again.
        await wait_until_async(lambda: not any(alive(p) for p in frozen), 30,
                                   "the frozen Chromium processes to be killed")
        assert browser.kills >= 1
        await wait_until_async(lambda: any(c[0].startswith("brow") and c[3] and c[1] > t1
                                   for c in checks), 60, "a browser check to succeed again")
        assert browser.launches >= 2
    finally:
        for proc in frozen:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.kill()
        await engine.stop()
        store.close()
    assert not chromium_processes(), "Chromium left running after stop"
