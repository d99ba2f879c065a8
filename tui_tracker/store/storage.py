"""Atomic, validating, caching file storage for TinyDB (and the helpers history needs).

Why not TinyDB's own `JSONStorage`:

* it overwrites the file in place and truncates afterwards, so kill -9 mid-write
  left "Extra data" garbage in 3 of 130 runs (HOSTILE-INPUTS 45), and a full disk
  left the whole file unparsable (46);
* it treats a 0-byte file and `null` as an empty database and overwrites them on
  the next insert (47);
* it opens the file in the locale's encoding (53) and re-parses the whole file on
  every read.

`AtomicJSONStorage` instead parses and validates the file once at open, keeps the
data in memory (this process is the only writer while it holds the data-dir lock),
and writes by temp file + fsync + `os.replace` + directory fsync: after a crash the
file holds the previous or the new state, never a mix. Temp files are named
`.db-<name>-*.tmp`; those orphaned by a kill are swept at the next writable open.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from ..core.errors import SaveError, StoreError
from .schema import check_tinydb_shape, damaged

DB_TEMP_PREFIX = ".db-"
TEMP_SUFFIX = ".tmp"

Validator = Callable[[Path, Any], None]


def read_json_file(path: Path) -> Any:
    """Parse a JSON data file strictly; FileNotFoundError when it does not exist yet.

    Strict means: an empty file, a BOM, NUL bytes and invalid UTF-8 are damage,
    not something to guess around — the file is then left exactly as it is.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise StoreError(f"Could not read the data file {path}: {exc.strerror or exc}.") from exc
    if not raw.strip():
        raise damaged(path, "it is empty" if not raw else "it holds only whitespace")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise damaged(path, "it starts with a byte-order mark, which tui-tracker never writes")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise damaged(path, f"it contains NUL bytes (the first at byte {nul})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise damaged(path, f"invalid UTF-8 at byte {exc.start}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise damaged(path, f"not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise damaged(path, "its JSON is nested too deeply") from exc


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in `directory` survive a power cut."""
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, payload: bytes, *, prefix: str) -> None:
    """Replace `path` with `payload` so that a crash leaves the old or the new file.

    Raises StoreError("Could not save ...") on disk full, EFBIG, EACCES, ...; the
    temp file is removed and the old file is untouched.
    """
    directory = path.parent
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
        fsync_dir(directory)
    except OSError as exc:
        raise SaveError(
            f"Could not save {path}: {exc.strerror or exc}; the previous version was kept."
        ) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def append_durably(path: Path, payload: bytes) -> bool:
    """Append `payload` (whole lines) to `path` with one write + fsync; O(1) in the file size.

    If the file does not end in a newline (a writer was killed mid-line), a newline
    goes first so the torn fragment stays a line of its own. A failed write (disk
    full, EFBIG) is cut back off with `ftruncate`, so the file is as it was.
    Returns whether the file was created. Raises SaveError.
    """
    created = not path.exists()
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        raise SaveError(f"Could not save {path}: {exc.strerror or exc}.") from exc
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            payload = b"\n" + payload
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise SaveError(
                f"Could not save {path}: {exc.strerror or exc}; what was saved before was kept."
            ) from exc
    finally:
        os.close(fd)
    if created:
        with contextlib.suppress(OSError):
            fsync_dir(path.parent)
    return created


def sweep_temp_files(directory: Path, prefix: str) -> int:
    """Delete `<prefix>*.tmp` left behind by a killed writer; returns how many.

    Only call this while owning the data dir: a live writer's temp file would
    otherwise vanish under it.
    """
    count = 0
    with contextlib.suppress(FileNotFoundError):
        for entry in directory.iterdir():
            if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
                    count += 1
    return count


def check_writable_dir(directory: Path) -> None:
    """Fail at open, not at the first save hours later (HOSTILE-INPUTS 49)."""
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StoreError(
            f"The data dir {directory} is not writable by this user; fix its permissions "
            "or choose another one with --data-dir."
        )


class AtomicJSONStorage(Storage):
    """TinyDB storage: validated at open, cached in memory, written atomically.

    Args:
        path: the JSON file. It need not exist; it is created at the first write.
        readonly: never write, create or sweep anything (for `list` while the
            TUI owns the data dir); `write` raises StoreError.
        validate: called with (path, parsed data) at open; raises StoreError.
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False,
                 validate: Validator | None = None) -> None:
        super().__init__()
        self.path = Path(path).absolute()
        self.readonly = readonly
        if not readonly:
            sweep_temp_files(self.path.parent, DB_TEMP_PREFIX)
        try:
            data = read_json_file(self.path)
        except FileNotFoundError:
            data = None  # a new database; `null` in a file is damage, not this
        else:
            check_tinydb_shape(self.path, data)
            if validate is not None:
                validate(self.path, data)
        self._data: dict[str, dict[str, Any]] | None = data

    @property
    def exists(self) -> bool:
        """Whether the file held data at open or has been written since."""
        return self._data is not None

    def read(self) -> dict[str, dict[str, Any]] | None:
        # TinyDB's update() mutates the documents it gets from read() in place; hand out
        # per-document copies so that a failed write cannot leave the cache ahead of disk.
        if self._data is None:
            return None
        return {name: {k: dict(doc) for k, doc in table.items()}
                for name, table in self._data.items()}

    def peek(self, table: str) -> dict[str, dict[str, Any]]:
        """The cached docs of one table, NOT copied: for lookups that never mutate.

        TinyDB's own read path copies every document twice; a lookup by id in a
        1000-monitor store would cost milliseconds for each history append.
        """
        return (self._data or {}).get(table, {})

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.readonly:
            raise StoreError(f"Cannot change {self.path}: the store was opened read-only.")
        payload = json.dumps(data).encode("utf-8")
        atomic_write_bytes(self.path, payload, prefix=f"{DB_TEMP_PREFIX}{self.path.name}-")
        self._data = data

    def close(self) -> None:
        """Nothing to release: no handle is kept open between writes."""
