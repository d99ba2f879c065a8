"""HostLimits: places are given back whatever way a check leaves its slot."""

from __future__ import annotations

import asyncio

import pytest

from tui_tracker.engine.limits import HostLimits


async def _held(limits: HostLimits, host: str, release: asyncio.Event) -> None:
    async with limits.slot(host):
        await release.wait()


async def test_per_host_and_total_places_are_held_then_given_back() -> None:
    limits = HostLimits(total=3, per_host=2)
    release = asyncio.Event()
    holders = [asyncio.create_task(_held(limits, "a:80", release)) for _ in range(2)]
    other = asyncio.create_task(_held(limits, "b:80", release))
    await asyncio.sleep(0.01)
    host_a, total = limits._hosts[("http", "a:80")], limits._totals["http"]
    assert host_a.locked() and total.locked()
    waiter = asyncio.create_task(_held(limits, "a:80", release))
    await asyncio.sleep(0.01)
    assert not waiter.done()
    waiter.cancel()  # cancelled while waiting for its host's place
    release.set()
    await asyncio.gather(*holders, other)
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert not host_a.locked() and not total.locked()
    async with limits.slot("a:80"), limits.slot("a:80"), limits.slot("b:80"):
        assert host_a.locked() and total.locked()


async def test_a_check_cancelled_in_the_host_gap_gives_its_places_back() -> None:
    limits = HostLimits(total=4, per_host=2, gap=30.0)
    async with limits.slot("a:80"):
        second = asyncio.create_task(_held(limits, "a:80", asyncio.Event()))
        await asyncio.sleep(0.01)  # it holds both places and sleeps out the gap
        host_a = limits._hosts[("http", "a:80")]
        assert host_a.locked()
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second
        assert not host_a.locked()


async def test_an_error_inside_the_slot_gives_its_places_back() -> None:
    limits = HostLimits(total=1, per_host=1)
    with pytest.raises(RuntimeError):
        async with limits.slot("a:80"):
            raise RuntimeError("check failed")
    assert not limits._totals["http"].locked()
