"""The fetcher contract: turn a URL into decoded HTML, or raise FetchError.

Each fetcher enforces the limits from Settings itself (whole-response deadline,
body-size cap, redirect limit, http(s)-only) and translates every library
exception into a FetchError whose message is one sentence naming the cause.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Ready = Callable[[str], Awaitable[bool]]
"""Asks the caller whether this HTML already holds what it wants (see `Fetcher.fetch`)."""


@dataclass(slots=True)
class Page:
    """A fetched page."""

    url: str
    """The URL asked for."""
    final_url: str
    """Where redirects ended (recorded and shown; internal targets are not hidden)."""
    status: int
    content_type: str
    html: str
    fetcher: str
    """`http` or `browser`: what actually produced this page."""


class Fetcher(ABC):
    """One shared instance per engine; safe to call concurrently."""

    name: str

    @abstractmethod
    async def fetch(self, url: str, *, wait_selector: str | None = None,
                    ready: Ready | None = None) -> Page:
        """Fetch `url`. Raises FetchError on any failure (never another exception type).

        Args:
            url: an http(s) URL already checked by core.urls.validate_url.
            wait_selector: for browsers, a CSS/XPath selector to wait for (bounded by the
                deadline); ignored by the HTTP fetcher.
            ready: for browsers, a predicate on the rendered HTML; once it holds and the
                page has no requests in flight, the wait for script-built content ends
                early instead of after network idle; ignored by the HTTP fetcher.
        """

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release shared resources (client, browser)."""
