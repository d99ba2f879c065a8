"""The fetcher contract: turn a URL into decoded HTML, or raise FetchError.

Each fetcher enforces the limits from Settings itself (whole-response deadline,
body-size cap, redirect limit, http(s)-only) and translates every library
exception into a FetchError whose message is one sentence naming the cause.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from tui_tracker.core.cookies import Cookie, OriginStorage

Ready = Callable[[str, Sequence[tuple[str, str]]], Awaitable[bool]]
"""Asks the caller whether this HTML (and the JSON responses recorded so far, as
(url, body) pairs) already holds what it wants (see `Fetcher.fetch`)."""


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
    data: tuple[tuple[str, str], ...] = ()
    """(url, body) of the JSON responses the page fetched (browser only), in arrival order."""
    etag: str | None = None
    last_modified: str | None = None
    """The response's validators (HTTP only), for a conditional request next time."""
    not_modified: bool = False
    """The server answered 304 to our validators: `html` is empty, the last page holds."""
    requests: tuple[DataRequest, ...] = ()
    """How each recorded JSON response in `data` was asked for (browser only)."""
    cookies: tuple[Cookie, ...] | None = None
    """The fetcher's cookie jar after this fetch, when the check sent session cookies
    (None otherwise): what the engine keeps imported sessions current from."""


@dataclass(frozen=True, slots=True)
class DataRequest:
    """One JSON request a rendered page made: enough to judge whether to repeat it."""

    url: str
    method: str
    headers: tuple[tuple[str, str], ...]
    """The request headers the page's script chose (not the browser's own defaults)."""


@dataclass(frozen=True, slots=True)
class Validators:
    """A conditional request: send these to `url` (the page the last body came from)."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Access:
    """What a check sends besides the URL: session cookies, headers, a proxy.

    Cookies go through the fetcher's cookie jar (sent only to the domains they name);
    headers only to the watched page's own host, never to a host a redirect leads to.
    `proxy` None means the environment's (HTTP_PROXY, HTTPS_PROXY, NO_PROXY ...).
    """

    cookies: tuple[Cookie, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    proxy: str | None = None
    storage: tuple[OriginStorage, ...] = ()
    """localStorage imported from storage_state files, by origin: the browser gives a
    page only its own origin's (the HTTP fetcher has no use for it)."""

    @property
    def profile(self) -> tuple[str | None, tuple[Cookie, ...]]:
        """Checks with the same profile share a client (HTTP) or cookie state (browser)."""
        return (self.proxy, self.cookies)


NO_ACCESS = Access()


class Fetcher(ABC):
    """One shared instance per engine; safe to call concurrently."""

    name: str

    @abstractmethod
    async def fetch(self, url: str, *, wait_selector: str | None = None,
                    ready: Ready | None = None, access: Access = NO_ACCESS,
                    revalidate: Validators | None = None) -> Page:
        """Fetch `url` with `access`. Raises FetchError on any failure (never another type).

        Args:
            url: an http(s) URL already checked by core.urls.validate_url.
            wait_selector: for browsers, a CSS/XPath selector to wait for (bounded by the
                deadline); ignored by the HTTP fetcher.
            ready: for browsers, a predicate on the rendered HTML and the JSON responses
                recorded so far; once it holds and the page has no requests in flight,
                the wait for script-built content ends; otherwise the browser waits
                while requests are pending or the DOM changes, until the page has been
                quiet for `settings.browser_wait` s or the deadline; ignored by HTTP.
            access: session cookies, extra headers and a proxy for this check.
            revalidate: HTTP only: ask conditionally; a 304 comes back as a Page with
                `not_modified` set and no body. Browsers ignore it.
        """

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release shared resources (client, browser)."""
