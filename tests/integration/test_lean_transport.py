"""The HTTP fetcher's own HTTP/1.1 transport (fetchers/transport.py) on the wire.

A raw asyncio server on 127.0.0.1 answers with what real servers do and the hostile
server (one request per connection) does not: kept-alive connections, headers and body
in separate writes, chunked bodies with trailers, interim 100 answers, a kept-alive
connection closed between requests, and TLS with a certificate the user trusts.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from tests.servers.hostile import self_signed_tls
from tui_tracker.config import Settings
from tui_tracker.core.errors import FetchError
from tui_tracker.fetchers.http import HttpFetcher

PAGE = b"<html><head><title>Kettle</title></head><body><p>$49.99</p></body></html>"
Responder = Callable[[asyncio.StreamWriter, int], Awaitable[bool]]
"""Writes one response for the n-th request on a connection; False closes it after."""


class KeepAliveServer:
    """Serves requests on kept-alive connections; counts connections and requests."""

    def __init__(self, respond: Responder, tls: ssl.SSLContext | None = None) -> None:
        self.respond = respond
        self.tls = tls
        self.connections = 0
        self.requests = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> KeepAliveServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    def url(self, path: str = "/page") -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        n = 0
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                await reader.readuntil(b"\r\n\r\n")
                self.requests += 1
                n += 1
                if not await self.respond(writer, n):
                    break
        with contextlib.suppress(Exception):
            writer.close()


async def split_writes(w: asyncio.StreamWriter, n: int) -> bool:
    """Headers and body in two writes: the delayed-ACK case on a reused connection."""
    w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
            % len(PAGE))
    await w.drain()
    await asyncio.sleep(0)
    w.write(PAGE)
    await w.drain()
    return True


@pytest.fixture
async def fetcher() -> AsyncIterator[HttpFetcher]:
    f = HttpFetcher(Settings(deadline=5.0))
    yield f
    await f.aclose()


async def test_kept_alive_connection_is_reused(fetcher: HttpFetcher) -> None:
    async with KeepAliveServer(split_writes) as server:
        for i in range(5):
            page = await fetcher.fetch(server.url(f"/page?i={i}"))
            assert "$49.99" in page.html
    assert server.requests == 5
    assert server.connections == 1


async def test_chunked_body_with_trailer_after_an_interim_answer(fetcher: HttpFetcher) -> None:
    async def chunked(w: asyncio.StreamWriter, n: int) -> bool:
        w.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n")
        for part in (PAGE[:20], PAGE[20:]):
            w.write(b"%x;ext=1\r\n%s\r\n" % (len(part), part))
        w.write(b"0\r\nX-Trailer: yes\r\n\r\n")
        await w.drain()
        return True

    async with KeepAliveServer(chunked) as server:
        first = await fetcher.fetch(server.url())
        second = await fetcher.fetch(server.url())
    assert first.html == PAGE.decode() == second.html
    assert server.connections == 1  # the chunked body was read to its end and reused


async def test_connection_closed_between_requests_is_retried_once(fetcher: HttpFetcher) -> None:
    async def one_then_close(w: asyncio.StreamWriter, n: int) -> bool:
        await split_writes(w, n)
        return False  # closes without saying so (no Connection: close)

    async with KeepAliveServer(one_then_close) as server:
        for _ in range(3):
            assert "$49.99" in (await fetcher.fetch(server.url())).html
    assert server.requests == 3 and server.connections == 3


async def test_conflicting_content_lengths_are_an_invalid_response(
        fetcher: HttpFetcher) -> None:
    async def conflicting(w: asyncio.StreamWriter, n: int) -> bool:
        w.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10\r\n"
                b"Content-Length: 12\r\n\r\n0123456789ab")
        await w.drain()
        return True

    async with KeepAliveServer(conflicting) as server:
        with pytest.raises(FetchError) as info:
            await fetcher.fetch(server.url())
    assert str(info.value).startswith("server sent an invalid response")


async def test_a_certificate_the_user_trusts_is_accepted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tls = self_signed_tls(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))
    f = HttpFetcher(Settings(deadline=5.0))
    try:
        async with KeepAliveServer(split_writes, tls=tls) as server:
            for _ in range(2):
                assert "$49.99" in (await f.fetch(server.url())).html
        assert server.connections == 1
    finally:
        await f.aclose()
