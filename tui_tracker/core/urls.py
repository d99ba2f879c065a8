"""Validating what a user types as a monitor URL, before any fetch.

httpx lets some malformed URLs escape as non-HTTPError exceptions (port 99999 raises
an ExceptionGroup(OverflowError)), and Chromium happily loads file:// and chrome://,
so the only safe place to refuse them is up front.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from tui_tracker.core.errors import InputError

ALLOWED_SCHEMES = {"http", "https"}


def validate_url(raw: str) -> str:
    """Return the URL stripped of surrounding space, or raise InputError saying why."""
    url = (raw or "").strip()
    if not url:
        raise InputError("The URL is empty.")
    # Whitespace is printable, so: non-printable anywhere, or a split on whitespace.
    if not url.isprintable() or len(url.split()) != 1:
        raise InputError(f"The URL {url!r} contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InputError(f"The URL {url!r} is malformed ({exc}).") from exc
    scheme = parts.scheme.lower()
    if not scheme or "://" not in url:
        raise InputError(f"The URL {url!r} needs to start with http:// or https://.")
    if scheme not in ALLOWED_SCHEMES:
        raise InputError(f"Only http:// and https:// URLs can be watched, not {scheme}:.")
    if not parts.hostname:
        raise InputError(f"The URL {url!r} has no host name.")
    if port is not None and not 1 <= port <= 65535:
        raise InputError(f"The URL {url!r} has an invalid port.")
    return url


@functools.lru_cache(maxsize=4096)
def host_of(url: str) -> str:
    """The host:port key used for per-host politeness limits (cached: every check asks)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or ''}"
