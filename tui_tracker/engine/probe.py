"""Fetch a page and extract from it once: the step shared by `probe`, checks and the form preview.

Holds the `auto` fetch policy: plain HTTP first; when the static page yields nothing
and looks script-rendered, render it in the browser. The fetcher that worked is
reported so the engine can remember it per monitor.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie
from tui_tracker.core.errors import (
    BlockedError,
    BrowserUnavailable,
    ExtractionError,
    FetchError,
    TrackerError,
)
from tui_tracker.core.model import (
    Candidate,
    Extraction,
    FetchMode,
    Kind,
    Reading,
    readings_to_json,
)
from tui_tracker.engine.reuse import Previous, body_digest, state_after
from tui_tracker.extractors.scripts import runs_scripts
from tui_tracker.fetchers.base import NO_ACCESS, Access, Fetcher, Page, Ready
from tui_tracker.fetchers.responses import check_page

# Parsing a multi-megabyte page takes lxml tens of milliseconds or more; above this size
# it runs in a worker thread so the event loop (and the TUI on it) keeps responding.
THREAD_PARSE_BYTES = 200_000
HTML_TYPES = ("text/html", "application/xhtml+xml", "")

Slot = Callable[[str], contextlib.AbstractAsyncContextManager[Any]]
"""Capacity for one fetch by the named fetcher (`http`, `browser`); see engine/limits.py."""


def _no_limit(_fetcher: str) -> contextlib.AbstractAsyncContextManager[Any]:
    return contextlib.nullcontext()


class FetcherPool:
    """The shared fetchers of one engine, created on first use (Playwright loads only then)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._fetchers: dict[str, Fetcher] = {}

    def get(self, name: str) -> Fetcher:
        fetcher = self._fetchers.get(name)
        if fetcher is None:
            from tui_tracker.fetchers.registry import load_fetcher

            cls: Any = load_fetcher(name)  # each fetcher class takes the settings
            fetcher = self._fetchers[name] = cls(self.settings)
        return fetcher

    async def aclose(self) -> None:
        fetchers, self._fetchers = list(self._fetchers.values()), {}
        for fetcher in fetchers:
            await fetcher.aclose()


@dataclass(slots=True)
class ProbeResult:
    """The outcome of one fetch+extract; `to_json` is the `probe --json` contract."""

    url: str
    kind: Kind
    fetcher: str | None = None
    extraction: Extraction | None = None
    final_url: str | None = None
    error: TrackerError | None = None
    retry_after: float | None = field(default=None)
    fetch_state: dict[str, Any] | None = None
    """For the monitor's `fetch_state` (engine/reuse.py); None = keep none."""
    reused: str | None = None
    """`not-modified` (a 304), `same-body`, or `endpoint` (a learned data endpoint said
    nothing changed) when the last readings were reused unparsed."""
    page: Page | None = field(default=None, repr=False)
    """The rendered page a browser check read (its recorded JSON is what endpoints are
    learned from); None for HTTP checks."""
    learned: dict[str, Any] | None = None
    """For the monitor's `learned` (engine/learned.py); None = leave it as it is."""
    cookies: tuple[Cookie, ...] | None = field(default=None, repr=False)
    """The fetcher's cookies after a successful check that sent session cookies (the
    engine keeps the saved sessions current with them); None otherwise."""

    @property
    def via(self) -> str | None:
        """How the readings were obtained: http, browser, not-modified, same-body, endpoint."""
        return self.reused or self.fetcher

    @property
    def ok(self) -> bool:
        return self.error is None and self.extraction is not None

    @property
    def blocked(self) -> bool:
        """A login wall or bot challenge answered instead of the page."""
        return isinstance(self.error, BlockedError)

    @property
    def readings(self) -> list[Reading]:
        return list(self.extraction.readings) if self.extraction else []

    def to_json(self) -> dict[str, Any]:
        ex = self.extraction
        return {
            "ok": self.ok,
            "url": self.url,
            "fetcher": self.fetcher,
            "kind": (ex.kind if ex else self.kind).value,
            "title": ex.title if ex else None,
            "readings": readings_to_json(ex.readings if ex else None),
            "in_stock": ex.in_stock if ex else None,
            "source": ex.source if ex else None,
            "final_url": self.final_url,
            "error": str(self.error) if self.error else None,
            "blocked": self.blocked,
            "candidates": [c.to_dict() for c in self.candidates],
        }

    @property
    def candidates(self) -> list[Candidate]:
        """Amounts a person may pick from: the result's, or the failed check's."""
        if self.extraction is not None:
            return list(self.extraction.candidates)
        return list(getattr(self.error, "candidates", None) or [])


async def extract_page(page: Page, kind: Kind, selector: str | None,
                       regex: str | None) -> Extraction:
    """Run the extractor, off the event loop for big pages."""
    from tui_tracker.extractors import extract

    media = page.content_type.split(";")[0].strip().lower()
    if kind in (Kind.PRICE, Kind.SEATS) and media not in HTML_TYPES:
        raise ExtractionError(f"the address returned {media}, not an HTML page")
    if len(page.html) + sum(len(body) for _, body in page.data) > THREAD_PARSE_BYTES:
        return await asyncio.to_thread(
            extract, page.html, url=page.final_url, kind=kind, selector=selector, regex=regex,
            data=page.data)
    return extract(page.html, url=page.final_url, kind=kind, selector=selector, regex=regex,
                   data=page.data)


async def probe(pool: FetcherPool, url: str, *, kind: Kind = Kind.AUTO,
                selector: str | None = None, regex: str | None = None,
                fetch: FetchMode = FetchMode.AUTO,
                preferred: FetchMode | None = None, slot: Slot = _no_limit,
                access: Access = NO_ACCESS, previous: Previous | None = None) -> ProbeResult:
    """Fetch and extract once. Never raises TrackerError: failures land in `result.error`.

    Args:
        access: session cookies, headers and proxy to fetch with.
        fetch: the user's choice (auto/http/browser).
        preferred: for auto, what worked last time for this monitor; tried first.
        slot: held around each fetch, per fetcher, so a browser check that hangs
            holds only browser capacity, never the slots plain HTTP checks need.
        previous: the monitor's last page and readings (engine/reuse.py): an HTTP
            fetch asks conditionally, and a 304 or a byte-identical body reuses them.
    """
    result = ProbeResult(url=url, kind=kind)
    if fetch is FetchMode.AUTO:
        order = ["browser", "http"] if preferred is FetchMode.BROWSER else ["http", "browser"]
    else:
        order = [fetch.value]
    for i, name in enumerate(order):
        last = i == len(order) - 1
        seen: dict[tuple[str, tuple[tuple[str, str], ...]], Extraction] = {}
        ready = _yields_values(url, kind, selector, regex, seen)
        try:
            http_previous = previous if name == "http" else None
            async with slot(name):
                page = await pool.get(name).fetch(
                    url, wait_selector=selector, ready=ready, access=access,
                    revalidate=http_previous.validators if http_previous else None)
            result.fetcher, result.final_url = page.fetcher, page.final_url
            if page.not_modified and http_previous is not None:
                result.extraction, result.reused = http_previous.reuse(), "not-modified"
            elif (http_previous is not None and http_previous.digest
                    == body_digest(page.final_url, page.html)):
                # The very body the last successful check read (and found no wall in).
                result.extraction, result.reused = http_previous.reuse(), "same-body"
            else:
                check_page(url, page.final_url, page.html)
                result.extraction = seen.get((page.html, page.data)) or \
                    await extract_page(page, kind, selector, regex)
            if name == "http":
                result.fetch_state = state_after(page, kind, selector, regex, http_previous)
            else:
                result.page = page
            result.error = None
            result.cookies = page.cookies
            return result
        except ExtractionError as exc:
            result.error = exc
            if last or name != "http" or not _worth_rendering(exc, page):
                return result
        except BlockedError as exc:
            result.error = exc
            # A script challenge may pass in a real browser; a login wall will not.
            if last or name != "http" or exc.kind != "challenge":
                return result
        except FetchError as exc:
            result.error, result.retry_after = exc, exc.retry_after
            # A browser that cannot start should not hide a page plain HTTP can read.
            if last or not isinstance(exc, BrowserUnavailable):
                return result
        except TrackerError as exc:
            result.error = exc
            return result
    return result


async def probe_once(settings: Settings, url: str, *, kind: Kind = Kind.AUTO,
                     selector: str | None = None, regex: str | None = None,
                     fetch: FetchMode = FetchMode.AUTO,
                     access: Access = NO_ACCESS) -> ProbeResult:
    """`probe` with fetchers of its own, closed after: for one-shot commands."""
    pool = FetcherPool(settings)
    try:
        return await probe(pool, url, kind=kind, selector=selector, regex=regex, fetch=fetch,
                           access=access)
    finally:
        await pool.aclose()


def _yields_values(url: str, kind: Kind, selector: str | None, regex: str | None,
                   seen: dict[tuple[str, tuple[tuple[str, str], ...]], Extraction]) -> Ready:
    """A browser `ready` predicate: the page already yields our values (kept in `seen`).

    With a selector this means the selected element's *content* reads as a value, not
    merely that the element exists (an empty placeholder is not ready).
    """

    async def ready(html: str, data: Sequence[tuple[str, str]]) -> bool:
        page = Page(url, url, 200, "text/html", html, "browser", tuple(data))
        try:
            seen[(html, page.data)] = await extract_page(page, kind, selector, regex)
        except TrackerError:
            return False
        return True

    return ready


def _worth_rendering(exc: ExtractionError, page: Page) -> bool:
    """Static page gave nothing: render it when it looks script-built or runs scripts.

    A JSON-LD or other data block is not a script: a static page whose only
    `<script>` is data is answered from the static page (a selector that matched
    nothing there fails at once instead of after a browser render).
    """
    return exc.looks_script_rendered or runs_scripts(page.html)
