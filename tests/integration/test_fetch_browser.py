"""BrowserFetcher against real Chromium and the hostile server (HOSTILE-INPUTS section B).

One fetcher (one browser) is shared by the module to keep the run short; each
fault test ends by proving the *next* fetch on that same fetcher still works.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import psutil
import pytest
import pytest_asyncio

from tests.servers.hostile import HostileServer
from tui_tracker.config import Settings
from tui_tracker.core.errors import FetchError
from tui_tracker.fetchers.browser import BrowserFetcher, playwright_selector
from tui_tracker.fetchers.chromium import ENV_VAR, find_chromium, require_chromium
from tui_tracker.fetchers.http import HttpFetcher
from tui_tracker.fetchers.registry import load_fetcher

pytestmark = pytest.mark.asyncio(loop_scope="module")

SETTINGS = Settings(deadline=6.0, max_bytes=1024 * 1024, browser_pages=2, browser_wait=0.5)
LATE_HTML = """<!doctype html><html><body><p>waiting</p><script>
setTimeout(function () {
  var d = document.createElement("div"); d.id = "late"; d.textContent = "Seats Open: 9 of 20";
  document.body.appendChild(d);
}, 1500);
</script></body></html>"""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[BrowserFetcher]:
    fetcher = BrowserFetcher(SETTINGS)
    yield fetcher
    await fetcher.aclose()


def _chromium_processes() -> list[psutil.Process]:
    """Live (non-zombie) Chromium processes descended from this test process."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if "chrom" in proc.name() and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.NoSuchProcess:
            continue
    return found


def _main_browser_processes() -> list[psutil.Process]:
    """The browser process of each Chromium (its helpers all carry a `--type=` flag)."""
    mains = []
    for proc in _chromium_processes():
        try:
            args = proc.cmdline()
        except psutil.NoSuchProcess:
            continue
        if args and "chrom" in Path(args[0]).name and not any(
                a.startswith("--type=") for a in args):
            mains.append(proc)
    return mains


async def _error(fetcher: BrowserFetcher, url: str, **kw: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        await fetcher.fetch(url, **kw)
    return info.value


async def _still_works(fetcher: BrowserFetcher, hostile: HostileServer) -> None:
    page = await fetcher.fetch(hostile.url("/ok"))
    assert "$49.99" in page.html


async def test_script_rendered_page(browser: BrowserFetcher, hostile: HostileServer) -> None:
    page = await browser.fetch(hostile.url("/js"))
    assert page.fetcher == "browser"
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.final_url == hostile.url("/js")
    # Inserted by a timer 300 ms after load: absent from the served HTML.
    assert "Seats Open: 3 of 150" in page.html
    assert "Seats Open: 0 of 150" in page.html
    assert "$42.50" in page.html


async def test_wait_selector_waits_for_content_that_comes_within_the_quiet_period(
        hostile: HostileServer) -> None:
    # The element arrives by a 1.5 s timer with no request in flight: a page quiet for
    # less than browser_wait (2 s here) is still waited for.
    url = hostile.add_page("/late", LATE_HTML)
    fetcher = BrowserFetcher(Settings(deadline=10.0, browser_wait=2.0, browser_pages=1))
    try:
        for selector in ("#late", "//div[@id='late']"):
            page = await fetcher.fetch(url, wait_selector=selector)
            assert '<div id="late">Seats Open: 9 of 20</div>' in page.html, selector
    finally:
        await fetcher.aclose()


@pytest.mark.parametrize("selector", ["#never-there", "p["])
async def test_missing_or_invalid_selector_returns_the_page(
        browser: BrowserFetcher, hostile: HostileServer, selector: str) -> None:
    # Not a fetch failure: the extractor reports "matched nothing" / "invalid selector".
    page = await browser.fetch(hostile.url("/ok"), wait_selector=selector)
    assert "$49.99" in page.html


async def test_pages_and_browser_are_reused(browser: BrowserFetcher,
                                            hostile: HostileServer) -> None:
    await browser.fetch(hostile.url("/ok"))
    launches, pages = browser.launches, browser.pages_created
    for _ in range(10):
        await _still_works(browser, hostile)
    assert browser.launches == launches
    assert browser.pages_created == pages
    assert browser.open_tabs <= SETTINGS.browser_pages


async def test_http_error_status(browser: BrowserFetcher, hostile: HostileServer) -> None:
    err = await _error(browser, hostile.url("/503"))
    assert err.status == 503
    assert err.retry_after == 7
    assert str(err).startswith(f"HTTP 503 from 127.0.0.1:{hostile.port}")


async def test_infinite_loop_times_out_then_next_fetch_works(
        browser: BrowserFetcher, hostile: HostileServer) -> None:
    err = await _error(browser, hostile.url("/loop"))
    assert str(err) == f"no complete response from 127.0.0.1:{hostile.port} within 6 s"
    await _still_works(browser, hostile)


async def test_memory_hog_crashes_only_its_page(browser: BrowserFetcher,
                                                hostile: HostileServer) -> None:
    launches = browser.launches
    err = await _error(browser, hostile.url("/memhog"))
    assert str(err).startswith("page crashed")
    await _still_works(browser, hostile)
    assert browser.launches == launches


async def test_killed_browser_is_relaunched(browser: BrowserFetcher,
                                            hostile: HostileServer) -> None:
    await _still_works(browser, hostile)
    launches = browser.launches
    mains = _main_browser_processes()
    assert len(mains) == 1
    os.kill(mains[0].pid, signal.SIGKILL)
    try:
        await browser.fetch(hostile.url("/ok"))
    except FetchError as err:
        assert "browser" in str(err)  # "the browser stopped while checking ..."
    await _still_works(browser, hostile)
    assert browser.launches == launches + 1
    assert len(_main_browser_processes()) == 1


@pytest.mark.parametrize(("path", "message"), [
    ("/download", "the address is a file download, not a page"),
    ("/pdf", "not a text/HTML page (application/pdf)"),
    ("/binary", "not a text/HTML page (application/octet-stream)"),
    ("/redirect-file", "redirected to an unsupported address"),
])
async def test_non_pages_refused(browser: BrowserFetcher, hostile: HostileServer,
                                 path: str, message: str) -> None:
    err = await _error(browser, hostile.url(path))
    assert str(err).startswith(message)
    await _still_works(browser, hostile)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "chrome://version",
                                 "view-source:file:///etc/passwd", "data:text/html,<p>x</p>"])
async def test_non_http_urls_refused_before_goto(browser: BrowserFetcher, url: str) -> None:
    checks = browser.checks
    err = await _error(browser, url)
    assert "http://" in str(err)
    assert browser.checks == checks  # never reached the browser


async def test_page_navigating_itself_to_file_is_blocked(browser: BrowserFetcher,
                                                         hostile: HostileServer) -> None:
    page = await browser.fetch(hostile.url("/nav-file"))
    assert page.final_url == hostile.url("/nav-file")
    assert "root:x:0:0" not in page.html


async def test_redirect_to_other_server_records_final_url(browser: BrowserFetcher,
                                                          hostile: HostileServer) -> None:
    assert hostile.other is not None
    page = await browser.fetch(hostile.url("/redirect-other-port"))
    assert page.url == hostile.url("/redirect-other-port")
    assert page.final_url == hostile.other.url("/ok")


async def test_popups_are_closed(browser: BrowserFetcher, hostile: HostileServer) -> None:
    page = await browser.fetch(hostile.url("/popup"))
    assert "$7.00" in page.html
    assert hostile.hits.get("/ok", 0) > 0
    assert browser.open_tabs <= SETTINGS.browser_pages


async def test_dialogs_do_not_hang(browser: BrowserFetcher, hostile: HostileServer) -> None:
    page = await browser.fetch(hostile.url("/alert"))
    assert "$5.00" in page.html
    await _still_works(browser, hostile)  # onbeforeunload does not block leaving it


async def test_connection_refused(browser: BrowserFetcher, free_port: int) -> None:
    err = await _error(browser, f"http://127.0.0.1:{free_port}/")
    assert str(err) == f"connection refused by 127.0.0.1:{free_port}"


async def test_missing_executable_is_clear_and_http_still_works(
        hostile: HostileServer) -> None:
    settings = Settings(deadline=3.0, chromium="/nonexistent/chromium")
    fetcher = BrowserFetcher(settings)
    err = await _error(fetcher, hostile.url("/ok"))
    assert str(err).startswith("Chromium not found at /nonexistent/chromium")
    assert "apt-get install chromium-headless-shell" in str(err)
    await fetcher.aclose()
    http = HttpFetcher(settings)
    try:
        assert "$49.99" in (await http.fetch(hostile.url("/ok"))).html
    finally:
        await http.aclose()


async def test_executable_that_fails_to_start(hostile: HostileServer) -> None:
    fetcher = BrowserFetcher(Settings(deadline=3.0, chromium="/bin/false"))
    err = await _error(fetcher, hostile.url("/ok"))
    assert str(err).startswith("Chromium at /bin/false could not be started")
    await fetcher.aclose()
    assert fetcher.launches == 0


async def test_recycle_relaunches_and_aclose_leaves_no_chromium(
        browser: BrowserFetcher, hostile: HostileServer) -> None:
    before = {p.pid for p in _chromium_processes()}  # the module's shared browser
    fetcher = BrowserFetcher(Settings(deadline=6.0, browser_recycle=3, browser_pages=1,
                                      browser_wait=0.2))
    try:
        for _ in range(7):
            await _still_works(fetcher, hostile)
        assert fetcher.launches == 3  # checks 1-3, 4-6, 7
        new_mains = [p for p in _main_browser_processes() if p.pid not in before]
        assert len(new_mains) == 1  # recycled browsers were closed, not left behind
    finally:
        await fetcher.aclose()
    assert {p.pid for p in _chromium_processes()} <= before
    # aclose is idempotent and a later fetch launches again.
    await fetcher.aclose()


async def test_selector_translation() -> None:
    assert playwright_selector("//td[@class='open']") == "xpath=//td[@class='open']"
    assert playwright_selector("xpath: //p") == "xpath=//p"
    assert playwright_selector(".price::text") == ".price"
    assert playwright_selector("a::attr(href)") == "a"
    assert playwright_selector("#x") == "#x"


async def test_find_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))  # no bundled browser
    found = find_chromium(Settings())
    assert found is not None and os.access(found, os.X_OK)
    assert Path(found).name == "chromium-headless-shell"  # preferred over full chromium
    assert find_chromium(Settings(chromium="chromium-headless-shell")) == shutil.which(
        "chromium-headless-shell")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nope"))
    with pytest.raises(FetchError, match=r"Chromium not found at .*nope"):
        require_chromium(Settings())
    # A browser in Playwright's own cache wins over the system one.
    bundled = tmp_path / "chromium_headless_shell-1200" / "chrome-headless-shell-linux64"
    bundled.mkdir(parents=True)
    exe = bundled / "chrome-headless-shell"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    monkeypatch.delenv(ENV_VAR)
    assert find_chromium(Settings()) == str(exe)


async def test_registry_loads_browser() -> None:
    assert load_fetcher("browser") is BrowserFetcher


async def test_ready_predicate_waits_for_script_built_values(browser, hostile) -> None:
    hostile.add_page("/late-ready", LATE_HTML)
    looks: list[str] = []

    async def ready(html: str, data: object) -> bool:
        looks.append(html)
        return '<div id="late">' in html

    # The predicate keeps the page open past network idle until the value is there
    # (up to browser_wait, widened here to outlast the 1.5 s timer).
    slow = BrowserFetcher(Settings(deadline=5.0, browser_wait=3.0, browser_pages=1))
    try:
        page = await slow.fetch(hostile.url("/late-ready"), ready=ready)
    finally:
        await slow.aclose()
    assert '<div id="late">Seats Open: 9 of 20</div>' in page.html
    assert len(looks) > 1 and '<div id="late">' not in looks[0]


async def test_ready_predicate_that_never_holds_still_returns_the_page(browser, hostile) -> None:
    async def never(html: str, data: object) -> bool:
        return False

    page = await browser.fetch(hostile.url("/ok"), ready=never)
    assert "$49.99" in page.html  # returned after browser_wait, not an error


async def test_recycling_does_not_grow_the_in_flight_map(hostile: HostileServer) -> None:
    """Issue 10.12: the per-page request map kept every recycled browser's pages."""
    fetcher = BrowserFetcher(Settings(deadline=10.0, browser_pages=1, browser_recycle=2,
                                      browser_wait=0.2))
    try:
        for _ in range(6):
            page = await fetcher.fetch(hostile.url("/ok"))
            assert page.status == 200
        assert fetcher.launches >= 3
        assert len(fetcher._in_flight) <= 1
    finally:
        await fetcher.aclose()
    assert fetcher._in_flight == {}


async def test_auto_falls_back_to_http_on_a_typed_browser_error(hostile: HostileServer) -> None:
    """Issue 10.12: the fallback keyed on the word "Chromium" in a message; now on the type."""
    from tui_tracker.core.errors import BrowserUnavailable
    from tui_tracker.core.model import FetchMode
    from tui_tracker.engine.probe import FetcherPool, probe

    pool = FetcherPool(Settings(chromium="/nonexistent/chromium", deadline=5.0))
    try:
        with pytest.raises(BrowserUnavailable):
            await pool.get("browser").fetch(hostile.url("/ok"))
        result = await probe(pool, hostile.url("/ok"), fetch=FetchMode.AUTO,
                             preferred=FetchMode.BROWSER)
    finally:
        await pool.aclose()
    assert result.fetcher == "http" and result.final_url == hostile.url("/ok")
