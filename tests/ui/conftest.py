"""Fixtures for the TUI tests: a real loopback web site, a real store and engine, the app.

The site serves pages from a dict that tests may change while the app runs (a price
moves, a page starts failing), so the app is driven against real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tui_tracker.config import Settings
from tui_tracker.engine.engine import Engine
from tui_tracker.engine.local import LocalEngine
from tui_tracker.store.repository import Store
from tui_tracker.ui.app import TrackerApp

PAGES = Path(__file__).parent / "pages"


class Site:
    """A threaded HTTP server on 127.0.0.1 answering from `pages` (path -> html)."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {
            f"/{p.name}": p.read_text(encoding="utf-8") for p in PAGES.glob("*.html")
        }
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.pages.get(self.path.split("?")[0])
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.stop()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def settings() -> Settings:
    return Settings(deadline=10.0)


@pytest.fixture
async def make_app(data_dir: Path, settings: Settings) -> AsyncIterator:
    """Build TrackerApp on a real Store + Engine in tmp_path; closes the store after."""
    stores: list[Store] = []

    def factory() -> TrackerApp:
        store = Store.open(data_dir)
        stores.append(store)
        return TrackerApp(LocalEngine(Engine(store, settings)), settings=settings)

    yield factory
    for store in stores:
        store.close()
