"""HttpFetcher against the hostile raw server on 127.0.0.1 (HOSTILE-INPUTS section A)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.servers.hostile import HostileServer, self_signed_tls
from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie
from tui_tracker.core.errors import FetchError
from tui_tracker.fetchers.base import Access
from tui_tracker.fetchers.http import HttpFetcher, decode_body, translate
from tui_tracker.fetchers.registry import FETCHERS, load_fetcher
from tui_tracker.fetchers.responses import parse_retry_after, size_label

SMALL = Settings(deadline=2.0, max_bytes=1024 * 1024)


@pytest.fixture
async def fetcher() -> AsyncIterator[HttpFetcher]:
    f = HttpFetcher(SMALL)
    yield f
    await f.aclose()


async def _error(fetcher: HttpFetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as info:
        await fetcher.fetch(url)
    return info.value


async def test_ok_page(fetcher: HttpFetcher, hostile: HostileServer) -> None:
    page = await fetcher.fetch(hostile.url("/ok"))
    assert page.status == 200
    assert page.fetcher == "http"
    assert page.content_type == "text/html"
    assert page.url == page.final_url == hostile.url("/ok")
    assert '<p class="price">$49.99</p>' in page.html


async def test_sends_user_agent_and_only_decodable_encodings(
        fetcher: HttpFetcher, hostile: HostileServer) -> None:
    page = await fetcher.fetch(hostile.url("/echo-headers"))
    assert f"user-agent: {SMALL.user_agent}" in page.html
    assert "accept-encoding: gzip, deflate\n" in page.html + "\n"
    assert page.content_type == "text/plain"


@pytest.mark.parametrize("path", ["/gzip-ok", "/deflate-ok"])
async def test_compressed_pages_are_inflated(
        fetcher: HttpFetcher, hostile: HostileServer, path: str) -> None:
    page = await fetcher.fetch(hostile.url(path))
    assert "$49.99" in page.html


@pytest.mark.parametrize(("path", "status"), [("/404", 404), ("/500", 500)])
async def test_error_status(fetcher: HttpFetcher, hostile: HostileServer,
                            path: str, status: int) -> None:
    err = await _error(fetcher, hostile.url(path))
    assert err.status == status
    assert str(err) == f"HTTP {status} from 127.0.0.1:{hostile.port}"
    assert err.retry_after is None


async def test_503_retry_after_seconds(fetcher: HttpFetcher, hostile: HostileServer) -> None:
    err = await _error(fetcher, hostile.url("/503"))
    assert err.status == 503
    assert err.retry_after == 7
    assert str(err).startswith(f"HTTP 503 from 127.0.0.1:{hostile.port}")


async def test_429_retry_after_http_date(fetcher: HttpFetcher, hostile: HostileServer) -> None:
    err = await _error(fetcher, hostile.url("/429"))
    assert err.status == 429
    assert err.retry_after is not None
    assert 100 <= err.retry_after <= 121


async def test_connection_refused(fetcher: HttpFetcher, free_port: int) -> None:
    err = await _error(fetcher, f"http://127.0.0.1:{free_port}/")
    assert str(err) == f"connection refused by 127.0.0.1:{free_port}"


@pytest.mark.parametrize("path", ["/hang", "/slowloris", "/slowheaders"])
async def test_whole_response_deadline(fetcher: HttpFetcher, hostile: HostileServer,
                                       path: str) -> None:
    # /slowloris and /slowheaders trickle a byte every 0.2 s, so httpx's own read
    # timeout never fires; only the outer deadline can end them.
    err = await _error(fetcher, hostile.url(path))
    assert str(err) == f"no complete response from 127.0.0.1:{hostile.port} within 2 s"


@pytest.mark.parametrize("path", ["/big", "/big-nolength"])
async def test_body_cap(fetcher: HttpFetcher, hostile: HostileServer, path: str) -> None:
    err = await _error(fetcher, hostile.url(path))
    assert str(err).startswith("page larger than 1 MB")


async def test_gzip_bomb_is_capped_on_decoded_bytes(hostile: HostileServer) -> None:
    # Measured in a child process so other tests' allocations cannot blur the RSS figure.
    url = hostile.url("/gzbomb")
    code = (
        "import asyncio, psutil\n"
        "from tui_tracker.config import Settings\n"
        "from tui_tracker.core.errors import FetchError\n"
        "from tui_tracker.fetchers.http import HttpFetcher\n"
        "async def main():\n"
        "    f = HttpFetcher(Settings(deadline=10, max_bytes=1024 * 1024))\n"
        "    await f.fetch(URL.replace('gzbomb', 'ok'))\n"
        "    before = psutil.Process().memory_info().rss\n"
        "    try:\n"
        "        await f.fetch(URL)\n"
        "    except FetchError as e:\n"
        "        print(e)\n"
        "    print((psutil.Process().memory_info().rss - before) // 2**20)\n"
        "    await f.aclose()\n"
        "asyncio.run(main())\n"
    ).replace("URL", repr(url))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2], timeout=60).stdout
    message, grown_mb = out.strip().splitlines()
    assert message.startswith("page larger than 1 MB")
    # 200 MB decoded if inflated whole; httpx's aiter_bytes() still grew 128 MB.
    assert int(grown_mb) < 20


async def test_corrupt_and_unsupported_encodings(fetcher: HttpFetcher,
                                                 hostile: HostileServer) -> None:
    err = await _error(fetcher, hostile.url("/gzbad"))
    assert "corrupt compressed body" in str(err)
    err = await _error(fetcher, hostile.url("/brotli"))
    assert str(err) == "server sent an unsupported content encoding (br)"


async def test_redirect_loop(fetcher: HttpFetcher, hostile: HostileServer) -> None:
    err = await _error(fetcher, hostile.url("/redirect-loop"))
    assert str(err).startswith("too many redirects from 127.0.0.1")
    # max_redirects=10: the first request plus ten hops, then stop.
    assert hostile.hits["/redirect-loop"] >= 11


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x",
                                    "javascript:alert(1)", "http://h:99999/"])
async def test_redirect_to_unsupported_address(fetcher: HttpFetcher, hostile: HostileServer,
                                               target: str) -> None:
    url = hostile.url("/redirect-file") if target.startswith("file") else \
        str(httpx.URL(hostile.url("/redirect"), params={"to": target}))
    err = await _error(fetcher, url)
    assert str(err).startswith("redirected to an unsupported address")


async def test_redirect_to_other_server_records_final_url(
        fetcher: HttpFetcher, hostile: HostileServer) -> None:
    assert hostile.other is not None
    page = await fetcher.fetch(hostile.url("/redirect-other-port"))
    assert page.url == hostile.url("/redirect-other-port")
    assert page.final_url == hostile.other.url("/ok")
    assert "$49.99" in page.html


async def test_cookie_set_on_a_redirect_is_sent_to_its_target(
        fetcher: HttpFetcher, hostile: HostileServer) -> None:
    """The shared client keeps a Set-Cookie (here on a 302) for the next request."""
    page = await fetcher.fetch(hostile.url("/cookie-gate"))
    assert page.final_url == hostile.url("/cookie-gate?in=1")
    assert "$49.99" in page.html
    echoed = await fetcher.fetch(hostile.url("/echo-headers"))
    assert "cookie: gate=open" in echoed.html


async def test_monitor_headers_and_cookies_are_sent(hostile: HostileServer) -> None:
    f = HttpFetcher(SMALL)
    access = Access(cookies=(Cookie("sid", "abc", "127.0.0.1", host_only=True),),
                    headers=(("X-Token", "t1"), ("Accept-Language", "fr")))
    try:
        page = await f.fetch(hostile.url("/echo-headers"), access=access)
        plain = await f.fetch(hostile.url("/echo-headers"))
    finally:
        await f.aclose()
    assert "cookie: sid=abc" in page.html
    assert "x-token: t1" in page.html
    assert "accept-language: fr\n" in page.html + "\n"  # the monitor's own wins
    assert f"user-agent: {SMALL.user_agent}" in page.html
    assert "cookie:" not in plain.html and "x-token" not in plain.html


async def test_monitor_headers_do_not_follow_a_redirect_to_another_host(
        hostile: HostileServer) -> None:
    f = HttpFetcher(SMALL)
    access = Access(headers=(("X-Token", "t1"),))
    try:
        with HostileServer("127.0.0.2") as elsewhere:
            away = str(httpx.URL(hostile.url("/redirect"),
                                 params={"to": elsewhere.url("/echo-headers")}))
            page = await f.fetch(away, access=access)
            assert page.final_url == elsewhere.url("/echo-headers")
            assert "x-token" not in page.html
        home = str(httpx.URL(hostile.url("/redirect"), params={"to": "/echo-headers"}))
        page = await f.fetch(home, access=access)
        assert page.final_url == hostile.url("/echo-headers")
        assert "x-token: t1" in page.html
    finally:
        await f.aclose()


async def test_block_private_refuses_redirect_hops(hostile: HostileServer) -> None:
    f = HttpFetcher(Settings(deadline=2.0, max_bytes=1024 * 1024, block_private=True))
    try:
        # The address typed by the user is allowed; only where redirects lead is checked.
        assert (await f.fetch(hostile.url("/ok"))).status == 200
        with pytest.raises(FetchError, match="redirected to a private address"):
            await f.fetch(hostile.url("/redirect-other-port"))
    finally:
        await f.aclose()


@pytest.mark.parametrize("path", ["/garbage", "/drop"])
async def test_invalid_response(fetcher: HttpFetcher, hostile: HostileServer, path: str) -> None:
    err = await _error(fetcher, hostile.url(path))
    assert str(err).startswith("server sent an invalid response")


async def test_invalid_utf8_is_replaced(fetcher: HttpFetcher, hostile: HostileServer) -> None:
    page = await fetcher.fetch(hostile.url("/badutf8"))
    assert "9,99 €" in page.html
    assert "Caf\ufffd" in page.html


async def test_unknown_charset_falls_back_to_utf8(fetcher: HttpFetcher,
                                                  hostile: HostileServer) -> None:
    page = await fetcher.fetch(hostile.url("/bogus-charset"))
    assert "9,99 €" in page.html


async def test_meta_charset_is_honoured(fetcher: HttpFetcher, hostile: HostileServer) -> None:
    page = await fetcher.fetch(hostile.url("/meta-latin1"))
    assert "9,99 €" in page.html


@pytest.mark.parametrize(("path", "detail"), [
    ("/binary", "application/octet-stream"), ("/pdf", "application/pdf"),
    ("/nul", "binary data"),
])
async def test_binary_bodies_refused(fetcher: HttpFetcher, hostile: HostileServer,
                                     path: str, detail: str) -> None:
    err = await _error(fetcher, hostile.url(path))
    assert str(err) == f"not a text/HTML page ({detail})"


async def test_download_refused(fetcher: HttpFetcher, hostile: HostileServer) -> None:
    err = await _error(fetcher, hostile.url("/download"))
    assert str(err).startswith("the address is a file download, not a page")


async def test_markup_is_returned_verbatim(fetcher: HttpFetcher, hostile: HostileServer) -> None:
    # Cleaning is the extractors' job; the fetcher must not lose or alter bytes.
    page = await fetcher.fetch(hostile.url("/markup"))
    assert "[bold red]X[/]" in page.html
    assert "\x1b]52;c;" in page.html


async def test_non_html_text_reports_its_media_type(fetcher: HttpFetcher,
                                                    hostile: HostileServer) -> None:
    page = await fetcher.fetch(hostile.url("/plain"))
    assert page.content_type == "text/plain"


@pytest.mark.parametrize(("url", "phrase"), [
    ("http://h:99999/", "malformed"),
    ("http://[::1", "malformed"),
    ("file:///etc/passwd", "Only http:// and https://"),
    ("javascript:alert(1)", "http://"),
    ("http://nonexistent.invalid/", "host not found (nonexistent.invalid)"),
])
async def test_bad_urls_become_fetch_errors(fetcher: HttpFetcher, url: str, phrase: str) -> None:
    err = await _error(fetcher, url)
    assert phrase in str(err)


def test_catch_all_translates_foreign_exceptions() -> None:
    group = ExceptionGroup("connect", [OverflowError("port must be 0-65535")])
    err = translate(group, "http://h:99999/", 2.0)
    assert isinstance(err, FetchError)
    assert str(err).startswith("could not fetch from h")
    assert "\n" not in str(err)
    err = translate(httpx.InvalidURL("Invalid port"), "http://x/", 2.0)
    assert str(err) == "could not fetch from x (InvalidURL: Invalid port)"


async def test_untrusted_certificate(fetcher: HttpFetcher, tmp_path: Path) -> None:
    with HostileServer("127.0.0.1", tls=self_signed_tls(tmp_path)) as server:
        err = await _error(fetcher, server.url("/ok"))
    assert str(err) == f"certificate not trusted for 127.0.0.1:{server.port}"


async def test_client_is_shared_and_reopened_after_aclose(hostile: HostileServer) -> None:
    f = HttpFetcher(SMALL)
    await f.fetch(hostile.url("/ok"))
    first = f._client
    await f.fetch(hostile.url("/ok"))
    assert f._client is first
    await f.aclose()
    assert first is not None and first.is_closed
    assert (await f.fetch(hostile.url("/ok"))).status == 200
    await f.aclose()


def test_helpers() -> None:
    assert size_label(10 * 1024 * 1024) == "10 MB"
    assert size_label(1536) == "1.5 KB"
    assert parse_retry_after("7") == 7
    assert parse_retry_after("-5") == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert decode_body(b"\xef\xbb\xbfcaf\xc3\xa9", "text/html; charset=latin-1") == "café"
    assert decode_body(b"<p>\x80</p>", "text/html; charset=iso-8859-1") == "<p>€</p>"


def test_registry_imports_http_without_playwright() -> None:
    code = ("import sys; from tui_tracker.fetchers.registry import load_fetcher; "
            "cls = load_fetcher('http'); print(cls.__name__, 'playwright' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2]).stdout
    assert out.split() == ["HttpFetcher", "False"]


def test_direct_client_needs_no_httpcore(tmp_path: Path) -> None:
    """With no proxy in the environment the lean transport is the client's only one, so
    httpx builds no transport of its own and httpcore is never imported (~20 ms of a
    `check`); with one, httpx's proxy transports are mounted as before."""
    code = ("import sys; from tui_tracker.config import Settings; "
            "from tui_tracker.fetchers.http import HttpFetcher; "
            "from tui_tracker.fetchers.transport import LeanTransport; "
            "c = HttpFetcher(Settings())._make_client(); "
            "print(isinstance(c._transport, LeanTransport), len(c._mounts), "
            "'httpcore' in sys.modules)")
    clean = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    for env, expected in ((clean, ["True", "0", "False"]),
                          ({**clean, "NO_PROXY": "example.com"}, ["True", "0", "False"]),
                          ({**clean, "HTTPS_PROXY": "http://127.0.0.1:9"},
                           ["True", "1", "True"])):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, cwd=Path(__file__).parents[2], env=env).stdout
        assert out.split() == expected, (env, out)


def test_registry_unknown_name_lists_known() -> None:
    from tui_tracker.core.errors import InputError

    with pytest.raises(InputError) as info:
        load_fetcher("curl")
    for name in FETCHERS:
        assert name in str(info.value)
    assert load_fetcher("http") is HttpFetcher
