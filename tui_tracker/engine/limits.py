"""Politeness and resource limits: global, per host (with a minimum gap), per browser."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


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

    @contextlib.asynccontextmanager
    async def slot(self, host: str, fetcher: str = "http") -> AsyncIterator[None]:
        sem = self._hosts.get((fetcher, host))
        if sem is None:
            sem = self._hosts[(fetcher, host)] = asyncio.Semaphore(self._per_host_n)
        total = self._totals.get(fetcher)
        if total is None:
            total = self._totals[fetcher] = asyncio.Semaphore(self._total_n)
        async with sem, total:
            if self._gap:
                loop = asyncio.get_running_loop()
                now = loop.time()
                start = max(now, self._next_start.get(host, 0.0))
                self._next_start[host] = start + self._gap
                if start > now:
                    await asyncio.sleep(start - now)
            yield
