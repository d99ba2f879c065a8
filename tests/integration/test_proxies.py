"""Proxies: the environment's (NO_PROXY included) and a monitor's or site's own, in both
fetchers, on loopback addresses (all a test here can reach; Chromium would skip the
proxy for them without `<-loopback>`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers.proxy import Proxy
from tests.servers.site import Site
from tui_tracker.config import Settings
from tui_tracker.core.model import Kind, Monitor
from tui_tracker.engine.access import access_for
from tui_tracker.fetchers.base import Access
from tui_tracker.fetchers.browser import BrowserFetcher
from tui_tracker.fetchers.http import HttpFetcher

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy",
              "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    server = Proxy().start()
    yield server
    server.stop()


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site("127.0.0.2").start()
    yield server
    server.stop()


@pytest.fixture
def clean_env(monkeypatch) -> pytest.MonkeyPatch:
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    return monkeypatch


FETCHERS = [HttpFetcher, BrowserFetcher]


@pytest.mark.parametrize("fetcher_class", FETCHERS)
async def test_environment_proxy_is_used_for_loopback(clean_env, proxy, site,
                                                      fetcher_class) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    fetcher = fetcher_class(Settings(deadline=15, browser_wait=0.3))
    try:
        page = await fetcher.fetch(site.url("/product/1"))
    finally:
        await fetcher.aclose()
    assert "Acme Kettle" in page.html
    assert site.url("/product/1") in proxy.seen


@pytest.mark.parametrize("fetcher_class", FETCHERS)
async def test_no_proxy_names_a_host_that_goes_direct(clean_env, proxy, site,
                                                      fetcher_class) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    clean_env.setenv("NO_PROXY", "localhost,127.0.0.2")
    fetcher = fetcher_class(Settings(deadline=15, browser_wait=0.3))
    try:
        page = await fetcher.fetch(site.url("/product/1"))
    finally:
        await fetcher.aclose()
    assert "Acme Kettle" in page.html
    assert proxy.seen == []


@pytest.mark.parametrize("fetcher_class", FETCHERS)
async def test_monitor_proxy_without_environment(clean_env, proxy, site,
                                                 fetcher_class) -> None:
    fetcher = fetcher_class(Settings(deadline=15, browser_wait=0.3))
    try:
        direct = await fetcher.fetch(site.url("/product/2"))
        assert proxy.seen == [] and "Acme" in direct.html
        page = await fetcher.fetch(site.url("/product/1"), access=Access(proxy=proxy.url))
    finally:
        await fetcher.aclose()
    assert "Acme Kettle" in page.html and proxy.seen == [site.url("/product/1")]


def test_site_proxy_setting_and_monitor_override() -> None:
    settings = Settings(site_proxies={"example.edu": "http://p1:3128"})
    m = Monitor(id="", url="https://reg.example.edu/x", kind=Kind.SEATS)
    assert access_for(m.url, settings, None, m).proxy == "http://p1:3128"
    assert access_for("https://example.com/", settings, None).proxy is None
