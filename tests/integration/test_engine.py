"""The engine against a real local site and a real store: limits, scheduling, events."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.clock import ManualClock
from tests.faults import FlakyStore
from tests.servers.site import Site
from tests.servers.smtp import SmtpTestServer
from tui_tracker.config import Settings
from tui_tracker.core.model import Health, Kind, Mode, Monitor, Rules, utcnow
from tui_tracker.engine import events as ev
from tui_tracker.engine.engine import Engine
from tui_tracker.store.repository import Store


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture
def site2() -> Iterator[Site]:
    server = Site("127.0.0.2").start()
    yield server
    server.stop()


def make_engine(tmp_path: Path, monitors: list[Monitor], clock: ManualClock | None = None,
                **settings) -> Engine:
    store = Store.open(tmp_path / "data")
    for m in monitors:
        m.id = m.id or store.new_id()
        store.add(m)
    return Engine(store, Settings(**settings), clock=clock, rng=lambda: 0.5)


async def until(condition, what: str, timeout: float = 20) -> None:
    """Poll (real time) until `condition()`; fail naming `what`."""
    end = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > end:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.02)


def finishes(seen: list, mid: str) -> int:
    return sum(isinstance(e, ev.CheckFinished) and e.monitor.id == mid for e in seen)


def product(site: Site, n: int, **kw) -> Monitor:
    return Monitor(id="", url=site.url(f"/product/{n}"), name=f"P{n}", kind=Kind.PRICE, **kw)


async def test_per_host_limit_holds_while_hosts_run_in_parallel(tmp_path, site, site2) -> None:
    site.state["delay"] = site2.state["delay"] = 0.3
    monitors = [product(site, i) for i in range(6)] + [product(site2, i) for i in range(6)]
    engine = make_engine(tmp_path, monitors, per_host=2, concurrency=16)
    outcomes = await engine.run_once()
    assert len(outcomes) == 12 and all(o.ok for o in outcomes)
    assert site.max_active == 2 and site2.max_active == 2


async def test_global_limit(tmp_path, site) -> None:
    site.state["delay"] = 0.3
    engine = make_engine(tmp_path, [product(site, i) for i in range(6)], per_host=10,
                         concurrency=3)
    await engine.run_once()
    assert site.max_active == 3


async def test_minimum_gap_between_requests_to_one_host(tmp_path, site) -> None:
    engine = make_engine(tmp_path, [product(site, i) for i in range(4)], per_host=4,
                         host_gap=0.4)
    await engine.run_once()
    starts = sorted(site.starts)
    # Without the gap all four start together; with it they spread over ~3 gaps (the first
    # request also pays for opening the client, which may eat into the first gap).
    assert len(starts) == 4 and starts[-1] - starts[0] >= 3 * 0.4 - 0.2


async def test_scheduler_runs_due_checks_and_respects_modes(tmp_path, site) -> None:
    clock = ManualClock()
    a, b = product(site, 1, interval=60), product(site, 2, interval=60, mode=Mode.PAUSED)
    engine = make_engine(tmp_path, [a, b], clock)
    seen: list[ev.EngineEvent] = []
    engine.subscribe(seen.append)
    await engine.start()
    try:
        await until(lambda: finishes(seen, a.id) == 1, "the first check")
        assert site.requests.get("/product/2") is None  # paused: never polled
        engine.check_now([b.id])  # but "check now" works on it
        await until(lambda: finishes(seen, b.id) == 1, "the check-now of a paused monitor")
        site.state["price"] = 39.0
        clock.advance(30)
        await asyncio.sleep(0.3)
        assert finishes(seen, a.id) == 1  # not due yet
        clock.advance(31)
        await until(lambda: finishes(seen, a.id) == 2, "the interval to come round again")
        changed = [e for e in seen if isinstance(e, ev.ValuesChanged)]
        assert changed and changed[-1].new[0].value == 39.0
        await engine.set_mode([a.id], Mode.PAUSED)
        count = site.requests["/product/1"]
        clock.advance(200)
        await asyncio.sleep(0.3)
        assert site.requests["/product/1"] == count
    finally:
        await engine.stop()
    stored = Store.open(tmp_path / "data", readonly=True)
    assert stored.get(a.id).mode is Mode.PAUSED
    assert stored.get(a.id).readings[0].value == 39.0


async def test_failure_sets_error_health_and_success_resets(tmp_path, site) -> None:
    m = product(site, 1)
    engine = make_engine(tmp_path, [m])
    seen: list[ev.EngineEvent] = []
    engine.subscribe(seen.append)
    await engine.run_once()
    site.state["status"] = 503
    [out] = await engine.run_once()
    assert not out.ok and "503" in out.error
    assert engine.get(m.id).health() is Health.ERROR
    assert engine.get(m.id).readings[0].value == 49.99  # last good value kept
    assert engine.get(m.id).failures == 1
    site.state["status"] = 200
    [out] = await engine.run_once()
    assert out.ok and engine.get(m.id).failures == 0
    assert [(e.old, e.new) for e in seen if isinstance(e, ev.HealthChanged)] == [
        (Health.NEW, Health.HEALTHY), (Health.HEALTHY, Health.ERROR),
        (Health.ERROR, Health.HEALTHY)]


async def test_auto_remembers_the_browser(tmp_path, site) -> None:
    m = Monitor(id="", url=site.url("/js-seats"), kind=Kind.SEATS)
    # Learned endpoints off: with them, the second check asks the page's JSON instead
    # (tests/integration/test_reuse.py); this is about the page fetch order.
    engine = make_engine(tmp_path, [m], learn_endpoints=False)
    [out] = await engine.run_once()
    assert out.ok, out.error
    assert engine.get(m.id).resolved_fetcher.value == "browser"
    before = site.requests.get("/js-seats", 0)
    [out] = await engine.run_once()
    assert out.ok
    # Second time straight to the browser: one page load, no wasted static fetch first.
    assert site.requests["/js-seats"] == before + 1


async def test_failed_batched_save_is_reported_and_retried(tmp_path, site) -> None:
    store = FlakyStore.open(tmp_path / "data")
    m = product(site, 1, interval=3600)
    m.id = store.new_id()
    store.add(m)
    engine = Engine(store, Settings())
    seen: list[ev.EngineEvent] = []
    engine.subscribe(seen.append)
    store.failures = 2
    await engine.start()
    try:
        async def saved() -> None:
            while not (Store.open(tmp_path / "data", readonly=True).get(m.id).readings):
                await asyncio.sleep(0.1)

        await asyncio.wait_for(saved(), 20)
    finally:
        await engine.stop()
    trouble = [e.error for e in seen if isinstance(e, ev.SaveFailed)]
    assert trouble[0] and "No space left" in trouble[0]  # reported once...
    assert trouble[-1] is None and len(trouble) == 2  # ...then "works again"
    assert engine.save_error is None


async def test_wall_clock_jumps_cause_no_stall_and_no_burst(tmp_path, site) -> None:
    """HOSTILE-INPUTS 51: the wall clock steps back an hour, then forward a day. Checks
    keep to the monotonic interval: no stall after the backward step, no burst (nor a
    missed check) after the forward one."""
    clock = ManualClock()
    m = product(site, 1, interval=60)
    engine = make_engine(tmp_path, [m], clock)
    seen: list[ev.EngineEvent] = []
    engine.subscribe(seen.append)
    await engine.start()
    try:
        await until(lambda: finishes(seen, m.id) == 1, "the first check")
        clock.jump_wall(timedelta(hours=-1))  # NTP steps back an hour
        clock.advance(61)
        await until(lambda: finishes(seen, m.id) == 2, "the next check despite the step back")
        clock.jump_wall(timedelta(days=1))  # suspend/resume: a day later by the wall
        clock.advance(1)
        await asyncio.sleep(0.3)
        assert finishes(seen, m.id) == 2  # no burst of "missed" checks
        clock.advance(60)
        await until(lambda: finishes(seen, m.id) == 3, "the regular check after the jump")
        await asyncio.sleep(0.3)
        assert finishes(seen, m.id) == 3
        # What is shown follows the wall clock: the last check is dated a day later.
        last = [e for e in seen if isinstance(e, ev.CheckFinished)][-1].monitor
        assert last.last_checked == clock.now()
        assert last.next_check is not None and last.next_check > clock.now()
    finally:
        await engine.stop()


async def test_stop_completes_when_a_wake_up_races_the_cancel(tmp_path, site) -> None:
    """Issue 10.4: on Python 3.11 `asyncio.wait_for` swallowed a cancel that arrived just
    after its event was set, so the scheduler survived `stop()` and `run` never exited."""
    later = utcnow() + timedelta(hours=1)
    engine = make_engine(tmp_path, [product(site, 1, interval=3600, next_check=later)])
    await engine.start()
    tasks = list(engine._tasks)
    try:
        await asyncio.sleep(0.2)  # the scheduler is asleep until the monitor is due
        engine._wake.set()  # a check or a user action scheduled something, and at once:
        stopping = asyncio.ensure_future(engine.stop())
        done, _ = await asyncio.wait({stopping}, timeout=15)
        assert stopping in done, "stop() did not return"
        assert tasks and all(t.done() for t in tasks) and not engine.running
    finally:
        for task in tasks:
            task.cancel()


async def test_mail_retry_is_not_held_back_by_a_wall_clock_step_back(tmp_path, site) -> None:
    """A sibling of HOSTILE-INPUTS 51 in the outbox: a retry due in 20 s must not wait an
    extra hour because the wall clock was stepped back an hour meanwhile."""
    smtp = SmtpTestServer()  # not started yet: the first try is refused
    clock = ManualClock()
    site.state["price"] = 42.0
    m = product(site, 1, interval=3600, rules=Rules(below=45))
    engine = make_engine(tmp_path, [m], clock, smtp_host=smtp.host, smtp_port=smtp.port,
                         smtp_tls="none", smtp_from="t@example.test", smtp_timeout=2.0,
                         notify_to=["me@example.test"])
    updates: list[ev.DeliveryUpdated] = []
    engine.subscribe(lambda e: updates.append(e) if isinstance(e, ev.DeliveryUpdated) else None)
    await engine.start()
    try:
        await until(lambda: updates and updates[-1].event.deliveries[0].attempts == 1,
                    "the first, refused, attempt")
        assert updates[-1].event.deliveries[0].state.value == "pending"
        smtp.start()
        clock.jump_wall(timedelta(hours=-1))
        clock.advance(25)  # past the first retry delay (20 s with this jitter)
        # The sender may compute its next wait just after that step (its read of the
        # pending events races the test), and then waits for the manual clock to move
        # half a second more: nudge it, 0.5 s at a time, to at most 100 s in all, far
        # short of the hour a retry timed by the wall clock would wait.
        for _ in range(200):
            if smtp.messages:
                break
            await asyncio.sleep(0.05)
            clock.advance(0.5)
        await until(lambda: smtp.messages, "the retry after the clock step")
        await until(lambda: updates[-1].event.deliveries[0].state.value == "sent", "sent")
    finally:
        await engine.stop()
        smtp.stop()


async def test_an_alert_the_disk_refused_fires_again_once_it_has_room(tmp_path, site) -> None:
    """Issue 10.2 in-process: recording the alert fails, so the check is undone (rule state
    included) and retried; the alert is recorded by the retry, exactly once."""
    from tests.faults import FullDiskEvents

    clock = ManualClock()
    store = FullDiskEvents.open(tmp_path / "data")
    m = product(site, 1, interval=3600, rules=Rules(below=45))
    m.id = "kettl"
    store.add(m)
    engine = Engine(store, Settings(), clock=clock, rng=lambda: 0.5)
    seen: list[ev.EngineEvent] = []
    engine.subscribe(seen.append)
    site.state["price"] = 42.0
    store.failures = 1
    await engine.start()
    try:
        await until(lambda: finishes(seen, "kettl") == 1, "the first check")
        assert not [e for e in seen if isinstance(e, ev.AlertFired)]
        assert engine.save_error and "No space left" in engine.save_error
        assert engine.get("kettl").rule_state == {}  # not "already fired"
        clock.advance(31)  # the retry after a refused save comes within 30 s
        await until(lambda: [e for e in seen if isinstance(e, ev.AlertFired)], "the alert")
        clock.advance(3600)
        await until(lambda: finishes(seen, "kettl") == 3, "the next regular check")
    finally:
        await engine.stop()
    assert engine.save_error is None
    with Store.open(tmp_path / "data", readonly=True) as again:
        assert [e.rule for e in again.events("kettl")] == ["price_below"]


async def _edit_inside_a_checks_window(tmp_path, site, **rules):
    """An engine whose first check is slow (the site's delay, then a slow store read),
    so a test can edit the monitor while the check has its page but has not stored its
    results; returns the engine interface, the store and the events seen."""
    import threading

    from tests.faults import SlowHistoryReads
    from tui_tracker.engine.local import LocalEngine

    store = SlowHistoryReads.open(tmp_path / "data")
    m = product(site, 1, interval=3600, rules=Rules(**rules))
    m.id = "kettl"
    store.add(m)
    api = LocalEngine(Engine(store, Settings(), rng=lambda: 0.5))
    seen: list[ev.EngineEvent] = []
    api.engine.subscribe(seen.append)
    site.state.update(price=42.0, delay=0.5)
    store.reading, store.pause = threading.Event(), 0.5
    await api.start()
    return api, store, seen


async def test_an_edit_racing_a_finishing_check_keeps_the_result_and_the_edit(tmp_path,
                                                                             site) -> None:
    """Issue 9: the edit copies the monitor before the slow check finishes and saves after
    it; neither the check's reading and fired rule nor the edit may be lost (a lost rule
    state would send the alert again on the next check)."""
    from tui_tracker.core.monitor_input import MonitorInput

    api, store, seen = await _edit_inside_a_checks_window(tmp_path, site, below=45)
    engine = api.engine
    try:
        await until(lambda: store.reading.is_set(), "the slow check to have its page")
        edited = await api.edit("kettl", MonitorInput(name="Renamed kettle", below="44"))
        assert edited.name == "Renamed kettle"
        await until(lambda: finishes(seen, "kettl") >= 1, "the check to finish")
        store.pause = 0
        engine.check_now(["kettl"])  # a later check: the alert must not fire again
        await until(lambda: finishes(seen, "kettl") >= 2 and not engine.in_flight,
                    "a second check")
        live = engine.get("kettl")
    finally:
        await api.close()
        store.close()
    assert live.name == "Renamed kettle" and live.rules.below == 44.0, "the edit was lost"
    assert [r.number for r in live.readings] == [42.0], "the check's reading was lost"
    alerts = [e.event for e in seen if isinstance(e, ev.AlertFired)]
    assert [a.rule for a in alerts] == ["price_below"], "the alert fired again"
    assert live.last_event == alerts[0].id
    with Store.open(tmp_path / "data", readonly=True) as again:
        saved = again.get("kettl")
        assert saved.name == "Renamed kettle" and [r.number for r in saved.readings] == [42.0]
        assert [e.rule for e in again.events("kettl")] == ["price_below"]


async def test_a_result_for_an_edited_page_is_dropped_and_the_new_page_checked(
        tmp_path, site, site2) -> None:
    """A check that read the old page while the user changed the URL: its reading is not
    shown for the new page, and the new page is checked at once, not an interval later."""
    from tui_tracker.core.monitor_input import MonitorInput

    api, store, seen = await _edit_inside_a_checks_window(tmp_path, site)
    engine = api.engine
    site2.state["price"] = 30.0
    new_url = site2.url("/product/1")
    try:
        await until(lambda: store.reading.is_set(), "the slow check to have its page")
        await api.edit("kettl", MonitorInput(url=new_url))
        store.pause = 0
        await until(lambda: any(isinstance(e, ev.CheckFinished) and e.monitor.url == new_url
                                for e in seen), "a check of the new page")
        live = engine.get("kettl")
    finally:
        await api.close()
        store.close()
    shown = [(e.monitor.url, [r.number for r in e.monitor.readings]) for e in seen
             if isinstance(e, ev.CheckFinished | ev.MonitorUpdated)]
    assert (new_url, [42.0]) not in shown, f"the old page's reading shown for the new: {shown}"
    assert live.url == new_url and [r.number for r in live.readings] == [30.0]


async def test_a_new_page_starts_a_new_baseline_and_alerts_nothing_about_the_old(
        tmp_path, site, site2) -> None:
    """Editing the URL points the monitor at another page: the old page's price is not a
    'change' of the new one (no any-change or drop alert comparing two products), the
    old readings are not shown for the new page, and the new page's first reading is the
    baseline later drops are measured from."""
    from tui_tracker.core.monitor_input import MonitorInput
    from tui_tracker.engine.local import LocalEngine

    store = Store.open(tmp_path / "data")
    m = product(site, 1, interval=3600, rules=Rules(any_change=True, drop_pct=10))
    m.id = "kettl"
    store.add(m)
    api = LocalEngine(Engine(store, Settings(), rng=lambda: 0.5))
    seen: list[ev.EngineEvent] = []
    api.engine.subscribe(seen.append)
    site.state["price"], site2.state["price"] = 42.0, 30.0
    new_url = site2.url("/product/1")
    await api.start()
    try:
        await until(lambda: finishes(seen, "kettl") == 1, "the first check")
        del seen[:]
        edited = await api.edit("kettl", MonitorInput(url=new_url))
        assert edited.readings == [] and edited.in_stock is None and edited.title is None
        await until(lambda: finishes(seen, "kettl") == 1, "the check of the new page")
        assert [r.number for r in api.engine.get("kettl").readings] == [30.0]
        assert not [e for e in seen if isinstance(e, ev.AlertFired | ev.ValuesChanged)], \
            [type(e).__name__ for e in seen]
        site2.state["price"] = 26.0  # 13 % below the new page's first price
        api.engine.check_now(["kettl"])
        await until(lambda: finishes(seen, "kettl") == 2, "a later check")
    finally:
        await api.close()
        store.close()
    alerts = [e.event.rule for e in seen if isinstance(e, ev.AlertFired)]
    assert "price_drop" in alerts, f"the drop from the new page's own baseline: {alerts}"
