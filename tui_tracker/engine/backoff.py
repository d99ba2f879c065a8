"""How long to wait after a failure: exponential in the interval, capped, jittered."""

from __future__ import annotations

import random
from collections.abc import Callable


def failure_delay(interval: float, failures: int, *, cap: float,
                  retry_after: float | None = None,
                  rng: Callable[[], float] = random.random) -> float:
    """Seconds until the next try after `failures` consecutive failures (>= 1).

    Starts at the monitor's interval (at most the cap: a daily monitor retries after an
    hour, a 30 s demo monitor after 30 s) and doubles up to max(cap, interval).
    ±20 % jitter spreads many monitors failing together (one host down) apart.
    A server's Retry-After is honoured as a floor.
    """
    start = min(interval, cap)
    delay = min(max(cap, interval), start * (2 ** min(32, max(0, failures - 1))))
    delay *= 0.8 + 0.4 * rng()
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def jittered(interval: float, rng: Callable[[], float] = random.random) -> float:
    """The regular interval with ±5 % jitter so monitors added together drift apart."""
    return interval * (0.95 + 0.1 * rng())
