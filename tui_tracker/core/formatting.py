"""How values read to people: prices with currency, seats per section, relative times.

One home for these so the table, the CLI, alert messages and mails agree on "$1,299.99".
Long forms (`describe_reading(s)`) are sentences for alerts; short forms (`format_value`,
`format_readings` with a limit) fit a table cell.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

from tui_tracker.core.model import Kind, Reading, utcnow
from tui_tracker.core.text import clean_text

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}



def format_price(value: float | None, unit: str | None) -> str:
    """"$1,299.99", "€44.99", "¥1,280", "44.99 CHF": short, unambiguous, no locale."""
    if value is None:
        return "?"
    code = (unit or "").upper()
    digits = f"{value:,.0f}" if code == "JPY" else f"{value:,.2f}"
    if code in _SYMBOLS:
        return f"{_SYMBOLS[code]}{digits}"
    return f"{digits} {clean_text(code, 8)}" if code else digits


def describe_reading(reading: Reading, kind: Kind | str | None = None) -> str:
    """One reading as a person would say it (labels are page text, so cleaned)."""
    label = clean_text(reading.label or reading.key, 80)
    num = reading.number
    if reading.unit == "seats" or kind == Kind.SEATS:
        if num is None:
            return f"{label}: {seat_count(reading)}"
        seats = int(num) if num == int(num) else num
        return f"{label}: {seats} open seat{'' if seats == 1 else 's'}"
    if num is not None:
        return format_price(num, reading.unit)
    return f'"{clean_text(reading.value, 160)}"'


def seat_count(reading: Reading) -> str:
    """`3 open` for a count; `open` (or `full`, ...) for a section shown without one."""
    n = reading.number
    if n is not None:
        return f"{n:g} open"
    if reading.status:
        return clean_text(reading.status, 20)
    return "open" if reading.value is None else clean_text(reading.value, 40)


def describe_readings(readings: list[Reading], kind: Kind | str | None = None) -> str:
    """All readings on one line; "(none)" for an empty list."""
    if not readings:
        return "(none)"
    return "; ".join(describe_reading(r, kind) for r in readings)


def format_value(reading: Reading, drop_prefix: str = "") -> str:
    """`$49.99` / `49.99 EUR` for prices, `A1 3` for seats, the text for text."""
    n = reading.number
    if reading.unit == "seats":
        label = clean_text(reading.label, 60).removeprefix(drop_prefix)
        return f"{label[:24]} {n:g}" if n is not None else f"{label[:24]} {seat_count(reading)}"
    if n is None:
        return clean_text(reading.value, 60)
    return format_price(n, reading.unit)


def shared_label_prefix(readings: Sequence[Reading]) -> str:
    """What every section label starts with, cut at a word break (`CS 101-` of
    `CS 101-001`, `CS 101-002`), so a narrow cell shows what tells them apart."""
    labels = [clean_text(r.label, 60) for r in readings if r.unit == "seats"]
    if len(labels) < 2 or len(labels) != len(readings):
        return ""
    prefix = os.path.commonprefix(labels)  # noqa: RUF071 - character-wise on purpose
    cut = max(prefix.rfind(ch) for ch in " -_/:")
    prefix = prefix[: cut + 1] if cut >= 0 else ""
    # Never eat a whole label: something must remain to tell sections apart.
    return prefix if all(len(label) > len(prefix) for label in labels) else ""


def format_readings(readings: Sequence[Reading], limit: int = 4) -> str:
    """Up to `limit` short values joined with `·`, then `(+N)` for the rest."""
    if not readings:
        return "—"
    prefix = shared_label_prefix(readings)
    shown = " · ".join(format_value(r, prefix) for r in readings[:limit])
    more = len(readings) - limit
    return shown + (f" (+{more})" if more > 0 else "")


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """`3m ago` / `in 5m` / `—`: times people read at a glance."""
    if when is None:
        return "—"
    secs = ((now or utcnow()) - when).total_seconds()
    future = secs < 0
    secs = abs(secs)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if secs >= size:
            text = f"{int(secs // size)}{unit}"
            break
    else:
        text = f"{int(secs)}s"
    return f"in {text}" if future else f"{text} ago"


