"""Printing results and errors: JSON for scripts, short aligned text for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tui_tracker.core.model import Monitor, Reading, utcnow
from tui_tracker.core.text import clean_text


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def error(message: str, *, as_json: bool, code: int) -> int:
    """One sentence to stderr (and a JSON object on stdout with --json); returns the exit code."""
    sentence = message.strip().rstrip(".") + "."
    sentence = sentence[0].upper() + sentence[1:] if sentence else sentence
    sys.stderr.write(f"tui-tracker: {sentence}\n")
    if as_json:
        emit_json({"ok": False, "error": sentence})
    return code


def format_value(reading: Reading) -> str:
    """`$49.99` / `49.99 EUR` for prices, `A1 3` for seats, the text for text."""
    n = reading.number
    if n is None:
        return clean_text(reading.value, 60)
    if reading.unit == "seats":
        return f"{clean_text(reading.label, 24)} {n:g}"
    symbols = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥"}
    sym = symbols.get(reading.unit or "")
    amount = f"{n:,.0f}" if reading.unit == "JPY" else f"{n:,.2f}"
    if sym:
        return f"{sym}{amount}"
    return f"{amount} {reading.unit}" if reading.unit else amount


def format_readings(readings: Sequence[Reading], limit: int = 4) -> str:
    if not readings:
        return "—"
    shown = " · ".join(format_value(r) for r in readings[:limit])
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


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    sys.stdout.write(line.rstrip() + "\n")
    for r in rows:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                         + "\n")


def monitor_row(m: Monitor, now: datetime) -> list[str]:
    health = m.health(now).value
    return [m.id, health, m.mode.value, clean_text(m.display_name, 40),
            format_readings(m.readings), ago(m.last_checked, now),
            clean_text(m.error, 60) if m.error else ""]
