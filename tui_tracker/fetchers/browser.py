"""Rendering script-built pages in one shared headless Chromium driven by Playwright.

Costs and failure modes measured on this project's target (2-core VM, see DESIGN
"Engine" and HOSTILE-INPUTS B) shape everything here:

- A fresh context per check costs ~4x the CPU of reusing a page, so one context and
  a small pool of pages are kept and reused; a page that errored is closed and
  replaced rather than trusted again.
- A reused browser creeps in memory (919 → 1402 MB over 300 navigations) and the
  Playwright node driver grows too, so both are relaunched every
  `settings.browser_recycle` checks.
- A memory-hog page reached 4.8 GB before its renderer died; with V8's heap capped
  at 256 MB it crashes in 0.5 s and only that page is lost.
- Chromium loads file://, chrome:// and data: URLs through `goto`, so those are
  refused before navigation and every non-http(s) request is aborted by a route.
- A frozen Chromium (SIGSTOPped, or a renderer spinning) ignored every timeout that
  Playwright enforces, and closing its pages afterwards waited 5 s a step: checks
  ended 50-62 s after they started with a 30 s deadline (issue 10.5). So the
  deadline is enforced here, in Python, around the whole check; pages of failed
  checks are closed in the background, not by the check; and a deadline miss makes
  the browser prove it still answers within `_HEALTH_TIMEOUT`, else its processes
  are killed (SIGKILL, which works on a stopped process too) and it is relaunched.

Importing this module imports Playwright; the registry loads it only for browser
checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import signal
from collections.abc import Coroutine, Sequence
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Playwright, Route, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page as PWPage
from playwright.async_api import TimeoutError as PlaywrightTimeout

from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie, OriginStorage, normalize_origin
from tui_tracker.core.errors import BrowserUnavailable, FetchError, InputError
from tui_tracker.core.urls import validate_url
from tui_tracker.fetchers import responses as R
from tui_tracker.fetchers.base import (
    NO_ACCESS,
    Access,
    DataRequest,
    Fetcher,
    Page,
    Ready,
    Validators,
)
from tui_tracker.fetchers.chromium import descendants, executable_of, require_chromium
from tui_tracker.fetchers.proxies import playwright_proxy
from tui_tracker.fetchers.remote import RemoteBrowser, connect, remote_browser

log = logging.getLogger(__name__)

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # A runaway page then crashes only its renderer, in ~0.5 s instead of at 4.8 GB.
    "--js-flags=--max-old-space-size=256",
)
_SKIPPED_RESOURCES = frozenset({"image", "media", "font"})
"""Never needed to read a number off a page; skipping them saves bandwidth and CPU."""
_CLOSE_TIMEOUT = 5.0
_HEALTH_TIMEOUT = 3.0
"""After a missed deadline, the browser must open and close a context within this."""
_READY_POLL = 0.1
"""Seconds between looks at a rendering page; a DOM snapshot costs ~1 ms on a small page."""
_AWAITED_RESOURCES = frozenset({"document", "script", "xhr", "fetch"})
"""Requests whose answers may still change the numbers on the page."""
_LONG_POLL = 8.0
"""A request open longer than this (a long poll, a stuck beacon) no longer holds a check."""
_BODY_WAIT = 2.0
"""Seconds to let recorded JSON bodies finish reading before the DOM is returned."""
_MAX_JSON_BYTES = 2_000_000
"""A single recorded JSON response larger than this is skipped (no page state needs it)."""
_MAX_JSON_RESPONSES = 40
_MUTATIONS_INIT = """(() => {
  if (window.__ttMutations !== undefined) return;
  window.__ttMutations = 0;
  new MutationObserver(() => { window.__ttMutations++; }).observe(document,
      {subtree: true, childList: true, characterData: true, attributes: true});
})();"""
"""Counts DOM changes so the wait can tell a quiet page from one still being built."""
_MUTATIONS_READ = "window.__ttMutations === undefined ? 0 : window.__ttMutations"
_NET_ERROR = re.compile(r"net::(ERR_[A-Z0-9_]+)")
_NET_FAILURES = {  # Chromium's net error codes → responses.FAILURES kinds
    "ERR_CONNECTION_REFUSED": "refused",
    "ERR_NAME_NOT_RESOLVED": "not_found",
    "ERR_NAME_RESOLUTION_FAILED": "not_found",
    "ERR_CERT_AUTHORITY_INVALID": "cert",
    "ERR_CERT_COMMON_NAME_INVALID": "cert",
    "ERR_CERT_DATE_INVALID": "cert",
    "ERR_TOO_MANY_REDIRECTS": "redirects",
    "ERR_UNSAFE_REDIRECT": "bad_redirect",
    "ERR_BLOCKED_BY_CLIENT": "bad_redirect",  # our route aborted a non-http(s) hop
    "ERR_EMPTY_RESPONSE": "no_answer",
    "ERR_INVALID_HTTP_RESPONSE": "invalid",
    "ERR_INVALID_RESPONSE": "invalid",
    "ERR_CONTENT_DECODING_FAILED": "corrupt",
    "ERR_CONNECTION_RESET": "broke_off",
    "ERR_CONNECTION_CLOSED": "broke_off",
}
# Parsel pseudo-elements (`::text`, `::attr(x)`) mean nothing to Playwright.
_PSEUDO = re.compile(r"::(?:text|attr\([^)]*\))\s*$")


def playwright_selector(selector: str) -> str:
    """The extractor's selector in Playwright's syntax (XPath prefixed, pseudo-elements cut)."""
    sel = selector.strip()
    if sel.startswith("xpath:"):
        return "xpath=" + sel[len("xpath:"):].strip()
    if sel.startswith(("/", "(")):
        return "xpath=" + sel
    return _PSEUDO.sub("", sel) or sel


def _pw_cookie(c: Cookie) -> dict[str, Any]:
    """A cookie in Playwright's `add_cookies` shape (a host-only one has no leading dot)."""
    d: dict[str, Any] = {"name": c.name, "value": c.value,
                         "domain": c.domain if c.host_only else "." + c.domain,
                         "path": c.path or "/", "expires": c.expires or -1,
                         "httpOnly": c.http_only, "secure": c.secure}
    if c.same_site in ("Lax", "Strict") or (c.same_site == "None" and c.secure):
        d["sameSite"] = c.same_site
    return d


STORAGE_MARKER = "__tui_tracker_storage"
"""Set beside the imported items: which import the origin's localStorage holds, so a
value the page changes later (a refreshed token) is not put back at every load."""


def _storage_script(origin: str, items: tuple[tuple[str, str], ...]) -> str:
    """An init script that puts `items` in `origin`'s localStorage, once per import."""
    version = hashlib.sha256(json.dumps([origin, items]).encode()).hexdigest()[:16]
    return ("(() => { try {"
            f" if (location.origin !== {json.dumps(origin)}) return;"
            f" const mark = {json.dumps(STORAGE_MARKER)}, version = {json.dumps(version)};"
            " if (localStorage.getItem(mark) === version) return;"
            f" for (const [k, v] of {json.dumps(items)}) localStorage.setItem(k, v);"
            " localStorage.setItem(mark, version);"
            " } catch (e) {} })();")


def _from_pw(d: dict[str, Any]) -> Cookie | None:
    """A cookie from Playwright's `context.cookies()` (expires -1 = a session cookie)."""
    try:
        domain = str(d["domain"])
        expires = float(d.get("expires") or -1)
        same_site = d.get("sameSite")
        return Cookie(name=str(d["name"]), value=str(d["value"]),
                      domain=domain.lstrip(".").lower(), path=str(d.get("path") or "/"),
                      expires=expires if expires > 0 else None, secure=bool(d.get("secure")),
                      http_only=bool(d.get("httpOnly")),
                      same_site=str(same_site) if same_site else None,
                      host_only=not domain.startswith("."))
    except (KeyError, TypeError, ValueError):
        return None


async def _jar_after(page: PWPage, access: Access) -> tuple[Cookie, ...] | None:
    """The context's cookies after a check that sent session cookies (else None): what
    the engine keeps the imported session current from. A jar that cannot be read
    costs the refresh, never the check."""
    if not access.cookies:
        return None
    try:
        raw = await page.context.cookies()
    except PlaywrightError:
        return None
    return tuple(c for c in (_from_pw(dict(d)) for d in raw) if c is not None)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


async def _dismiss(dialog: Any) -> None:
    # Accepting beforeunload lets the next navigation leave; every other dialog is
    # dismissed so a page cannot wait on us forever.
    with contextlib.suppress(PlaywrightError):
        if dialog.type == "beforeunload":
            await dialog.accept()
        else:
            await dialog.dismiss()


async def _close_quietly(page: PWPage) -> bool:
    """Close a page without running its unload handlers; False if that failed or hung."""
    try:
        async with asyncio.timeout(_CLOSE_TIMEOUT):
            await page.close(run_before_unload=False)
    except (PlaywrightError, TimeoutError):
        return page.is_closed()
    return True


class _Recorder:
    """The JSON responses (url, body) one check's page received, read as they arrive."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.requests: list[DataRequest] = []
        """How each of `items` was asked for (same order), so it can be judged for reuse."""
        self._tasks: set[asyncio.Task[None]] = set()
        self._seen = 0

    def add(self, response: Any) -> None:
        if self._seen >= _MAX_JSON_RESPONSES:
            return
        self._seen += 1
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > _MAX_JSON_BYTES:
            return
        task = asyncio.ensure_future(self._read(response))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _read(self, response: Any) -> None:
        with contextlib.suppress(Exception):  # a body gone with its page is just not recorded
            body = await response.body()
            if len(body) <= _MAX_JSON_BYTES:
                request = response.request
                headers = tuple((str(k), str(v)) for k, v in (request.headers or {}).items())
                self.items.append((response.url, body.decode("utf-8", "replace")))
                self.requests.append(DataRequest(response.url, request.method, headers))

    async def settle(self, timeout: float) -> None:
        """Let bodies still being read finish (bounded); the rest are dropped."""
        if self._tasks and timeout > 0:
            await asyncio.wait(set(self._tasks), timeout=timeout)


def _selector_present(page: PWPage, selector: str) -> Ready:
    """A `ready` for callers with a selector but no predicate: the element exists."""

    async def ready(_html: str, _data: Sequence[tuple[str, str]]) -> bool:
        try:
            return await page.query_selector(playwright_selector(selector)) is not None
        except PlaywrightError:
            if page.is_closed():
                raise
            return True  # an invalid selector: stop waiting, the extractor reports it

    return ready


class BrowserFetcher(Fetcher):
    """Fetch pages through a shared Chromium, reusing up to `settings.browser_pages` tabs.

    The browser is launched on the first fetch, relaunched after it dies, and
    recycled every `settings.browser_recycle` checks. `launches`, `pages_created`
    and `checks` are counters for tests and the status line.
    """

    name = "browser"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.launches = 0
        """Browsers started so far (relaunches and recycles included)."""
        self.pages_created = 0
        """Tabs opened so far; stays at most `browser_pages` while pages are healthy."""
        self.checks = 0
        """Fetches that reached the browser."""
        self._pw: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        """The shared context (the environment's proxy, if any)."""
        self._proxied: dict[str, BrowserContext] = {}
        """Contexts of checks with a proxy of their own, by proxy URL."""
        self._page_proxy: dict[PWPage, str | None] = {}
        self._cookies_in: dict[BrowserContext, tuple] = {}
        self._jar_locks: dict[BrowserContext, asyncio.Lock] = {}
        """One jar swap at a time per context: two checks starting together must not
        clear the jar after the other has filled it (its page would go out without
        the session and read as a login wall)."""
        """The imported cookies each context holds now (they are replaced when they differ)."""
        self._page_headers: dict[PWPage, tuple[str, dict[str, str]]] = {}
        self._page_storage: dict[PWPage, tuple[Any, OriginStorage]] = {}
        """The localStorage init script armed on each page: its handle, what it sets."""
        """Extra headers of each page's current check, with the host they may go to."""
        self._executable: str | None = None
        self._pages: set[PWPage] = set()
        """Pool pages of the current browser (idle or in use)."""
        self._idle: list[PWPage] = []
        self._crashed: set[PWPage] = set()
        self._doc_types: dict[PWPage, str] = {}
        """Content-Type of each page's latest main-frame document response."""
        self._in_flight: dict[PWPage, dict[Any, float]] = {}
        """Script, XHR and fetch requests each page is still waiting for, with start times."""
        self._recorded: dict[PWPage, _Recorder] = {}
        """JSON responses each page received during its current check."""
        self._broken = False
        """Set when the browser disconnected or a page would not close: relaunch."""
        self._since_launch = 0
        self._active = 0
        self._idle_browser = asyncio.Event()
        self._idle_browser.set()
        """Set while no check uses the browser (a recycle waits for it)."""
        self._lifecycle = asyncio.Lock()
        self._slots = asyncio.Semaphore(max(1, settings.browser_pages))
        self._background: set[asyncio.Task[Any]] = set()
        """Page closes and health probes that no check waits for."""
        self._browser_pids: list[int] = []
        """The processes this fetcher's current Chromium started as (for a hard kill)."""
        self._probing = False
        self.kills = 0
        """Browsers killed hard (frozen after a missed deadline, or would not close)."""
        self.remote = False
        """Connected to a remote browser (`settings.browser_url`) rather than launched one;
        `launches` then counts connections."""

    # --- public API --------------------------------------------------------------------------
    async def fetch(self, url: str, *, wait_selector: str | None = None,
                    ready: Ready | None = None, access: Access = NO_ACCESS,
                    revalidate: Validators | None = None) -> Page:
        """Render `url` and return its DOM as HTML (`revalidate` is for HTTP only).

        `access`: its cookies are put in the shared context's jar (replacing the
        previous check's when they differ), its headers go only to requests for the
        page's own host, and its proxy (when set) gets a context of its own.

        Waits for DOMContentLoaded, then as `_settle` says: until `ready` (or, without
        one, `wait_selector`'s element) holds with no request pending, else until the
        page has been quiet for `settings.browser_wait` s, within the deadline. The JSON
        responses the page received come back in `Page.data`. A selector that never
        appears is not an error here: the page is returned once quiet and the
        extractor reports "matched nothing".

        Raises:
            FetchError: every failure (bad URL, browser missing, timeout, crash, HTTP
                status ≥ 400, download, non-page media type).
        """
        try:
            url = validate_url(url)
        except InputError as exc:
            raise FetchError(exc.message) from exc
        deadline = self.settings.deadline
        end = asyncio.get_running_loop().time() + deadline
        try:
            # The deadline covers the whole check, waiting for a tab included, and is
            # enforced from Python whatever the browser does (or fails to do).
            async with asyncio.timeout(deadline), self._slots:
                await self._enter()
                try:
                    return await self._check(url, wait_selector, ready, access, end)
                finally:
                    self._leave()
        except TimeoutError:
            self._spawn(self._probe_health())
            raise R.timed_out(deadline, url) from None

    @property
    def open_tabs(self) -> int:
        """Pages open in the browser right now (pool pages plus any stray popup)."""
        return sum(len(c.pages) for c in self._all_contexts())

    async def aclose(self) -> None:
        """Close pages, browser and Playwright driver; no Chromium process is left."""
        async with self._lifecycle:
            tasks = list(self._background)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._shutdown()

    # --- one check -----------------------------------------------------------------------------
    async def _check(self, url: str, wait_selector: str | None, ready: Ready | None,
                     access: Access, end: float) -> Page:
        page: PWPage | None = None
        try:
            page = await self._take_page(access.proxy)
            await self._apply_access(page, url, access)
            status, headers, final_url, html, record = await self._load(
                page, url, wait_selector, ready, end)
        except Exception as exc:  # the boundary: nothing but FetchError leaves
            error = self._translate(exc, url, page)  # reads what we know of the page first
            if page is not None:
                self._dispose(page)
            raise error from exc
        except BaseException:  # the deadline or a shutdown: leave the page to the background
            if page is not None:
                self._dispose(page)
            raise
        jar = await _jar_after(page, access)
        await self._give_back(page)
        if status >= 400:
            raise R.status_failure(status, url, final_url, headers.get("retry-after"), html)
        media = R.media_type(headers.get("content-type")) or "text/html"
        if R.is_binary_type(media):
            raise R.not_a_page(media)
        if len(html) > self.settings.max_bytes:
            raise R.too_large(self.settings.max_bytes, final_url)
        return Page(url=url, final_url=final_url, status=status, content_type=media,
                    html=html, fetcher=self.name, data=tuple(record.items),
                    requests=tuple(record.requests), cookies=jar)

    async def _load(self, page: PWPage, url: str, wait_selector: str | None,
                    ready: Ready | None, end: float,
                    ) -> tuple[int, dict[str, str], str, str, _Recorder]:
        loop = asyncio.get_running_loop()
        # Leave time to serialise the DOM, so a slow page yields a page, not a timeout.
        reserve = min(1.0, self.settings.deadline * 0.2)
        self._in_flight.setdefault(page, {}).clear()  # nothing of the last page counts
        record = self._recorded[page] = _Recorder()
        response = await page.goto(url, wait_until="domcontentloaded",
                                   timeout=max(0.0, end - loop.time() - reserve) * 1000 + 1)
        if ready is None and wait_selector:
            ready = _selector_present(page, wait_selector)
        html = await self._settle(page, ready, record, end - reserve)
        status = response.status if response is not None else 200
        headers = await response.all_headers() if response is not None else {}
        return status, headers, page.url, html, record

    async def _settle(self, page: PWPage, ready: Ready | None, record: _Recorder,
                      until: float) -> str:
        """Wait until the page yields the values with no request pending, or goes quiet.

        DESIGN's wait rule: the check ends as soon as `ready` accepts the DOM (and the
        JSON recorded so far) while no script/XHR/fetch request is pending; otherwise
        it waits while requests are in flight or the DOM keeps changing, and a page
        quiet for `settings.browser_wait` seconds ends the wait with what is there. A
        DOM mutation counter (an init script) makes each look cost one small
        `evaluate`, and `ready` runs only when the DOM or the recorded JSON changed.
        """
        loop = asyncio.get_running_loop()
        pending = self._in_flight.setdefault(page, {})
        quiet_for = max(0.2, self.settings.browser_wait)
        last_change = loop.time()
        last_version: tuple[int, int] | None = None
        tried: tuple[int, int] | None = None
        while True:
            now = loop.time()
            try:
                mutations = int(await page.evaluate(_MUTATIONS_READ) or 0)
            except PlaywrightError:
                if page.is_closed() or page in self._crashed:
                    raise
                mutations = -1  # a navigation replaced the document: count it as change
            busy = any(now - started < _LONG_POLL for started in pending.values())
            version = (mutations, len(record.items))
            if version != last_version or busy or mutations < 0:
                last_change = now
            last_version = version
            if not busy and ready is not None and version != tried and mutations >= 0:
                await record.settle(min(_BODY_WAIT, max(0.0, until - loop.time())))
                tried = (mutations, len(record.items))
                html = await page.content()
                if await ready(html, tuple(record.items)):
                    return html
            if now - last_change >= quiet_for or now >= until:
                await record.settle(min(_BODY_WAIT, max(0.0, until - loop.time())))
                return await page.content()
            await asyncio.sleep(_READY_POLL)

    def _translate(self, exc: BaseException, url: str, page: PWPage | None) -> FetchError:
        host = R.where(url)
        if isinstance(exc, FetchError):
            return exc
        if isinstance(exc, TimeoutError | PlaywrightTimeout):
            return R.timed_out(self.settings.deadline, url)
        message = str(exc)
        if (page is not None and page in self._crashed) or "crashed" in message.lower():
            return FetchError(f"page crashed (likely out of memory) at {host}")
        if "Download is starting" in message:
            # Chromium downloads what it cannot show (a PDF too): say which it was.
            media = R.media_type(self._doc_types.get(page) if page is not None else None)
            return R.not_a_page(media) if R.is_binary_type(media) else R.download_error(url)
        code = _NET_ERROR.search(message)
        if code:
            kind = _NET_FAILURES.get(code.group(1))
            if kind:
                return R.failure(kind, url)
            return FetchError(f"could not load the page from {host} ({code.group(1)})")
        if type(exc).__name__ == "TargetClosedError" or self._broken:
            self._broken = True
            return FetchError(f"the browser stopped while checking {host}; "
                              "it is restarted for the next check")
        return FetchError(f"browser check of {host} failed ({_first_line(exc)})")

    # --- page pool -----------------------------------------------------------------------------
    def _all_contexts(self) -> list[BrowserContext]:
        return [c for c in (self._context, *self._proxied.values()) if c is not None]

    async def _context_for(self, proxy: str | None) -> BrowserContext:
        if proxy is None:
            assert self._context is not None
            return self._context
        context = self._proxied.get(proxy)
        if context is None:
            assert self._browser is not None
            context = await self._new_context(self._browser, playwright_proxy(proxy))
            self._proxied[proxy] = context
        return context

    async def _new_context(self, browser: Browser,
                           proxy: dict[str, Any] | None) -> BrowserContext:
        context = await browser.new_context(
            accept_downloads=False, service_workers="block",
            user_agent=self.settings.user_agent, proxy=proxy)  # type: ignore[arg-type]
        await context.route("**/*", self._route)
        await context.add_init_script(_MUTATIONS_INIT)
        return context

    async def _apply_access(self, page: PWPage, url: str, access: Access) -> None:
        """Put the check's cookies in its context and arm its headers for its host."""
        context = page.context
        async with self._jar_locks.setdefault(context, asyncio.Lock()):
            if self._cookies_in.get(context, ()) != access.cookies:
                await context.clear_cookies()
                if access.cookies:
                    await context.add_cookies(
                        [_pw_cookie(c) for c in access.cookies])  # type: ignore[misc]
                self._cookies_in[context] = access.cookies
        if access.headers:
            self._page_headers[page] = ((urlsplit(url).hostname or "").lower(),
                                        dict(access.headers))
        else:
            self._page_headers.pop(page, None)
        await self._arm_storage(page, url, access.storage)

    async def _arm_storage(self, page: PWPage, url: str,
                           storage: tuple[OriginStorage, ...]) -> None:
        """Seed the page's origin with the localStorage a storage_state file gave it.

        An init script runs before the page's own scripts, so a script-built page that
        reads its login token from localStorage finds it on the first load. The script
        holds only this origin's items and sets them only on this origin; a pool page
        keeps its script until a check needs another (then it is disposed of).
        """
        origin = normalize_origin(url)
        wanted = next(((o, items) for o, items in storage if o == origin), None)
        armed = self._page_storage.get(page)
        if (armed[1] if armed is not None else None) == wanted:
            return
        if armed is not None:
            del self._page_storage[page]
            with contextlib.suppress(PlaywrightError, AttributeError):
                await armed[0].dispose()
        if wanted is not None:
            handle = await page.add_init_script(_storage_script(*wanted))
            self._page_storage[page] = (handle, wanted)

    async def _take_page(self, proxy: str | None = None) -> PWPage:
        for page in reversed(self._idle):
            if self._page_proxy.get(page) == proxy:
                self._idle.remove(page)
                if not page.is_closed() and page not in self._crashed:
                    return page
                self._forget(page)
        context = await self._context_for(proxy)
        page = await context.new_page()
        self.pages_created += 1
        self._pages.add(page)
        self._page_proxy[page] = proxy
        page.on("dialog", _dismiss)
        page.on("popup", _close_quietly)  # type: ignore[call-overload]
        crashed = self._crashed  # this browser's set; a relaunch starts a new one
        page.on("crash", lambda crashed_page: crashed.add(crashed_page))
        page.on("response", lambda response: self._on_response(page, response))
        pending = self._in_flight[page] = {}
        loop = asyncio.get_running_loop()

        def started(req: Any) -> None:
            if req.resource_type in _AWAITED_RESOURCES:
                pending[req] = loop.time()

        page.on("request", started)
        # Playwright wants Python functions as handlers, not builtin methods.
        page.on("requestfinished", lambda req: pending.pop(req, None))  # type: ignore[call-overload]
        page.on("requestfailed", lambda req: pending.pop(req, None))  # type: ignore[call-overload]
        return page

    async def _give_back(self, page: PWPage) -> None:
        """Park a healthy page on about:blank for the next check; dispose of any other."""
        if page in self._pages and not self._broken:
            try:
                # Stops the old page's timers and sockets using CPU between checks, and
                # proves the renderer still responds before the page is trusted again.
                async with asyncio.timeout(_CLOSE_TIMEOUT):
                    await page.goto("about:blank")
            except (PlaywrightError, TimeoutError):
                pass
            except BaseException:
                self._dispose(page)
                raise
            else:
                if page in self._pages and page not in self._crashed:
                    self._idle.append(page)
                    await self._close_strays()
                    return
        self._dispose(page)

    def _dispose(self, page: PWPage) -> None:
        """Forget a page and close it in the background: a check never waits on a close."""
        self._forget(page)
        browser = self._browser

        async def close() -> None:
            if not await _close_quietly(page) and self._browser is browser:
                self._broken = True  # a renderer that won't close: start afresh

        self._spawn(close())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _probe_health(self) -> None:
        """After a missed deadline: a browser that cannot open a context soon is killed."""
        browser = self._browser
        if browser is None or self._probing:
            return
        self._probing = True
        try:
            async with asyncio.timeout(_HEALTH_TIMEOUT):
                context = await browser.new_context()
                await context.close()
        except Exception as exc:  # TimeoutError included
            if self._browser is browser:
                log.warning("the browser did not answer within %.0f s after a missed deadline "
                            "(%s); killing it, the next check starts a new one",
                            _HEALTH_TIMEOUT, type(exc).__name__)
                self._broken = True
                self._kill_processes()
        finally:
            self._probing = False

    def _kill_processes(self) -> None:
        """SIGKILL the current browser and everything it started (works when stopped)."""
        if self._browser_pids:
            self.kills += 1
        pids = list(self._browser_pids)
        for pid in self._browser_pids:
            pids += descendants(pid)  # before the parent dies and they are re-parented
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        self._browser_pids = []

    def _chromium_pids(self) -> set[int]:
        exe = os.path.realpath(self._executable or "")
        return {pid for pid in descendants(os.getpid()) if executable_of(pid) == exe}

    def _on_response(self, page: PWPage, response: Any) -> None:
        kind = response.request.resource_type
        if kind == "document" and response.frame == page.main_frame:
            self._doc_types[page] = response.headers.get("content-type", "")
        elif kind in ("xhr", "fetch") and "json" in response.headers.get("content-type", ""):
            record = self._recorded.get(page)
            if record is not None:
                record.add(response)

    def _forget(self, page: PWPage) -> None:
        self._pages.discard(page)
        self._crashed.discard(page)
        self._doc_types.pop(page, None)
        self._in_flight.pop(page, None)
        self._recorded.pop(page, None)
        self._page_proxy.pop(page, None)
        self._page_headers.pop(page, None)
        self._page_storage.pop(page, None)

    async def _close_strays(self) -> None:
        """Close pages we did not open (popups the `popup` handler has not reached yet)."""
        for context in self._all_contexts():
            for page in list(context.pages):
                if page not in self._pages:
                    await _close_quietly(page)

    # --- browser lifecycle ---------------------------------------------------------------------
    async def _enter(self) -> None:
        async with self._lifecycle:
            if self._browser is not None and self._since_launch >= self.settings.browser_recycle:
                # Recycle: let in-flight checks finish, then start a new driver and browser.
                await self._idle_browser.wait()
                await self._shutdown()
            if not self._alive():
                await self._shutdown()
                await self._launch()
            self._active += 1
            self._idle_browser.clear()
            self._since_launch += 1
            self.checks += 1

    def _leave(self) -> None:
        # No lock: a check past its deadline must be able to leave at once.
        self._active -= 1
        if self._active == 0:
            self._idle_browser.set()

    def _alive(self) -> bool:
        return (self._browser is not None and self._context is not None
                and self._browser.is_connected() and not self._broken)

    async def _launch(self) -> None:
        remote = remote_browser(self.settings.browser_url)
        if remote is not None:
            await self._connect(remote)
            return
        executable = require_chromium(self.settings)
        self._executable = executable
        before = self._chromium_pids()
        pw = await async_playwright().start()
        try:
            # HTTP_PROXY/HTTPS_PROXY/NO_PROXY as httpx reads them (see proxies.py).
            env_proxy = playwright_proxy()
            browser = await pw.chromium.launch(
                executable_path=executable, args=list(CHROMIUM_ARGS), headless=True,
                timeout=max(self.settings.deadline, 30.0) * 1000,
                proxy=env_proxy)  # type: ignore[arg-type]
            context = await self._new_context(browser, env_proxy)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await pw.stop()
            if isinstance(exc, Exception):
                raise BrowserUnavailable(f"Chromium at {executable} could not be started "
                                         f"({_first_line(exc)})") from exc
            raise
        self._started(pw, browser, context)
        self._browser_pids = sorted(self._chromium_pids() - before)

    async def _connect(self, remote: RemoteBrowser) -> None:
        """Connect to a remote browser (`browser_url`); nothing there is ours to kill."""
        self._executable = None
        pw = await async_playwright().start()
        try:
            browser = await connect(pw, remote, min(self.settings.deadline, 30.0))
            context = await self._new_context(browser, playwright_proxy())
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await pw.stop()
            if isinstance(exc, Exception):
                raise BrowserUnavailable(f"could not connect to the remote browser at "
                                         f"{remote.shown} ({_first_line(exc)})") from exc
            raise
        self._started(pw, browser, context)
        self._browser_pids = []
        self.remote = True

    def _started(self, pw: Playwright, browser: Browser, context: BrowserContext) -> None:
        browser.on("disconnected", self._on_disconnected)
        self._pw, self._browser, self._context = pw, browser, context
        self._broken = False
        self._since_launch = 0
        self.launches += 1

    def _on_disconnected(self, _browser: Browser) -> None:
        self._broken = True

    async def _shutdown(self) -> None:
        pw, browser = self._pw, self._browser
        self._pw = self._browser = self._context = None
        self._proxied, self._page_proxy, self._cookies_in, self._page_headers = {}, {}, {}, {}
        self._jar_locks = {}
        self._page_storage = {}
        self._pages, self._idle, self._crashed, self._doc_types = set(), [], set(), {}
        # Keyed by page: they grew by a browser's pages at every recycle.
        self._in_flight, self._recorded = {}, {}
        if browser is not None:
            if self._broken:
                self._kill_processes()  # a frozen browser would not answer `close`
            try:
                async with asyncio.timeout(_CLOSE_TIMEOUT):
                    # A connected (remote) browser only loses our contexts and connection.
                    await browser.close()
            except Exception:
                self._kill_processes()
        self._browser_pids = []
        if pw is not None:
            # Stopping the driver also ends a browser that would not close.
            with contextlib.suppress(Exception):
                async with asyncio.timeout(10):
                    await pw.stop()

    def _extra_headers(self, request: Any) -> dict[str, str] | None:
        """The check's own headers when `request` goes to its page's host, else None."""
        try:
            armed = self._page_headers.get(request.frame.page)
        except Exception:  # a request with no page (a worker): nothing to add
            return None
        if armed is None or (urlsplit(request.url).hostname or "").lower() != armed[0]:
            return None
        return armed[1]

    async def _route(self, route: Route) -> None:
        """Abort non-http(s) requests (file:, chrome:, ...) and heavy media; pass the rest."""
        request = route.request
        scheme = request.url.split(":", 1)[0].lower()
        with contextlib.suppress(PlaywrightError):
            if scheme not in ("http", "https"):
                await route.abort("blockedbyclient")
            elif request.resource_type in _SKIPPED_RESOURCES:
                await route.abort("aborted")
            elif (extra := self._extra_headers(request)) is not None:
                await route.continue_(headers={**await request.all_headers(), **extra})
            else:
                await route.continue_()
