"""A clock tests move by hand (the engine's `Clock`, engine/clock.py).

`advance(s)` moves both clocks as real time would; `jump_wall(delta)` steps only the
wall clock, as NTP or a suspend/resume does. `wait` watches the monotonic clock, so
a scheduler sleeping "60 s" wakes as soon as a test advances it by 60.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tui_tracker.engine.clock import Clock

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class ManualClock(Clock):
    def __init__(self, wall: datetime = T0) -> None:
        self.t = 1000.0
        self.wall = wall

    def monotonic(self) -> float:
        return self.t

    def now(self) -> datetime:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.t += seconds
        self.wall += timedelta(seconds=seconds)

    def jump_wall(self, delta: timedelta) -> None:
        self.wall += delta

    async def wait(self, event: asyncio.Event, timeout: float | None) -> bool:
        until = None if timeout is None else self.t + timeout
        while not event.is_set():
            if until is not None and self.t >= until:
                return False
            await asyncio.sleep(0.01)  # real time only to let the test move the clock
        return True
