"""A remote browser (`browser_url`): connect instead of launch, reconnect instead of relaunch.

The "remote" is a real Chromium this test starts itself with a DevTools port on
127.0.0.1, apart from the fetcher: the fetcher must read pages through it, leave it
running when it closes, and connect again (not launch) after it dies.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_tracker.config import Settings, load_settings
from tui_tracker.core.errors import BrowserUnavailable, FetchError
from tui_tracker.core.model import FetchMode, Kind
from tui_tracker.demo.server import DemoServer
from tui_tracker.engine.probe import FetcherPool, probe
from tui_tracker.fetchers.browser import BrowserFetcher
from tui_tracker.fetchers.chromium import require_chromium
from tui_tracker.fetchers.remote import remote_browser

LISTENING = re.compile(r"DevTools listening on (ws://\S+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RemoteChromium:
    """A Chromium with a remote-debugging port, started and stopped by the test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.proc: subprocess.Popen[str] | None = None
        self.profile = tempfile.TemporaryDirectory(prefix="tt-remote-")

    def start(self) -> RemoteChromium:
        exe = require_chromium(Settings())
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu",
             f"--user-data-dir={self.profile.name}", "--remote-debugging-address=127.0.0.1",
             f"--remote-debugging-port={self.port}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        seen = []
        deadline = time.monotonic() + 20
        assert self.proc.stderr is not None
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            seen.append(line.strip())
            if LISTENING.search(line):
                return self
        raise AssertionError(f"remote Chromium did not listen; stderr: {seen[-5:]}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: its helpers too
            self.proc.wait(10)


@pytest.fixture
def remote() -> Iterator[RemoteChromium]:
    chromium = RemoteChromium(_free_port()).start()
    yield chromium
    chromium.kill()
    chromium.profile.cleanup()


@pytest.fixture
def site() -> Iterator[DemoServer]:
    with DemoServer("127.0.0.2", period=3600) as server:
        yield server


def _settings(url: str) -> Settings:
    return Settings(deadline=10.0, browser_pages=2, browser_wait=0.5, browser_url=url)


async def test_reads_a_script_built_page_through_a_remote_browser_and_leaves_it_running(
        remote: RemoteChromium, site: DemoServer) -> None:
    pool = FetcherPool(_settings(remote.url))
    try:
        result = await probe(pool, site.urls["math221"], kind=Kind.SEATS,
                             fetch=FetchMode.BROWSER)
        assert result.ok, result.error
        assert [r.key for r in result.readings] == ["101", "201", "202"]
        fetcher = pool.get("browser")
        assert isinstance(fetcher, BrowserFetcher)
        assert fetcher.remote and fetcher.launches == 1
        # Reused, not reconnected, for the next check.
        again = await probe(pool, site.urls["math221"], kind=Kind.SEATS,
                            fetch=FetchMode.BROWSER)
        assert again.ok and fetcher.launches == 1
    finally:
        await pool.aclose()
    await asyncio.sleep(0.5)
    assert remote.alive(), "closing the fetcher must not stop a browser it did not start"


async def test_a_dead_remote_browser_is_reconnected_not_relaunched(
        remote: RemoteChromium, site: DemoServer) -> None:
    fetcher = BrowserFetcher(_settings(remote.url))
    try:
        page = await fetcher.fetch(site.urls["kettle"])
        assert "Kettle" in page.html
        remote.kill()
        # With the remote gone, a check fails with a sentence (nothing to launch here).
        with pytest.raises(FetchError) as info:
            await fetcher.fetch(site.urls["kettle"])
        assert "\n" not in str(info.value)
        # The same address comes back: the next check connects to it again.
        RemoteChromium.__init__(remote, remote.port)
        remote.start()
        page = await fetcher.fetch(site.urls["kettle"])
        assert "Kettle" in page.html
        assert fetcher.launches == 2 and fetcher.kills == 0
    finally:
        await fetcher.aclose()


async def test_no_remote_browser_listening_is_one_clear_sentence() -> None:
    fetcher = BrowserFetcher(_settings(f"http://127.0.0.1:{_free_port()}"))
    try:
        with pytest.raises(BrowserUnavailable) as info:
            await fetcher.fetch("http://127.0.0.2:9/")
    finally:
        await fetcher.aclose()
    message = str(info.value)
    assert message.startswith("could not connect to the remote browser at http://127.0.0.1:")
    assert "\n" not in message


def test_browser_url_comes_from_the_environment_and_is_checked(tmp_path: Path) -> None:
    env = {"TUI_TRACKER_BROWSER_URL": "ws://user:secret@10.0.0.5:3000/playwright"}
    settings = load_settings(tmp_path / "config.toml", env)
    target = remote_browser(settings.browser_url)
    assert target is not None and target.protocol == "playwright"
    assert target.shown == "ws://10.0.0.5:3000"  # no token in messages
    cdp = remote_browser("ws://127.0.0.1:9222/devtools/browser/abc")
    assert cdp is not None and cdp.protocol == "cdp"
    assert remote_browser("") is None
    with pytest.raises(BrowserUnavailable):
        remote_browser("file:///tmp/chrome")
