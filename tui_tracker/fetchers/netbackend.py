"""httpcore's network backend for the HTTP fetcher, with two measured fixes.

1. **Delayed-ACK stall.** Many servers (Python's `http.server`, the demo site, plenty of
   small frameworks) write a response's headers and its body in two `send` calls. With
   Nagle on at their end, the body waits until our kernel acknowledges the headers, and
   on a kept-alive connection Linux delays that ACK by up to 40 ms: every reused
   connection then cost ~44 ms a request on loopback instead of ~1 ms. `TCP_QUICKACK`
   (re-armed after every read, since the kernel clears it) makes our side acknowledge
   at once, so the body follows immediately. It changes nothing on the wire but
   timing, and is skipped where the platform has no such option.
2. **Per-request socket introspection.** httpcore asks a pooled connection
   `is_readable` before every reuse; anyio's stream answers by rebuilding its whole
   attribute table (`getpeername`, `getsockname`, ...) each time. Keeping the raw
   socket once makes that one `poll`.

Everything else (TLS, timeouts, exception mapping) is httpcore's own AnyIO backend.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import typing

import httpcore

# Not called here: httpcore looks for it on every lock it creates, and when it is
# missing that look is a scan of sys.path (a few hundred stat calls a request). The
# import makes a missing install fail loudly at start instead of slowly per request.
import sniffio  # noqa: F401
from httpcore._utils import is_socket_readable

from tui_tracker.fetchers.transport import QUICKACK


def _quickack(sock: socket.socket | None) -> None:
    if sock is not None and QUICKACK is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, QUICKACK, 1)


class QuickAckStream(httpcore.AsyncNetworkStream):
    """Wraps httpcore's AnyIO stream: quick ACKs, and a cached raw socket."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._sock: socket.socket | None = inner.get_extra_info("socket")
        _quickack(self._sock)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = await self._inner.read(max_bytes, timeout)
        _quickack(self._sock)
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        tls = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        return QuickAckStream(tls)

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable":
            return self._sock is None or is_socket_readable(self._sock)
        if info == "socket":
            return self._sock
        return self._inner.get_extra_info(info)


class QuickAckBackend(httpcore.AsyncNetworkBackend):
    """httpcore's AnyIO backend whose TCP streams are `QuickAckStream`s."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[typing.Any] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(host, port, timeout, local_address,
                                               socket_options)
        return QuickAckStream(stream)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        return await self._inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def install(client: typing.Any) -> int:
    """Put a `QuickAckBackend` under every connection pool of an httpx client.

    httpx 0.28 takes no network backend, so this sets the pools' `_network_backend`
    (httpcore 1.x's attribute, read when a connection opens). Returns how many pools
    were changed; 0 when the attribute layout differs, leaving httpx's default.
    """
    transports = [getattr(client, "_transport", None),
                  *getattr(client, "_mounts", {}).values()]  # a mount may be None (NO_PROXY)
    changed = 0
    backend = QuickAckBackend()
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            pool._network_backend = backend
            changed += 1
    return changed
