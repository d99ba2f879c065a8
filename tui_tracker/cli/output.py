"""Printing results and errors: JSON for scripts, short aligned text for people."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from tui_tracker.core.formatting import ago, format_readings
from tui_tracker.core.model import Monitor
from tui_tracker.core.text import clean_text


def emit_json(data: Any) -> None:
    """Indented for a person at a terminal; compact for a pipe.

    `indent` makes `json` fall back from its C encoder to the pure-Python one: for
    `check --json` over 500 monitors that was ~75 ms, more than a check's fetch.
    """
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def sentence(message: object) -> str:
    """`connection refused by x` -> `Connection refused by x.`"""
    text = str(message).strip().rstrip(".")
    return (text[:1].upper() + text[1:] + ".") if text else "Something went wrong."


def warn(message: object) -> None:
    sys.stderr.write(f"tui-tracker: {sentence(message)}\n")


def error(message: str, *, as_json: bool, code: int) -> int:
    """One sentence to stderr (and a JSON object on stdout with --json); returns the exit code."""
    warn(message)
    if as_json:
        emit_json({"ok": False, "error": sentence(message)})
    return code


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
            ",".join(m.tags), format_readings(m.readings), ago(m.last_checked, now),
            clean_text(m.error, 60) if m.error else ""]
