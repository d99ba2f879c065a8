"""A lean HTTP/1.1 transport for the HTTP fetcher's httpx client (direct connections).

Measured on the 2-core VM against the demo site: a page fetched through httpx's
default transport (httpcore's connection pool over AnyIO, h11 for the protocol) cost
~1.2 ms of CPU, of which the client above it (request building, cookies, hooks, our
own fetcher) took ~0.2 ms; a plain asyncio request of the same page took ~0.2 ms. The
pool's bookkeeping, AnyIO's cancel scopes around every read and write, and h11's
event machinery were most of a static check's cost. This transport speaks HTTP/1.1
over asyncio streams directly, keeps idle connections per origin, and hands httpx a
streamed `Response`, so everything above it (httpx's API, redirects followed and
validated by hand, capped inflation, the one deadline around the exchange) is
unchanged.

It handles only what a page check sends: GET (or any method with a small body) to an
http(s) origin, no proxy (requests through a proxy keep httpx's own transports, which
`HttpFetcher` mounts as before). Framing follows RFC 9112: 1xx answers skipped,
no body for HEAD/204/304, `Transfer-Encoding: chunked`, `Content-Length` (conflicting
values refused), else the body runs to the connection's close. Failures surface as the
httpx exceptions `fetchers.http.translate` already words (ConnectError with the
OSError as its cause, RemoteProtocolError, ReadError, ConnectTimeout). A kept-alive
connection that the server closed just as it was reused is retried once on a new one
(a GET is safe to repeat); TCP_QUICKACK avoids the delayed-ACK stall (netbackend.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import ssl
from collections.abc import AsyncIterator
from typing import Any

import certifi
import httpx

QUICKACK = getattr(socket, "TCP_QUICKACK", None)
"""Linux-only socket option; None elsewhere (the delayed-ACK fix is then skipped)."""
MAX_HEAD = 64 * 1024
"""A response head (status line and headers) larger than this is refused."""
MAX_IDLE_PER_ORIGIN = 16
"""Idle connections kept per origin (the engine's global limit is 16 checks at once)."""
_READ = 64 * 1024
_STATUS = re.compile(rb"HTTP/1\.([01]) (\d{3})(?: (.*))?")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,15})[ \t]*(?:;.*)?")


class _Conn:
    __slots__ = ("broken", "reader", "sock", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.sock = writer.get_extra_info("socket")
        self.broken = False
        self.quickack()

    def quickack(self) -> None:
        if QUICKACK is not None and self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)

    def idle_ok(self) -> bool:
        """Still usable: nothing unread, not closed by the server meanwhile."""
        return (not self.broken and not self.reader.at_eof() and not self.writer.is_closing()
                and not self.reader._buffer)  # type: ignore[attr-defined]  # no public peek

    def close(self) -> None:
        self.broken = True
        with contextlib.suppress(Exception):
            self.writer.close()


class _Disconnected(Exception):
    """The server closed a kept-alive connection before answering (retry on a new one)."""


class LeanTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio streams with per-origin keep-alive (see the module docstring)."""

    def __init__(self, ssl_context: ssl.SSLContext, connect_timeout: float,
                 max_idle: int = MAX_IDLE_PER_ORIGIN) -> None:
        self._ssl = ssl_context
        self._max_idle = max(1, max_idle)
        self._connect_timeout = connect_timeout
        self._idle: dict[tuple[str, str, int], list[_Conn]] = {}
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported scheme {scheme!r}")
        host = url.host
        port = url.port or (443 if scheme == "https" else 80)
        key = (scheme, host, port)
        head = await _request_head(request)
        for attempt in (0, 1):
            conn, reused = self._take(key)
            if conn is None:
                conn = await self._connect(scheme, host, port)
            try:
                return await self._exchange(conn, key, request, head)
            except _Disconnected:
                conn.close()
                if not reused or attempt:
                    raise httpx.RemoteProtocolError(
                        "Server disconnected without sending a response.") from None
            except BaseException:
                conn.close()
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()

    # ------------------------------------------------------------------ connections
    def _take(self, key: tuple[str, str, int]) -> tuple[_Conn | None, bool]:
        conns = self._idle.get(key)
        while conns:
            conn = conns.pop()
            if conn.idle_ok():
                return conn, True
            conn.close()
        return None, False

    def _give_back(self, key: tuple[str, str, int], conn: _Conn) -> None:
        conns = self._idle.setdefault(key, [])
        if self._closed or len(conns) >= self._max_idle or not conn.idle_ok():
            conn.close()
        else:
            conns.append(conn)

    async def _connect(self, scheme: str, host: str, port: int) -> _Conn:
        tls = self._ssl if scheme == "https" else None
        try:
            async with asyncio.timeout(self._connect_timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None, limit=MAX_HEAD)
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"could not connect to {host}:{port}") from exc
        except (OSError, ssl.SSLError) as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__) from exc
        return _Conn(reader, writer)

    # --------------------------------------------------------------------- exchange
    async def _exchange(self, conn: _Conn, key: tuple[str, str, int], request: httpx.Request,
                        head: bytes) -> httpx.Response:
        try:
            conn.writer.write(head)
            await conn.writer.drain()
        except (ConnectionError, OSError) as exc:
            raise _Disconnected from exc
        first = True
        while True:
            status, version, reason, headers = await _read_head(conn, first)
            first = False
            if 100 <= status < 200 and status != 101:
                continue  # an interim answer (100 Continue, 103 Early Hints)
            break
        framing, length = _framing(request.method, status, headers)
        keep = _keep_alive(version, headers) and framing != "close"
        stream = _Body(self, conn, key, framing, length, keep)
        return httpx.Response(status, headers=headers, stream=stream,
                              extensions={"http_version": b"HTTP/1." + version,
                                          "reason_phrase": reason})


async def _request_head(request: httpx.Request) -> bytes:
    body = await request.aread()
    target = request.url.raw_path or b"/"
    lines = [request.method.encode("ascii") + b" " + target + b" HTTP/1.1"]
    lines += [name + b": " + value for name, value in request.headers.raw]
    if body and "content-length" not in request.headers:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


async def _read_head(conn: _Conn, first: bool
                     ) -> tuple[int, bytes, bytes, list[tuple[bytes, bytes]]]:
    try:
        raw = await conn.reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if first and not exc.partial:
            raise _Disconnected from None
        raise httpx.RemoteProtocolError("the response ended inside its headers") from None
    except asyncio.LimitOverrunError:
        raise httpx.RemoteProtocolError("the response headers are too large") from None
    except (ConnectionError, OSError) as exc:
        if first:
            raise _Disconnected from exc
        raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
    conn.quickack()
    lines = raw[:-4].split(b"\r\n")
    match = _STATUS.fullmatch(lines[0])
    if match is None:
        raise httpx.RemoteProtocolError("the response is not HTTP/1.x")
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip() or line[:1] in (b" ", b"\t"):
            raise httpx.RemoteProtocolError("the response has a malformed header line")
        headers.append((name, value.strip()))
    return int(match.group(2)), match.group(1), match.group(3) or b"", headers


def _framing(method: str, status: int, headers: list[tuple[bytes, bytes]]
             ) -> tuple[str, int]:
    """(`none` | `chunked` | `length` | `close`, length) per RFC 9112 section 6.3."""
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return "none", 0
    encodings = [v.lower() for k, v in headers if k.lower() == b"transfer-encoding"]
    if encodings:
        if encodings[-1].split(b",")[-1].strip() == b"chunked":
            return "chunked", 0
        return "close", 0
    lengths = {v.strip() for k, v in headers if k.lower() == b"content-length"}
    if lengths:
        values = {part.strip() for v in lengths for part in v.split(b",")}
        if len(values) != 1 or not next(iter(values)).isdigit():
            raise httpx.RemoteProtocolError("the response has an invalid Content-Length")
        return "length", int(next(iter(values)))
    return "close", 0


def _keep_alive(version: bytes, headers: list[tuple[bytes, bytes]]) -> bool:
    tokens = {t.strip().lower() for k, v in headers if k.lower() == b"connection"
              for t in v.split(b",")}
    if b"close" in tokens:
        return False
    return version == b"1" or b"keep-alive" in tokens


class _Body(httpx.AsyncByteStream):
    """A response body read off its connection as httpx iterates it."""

    def __init__(self, transport: LeanTransport, conn: _Conn, key: tuple[str, str, int],
                 framing: str, length: int, keep: bool) -> None:
        self._transport = transport
        self._conn = conn
        self._key = key
        self._framing = framing
        self._length = length
        self._keep = keep
        self._done = framing == "none"
        self._released = False
        if self._done:
            self._release()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._done:
            return
        try:
            if self._framing == "length":
                async for chunk in self._fixed():
                    yield chunk
            elif self._framing == "chunked":
                async for chunk in self._chunked():
                    yield chunk
            else:
                async for chunk in self._until_close():
                    yield chunk
        except asyncio.IncompleteReadError:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body") from None
        except asyncio.LimitOverrunError:
            raise httpx.RemoteProtocolError("a chunk header is too long") from None
        except (ConnectionError, OSError) as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
        self._done = True
        self._release()

    async def _fixed(self) -> AsyncIterator[bytes]:
        left = self._length
        reader = self._conn.reader
        while left > 0:
            data = await reader.read(min(left, _READ))
            if not data:
                raise asyncio.IncompleteReadError(b"", left)
            left -= len(data)
            if left > 0:  # a server holding the rest for our ACK (Nagle) gets it now;
                self._conn.quickack()  # after the last byte, our next request carries it
            yield data

    async def _chunked(self) -> AsyncIterator[bytes]:
        reader = self._conn.reader
        while True:
            line = (await reader.readuntil(b"\r\n"))[:-2]
            match = _CHUNK_SIZE.fullmatch(line)
            if match is None:
                raise httpx.RemoteProtocolError("the response has a malformed chunk")
            size = int(match.group(1), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailer fields, ignored
                return
            left = size
            while left > 0:
                data = await reader.read(min(left, _READ))
                if not data:
                    raise asyncio.IncompleteReadError(b"", left)
                left -= len(data)
                self._conn.quickack()
                yield data
            if await reader.readexactly(2) != b"\r\n":
                raise httpx.RemoteProtocolError("the response has a malformed chunk")

    async def _until_close(self) -> AsyncIterator[bytes]:
        self._keep = False
        while data := await self._conn.reader.read(_READ):
            self._conn.quickack()
            yield data

    def _release(self) -> None:
        if self._released:
            return
        self._released = True
        if self._done and self._keep:
            self._transport._give_back(self._key, self._conn)
        else:
            self._conn.close()

    async def aclose(self) -> None:
        self._release()  # a body not read to its end leaves the connection unusable


class LazyTrust(ssl.SSLContext):
    """A client TLS context that loads its CA certificates when first used.

    Loading the bundle costs ~20-30 ms, which a `check` over plain-http pages need not
    pay. The trust is what httpx's own default would be: `SSL_CERT_FILE` or
    `SSL_CERT_DIR` when set, else certifi's bundle. Both this module's transport and
    httpx's proxy transports wrap connections through `wrap_bio`/`wrap_socket`.
    """

    _trust_loaded = False

    def _load_trust(self) -> None:
        if self._trust_loaded:
            return
        self._trust_loaded = True
        cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
        if cafile:
            self.load_verify_locations(cafile=cafile)
        elif capath:
            self.load_verify_locations(capath=capath)
        else:
            self.load_verify_locations(cafile=certifi.where())

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self._load_trust()
        return super().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self._load_trust()
        return super().wrap_socket(*args, **kwargs)


def lazy_trust() -> LazyTrust:
    """A verifying client context (hostname checked, certificate required), trust on use."""
    context = LazyTrust(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context
