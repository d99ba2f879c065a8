"""What a monitor's check sends besides the URL: built from the secrets file and settings.

All imported site sessions go into every check's cookie jar together: the jar sends
each cookie only to the domains it names, and one shared set means one HTTP client
and one browser cookie state for all monitors (an SSO login's cookies for the
identity provider travel with it). A monitor's own cookies, headers and proxy come
from its entry in the secrets file; a per-site proxy from `site_proxies` in config.
The localStorage of imported storage_state files goes along too (the browser gives a
page only its own origin's).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from tui_tracker.config import Settings
from tui_tracker.core.model import Monitor
from tui_tracker.fetchers.base import NO_ACCESS, Access
from tui_tracker.store.secrets import Secrets


def site_proxy(url: str, settings: Settings) -> str | None:
    """The `site_proxies` entry for `url`'s host or a parent domain of it, else None."""
    host = (urlsplit(url).hostname or "").lower()
    proxies = {k.lower().lstrip("."): v for k, v in settings.site_proxies.items()}
    while host:
        if host in proxies:
            return proxies[host]
        host = host.partition(".")[2]
    return None


def access_for(url: str, settings: Settings, secrets: Secrets | None,
               monitor: Monitor | None = None) -> Access:
    """Cookies, headers and proxy for fetching `url` (as `monitor`, when it is one)."""
    proxy = site_proxy(url, settings) if settings.site_proxies else None
    if secrets is None:
        return Access(proxy=proxy) if proxy else NO_ACCESS
    site_cookies, own = secrets.for_check(monitor.id if monitor is not None else None)
    storage = secrets.site_storage()
    if not site_cookies and own is None and not storage:
        return Access(proxy=proxy) if proxy else NO_ACCESS
    now = time.time()
    cookies = list(site_cookies)
    headers: list[tuple[str, str]] = []
    if own is not None:
        cookies += own.cookies
        headers = own.headers
        proxy = own.proxy or proxy
    return Access(cookies=tuple(c for c in cookies if not c.expired(now)),
                  headers=tuple(headers), proxy=proxy, storage=storage)
