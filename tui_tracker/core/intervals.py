"""Human intervals: `30s`, `10m`, `2h`, `1d`, `1h30m` <-> seconds."""

from __future__ import annotations

import re

from tui_tracker.core.errors import InputError

MIN_INTERVAL = 5.0
"""Faster polling than this is impolite to the site and never what a person needs."""
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d|day)?", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400, "day": 86400}


def parse_interval(text: str) -> float:
    """Seconds from `10m`-style text; a bare number means seconds."""
    s = (text or "").strip().lower().replace(" ", "")
    total, pos = 0.0, 0
    for m in _PART.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS[m.group(2) or "s"]
        pos = m.end()
    if not s or pos != len(s):
        raise InputError(f"The interval {text!r} is not understood; use e.g. 30s, 10m, 2h or 1d.")
    if total < MIN_INTERVAL:
        raise InputError(f"The interval {text!r} is too short; the minimum is 5s.")
    return total


def format_interval(seconds: float) -> str:
    """`10m`, `1h30m`, `45s`."""
    secs = round(seconds)
    out = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if secs >= size:
            out.append(f"{secs // size}{unit}")
            secs %= size
    return "".join(out) or "0s"
