"""Snapshots of the main screens at 80x24 and 120x40: a layout change is a reviewed diff.

Each picture is the real app on a real store and engine (not polling, so nothing moves
on its own), seeded with fixed monitors, history and alerts. Times shown relative to
now are seeded relative to now, in the middle of their unit, so they read the same on
every run. The attached picture runs a real control-socket owner in the test's loop
and shows the window attached to it (its pid fixed for the picture).

Update after viewing the report: `pytest tests/ui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.config import Settings
from tui_tracker.core.model import (
    Delivery,
    DeliveryState,
    Event,
    HistoryEntry,
    Kind,
    Mode,
    Monitor,
    Reading,
    Rules,
    utcnow,
)
from tui_tracker.engine.control import ControlServer
from tui_tracker.engine.engine import Engine
from tui_tracker.engine.local import LocalEngine
from tui_tracker.engine.remote import RemoteEngine
from tui_tracker.store.repository import Store
from tui_tracker.ui.app import TrackerApp

SIZES = [(80, 24), (120, 40)]
PAGES = Path(__file__).parent / "pages"
PREVIEW_HOST, PREVIEW_PORT = "127.0.0.7", 47613
"""A fixed address for the form's preview: the URL is part of the picture."""
DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def seed(data_dir: Path) -> None:
    now = utcnow()
    ago = lambda minutes: now - timedelta(minutes=minutes, seconds=30)  # noqa: E731
    kettle = Monitor(
        id="kettl", url="http://127.0.0.1:9/kettle", name="Acme Kettle", kind=Kind.PRICE,
        interval=3600, mode=Mode.PAUSED, rules=Rules(below=45.0), title="Acme Kettle",
        readings=[Reading("price", "Acme Kettle", 44.99, "USD")], in_stock=True,
        source="json-ld", last_checked=ago(5), last_success=ago(5), last_changed=ago(65))
    seats = Monitor(
        id="cs101", url="http://127.0.0.1:9/cs101", name="CS 101 sections", kind=Kind.SEATS,
        interval=600, mode=Mode.ACTIVE, next_check=now + timedelta(days=2, hours=1),
        readings=[Reading("001", "CS 101-001", 0.0, "seats"),
                  Reading("002", "CS 101-002", 3.0, "seats")],
        source="table", last_checked=ago(2), last_success=ago(2), last_changed=ago(12))
    broken = Monitor(
        id="lamp0", url="http://127.0.0.1:9/lamp", name="Desk lamp", kind=Kind.PRICE,
        interval=600, mode=Mode.STOPPED, error="The server answered 503 Service Unavailable.",
        failures=4, last_checked=ago(30))
    store = Store.open(data_dir)
    for m in (kettle, seats, broken):
        store.add(m)
    for i, price in enumerate((52.0, 49.99, 49.99, 47.5, 44.99)):
        store.append_history("kettl", HistoryEntry(
            at=DAY + timedelta(hours=6 * i), readings=(Reading("price", "Acme Kettle", price,
                                                               "USD"),)))
    store.add_event(Event(
        id="ev001", monitor_id="kettl", at=DAY + timedelta(days=1), rule="price_below",
        message="Acme Kettle: $44.99 is at or below your target $45.00",
        monitor_name="Acme Kettle", old=[Reading("price", "Acme Kettle", 47.5, "USD")],
        new=[Reading("price", "Acme Kettle", 44.99, "USD")],
        deliveries=[Delivery("email", "me@example.org", DeliveryState.SENT, attempts=1),
                    Delivery("email", "you@example.org", DeliveryState.FAILED,
                             error="550 mailbox unavailable", attempts=3)]))
    store.close()


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Any]:
    """An app over a seeded data dir; the engine does not poll (the picture holds still)."""
    data_dir = tmp_path / "data"
    seed(data_dir)
    stores: list[Store] = []

    def factory() -> TrackerApp:
        store = Store.open(data_dir)
        stores.append(store)
        settings = Settings(deadline=10.0)
        return TrackerApp(LocalEngine(Engine(store, settings), poll=False), settings=settings)

    yield factory
    for store in stores:
        store.close()


@pytest.fixture
def preview_site() -> Iterator[str]:
    page = (PAGES / "kettle.html").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    try:
        server = ThreadingHTTPServer((PREVIEW_HOST, PREVIEW_PORT), Handler)
    except OSError as exc:
        pytest.skip(f"the fixed preview address {PREVIEW_HOST}:{PREVIEW_PORT} is taken ({exc})")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://{PREVIEW_HOST}:{PREVIEW_PORT}/kettle.html"
    server.shutdown()
    server.server_close()


async def rows_shown(pilot: Pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.table.row_count == 3, "three rows")
    await wait_for(pilot, lambda: "Acme Kettle" in screen_text(app), "the table drawn")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
class TestScreens:
    def test_dashboard(self, snap_compare, make, size) -> None:
        assert snap_compare(make(), terminal_size=size, run_before=rows_shown)

    def test_detail(self, snap_compare, make, size) -> None:
        async def open_detail(pilot: Pilot) -> None:
            await rows_shown(pilot)
            await pilot.press("enter")
            app = pilot.app
            await wait_for(pilot, lambda: app.detail.monitor_id == "kettl", "the detail")
            await pilot.pause(0.3)

        assert snap_compare(make(), terminal_size=size, run_before=open_detail)

    def test_notifications(self, snap_compare, make, size) -> None:
        async def open_notifications(pilot: Pilot) -> None:
            await rows_shown(pilot)
            await pilot.press("n")
            await wait_for(pilot, lambda: "at or below your target" in screen_text(pilot.app),
                           "events")

        assert snap_compare(make(), terminal_size=size, run_before=open_notifications)

    def test_help(self, snap_compare, make, size) -> None:
        async def open_help(pilot: Pilot) -> None:
            await rows_shown(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        assert snap_compare(make(), terminal_size=size, run_before=open_help)

    def test_form_with_preview(self, snap_compare, make, preview_site, size) -> None:
        async def preview(pilot: Pilot) -> None:
            await rows_shown(pilot)
            await pilot.press("a")
            form = pilot.app.screen
            form.query_one("#url", Input).value = preview_site
            form.query_one("#below", Input).value = "45"
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: "json-ld" in screen_text(pilot.app), "the preview")
            form.query_one("#url", Input).cursor_position = 0
            for box in form.query(Input):
                box.cursor_blink = False  # a blinking cursor makes two pictures of one screen
            await pilot.pause()

        assert snap_compare(make(), terminal_size=size, run_before=preview)

    def test_attached(self, snap_compare, tmp_path, size) -> None:
        data_dir = tmp_path / "data"
        seed(data_dir)
        store = Store.open(data_dir)
        settings = Settings(deadline=10.0)
        owner = LocalEngine(Engine(store, settings), poll=False)
        remote = RemoteEngine(data_dir)
        app = TrackerApp(remote, settings=settings)

        async def attach(pilot: Pilot) -> None:
            await rows_shown(pilot)
            remote._pid = 4242  # the owner is this test process; fix the pid for the picture
            pilot.app._say_owner()
            await pilot.pause()

        server = ControlServer(owner, data_dir / "control.sock")
        original = app.start_engine

        async def start_owner_then_attach() -> None:
            await server.start()
            await original()

        app.start_engine = start_owner_then_attach  # type: ignore[method-assign]
        try:
            assert snap_compare(app, terminal_size=size, run_before=attach)
        finally:
            store.close()
