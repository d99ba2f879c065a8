"""The engine's sense of time, injectable so tests can move it instead of waiting.

Two clocks, on purpose (HOSTILE-INPUTS 51): `monotonic()` decides *when* checks run
and never jumps, so an NTP step or a suspend causes no burst and no stall;
`now()` is the wall clock, used only for what is shown and stored (last checked,
next check, alert times). `wait` sleeps on the monotonic clock until an event is set
or a timeout passes.

`wait` uses `asyncio.timeout`, not `asyncio.wait_for`: on Python 3.11, `wait_for`
swallows a cancellation that arrives just after the awaited event was set, which
left `tui-tracker run` checking on after "stopping" and never exiting (issue 10.4).
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from tui_tracker.core.model import utcnow


class Clock:
    """The real clocks: the running loop's monotonic time and UTC wall time."""

    def monotonic(self) -> float:
        return asyncio.get_running_loop().time()

    def now(self) -> datetime:
        return utcnow()

    async def wait(self, event: asyncio.Event, timeout: float | None) -> bool:
        """Wait until `event` is set (True) or `timeout` seconds pass (False)."""
        if timeout is None:
            await event.wait()
            return True
        try:
            async with asyncio.timeout(max(0.0, timeout)):
                await event.wait()
        except TimeoutError:
            return event.is_set()
        return True
