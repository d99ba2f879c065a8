"""Judging a response the same way in both fetchers: status, Retry-After, media type, size.

Kept apart from http.py so the browser fetcher can share the sentences without
importing httpx, and so both fetchers word the same failure identically.
"""

from __future__ import annotations

import email.utils
import math
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui_tracker.core.errors import BlockedError, FetchError

if TYPE_CHECKING:
    from tui_tracker.extractors.walls import Wall

_MB = 1024 * 1024

# Media types that are never a page: refused before their body is read or parsed.
_BINARY_PREFIXES = ("image/", "audio/", "video/", "font/")
_BINARY_TYPES = frozenset({
    "application/pdf", "application/octet-stream", "application/zip", "application/gzip",
    "application/x-gzip", "application/x-tar", "application/x-7z-compressed",
    "application/vnd.rar", "application/x-rar-compressed", "application/msword",
    "application/vnd.ms-excel", "application/x-msdownload", "application/wasm",
})
_RETRY_AFTER_STATUSES = frozenset({429, 503})
_RETRY_AFTER_CAP = 7 * 24 * 3600.0
"""A week: anything longer is a server bug, and the engine's backoff cap applies anyway."""


def where(url: str) -> str:
    """The host (with its port when the URL names one) that error sentences point at."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or url
        port = parts.port
    except ValueError:
        return url
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port else host


# Network failures both fetchers report, worded once so a monitor's error reads the
# same whichever fetcher hit it.
FAILURES = {
    "refused": "connection refused by {host}",
    "not_found": "host not found ({host})",
    "cert": "certificate not trusted for {host}",
    "redirects": "too many redirects from {host}",
    "bad_redirect": "redirected to an unsupported address (from {host})",
    "invalid": "server sent an invalid response ({host})",
    "no_answer": "server sent an invalid response ({host} closed the connection without "
                 "answering)",
    "corrupt": "server sent an invalid response ({host}: corrupt compressed body)",
    "broke_off": "the connection to {host} broke off mid-response",
}


def failure(kind: str, url: str) -> FetchError:
    """The FetchError for one of the `FAILURES` at `url`'s host."""
    return FetchError(FAILURES[kind].format(host=where(url)))


def media_type(content_type: str | None) -> str:
    """`text/html; charset=utf-8` → `text/html` (lowercase, parameters dropped)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_binary_type(media: str) -> bool:
    """True for media types that can never hold a page worth extracting from."""
    return media.startswith(_BINARY_PREFIXES) or media in _BINARY_TYPES


def not_a_page(media: str) -> FetchError:
    return FetchError(f"not a text/HTML page ({media or 'binary data'})")


def is_attachment(content_disposition: str | None) -> bool:
    """`Content-Disposition: attachment` means the server wants a file saved, not shown."""
    return media_type(content_disposition) == "attachment"


def download_error(url: str) -> FetchError:
    return FetchError(f"the address is a file download, not a page ({where(url)})")


def size_label(n: int) -> str:
    """10485760 → "10 MB", 1536 → "1.5 KB": how the cap is named to users."""
    for unit, size in (("MB", _MB), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def too_large(max_bytes: int, url: str) -> FetchError:
    return FetchError(f"page larger than {size_label(max_bytes)} ({where(url)})")


def timed_out(deadline: float, url: str) -> FetchError:
    return FetchError(f"no complete response from {where(url)} within {deadline:g} s")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date.

    Returns None for a missing or unreadable value; a date in the past gives 0.
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:
            return None
        try:
            seconds = when.timestamp() - (time.time() if now is None else now)
        except (OverflowError, OSError, ValueError):
            return None
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), _RETRY_AFTER_CAP)


def status_error(status: int, url: str, retry_after: str | None = None) -> FetchError:
    """The FetchError for an HTTP status ≥ 400, carrying status and Retry-After."""
    delay = parse_retry_after(retry_after) if status in _RETRY_AFTER_STATUSES else None
    message = f"HTTP {status} from {where(url)}"
    if delay is not None:
        message += f" (asked to retry after {delay:.0f} s)"
    return FetchError(message, status=status, retry_after=delay)


WALL_STATUSES = frozenset({401, 403, 429, 503})
"""Statuses whose body is worth a look: it may be a login wall or a bot challenge."""
WALL_BODY_BYTES = 256 * 1024


def blocked(wall: Wall, url: str) -> BlockedError:
    """The BlockedError for `wall`, met while fetching the watched page `url`."""
    try:
        site = (urlsplit(url).hostname or "").lower()
    except ValueError:
        site = ""
    return BlockedError(wall.reason, kind=wall.kind, site=site, status=wall.status)


def status_failure(status: int, url: str, final_url: str, headers_retry_after: str | None,
                   html: str = "") -> FetchError:
    """`status_error`, unless the status and body say a wall answered (then BlockedError)."""
    from tui_tracker.extractors.walls import wall_for_status  # its patterns: on first use

    wall = wall_for_status(status, final_url, html)
    if wall is not None:
        return blocked(wall, url)
    return status_error(status, final_url, headers_retry_after)


def check_page(url: str, final_url: str, html: str) -> None:
    """Raise BlockedError when a page that loaded is a login wall or a challenge.

    The wall patterns load on the first page read: a pass whose pages all come back
    unchanged (same body, 304) never reads one.
    """
    from tui_tracker.extractors.walls import wall_for_page

    wall = wall_for_page(url, final_url, html)
    if wall is not None:
        raise blocked(wall, url)
