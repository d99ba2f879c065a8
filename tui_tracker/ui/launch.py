"""Open the TUI on a data dir: own it when nobody does, else attach to its owner.

Exit codes follow the CLI: 1 when the owner cannot be reached (try again later), 2
when the store cannot be used (damaged file, unknown schema).
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
    from tui_tracker.engine.api import EngineAPI
    from tui_tracker.engine.session import choose_engine_waiting

    def engine() -> EngineAPI:
        # The TUI owns with polling and a control socket, so later windows attach to it.
        return choose_engine_waiting(Path(data_dir), settings, poll=True, serve=True)

    try:
        api = engine()
    except StoreError as exc:
        _say(str(exc))
        return exc.exit_code
    from tui_tracker.ui.app import TrackerApp

    app = TrackerApp(api, settings=settings, take_over=engine)
    try:
        result = app.run()
    finally:
        if not app.is_running:
            # Normally closed on unmount; this covers a crash before mount.
            import asyncio

            asyncio.run(app.close_engine())
    if app.failure:
        _say(app.failure)
        return 1
    return int(result or 0)
