"""The browser's wait rule (DESIGN "Extraction"), through the real probe and Chromium.

A check ends as soon as the values are read with no request pending; it waits while
requests are in flight or the DOM keeps changing; a page quiet for `browser_wait`
ends it with what is there; the JSON the page fetched is recorded for the extractor.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.servers.hostile import HostileServer, Request, send
from tui_tracker.config import Settings
from tui_tracker.core.model import FetchMode, Kind
from tui_tracker.engine.probe import FetcherPool, probe
from tui_tracker.fetchers.browser import BrowserFetcher

API_PAGE = """<!doctype html><html><head><title>Shop</title></head><body>
<div id="app">Loading…</div><script>
fetch("/wait/api.json").then(r => r.json()).then(d => {
  document.getElementById("app").innerHTML =
    "<h1>" + d.name + "</h1><span class='price'>$" + d.price + "</span>";
});
</script></body></html>"""
API_BODY = '{"name": "Slow Mug", "price": "12.50"}'


def _slow_json(seconds: float, body: str):
    async def handler(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
        await asyncio.sleep(seconds)
        await send(w, 200, body, {"Content-Type": "application/json"})
    return handler


@pytest.fixture
def api_site(hostile: HostileServer) -> HostileServer:
    hostile.add_page("/wait/page", API_PAGE)
    hostile.routes["/wait/api.json"] = _slow_json(2.0, API_BODY)
    return hostile


async def test_waits_for_an_api_that_answers_after_two_seconds(api_site: HostileServer) -> None:
    # Quiet would end the wait after 1 s, but the API request is in flight until 2 s.
    pool = FetcherPool(Settings(deadline=20.0, browser_wait=1.0))
    try:
        result = await probe(pool, api_site.url("/wait/page"), kind=Kind.PRICE)
    finally:
        await pool.aclose()
    assert result.ok, result.error
    assert result.fetcher == "browser"
    assert result.readings[0].value == 12.5


async def test_json_the_page_fetched_is_recorded(api_site: HostileServer) -> None:
    fetcher = BrowserFetcher(Settings(deadline=20.0, browser_wait=1.0))
    try:
        page = await fetcher.fetch(api_site.url("/wait/page"))
    finally:
        await fetcher.aclose()
    assert page.data == ((api_site.url("/wait/api.json"), API_BODY),)
    assert "Slow Mug" in page.html


async def test_selector_on_a_static_page_is_answered_without_a_browser(
        hostile: HostileServer) -> None:
    # The page's only script is a JSON-LD block: data, not code to run.
    url = hostile.add_page("/wait/static", """<html><head><script type="application/ld+json">
        {"@type": "Product", "name": "Kettle", "offers": {"price": "49.99",
         "priceCurrency": "USD"}}</script></head><body><h1>Kettle</h1></body></html>""")
    pool = FetcherPool(Settings(deadline=20.0))
    try:
        result = await probe(pool, url, kind=Kind.PRICE, selector=".nope")
        assert "browser" not in pool._fetchers, "a static page was sent to the browser"
    finally:
        await pool.aclose()
    assert not result.ok
    assert result.fetcher is None or result.fetcher == "http"
    assert "matched nothing" in str(result.error)


async def test_selector_that_never_appears_fails_once_the_page_is_quiet(
        hostile: HostileServer) -> None:
    url = hostile.add_page("/wait/js", "<html><body><p id='x'></p><script>"
                           "document.getElementById('x').textContent = 'hello';"
                           "</script></body></html>")
    pool = FetcherPool(Settings(deadline=60.0, browser_wait=0.5))
    try:
        # Bounded well inside the 60 s deadline: the quiet page ends the wait.
        async with asyncio.timeout(30):
            result = await probe(pool, url, kind=Kind.PRICE, selector=".nope",
                                 fetch=FetchMode.BROWSER)
    finally:
        await pool.aclose()
    assert not result.ok
    assert "matched nothing" in str(result.error)


async def test_selector_waits_for_its_content_not_its_empty_element(
        hostile: HostileServer) -> None:
    hostile.add_page("/wait/empty", """<html><body><h1>Lamp</h1>
        <span class="price"></span><script>
        fetch("/wait/lamp.json").then(r => r.json()).then(d => {
          document.querySelector(".price").textContent = "€" + d.price; });
        </script></body></html>""")
    hostile.routes["/wait/lamp.json"] = _slow_json(1.0, '{"price": "31,90"}')
    pool = FetcherPool(Settings(deadline=20.0, browser_wait=0.5))
    try:
        result = await probe(pool, hostile.url("/wait/empty"), kind=Kind.PRICE,
                             selector=".price")
    finally:
        await pool.aclose()
    assert result.ok, result.error
    assert result.readings[0].value == 31.9
    assert result.readings[0].unit == "EUR"
