"""Per-monitor reading history: `history/<monitor_id>.jsonl`, append-only, bounded.

Why not a TinyDB table: TinyDB rewrites the whole file on every write, so one
insert cost 248 ms at 100k readings (HOSTILE-INPUTS 50), and the cost of a check
must not grow with the history stored. Here a check appends one line:

* **Append** = one `write()` of one JSON line (`O_APPEND`) + fsync, whatever the
  file size. If the file does not end in a newline (a writer was killed mid-line),
  a newline is written first so the torn fragment stays a line of its own.
  A failed write (disk full, EFBIG) is cut back off with `ftruncate`.
* **Read** skips every line that is not a valid entry — in practice only a torn
  last line after kill -9. `limit=N` reads only the file's tail.
* **Compaction** keeps each file bounded. When a file passes `HISTORY_CAP` lines
  it is rewritten atomically (temp `.hist-*.tmp` + fsync + `os.replace`) as:
  all of the newest `KEEP_RECENT` entries, plus at most `OLDER_BUDGET` of the
  older ones — the first entry and every *change point* (an entry whose values
  differ from the one before it) first, then every k-th entry to fill the budget;
  if the change points alone exceed the budget, an evenly spaced subset of them.
  So a file holds at most `HISTORY_CAP` lines, the recent past at full resolution
  and older history at a resolution that coarsens as it ages (each compaction
  thins the older part again). Compaction runs about every
  `HISTORY_CAP - KEEP_RECENT - OLDER_BUDGET` appends, so its O(n) cost amortises
  to O(1) per append.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

from ..core.errors import SaveError, StoreError
from ..core.model import HistoryEntry
from .storage import append_durably, atomic_write_bytes, fsync_dir, sweep_temp_files

log = logging.getLogger(__name__)

HISTORY_CAP = 5000
"""A file is compacted when it passes this many lines."""
KEEP_RECENT = 1000
"""Newest entries always kept verbatim."""
OLDER_BUDGET = 2000
"""How many older entries survive a compaction."""
COMPACT_RETRY = 500
"""After a failed compaction (disk full), appends before trying again."""

HIST_TEMP_PREFIX = ".hist-"
SUFFIX = ".jsonl"
_TAIL_BLOCK = 64 * 1024
_FIRST_BLOCK = 4096


def _values(entry: HistoryEntry) -> tuple:
    return tuple((r.key, r.value, r.unit, r.status) for r in entry.readings)


def _evenly(items: list[int], n: int) -> list[int]:
    """n items spread evenly over `items`, first and last included."""
    if n >= len(items):
        return list(items)
    if n <= 1:
        return items[-1:] if n == 1 else []
    step = (len(items) - 1) / (n - 1)
    return sorted({items[round(i * step)] for i in range(n)})


def downsample(entries: list[HistoryEntry], keep_recent: int = KEEP_RECENT,
               older_budget: int = OLDER_BUDGET) -> list[HistoryEntry]:
    """The compaction policy (see module docstring); pure, order-preserving."""
    if len(entries) <= keep_recent + older_budget:
        return list(entries)
    split = len(entries) - keep_recent
    older, recent = entries[:split], entries[split:]
    changes = [0] + [i for i in range(1, len(older))
                     if _values(older[i]) != _values(older[i - 1])]
    if len(changes) >= older_budget:
        keep = _evenly(changes, older_budget)
    else:
        room = older_budget - len(changes)
        step = max(1, -(-len(older) // room))  # ceil division
        keep = sorted(set(changes) | set(range(len(older) - 1, -1, -step)))
        if len(keep) > older_budget:
            keep = _evenly(keep, older_budget)
    return [older[i] for i in keep] + recent


def _parse_line(line: bytes) -> HistoryEntry | None:
    try:
        d = json.loads(line)
        return HistoryEntry.from_dict(d) if isinstance(d, dict) else None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _tail_lines(path: str, n: int) -> list[bytes]:
    """The last n lines of a file, reading backwards in blocks (not the whole file).

    Unbuffered `pread`s from a small first block up: a pass reads the newest point of
    every monitor, and most files' last line fits in the first 4 KB.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        pos = os.fstat(fd).st_size
        buf, step = b"", min(_FIRST_BLOCK, _TAIL_BLOCK)
        while pos > 0 and buf.count(b"\n") <= n:
            step = min(step, pos)
            pos -= step
            buf = os.pread(fd, step, pos) + buf
            step = min(step * 4, _TAIL_BLOCK)
    finally:
        os.close(fd)
    lines = buf.split(b"\n")
    if pos > 0:
        lines = lines[1:]  # the first piece may be the middle of a line
    return [ln for ln in lines if ln.strip()][-n:] if n > 0 else []


class HistoryFiles:
    """The `history/` directory of one data dir."""

    def __init__(self, directory: Path, *, readonly: bool = False) -> None:
        self.directory = directory
        self._dir = os.fspath(directory)
        self.readonly = readonly
        self._counts: dict[str, int] = {}
        if not readonly:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                sweep_temp_files(self.directory, HIST_TEMP_PREFIX)
            except OSError as exc:
                raise StoreError(
                    f"Could not use the history dir {directory}: {exc.strerror or exc}."
                ) from exc

    def path(self, monitor_id: str) -> Path:
        return self.directory / f"{monitor_id}{SUFFIX}"

    def exists(self, monitor_id: str) -> bool:
        return self.path(monitor_id).exists()

    def _require_writable(self) -> None:
        if self.readonly:
            raise StoreError(f"Cannot change {self.directory}: the store was opened read-only.")

    def append(self, monitor_id: str, entry: HistoryEntry) -> None:
        """Durable when it returns; O(1) apart from the amortised compaction."""
        self._require_writable()
        path = self.path(monitor_id)
        line = json.dumps(entry.to_dict(), separators=(",", ":")).encode("utf-8") + b"\n"
        append_durably(path, line)
        count = self._counts.get(monitor_id)
        count = self._count_lines(path) if count is None else count + 1
        self._counts[monitor_id] = count
        if count > HISTORY_CAP:
            self._compact(monitor_id)

    @staticmethod
    def _count_lines(path: Path) -> int:
        with open(path, "rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))

    def _compact(self, monitor_id: str) -> None:
        path = self.path(monitor_id)
        entries = self.read(monitor_id)
        kept = downsample(entries, KEEP_RECENT, OLDER_BUDGET)
        payload = b"".join(json.dumps(e.to_dict(), separators=(",", ":")).encode("utf-8") + b"\n"
                           for e in kept)
        try:
            atomic_write_bytes(path, payload, prefix=f"{HIST_TEMP_PREFIX}{monitor_id}-")
        except StoreError as exc:
            # The append itself is durable; retry the compaction later instead of failing it.
            log.warning("%s", exc)
            self._counts[monitor_id] = HISTORY_CAP - COMPACT_RETRY
            return
        self._counts[monitor_id] = len(kept)

    def read(self, monitor_id: str, limit: int | None = None) -> list[HistoryEntry]:
        """Entries in append order (oldest first); `limit` = only the newest N."""
        try:
            if limit is None:
                lines = self.path(monitor_id).read_bytes().split(b"\n")
            else:  # a plain string path: every check of a pass asks for the newest point
                lines = _tail_lines(os.path.join(self._dir, monitor_id + SUFFIX),
                                    max(0, limit))
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StoreError(f"Could not read {self.path(monitor_id)}: "
                             f"{exc.strerror or exc}.") from exc
        entries = [e for e in map(_parse_line, lines) if e is not None]
        return entries if limit is None else entries[-limit:] if limit > 0 else []

    def delete(self, monitor_id: str) -> None:
        self._require_writable()
        self._counts.pop(monitor_id, None)
        path = self.path(monitor_id)
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise SaveError(f"Could not delete {path}: {exc.strerror or exc}.") from exc
        with contextlib.suppress(OSError):
            fsync_dir(self.directory)
