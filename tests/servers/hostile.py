"""A raw HTTP/1.1 server on 127.0.0.x that misbehaves on purpose, for fetcher tests.

`http.server` cleans up headers and cannot trickle, hang or lie at the byte level,
so this one is built on `asyncio.start_server` and writes bytes itself. It runs its
own event loop in a daemon thread, so one instance serves sync tests, async tests
on any loop, Chromium and subprocesses alike.

Usage::

    with HostileServer() as srv:            # or srv.start() / srv.stop()
        srv.url("/ok")                      # http://127.0.0.1:PORT/ok
        srv.add_page("/mine", "<p>hi</p>")  # extra static routes for other tests

Routes are listed in `ROUTES` (path → handler); see each handler's docstring.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ssl
import subprocess
import threading
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

Handler = Callable[["HostileServer", "Request", asyncio.StreamWriter], Awaitable[None]]

_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found",
            429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}

OK_HTML = (
    "<!doctype html><html><head><title>Acme Kettle</title></head>"
    "<body><h1>Acme Kettle</h1><p class=\"price\">$49.99</p></body></html>"
)
JS_HTML = """<!doctype html><html><head><title>Schedule Builder</title></head><body>
<table id="sections"><tr><th>Section</th><th>Open</th></tr></table>
<p id="price">loading…</p>
<script>
setTimeout(function () {
  var rows = [["CS 101-001", 3], ["CS 101-002", 0]];
  var t = document.getElementById("sections");
  rows.forEach(function (r) {
    var tr = document.createElement("tr"); tr.className = "section";
    tr.innerHTML = "<td>" + r[0] + "</td><td class='open'>Seats Open: " + r[1] + " of 150</td>";
    t.appendChild(tr);
  });
  document.getElementById("price").textContent = "$" + (40 + 2) + ".50";
  var done = document.createElement("div"); done.id = "rendered"; document.body.appendChild(done);
}, 300);
</script></body></html>"""
MARKUP_HTML = (
    "<!doctype html><html><head><title>[bold red]X[/] \x1b]52;c;aGk=\x1b\\ Deal\u202e01$"
    "</title></head><body><h1>[@click=app.quit]x[/] Save [/] now</h1>"
    "<p class=\"price\">$10.00</p></body></html>"
)
LOOP_HTML = "<!doctype html><html><body><p>spin</p><script>while (true) {}</script></body></html>"
MEMHOG_HTML = """<!doctype html><html><body><p>hog</p><script>
var hoard = [];
for (;;) { hoard.push(new Array(1e6).fill(Math.random())); }
</script></body></html>"""
ALERT_HTML = """<!doctype html><html><head><title>Dialogs</title></head><body>
<script>alert("hello"); confirm("sure?"); prompt("name?");
window.onbeforeunload = function (e) { e.preventDefault(); return "stay"; };</script>
<p class="price">$5.00</p></body></html>"""
POPUP_HTML = """<!doctype html><html><head><title>Popups</title></head><body>
<script>window.open("/ok", "_blank"); window.open("/ok", "_blank");</script>
<p class="price">$7.00</p></body></html>"""
NAV_FILE_HTML = """<!doctype html><html><body><p>moving</p>
<iframe src="file:///etc/passwd"></iframe>
<script>setTimeout(function(){ location.href = "file:///etc/passwd"; }, 50);</script>
</body></html>"""

_BOMB: bytes | None = None


def gzip_bomb(decoded_mb: int = 200) -> bytes:
    """~200 KB of gzip that inflates to `decoded_mb` MB of spaces (cached)."""
    global _BOMB
    if _BOMB is None:
        comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b" " * (1024 * 1024)
        parts = [comp.compress(b"<html><body>")]
        parts += [comp.compress(block) for _ in range(decoded_mb)]
        parts.append(comp.flush())
        _BOMB = b"".join(parts)
    return _BOMB


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    path: str = ""
    query: dict[str, list[str]] = field(default_factory=dict)


def _head(status: int, headers: dict[str, str] | None = None, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    merged = {"Connection": "close", **(headers or {})}
    if length is not None:
        merged["Content-Length"] = str(length)
    lines += [f"{k}: {v}" for k, v in merged.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def send(writer: asyncio.StreamWriter, status: int, body: bytes | str = b"",
               headers: dict[str, str] | None = None) -> None:
    """Write one complete response (Content-Length set) and flush it."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    hdrs = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    writer.write(_head(status, hdrs, len(data)) + data)
    await writer.drain()


def _html(body: str, content_type: str = "text/html; charset=utf-8") -> Handler:
    async def handler(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, 200, body, {"Content-Type": content_type})
    return handler


def _status(code: int, headers: dict[str, str] | None = None) -> Handler:
    async def handler(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
        await send(w, code, f"<html><body><h1>{code}</h1></body></html>", headers)
    return handler


async def _hang(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """Accept the request and never answer."""
    await asyncio.sleep(3600)


async def _slowloris(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """Headers at once, then one body byte every 0.2 s (each read resets httpx's timeout)."""
    w.write(_head(200, {"Content-Type": "text/html"}, 100_000))
    await w.drain()
    for _ in range(100_000):
        w.write(b"x")
        await w.drain()
        await asyncio.sleep(0.2)


async def _slowheaders(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """A status line, then one header line every 0.2 s, forever."""
    w.write(b"HTTP/1.1 200 OK\r\n")
    for i in range(100_000):
        w.write(f"X-Slow-{i}: y\r\n".encode())
        await w.drain()
        await asyncio.sleep(0.2)


async def _big(srv: HostileServer, req: Request, w: asyncio.StreamWriter,
               *, length: bool = True) -> None:
    """20 MB with a Content-Length, or (length=False) an endless body without one."""
    size = 20 * 1024 * 1024
    w.write(_head(200, {"Content-Type": "text/html"}, size if length else None))
    block = b"<p>" + b"a" * (64 * 1024 - 7) + b"</p>\n"
    sent = 0
    while not length or sent < size:
        chunk = block if not length else block[: size - sent]
        w.write(chunk)
        sent += len(chunk)
        await w.drain()


async def _big_nolength(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await _big(srv, req, w, length=False)


async def _gzbomb(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """~200 KB on the wire that inflates to 200 MB."""
    await send(w, 200, gzip_bomb(), {"Content-Encoding": "gzip"})


async def _gzip_ok(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, 200, gzip.compress(OK_HTML.encode()), {"Content-Encoding": "gzip"})


async def _deflate_ok(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """Raw DEFLATE without the zlib header, as some servers send for `deflate`."""
    comp = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    await send(w, 200, comp.compress(OK_HTML.encode()) + comp.flush(),
               {"Content-Encoding": "deflate"})


async def _gzbad(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, 200, b"this is not gzip at all" * 10, {"Content-Encoding": "gzip"})


async def _brotli(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """Brotli that was never asked for."""
    await send(w, 200, b"\x1b\x03\x00\xf8\xa5", {"Content-Encoding": "br"})


async def _redirect(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """`/redirect?to=URL`: a 302 to anywhere."""
    await send(w, 302, b"", {"Location": req.query.get("to", ["/ok"])[0]})


async def _redirect_loop(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    n = int(req.query.get("n", ["0"])[0]) + 1
    await send(w, 302, b"", {"Location": f"/redirect-loop?n={n}"})


async def _redirect_file(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, 302, b"", {"Location": "file:///etc/passwd"})


async def _redirect_other_port(srv: HostileServer, req: Request,
                               w: asyncio.StreamWriter) -> None:
    """302 to `/ok` on `srv.other` (another server), for final_url checks."""
    target = (srv.other.url("/ok") if srv.other else "/ok")
    await send(w, 302, b"", {"Location": target})


async def _garbage(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """Not HTTP at all."""
    w.write(b"SSH-2.0-OpenSSH_9.2\r\n\x00\xff garbage \r\n\r\n")
    await w.drain()


async def _drop(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """Close without a byte of reply."""


async def _badutf8(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    body = (b"<html><head><title>Caf\xe9 \xff\xfe</title></head><body>"
            b"<p class=\"price\">9,99 \xe2\x82\xac</p></body></html>")
    await send(w, 200, body, {"Content-Type": "text/html; charset=utf-8"})


async def _bogus_charset(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    body = "<html><body><p class=\"price\">9,99 €</p></body></html>".encode()
    await send(w, 200, body, {"Content-Type": "text/html; charset=x-no-such-charset"})


async def _meta_latin1(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """No charset header; a <meta> says windows-1252, where 0x80 is "€"."""
    body = (b"<html><head><meta charset=\"windows-1252\"></head><body>"
            b"<p class=\"price\">9,99 \x80</p></body></html>")
    await send(w, 200, body, {"Content-Type": "text/html"})


async def _binary(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, 200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
               {"Content-Type": "application/octet-stream"})


async def _nul(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """Binary bytes labelled text/html."""
    await send(w, 200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64,
               {"Content-Type": "text/html"})


async def _pdf(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, 200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
               {"Content-Type": "application/pdf"})


async def _download(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    await send(w, 200, b"sku,price\nkettle,49.99\n",
               {"Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="p.csv"'})


async def _echo_headers(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """The request headers as plain text, one per line (lowercase names)."""
    text = "\n".join(f"{k}: {v}" for k, v in req.headers.items())
    await send(w, 200, text, {"Content-Type": "text/plain; charset=utf-8"})


async def _cookie_gate(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """A 302 that sets a session cookie on the way (`/cookie-gate`), and the page it
    leads to (`/cookie-gate?in=1`), which only answers to that cookie."""
    if "in" not in req.query:
        await send(w, 302, b"", {"Location": "/cookie-gate?in=1",
                                 "Set-Cookie": "gate=open; Path=/"})
    elif "gate=open" in req.headers.get("cookie", ""):
        await send(w, 200, OK_HTML)
    else:
        await send(w, 403, "<p>no session</p>")


def http_date_in(seconds: float) -> str:
    """An HTTP-date `seconds` from now (for Retry-After)."""
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)


async def _retry_date(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
    """429 with Retry-After as an HTTP-date two minutes ahead."""
    await send(w, 429, "<html><body>slow down</body></html>",
               {"Retry-After": http_date_in(120)})


ROUTES: dict[str, Handler] = {
    "/ok": _html(OK_HTML),
    "/js": _html(JS_HTML),
    "/markup": _html(MARKUP_HTML),
    "/loop": _html(LOOP_HTML),
    "/memhog": _html(MEMHOG_HTML),
    "/alert": _html(ALERT_HTML),
    "/popup": _html(POPUP_HTML),
    "/nav-file": _html(NAV_FILE_HTML),
    "/plain": _html("price: 3.50\n", "text/plain; charset=utf-8"),
    "/404": _status(404),
    "/500": _status(500),
    "/503": _status(503, {"Retry-After": "7"}),
    "/429": _retry_date,
    "/hang": _hang,
    "/slowloris": _slowloris,
    "/slowheaders": _slowheaders,
    "/big": _big,
    "/big-nolength": _big_nolength,
    "/gzbomb": _gzbomb,
    "/gzip-ok": _gzip_ok,
    "/deflate-ok": _deflate_ok,
    "/gzbad": _gzbad,
    "/brotli": _brotli,
    "/redirect": _redirect,
    "/redirect-loop": _redirect_loop,
    "/redirect-file": _redirect_file,
    "/redirect-other-port": _redirect_other_port,
    "/garbage": _garbage,
    "/drop": _drop,
    "/badutf8": _badutf8,
    "/bogus-charset": _bogus_charset,
    "/meta-latin1": _meta_latin1,
    "/binary": _binary,
    "/nul": _nul,
    "/pdf": _pdf,
    "/download": _download,
    "/echo-headers": _echo_headers,
    "/cookie-gate": _cookie_gate,
}


class HostileServer:
    """The server; `start()` returns once it is listening (port 0 picks a free one)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0,
                 tls: ssl.SSLContext | None = None) -> None:
        self.host = host
        self.port = port
        self.tls = tls
        """Serve HTTPS with this context (e.g. a self-signed certificate)."""
        self.routes: dict[str, Handler] = dict(ROUTES)
        self.other: HostileServer | None = None
        """Target of `/redirect-other-port`."""
        self.hits: dict[str, int] = {}
        """Requests served per path (read from tests; written on the server thread)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> HostileServer:
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._serve, self.host, self.port, limit=1 << 16,
                                         ssl=self.tls))
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as exc:
                errors.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name=f"hostile-{self.host}", daemon=True)
        self._thread.start()
        ready.wait(10)
        if errors:
            raise errors[0]
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            loop.stop()

        loop.call_soon_threadsafe(lambda: loop.create_task(shutdown()))
        thread.join(10)
        self._loop = self._thread = None

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- helpers for tests -----------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def add_page(self, path: str, body: str | bytes, status: int = 200,
                 headers: dict[str, str] | None = None) -> str:
        """Serve a fixed response at `path` and return its URL (a dict write: thread-safe)."""
        async def handler(srv: HostileServer, req: Request, w: asyncio.StreamWriter) -> None:
            await send(w, status, body, headers)
        self.routes[path] = handler
        return self.url(path)

    # --- serving ---------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            req = await self._read_request(reader)
            if req is None:
                return
            self.hits[req.path] = self.hits.get(req.path, 0) + 1
            handler = self.routes.get(req.path)
            if handler is None:
                await send(writer, 404, "<html><body>no such route</body></html>")
            else:
                await handler(self, req, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # the client gave up: that is what most routes are for
        except asyncio.CancelledError:
            pass  # stop(): ending normally keeps 3.11's stream callback from logging it
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> Request | None:
        line = await reader.readline()
        if not line:
            return None
        parts = line.decode("latin-1").split()
        if len(parts) < 2:
            return None
        headers: dict[str, str] = {}
        for _ in range(200):
            raw = await reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            key, _, value = raw.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        split = urlsplit(parts[1])
        return Request(method=parts[0], target=parts[1], headers=headers,
                       path=split.path, query=parse_qs(split.query))



def self_signed_tls(directory: Path) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed cert for 127.0.0.1 (needs `openssl`)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx
