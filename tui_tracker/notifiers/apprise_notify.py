"""Alerts where people look (ntfy, Telegram, Slack, Discord, Pushover, Matrix, webhooks)
through Apprise, the library changedetection.io uses too, instead of a client per service.

An Apprise URL carries its secret (a bot token, a webhook key, a private ntfy topic),
so it gets the password treatment: it lives in config.toml or the 0600 secrets file,
and everything stored or shown names it by `mask_url` only (scheme, host, no path,
no query, no credentials). Apprise reports a failure as `False` plus log lines; the
log lines of one send are captured and scrubbed of every part of the URL (plain,
URL-quoted and base64 forms, HOSTILE 59) to become the NotifyError sentence.

Apprise's sends are blocking (`requests`), so each runs in a worker thread, one at
a time (its log capture is process-wide); alerts are rare, so that costs nothing.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import logging
import threading
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from tui_tracker.core.errors import InputError, NotifyError
from tui_tracker.core.text import clean_text

_SEND_LOCK = threading.Lock()
_REAL_HOST_SCHEMES = {"json", "jsons", "xml", "xmls", "form", "forms", "ntfy", "ntfys",
                      "matrix", "matrixs", "mailto", "mailtos", "gotify", "gotifys",
                      "mqtt", "mqtts", "apprise", "apprises", "rocket", "rockets",
                      "mmost", "mmosts", "nctalk", "nctalks"}
"""Services whose URL host is a real server (shown); for the others it is a token."""


def _is_real_host(scheme: str, host: str) -> bool:
    if scheme in _REAL_HOST_SCHEMES or host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def mask_url(url: str) -> str:
    """`ntfy://127.0.0.1:8080/…`: what an alert URL is called in stored deliveries and output."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "(an invalid alert URL)"
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:  # `tgram://123456:ABC/...`: a token, not host:port
        host, port = parts.netloc.rpartition("@")[2], None
    scheme = parts.scheme.lower()
    if _is_real_host(scheme, host):
        shown = f"{host}:{port}" if port else host
    else:
        shown = f"{host[:1]}…{host[-1:]}" if len(host) > 2 else "…"
    who = "****@" if parts.username or parts.password else ""
    rest = "/…" if parts.path.strip("/") or parts.query else ""
    return f"{scheme}://{who}{shown}{rest}"


def masked_targets(urls: list[str]) -> list[str]:
    """`mask_url` of each URL, made unique with ` #2`, ` #3` when two masks coincide."""
    seen: dict[str, int] = {}
    out = []
    for url in urls:
        name = mask_url(url)
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return out


def channel_of(url: str) -> str:
    """The channel name stored in a delivery: the URL's scheme (`ntfy`, `tgram`, `json`)."""
    return (url.split("://", 1)[0] or "apprise").lower()


def secret_parts(url: str) -> list[str]:
    """Every piece of `url` that may be secret, in the forms an error might echo."""
    pieces = {url}
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    shown = _is_real_host(parts.scheme.lower(), parts.hostname or "")
    hosts = () if shown else (parts.hostname, parts.netloc)  # a token host is secret
    for value in (parts.username, parts.password, *hosts):
        if value:
            pieces.add(value)
    pieces.update(seg for seg in parts.path.split("/") if seg)
    pieces.update(v for _, v in parse_qsl(parts.query) if v)
    if parts.username:
        creds = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        pieces.add(base64.b64encode(creds.encode()).decode())
    forms = set()
    for p in pieces:
        if len(p) >= 4:
            forms.update({p, unquote(p), quote(p, safe="")})
    return sorted(forms, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    for piece in secret_parts(url):
        text = text.replace(piece, "****")
    return text


def validate_notify_url(url: str) -> str:
    """The URL stripped, or InputError (naming it masked) when Apprise cannot use it."""
    import apprise

    url = url.strip()
    if any(ch.isspace() or not ch.isprintable() for ch in url) or "://" not in url:
        raise InputError(f"{mask_url(url)} is not an alert URL (like ntfy://ntfy.sh/topic).")
    if apprise.Apprise.instantiate(url) is None:
        raise InputError(f"{mask_url(url)} is not an alert URL Apprise knows "
                         "(see https://github.com/caronc/apprise/wiki for the formats).")
    return url


def _send_blocking(url: str, title: str, body: str) -> str | None:
    """Send once; None when sent, else what Apprise logged (unscrubbed)."""
    import apprise

    with _SEND_LOCK:
        obj = apprise.Apprise()
        if not obj.add(url):
            return "Apprise does not know this alert URL"
        with apprise.LogCapture(level=logging.DEBUG, fmt="%(levelname)s %(message)s") as log:
            ok = obj.notify(body=body, title=title)
        if ok:
            return None
        useful = []
        for line in log.getvalue().splitlines():
            level, _, text = line.partition(" ")
            # Warnings say what failed; the socket error of a debug line says why.
            if level in ("WARNING", "ERROR") or text.startswith("Socket Exception"):
                useful.append(text.strip())
        return "; ".join(useful[-3:]) or "the service did not accept the message"


async def send_apprise(url: str, title: str, body: str) -> None:
    """Deliver one alert through `url`. NotifyError with a scrubbed sentence on failure."""
    try:
        problem = await asyncio.to_thread(_send_blocking, url, title, body)
    except Exception as exc:  # a plug-in bug: still one sentence, still scrubbed
        problem = f"{type(exc).__name__}: {exc}"
    if problem is not None:
        text = clean_text(scrub(problem, url), 300)
        raise NotifyError(f"Sending to {mask_url(url)} failed: {text.rstrip('.')}.")
