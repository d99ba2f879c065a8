"""Waiting helpers shared by every test: poll a condition, fail naming what was awaited.

A wait that silently gives up hides the failure it was waiting for, so each raises
AssertionError with what it waited for and the last value it saw.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


def _timed_out(timeout: float, what: str, value: object) -> AssertionError:
    return AssertionError(f"timed out after {timeout:g} s waiting for "
                          f"{what or 'the condition'}; last saw {value!r}")


def wait_until(condition: Callable[[], object], timeout: float = 30, what: str = "",
               interval: float = 0.1) -> object:
    """Poll `condition` (blocking) until it is truthy and return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise _timed_out(timeout, what, value)
        time.sleep(interval)


async def wait_until_async(condition: Callable[[], object], timeout: float = 30,
                           what: str = "",
                           pause: Callable[[], Awaitable[object]] | None = None) -> object:
    """Poll `condition` inside a running loop, awaiting `pause()` (0.1 s) between tries."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise _timed_out(timeout, what, value)
        await (pause() if pause is not None else asyncio.sleep(0.1))
