"""`check`'s live progress line on a terminal: done / total, failures, the slowest in flight.

Built from the engine's event stream, so it reads the same whether this process or the
owner of the data dir runs the checks. Nothing is written when stderr is not a
terminal (cron, pipes) or with `--json`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any, TextIO, TypeVar

from tui_tracker.core.model import Monitor
from tui_tracker.core.text import clean_text
from tui_tracker.engine import events as ev

T = TypeVar("T")
REDRAW = 0.25
"""Seconds between redraws while nothing finishes (the slowest check's clock moves)."""


def progress_line(done: int, total: int, failed: int, slowest: tuple[str, float] | None,
                  width: int = 80) -> str:
    """`checking 3/10 · 1 failed · slowest: Kettle 12s`, cut to `width`."""
    parts = [f"checking {done}/{total}"]
    if failed:
        parts.append(f"{failed} failed")
    if slowest is not None:
        parts.append(f"slowest: {slowest[0]} {slowest[1]:.0f}s")
    return " · ".join(parts)[: max(10, width - 1)]


class Progress:
    """Counts events for the monitors being checked and redraws one line in place."""

    def __init__(self, stream: TextIO, width: int = 80) -> None:
        self.stream = stream
        self.width = width
        self.targets: set[str] = set()
        self.names: dict[str, str] = {}
        self.started: dict[str, float] = {}
        self.done = 0
        self.failed = 0
        self.drawn = False

    @classmethod
    def for_stream(cls, stream: TextIO, *, enabled: bool) -> Progress | None:
        """A Progress for a terminal, else None (nothing extra when piped)."""
        try:
            tty = enabled and stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        if not tty:
            return None
        import shutil

        return cls(stream, shutil.get_terminal_size((80, 24)).columns)

    def begin(self, monitors: list[Monitor]) -> None:
        self.targets = {m.id for m in monitors}
        self.names = {m.id: clean_text(m.display_name, 30) for m in monitors}

    def on_event(self, event: Any) -> None:
        if isinstance(event, ev.CheckStarted) and event.monitor_id in self.targets:
            self.started[event.monitor_id] = time.monotonic()
        elif isinstance(event, ev.CheckFinished) and event.monitor.id in self.targets:
            mid = event.monitor.id
            self.names[mid] = clean_text(event.monitor.display_name, 30)
            if self.started.pop(mid, None) is not None or mid in self.targets:
                self.done += 1
                self.failed += 0 if event.ok else 1
                self.targets.discard(mid)
            self.draw()
        elif isinstance(event, ev.MonitorUpdated):
            self.names[event.monitor.id] = clean_text(event.monitor.display_name, 30)

    def slowest(self) -> tuple[str, float] | None:
        if not self.started:
            return None
        mid, since = min(self.started.items(), key=lambda item: item[1])
        return self.names.get(mid, mid), time.monotonic() - since

    def draw(self) -> None:
        total = self.done + len(self.targets)
        line = progress_line(self.done, total, self.failed, self.slowest(), self.width)
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    async def run_while(self, work: Awaitable[T]) -> T:
        """Await `work`, redrawing every `REDRAW` seconds; the line is gone after."""
        task = asyncio.ensure_future(work)
        try:
            while not task.done():
                self.draw()
                await asyncio.wait({task}, timeout=REDRAW)
            return task.result()
        finally:
            if not task.done():
                task.cancel()
            self.clear()
