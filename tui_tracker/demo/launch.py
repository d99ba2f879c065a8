"""`tui-tracker demo`: the demo site, a throw-away data dir watching it, and the TUI on top.

Nothing the demo does outlives it: the data dir is a fresh temp dir deleted on exit,
and mail is switched off (the demo's alerts are toasts), so trying the app never
sends a real email to the addresses in your config.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tui_tracker.demo.server import DemoServer, make_demo_monitors


def seed_data_dir(data_dir: Path, urls: dict[str, str]) -> None:
    """Add the demo monitors to a new data dir (nobody else can own a fresh temp dir)."""
    from tui_tracker.store.repository import Store

    store = Store.open(data_dir)
    try:
        for monitor in make_demo_monitors(urls):
            store.add(monitor)
    finally:
        store.close()


def run_demo(port: int = 0) -> int:
    """Serve the demo site, open the TUI on a temp data dir watching it; returns the exit code.

    Args:
        port: the demo server's port on 127.0.0.1 (0 = any free port).
    """
    from tui_tracker.config import load_settings
    from tui_tracker.ui.launch import run_tui

    settings = load_settings(None)
    settings.host_gap = 0.0  # every demo page is on one host; no politeness delay needed
    settings.notify_to = []
    settings.smtp_host = None
    server = DemoServer(port=port).start()
    data_dir = Path(tempfile.mkdtemp(prefix="tui-tracker-demo-"))
    try:
        seed_data_dir(data_dir, server.urls)
        return run_tui(data_dir, settings)
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
