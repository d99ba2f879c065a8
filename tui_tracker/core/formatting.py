"""How values read to people: prices with currency, seats per section, relative times.

One home for these so the table, the CLI, alert messages and mails agree on "$1,299.99".
Long forms (`describe_reading(s)`) are sentences for alerts; short forms (`format_value`,
`format_readings` with a limit) fit a table cell.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

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




def zone_name(local: datetime) -> str:
    """The zone of a local time as people read it: `CET`, else `UTC+05:30`."""
    name = local.tzname() or ""
    if name and not name.startswith(("+", "-")) and name.isalpha():
        return name
    offset = local.utcoffset()
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}" if mins else f"UTC{sign}{hours:02d}"


def local_time(when: datetime | None, *, seconds: bool = True) -> str:
    """A time for people: this machine's local time with its zone, `2026-11-30 18:09:16 CET`.

    JSON keeps ISO 8601 with an offset; everything a person reads goes through here,
    so the TUI, `history`, `notifications` and the activity log say times one way.
    """
    if when is None:
        return "—"
    local = when.astimezone()
    return f"{local:%Y-%m-%d %H:%M{':%S' if seconds else ''}} {zone_name(local)}"


def short_time(when: datetime | None, now: datetime | None = None) -> str:
    """`18:09:16 CET` for today, `11-29 18:09 CET` for another day (narrow columns)."""
    if when is None:
        return "—"
    local = when.astimezone()
    today = (now or utcnow()).astimezone().date()
    if local.date() == today:
        return f"{local:%H:%M:%S} {zone_name(local)}"
    return f"{local:%m-%d %H:%M} {zone_name(local)}"


def event_rules(event: Any) -> list[str]:
    """Every rule an alert met (`rules`), or its one `rule` for older records."""
    rules = list(getattr(event, "rules", None) or [])
    return rules or [event.rule]


def delivery_lines(event: Any, now: datetime | None = None) -> list[str]:
    """Each delivery of an alert in full: channel, where, state, attempts, the whole error."""
    if not event.deliveries:
        return ["not sent: no recipients (set TUI_TRACKER_NOTIFY_TO or --email)"]
    out = []
    for d in event.deliveries:
        tries = f"{d.attempts} attempt{'' if d.attempts == 1 else 's'}"
        line = f"{d.channel} {clean_text(d.to, 200)}: {d.state.value} after {tries}"
        if d.state.value == "sent" and d.sent_at is not None:
            line = f"{d.channel} {clean_text(d.to, 200)}: sent {local_time(d.sent_at)}"
        elif d.state.value == "pending" and d.next_attempt is not None:
            line += f", next try {local_time(d.next_attempt)}"
        if d.error:
            line += f" — {clean_text(d.error, 2000)}"
        out.append(line)
    return out


def _stock_word(in_stock: bool | None) -> str:
    return {True: "in stock", False: "out of stock"}.get(in_stock, "stock unknown")  # type: ignore[arg-type]


def event_values(event: Any, limit: int = 3) -> str:
    """What changed in an alert's values: `$45.00 → $39.00`, or for a stock change with
    the same price `out of stock → in stock ($129.00)` (never `$129.00 → $129.00`)."""
    old, new = list(event.old or []), list(event.new or [])
    old_stock = getattr(event, "old_in_stock", None)
    new_stock = getattr(event, "new_in_stock", None)
    if old_stock is not None and new_stock is not None and old_stock != new_stock:
        now = format_readings(new, limit) if new else ""
        if old and [r.value for r in old] != [r.value for r in new]:
            return (f"{_stock_word(old_stock)} → {_stock_word(new_stock)}, "
                    f"{format_readings(old, limit)} → {now}")
        return f"{_stock_word(old_stock)} → {_stock_word(new_stock)}" + (
            f" ({now})" if now else "")
    if old and [(r.key, r.value) for r in old] != [(r.key, r.value) for r in new]:
        return f"{format_readings(old, limit)} → {format_readings(new, limit)}"
    return format_readings(new, limit) if new else ""
