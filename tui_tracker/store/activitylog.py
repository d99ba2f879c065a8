"""The activity log on disk: `activity.jsonl` in the data dir, appended, bounded.

The engine's recent events (checks, changes, errors, alerts, deliveries) are what a
person opens the log screen for after a night away, so they outlive a restart of the
TUI or of `run`. The log is a convenience, not data to protect: lines are appended
in batches (one write + fsync about once a second, by the engine's store thread),
a line that cannot be read (a torn last line after kill -9, a hand edit) is skipped,
and a file past `CAP` lines is rewritten atomically with only the newest `KEEP`, so
months of polling keep it under a megabyte or so.

The store knows nothing of the engine's `Activity` class: it keeps plain JSON
objects, and the engine cleans every field again when it reads them back.
"""

from __future__ import annotations

import json
import logging
import os
from collections import deque
from pathlib import Path
from typing import Any

from ..core.errors import SaveError
from .storage import DB_TEMP_PREFIX, append_durably, atomic_write_bytes

log = logging.getLogger(__name__)

ACTIVITY_FILE = "activity.jsonl"
CAP = 5000
"""The file is cut back when it passes this many lines."""
KEEP = 2000
"""Lines kept by a cut (the engine shows at most this many)."""
TEMP_PREFIX = f"{DB_TEMP_PREFIX}{ACTIVITY_FILE}-"
"""Swept at open with the store's other temp files."""
MAX_LINE = 4096
"""Longer lines are not ours (the engine caps text at 600 characters): skipped."""
TAIL_BYTES = 4 * 1024 * 1024
"""At most this much of the file's end is read (ours stays far below it)."""


def _parse(raw: bytes) -> dict[str, Any] | None:
    if len(raw) > MAX_LINE:
        return None
    try:
        item = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(item, dict) or not isinstance(item.get("at"), str):
        return None
    return item


class ActivityFile:
    """Append and read `activity.jsonl`; not thread-safe (the store serialises calls)."""

    def __init__(self, data_dir: Path, *, readonly: bool = False) -> None:
        self.path = Path(data_dir) / ACTIVITY_FILE
        self.readonly = readonly
        self._lines: int | None = None
        """Lines in the file, counted on first use (None: not counted yet)."""

    def _count(self) -> int:
        if self._lines is None:
            try:
                with self.path.open("rb") as fh:
                    self._lines = sum(1 for _ in fh)
            except FileNotFoundError:
                self._lines = 0
        return self._lines

    def append(self, items: list[dict[str, Any]]) -> None:
        """Append `items` (oldest first) in one durable write; cut the file when too long.

        Raises SaveError (disk full, ...); the file is as it was.
        """
        if not items or self.readonly:
            return
        payload = b"".join(
            json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            for item in items)
        lines = self._count()
        append_durably(self.path, payload)
        self._lines = lines + len(items)
        if self._lines > CAP:
            try:
                self._cut()
            except SaveError as exc:  # the appended lines are kept; cut next time
                log.warning("could not shorten the activity log: %s", exc)

    def _cut(self) -> None:
        """Keep the newest `KEEP` readable lines (atomic replace)."""
        kept = self.read(KEEP)
        kept.reverse()
        payload = b"".join(
            json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            for item in kept)
        atomic_write_bytes(self.path, payload, prefix=TEMP_PREFIX)
        self._lines = len(kept)

    def read(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Readable lines, newest first (at most `limit`); [] when there is no file."""
        try:
            size = os.path.getsize(self.path)
            with self.path.open("rb") as fh:
                start = max(0, size - TAIL_BYTES)
                fh.seek(start)
                chunk = fh.read(size - start)
        except FileNotFoundError:
            return []
        except OSError as exc:
            log.warning("could not read the activity log %s: %s", self.path, exc)
            return []
        lines = chunk.splitlines()
        if start and lines:
            lines = lines[1:]  # begun mid-line
        raw_lines: deque[bytes] = deque(lines, maxlen=limit or None)
        out = []
        for raw in reversed(raw_lines):
            item = _parse(raw)
            if item is not None:
                out.append(item)
        return out
