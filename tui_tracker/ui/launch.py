"""Open the TUI on a data dir: own it, open the store, run the app, release everything.

Exit codes follow the CLI: 1 when another live process owns the data dir (try again
later) or the disk refuses a write, 2 when the store cannot be used (damaged file,
unknown schema).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui_tracker.config import Settings
from tui_tracker.core.errors import StoreError


def _say(message: str) -> None:
    sys.stderr.write(f"tui-tracker: {message}\n")


def run_tui(data_dir: Path, settings: Settings) -> int:
    """Run the dashboard until the user quits; returns the process exit code."""
    from tui_tracker.store.lock import DataDirLock

    lock = DataDirLock(Path(data_dir))
    try:
        lock.acquire()
    except StoreError as exc:  # LockedError included: exit 1
        _say(str(exc))
        return exc.exit_code
    try:
        from tui_tracker.store.repository import Store

        try:
            store = Store.open(Path(data_dir))
        except StoreError as exc:
            _say(str(exc))
            return exc.exit_code
        try:
            from tui_tracker.engine.engine import Engine
            from tui_tracker.ui.app import TrackerApp

            app = TrackerApp(Engine(store, settings), settings=settings)
            result = app.run()
            return int(result or 0)
        finally:
            store.close()
    finally:
        lock.release()
