"""Static fetch with httpx: one shared client, every limit enforced here.

httpx alone is not safe against hostile servers (see HOSTILE-INPUTS A): its read
timeout restarts on every trickled byte, it inflates a whole gzip chunk before a
caller can count it, and a few malformed URLs escape as non-httpx exceptions. So
this module follows redirects itself (validating each hop), reads raw bytes and
inflates them under a cap, puts one `asyncio.timeout` round the whole exchange, and
turns every exception into a one-sentence FetchError.
"""

from __future__ import annotations

import asyncio
import codecs
import http.cookiejar
import ipaddress
import re
import socket
import ssl
import zlib
from urllib.parse import urljoin, urlsplit

import httpx

from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie
from tui_tracker.core.errors import FetchError, InputError
from tui_tracker.core.urls import validate_url
from tui_tracker.fetchers import responses as R
from tui_tracker.fetchers.base import NO_ACCESS, Access, Fetcher, Page, Ready, Validators
from tui_tracker.fetchers.transport import LeanTransport, lazy_trust

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# No brotli/zstd decoder is installed, and we must inflate by hand to cap the
# decoded size, so only ask for what zlib can do.
_ACCEPT_ENCODING = "gzip, deflate"
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# WHATWG: these labels mean windows-1252 in browsers; pages rely on it for "€" (0x80).
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                   "us-ascii": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252"}
_MAX_COOKIES = 500
"""The shared jar is cleared past this, so months of polling cannot grow it without bound."""
_MAX_PROFILES = 16
"""Clients kept for checks with their own cookies or proxy; the oldest is closed past this."""


class _Inflater:
    """Incremental decoder for one Content-Encoding whose output is capped.

    `zlib`'s `max_length` bounds what one call may produce, so a 200 KB gzip bomb
    costs at most `limit` bytes of memory before it is refused.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._raw_deflate_tried = False
        self._z = self._make()

    def _make(self) -> zlib._Decompress | None:
        if self.encoding in ("", "identity"):
            return None
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.encoding == "deflate":
            return zlib.decompressobj(zlib.MAX_WBITS)
        raise FetchError(f"server sent an unsupported content encoding ({self.encoding})")

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode `data`, producing at most `room + 1` bytes (one more means: too big)."""
        if self._z is None:
            return data
        try:
            return self._z.decompress(data, room + 1)
        except zlib.error:
            # Some servers send raw DEFLATE without the zlib header for "deflate".
            if self.encoding == "deflate" and not self._raw_deflate_tried:
                self._raw_deflate_tried = True
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                return self.feed(data, room)
            raise

    def flush(self) -> bytes:
        return self._z.flush() if self._z is not None else b""


def _charset_of(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page read as bytes cannot be UTF-16 if its <meta> was readable as ASCII.
    return "utf-8" if name.startswith("utf-16") else name


def decode_body(body: bytes, content_type: str) -> str:
    """Decode with BOM, else the declared charset, else <meta charset>, else UTF-8.

    Unknown charsets and invalid bytes never fail: they decode as UTF-8 with U+FFFD,
    which keeps "9,99 €" readable on a page that mislabels itself.
    """
    for bom, bom_codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                           (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(bom_codec, errors="replace")
    name = _codec(_charset_of(content_type))
    if name is None:
        match = _META_CHARSET.search(body[:_SNIFF_BYTES])
        name = _codec(match.group(1).decode("ascii", "replace")) if match else None
    return body.decode(name or "utf-8", errors="replace")


def _sniff_media(body: bytes) -> str:
    """A media type for a response that sent none: HTML if it starts like HTML."""
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "text/html"
    return "text/plain"


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and its chain of causes (httpx wraps httpcore wraps OSError)."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen and len(chain) < 10:
        chain.append(cur)
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return chain


def _connect_error(exc: BaseException, url: str) -> FetchError:
    host = R.where(url)
    chain = _causes(exc)
    text = " ".join(str(e) for e in chain)
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) \
            or "CERTIFICATE_VERIFY_FAILED" in text:
        return R.failure("cert", url)
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return FetchError(f"secure connection to {host} failed (TLS handshake error)")
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "Connection refused" in text:
        return R.failure("refused", url)
    if any(isinstance(e, socket.gaierror) for e in chain) or "Name or service not known" in text:
        return R.failure("not_found", url)
    return FetchError(f"could not connect to {host}")


def translate(exc: BaseException, url: str, deadline: float) -> FetchError:
    """Map any exception raised while fetching `url` to one FetchError sentence."""
    host = R.where(url)
    if isinstance(exc, FetchError):
        return exc
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchError(f"could not connect to {host} within {deadline:g} s")
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return R.timed_out(deadline, url)
    if isinstance(exc, httpx.ConnectError):
        return _connect_error(exc, url)
    if isinstance(exc, httpx.RemoteProtocolError):
        if "without sending" in str(exc) or "disconnected" in str(exc).lower():
            return R.failure("no_answer", url)
        return R.failure("invalid", url)
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return R.failure("broke_off", url)
    if isinstance(exc, httpx.TooManyRedirects):
        return R.failure("redirects", url)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return R.failure("bad_redirect", url)
    if isinstance(exc, zlib.error):
        return R.failure("corrupt", url)
    if isinstance(exc, InputError):
        return FetchError(exc.message)
    # The catch-all: ExceptionGroup(OverflowError), httpx.InvalidURL, anything new.
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return FetchError(f"could not fetch from {host} ({type(exc).__name__}: {detail[:120]})")


async def _refuse_private(url: str) -> None:
    """Raise FetchError if `url`'s host resolves to a non-public address.

    Only a first line of defence: httpx resolves again when it connects (a DNS
    rebinding race remains), which is acceptable for an opt-in setting.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise R.failure("not_found", url) from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    for addr in addresses:
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        if not addr.is_global:
            raise FetchError(f"redirected to a private address ({R.where(url)}), which the "
                             "block_private setting refuses")


async def _check_location(response: httpx.Response) -> None:
    """Refuse a redirect to anything but http(s), before httpx parses the Location.

    A response hook because httpx builds `next_request` even with redirects off,
    and some Locations (`javascript:alert(1)`) make that raise a bare InvalidURL.
    """
    if response.status_code not in _REDIRECTS or "location" not in response.headers:
        return
    source = str(response.request.url)
    target = urljoin(source, response.headers["location"].strip())
    try:
        validate_url(target)
    except InputError as exc:
        raise FetchError(f"redirected to an unsupported address ({R.where(source)} sent "
                         f"{target[:80]!r})") from exc


class HttpFetcher(Fetcher):
    """Plain HTTP(S) GET of a page with bounded time, size and redirects.

    Safe to call concurrently: one shared `httpx.AsyncClient` (its own pool limits
    follow `settings.concurrency`), created on first use, closed by `aclose`.
    """

    name = "http"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: httpx.AsyncClient | None = None
        self._profiles: dict[tuple, httpx.AsyncClient] = {}
        """Clients of checks that send session cookies or use their own proxy, LRU order."""

    def _make_client(self, *, proxy: str | None = None,
                     cookies: http.cookiejar.CookieJar | None = None) -> httpx.AsyncClient:
        s = self.settings
        trust = lazy_trust()
        lean = LeanTransport(trust, min(s.deadline, 10.0), max(s.concurrency, 1))
        if proxy is None and not _environment_proxies():
            # Nothing to mount: the lean transport serves every request. Given to the
            # constructor, httpx builds (and imports) no transport of its own, ~20 ms of
            # a one-shot `check`.
            return httpx.AsyncClient(
                follow_redirects=False, cookies=cookies, transport=lean,
                headers=self._headers(), timeout=self._timeout(),
                event_hooks={"response": [_check_location]})
        from tui_tracker.fetchers import netbackend

        client = httpx.AsyncClient(
            http1=True,
            http2=False,
            follow_redirects=False,  # followed by hand: each hop is validated
            timeout=self._timeout(),
            limits=httpx.Limits(max_connections=max(s.concurrency, 1),
                                max_keepalive_connections=max(s.concurrency, 1)),
            event_hooks={"response": [_check_location]},
            headers=self._headers(),
            # None: HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY from the environment.
            proxy=proxy, trust_env=True, cookies=cookies, verify=trust,
        )
        netbackend.install(client)  # no 40 ms delayed-ACK stall on kept-alive connections
        if proxy is None:
            # Direct requests go through the lean HTTP/1.1 transport (transport.py); those
            # an environment proxy covers keep httpx's mounted proxy transports. (Given
            # to the constructor, a transport would switch environment proxies off.)
            client._transport = lean
        return client

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": self.settings.user_agent, "Accept": _ACCEPT,
                "Accept-Encoding": _ACCEPT_ENCODING, "Accept-Language": "en-US,en;q=0.8"}

    def _timeout(self) -> httpx.Timeout:
        s = self.settings
        return httpx.Timeout(min(s.deadline, 30.0), connect=min(s.deadline, 10.0))

    def _get_client(self, access: Access = NO_ACCESS) -> httpx.AsyncClient:
        if access.proxy is None and not access.cookies:
            if self._client is None:
                self._client = self._make_client()
            return self._client
        key = access.profile
        client = self._profiles.pop(key, None)
        if client is None:
            client = self._make_client(proxy=access.proxy, cookies=cookie_jar(access.cookies))
            if len(self._profiles) >= _MAX_PROFILES:
                oldest = next(iter(self._profiles))
                old = self._profiles.pop(oldest)
                task = asyncio.ensure_future(old.aclose())
                task.add_done_callback(lambda t: t.exception())
        self._profiles[key] = client  # most recently used last
        return client

    async def fetch(self, url: str, *, wait_selector: str | None = None,
                    ready: Ready | None = None, access: Access = NO_ACCESS,
                    revalidate: Validators | None = None) -> Page:
        """GET `url` and return the decoded page; see the module docstring for limits.

        With `revalidate`, the request for the page it names carries If-None-Match /
        If-Modified-Since; a 304 answer returns a body-less Page with `not_modified`.

        Raises:
            FetchError: every failure, with `status`/`retry_after` set for HTTP errors.
        """
        del wait_selector  # only the browser waits for content
        deadline = self.settings.deadline
        hops = [url]  # errors name the host of the hop that failed
        try:
            validate_url(url)
            async with asyncio.timeout(deadline):
                return await self._fetch(url.strip(), hops, access, revalidate)
        except Exception as exc:  # the boundary: nothing but FetchError leaves
            raise translate(exc, hops[-1], deadline) from exc

    async def _fetch(self, url: str, hops: list[str], access: Access,
                     revalidate: Validators | None = None) -> Page:
        client = self._get_client(access)
        if client is self._client and len(client.cookies.jar) > _MAX_COOKIES:
            client.cookies.clear()
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            # The monitor's own headers (an Authorization, say) never follow a redirect
            # to another host.
            extra = dict(access.headers) if access.headers and (
                current is url or urlsplit(current).hostname == urlsplit(url).hostname) \
                else None
            conditional = revalidate is not None and current == revalidate.url
            if conditional:
                assert revalidate is not None
                extra = {**(extra or {}), **_conditional_headers(revalidate)}
            response = await _send(client, current, extra)  # Location checked by the hook
            try:
                if conditional and response.status_code == 304:
                    return _with_jar(_not_modified(url, current, response), client, access)
                if not response.is_redirect or response.next_request is None:
                    return _with_jar(await self._read_page(url, current, response), client,
                                     access)
                current = str(response.next_request.url)
            finally:
                await response.aclose()
            hops.append(current)
            if self.settings.block_private:
                await _refuse_private(current)
        raise FetchError(f"too many redirects from {R.where(url)} "
                         f"(more than {self.settings.max_redirects})")

    async def _read_page(self, url: str, final_url: str, response: httpx.Response) -> Page:
        # A plain dict (lower-case names, repeated ones joined as `Headers.get` joins
        # them): six look-ups a page, each a scan of the header list in httpx.
        headers = dict(response.headers.items())
        if response.status_code >= 400:
            html = ""
            if response.status_code in R.WALL_STATUSES:
                html = await self._read_wall(response)
            raise R.status_failure(response.status_code, url, final_url,
                                   headers.get("retry-after"), html)
        if R.is_attachment(headers.get("content-disposition")):
            raise R.download_error(final_url)
        declared = headers.get("content-type", "")
        media = R.media_type(declared)
        if R.is_binary_type(media):
            raise R.not_a_page(media)
        body = await self._read_capped(response, final_url, headers)
        if b"\x00" in body[:1024]:
            raise R.not_a_page("binary data")
        return Page(url=url, final_url=final_url, status=response.status_code,
                    content_type=media or _sniff_media(body),
                    html=decode_body(body, declared), fetcher=self.name,
                    etag=_validator(headers.get("etag")),
                    last_modified=_validator(headers.get("last-modified")))

    async def _read_wall(self, response: httpx.Response) -> str:
        """Up to `WALL_BODY_BYTES` of an error page, to tell a wall from a plain error."""
        try:
            inflater = _Inflater(response.headers.get("content-encoding", "").strip().lower())
            chunks: list[bytes] = []
            total = 0
            async for raw in response.aiter_raw():
                data = inflater.feed(raw, R.WALL_BODY_BYTES - total)
                chunks.append(data)
                total += len(data)
                if total > R.WALL_BODY_BYTES:
                    break
        except (FetchError, zlib.error, httpx.HTTPError):
            return ""
        return decode_body(b"".join(chunks)[:R.WALL_BODY_BYTES],
                           response.headers.get("content-type", ""))

    async def _read_capped(self, response: httpx.Response, final_url: str,
                           headers: dict[str, str]) -> bytes:
        cap = self.settings.max_bytes
        encoding = headers.get("content-encoding", "").strip().lower()
        inflater = _Inflater(encoding)
        length = headers.get("content-length", "")
        if encoding in ("", "identity") and length.isdigit() and int(length) > cap:
            raise R.too_large(cap, final_url)
        chunks: list[bytes] = []
        total = 0
        async for raw in response.aiter_raw():
            data = inflater.feed(raw, cap - total)
            total += len(data)
            if total > cap:
                raise R.too_large(cap, final_url)
            chunks.append(data)
        tail = inflater.flush()
        if total + len(tail) > cap:
            raise R.too_large(cap, final_url)
        chunks.append(tail)
        return b"".join(chunks)

    async def aclose(self) -> None:
        """Close the shared clients (idempotent; a later fetch opens new ones)."""
        clients = [self._client, *self._profiles.values()]
        self._client, self._profiles = None, {}
        for client in clients:
            if client is not None:
                await client.aclose()


async def _send(client: httpx.AsyncClient, url: str,
                extra: dict[str, str] | None) -> httpx.Response:
    """GET `url` (streamed) as `client.send(client.build_request(...))` would.

    A direct request over the lean transport skips the client's layers that do nothing
    for it (auth flow, redirect loop, timeout extension, elapsed timer, logging) and
    parses the URL once: ~0.1 ms of a 0.3 ms static check. What those layers do that
    matters is kept: the client's headers under the request's own, its cookie jar both
    ways (Set-Cookie read only when the response has one, which is all the jar would
    do), the response hooks, and `next_request` for a redirect. A URL an environment
    proxy covers goes through `client.send` unchanged.
    """
    target = httpx.URL(url)
    transport = client._transport_for_url(target)
    if not isinstance(transport, LeanTransport):
        request = client.build_request("GET", target, headers=extra)
        return await client.send(request, stream=True)
    headers = client.headers
    if extra:
        headers = headers.copy()
        headers.update(extra)
    request = httpx.Request("GET", target, headers=headers, cookies=client.cookies)
    response = await transport.handle_async_request(request)
    response.request = request
    try:
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            client.cookies.extract_cookies(response)
        for hook in client.event_hooks["response"]:
            await hook(response)
        if response.has_redirect_location:
            response.next_request = client._build_redirect_request(request, response)
    except BaseException:
        await response.aclose()
        raise
    return response


def _environment_proxies() -> bool:
    """Whether HTTP_PROXY / HTTPS_PROXY / ALL_PROXY (as httpx reads them with
    `trust_env`) name a proxy; NO_PROXY alone mounts nothing but direct connections."""
    return any(httpx._utils.get_environment_proxies().values())


def _validator(value: str | None) -> str | None:
    """A validator worth echoing back: present, one line, of sane length."""
    if not value or len(value) > 256 or any(c in value for c in "\r\n\x00"):
        return None
    return value.strip() or None


def _conditional_headers(revalidate: Validators) -> dict[str, str]:
    headers = {}
    if revalidate.etag:
        headers["If-None-Match"] = revalidate.etag
    if revalidate.last_modified:
        headers["If-Modified-Since"] = revalidate.last_modified
    return headers


def _not_modified(url: str, final_url: str, response: httpx.Response) -> Page:
    """A 304 to our validators: no body; a validator the answer repeats or renews is kept."""
    return Page(url=url, final_url=final_url, status=304, content_type="text/html", html="",
                fetcher="http", etag=_validator(response.headers.get("etag")),
                last_modified=_validator(response.headers.get("last-modified")),
                not_modified=True)


def _with_jar(page: Page, client: httpx.AsyncClient, access: Access) -> Page:
    """`page` with the client's cookies after it, when the check sent session cookies."""
    if access.cookies:
        page.cookies = tuple(from_jar(c) for c in client.cookies.jar)
    return page


def from_jar(c: http.cookiejar.Cookie) -> Cookie:
    """A standard-library jar's cookie as a `Cookie` (a leading dot = a domain cookie)."""
    rest = getattr(c, "_rest", {}) or {}
    same_site = next((str(v) for k, v in rest.items() if k.lower() == "samesite" and v), None)
    return Cookie(name=c.name, value=c.value or "", domain=c.domain.lstrip(".").lower(),
                  path=c.path or "/", expires=float(c.expires) if c.expires else None,
                  secure=bool(c.secure), http_only=any(k.lower() == "httponly" for k in rest),
                  same_site=same_site.capitalize() if same_site else None,
                  host_only=not c.domain.startswith("."))


def cookie_jar(cookies: tuple[Cookie, ...]) -> http.cookiejar.CookieJar:
    """A standard-library jar holding `cookies` with their domain, path, expiry and flags."""
    jar = http.cookiejar.CookieJar()
    for c in cookies:
        domain = c.domain if c.host_only else "." + c.domain
        rest: dict[str, str | None] = {"HttpOnly": None} if c.http_only else {}
        jar.set_cookie(http.cookiejar.Cookie(
            version=0, name=c.name, value=c.value, port=None, port_specified=False,
            domain=domain, domain_specified=not c.host_only,
            domain_initial_dot=not c.host_only, path=c.path or "/", path_specified=True,
            secure=c.secure, expires=int(c.expires) if c.expires is not None else None,
            discard=c.expires is None, comment=None, comment_url=None,
            rest=rest))  # type: ignore[arg-type]  # cookiejar takes None for a bare flag
    return jar
