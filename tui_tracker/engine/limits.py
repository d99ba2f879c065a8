"""Politeness and resource limits: global, per host (with a minimum gap), per browser."""

from __future__ import annotations

import asyncio


class HostLimits:
    """Bounded concurrency overall and per host, with a minimum gap between requests to a host.

    Capacity is kept per fetcher (`http`, `browser`): a browser check stuck on a frozen
    Chromium used to hold the host's slots, so plain HTTP monitors on that host went
    unchecked for a minute (issue 10.5). Each fetcher now has its own global and
    per-host limits; the politeness gap between requests to a host is shared.

    Hosts get their semaphore lazily; the gap is enforced by reserving the next start
    slot before sleeping, so N waiters on one host start gap seconds apart.
    """

    def __init__(self, total: int, per_host: int, gap: float = 0.0) -> None:
        self._total_n = max(1, total)
        self._totals: dict[str, asyncio.Semaphore] = {}
        self._per_host_n = max(1, per_host)
        self._hosts: dict[tuple[str, str], asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._gap = max(0.0, gap)

    def slot(self, host: str, fetcher: str = "http") -> _Slot:
        """`async with limits.slot(host, fetcher):` holds one global and one per-host
        place of `fetcher`'s capacity, and waits out the host's gap first."""
        key = (fetcher, host)
        sem = self._hosts.get(key)
        if sem is None:
            sem = self._hosts[key] = asyncio.Semaphore(self._per_host_n)
        total = self._totals.get(fetcher)
        if total is None:
            total = self._totals[fetcher] = asyncio.Semaphore(self._total_n)
        return _Slot(self, host, sem, total)


class _Slot:
    """One check's hold on `HostLimits` (a class, not a generator-based context manager:
    it is entered for every check)."""

    __slots__ = ("_host", "_limits", "_sem", "_total")

    def __init__(self, limits: HostLimits, host: str, sem: asyncio.Semaphore,
                 total: asyncio.Semaphore) -> None:
        self._limits, self._host, self._sem, self._total = limits, host, sem, total

    async def __aenter__(self) -> None:
        await self._sem.acquire()
        try:
            await self._total.acquire()
        except BaseException:
            self._sem.release()
            raise
        limits = self._limits
        if not limits._gap:
            return
        try:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, limits._next_start.get(self._host, 0.0))
            limits._next_start[self._host] = start + limits._gap
            if start > now:
                await asyncio.sleep(start - now)
        except BaseException:
            self._release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._release()

    def _release(self) -> None:
        self._total.release()
        self._sem.release()
