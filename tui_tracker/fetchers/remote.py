"""A remote browser instead of a launched one (`browser_url`, env TUI_TRACKER_BROWSER_URL).

Rendering is the expensive part of a check, and a small server may not want to run
Chromium at all. Pointing `browser_url` at a browser elsewhere — a Chromium started
with `--remote-debugging-port`, a browserless pool, a `playwright run-server`, a
Selenium Grid node's DevTools endpoint — moves that cost off the machine. The browser
fetcher then *connects* where it would launch, opens its own context and pages there
(with the same page reuse, routing and wait rule), and where it would relaunch a dead
or recycled browser it reconnects. It never kills anything on the remote side: a
browser it did not start is not its to stop, so closing only closes its own contexts
and disconnects.

Two protocols, told apart by the address:

- `http://host:port` (or `https://`), or a `ws://.../devtools/browser/...` address:
  the Chrome DevTools Protocol (`connect_over_cdp`).
- any other `ws://` / `wss://` address: a Playwright browser server (`connect`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tui_tracker.core.errors import BrowserUnavailable


@dataclass(frozen=True, slots=True)
class RemoteBrowser:
    """Where and how to connect."""

    url: str
    protocol: str
    """`cdp` or `playwright`."""

    @property
    def shown(self) -> str:
        """The address for messages: scheme, host and port only (a token may be in it)."""
        parts = urlsplit(self.url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}"


def remote_browser(url: str | None) -> RemoteBrowser | None:
    """Parse the `browser_url` setting; None when unset.

    Raises:
        BrowserUnavailable: the setting is not an http(s) or ws(s) address.
    """
    if url is None or not url.strip():
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https", "ws", "wss") or not parts.hostname:
        raise BrowserUnavailable("the browser_url setting must be an http://host:port or "
                                 "ws://host:port address of a remote browser")
    if parts.scheme in ("http", "https") or "/devtools/browser" in parts.path:
        return RemoteBrowser(url, "cdp")
    return RemoteBrowser(url, "playwright")


async def connect(playwright: Any, remote: RemoteBrowser, timeout: float) -> Any:
    """Connect to `remote`: a Playwright Browser, or Playwright's error (the caller words it)."""
    if remote.protocol == "cdp":
        return await playwright.chromium.connect_over_cdp(remote.url, timeout=timeout * 1000)
    return await playwright.chromium.connect(remote.url, timeout=timeout * 1000)
