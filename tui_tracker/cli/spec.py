"""Command-line options as engine input: what was typed goes to the engine, unparsed.

The monitor's own fields become a `MonitorInput` (core/monitor_input.py validates them,
for the CLI, the form and import alike); headers, cookies, proxy and alert URLs become
its `MonitorSecrets`, kept in the 0600 secrets file.
"""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

from tui_tracker.core.cookies import parse_cookie_arg, parse_header_arg
from tui_tracker.core.errors import InputError
from tui_tracker.core.monitor_input import MonitorInput
from tui_tracker.store.secrets import MonitorSecrets


def monitor_input(args: argparse.Namespace) -> MonitorInput:
    """The options the user gave (None for each one left out), unparsed."""
    return MonitorInput(
        url=getattr(args, "url", None),
        name=args.name,
        kind=args.kind,
        fetcher=args.fetch,
        selector=args.selector,
        regex=args.regex,
        interval=args.interval,
        below=args.below,
        drop_pct=args.drop_pct,
        seats_at_least=args.seats_at_least,
        any_change=args.any_change,
        back_in_stock=args.back_in_stock,
        seats_opened=args.seats_opened,
        error_after=args.error_after,
        emails=args.email,
        tags=args.tag,
        allow_duplicate=True if getattr(args, "allow_duplicate", False) else None,
    )


def secrets_from_args(url: str, args: argparse.Namespace, current: MonitorSecrets
                      ) -> MonitorSecrets | None:
    """The monitor's secrets with what `--header/--cookie/--proxy/--notify` gave, or None
    when none of them was given. Each given option replaces that list (`--notify ''`
    clears the alert URLs)."""
    given = [getattr(args, k, None) for k in ("header", "cookie", "proxy", "notify")]
    if all(v is None for v in given):
        return None
    out = MonitorSecrets(list(current.headers), list(current.cookies), current.proxy,
                         list(current.notify_urls))
    host = (urlsplit(url).hostname or "").lower()
    if args.header is not None:
        out.headers = [parse_header_arg(h) for h in args.header if h.strip()]
    if args.cookie is not None:
        out.cookies = [parse_cookie_arg(c, host) for c in args.cookie if c.strip()]
    if args.proxy is not None:
        out.proxy = validate_proxy(args.proxy) if args.proxy.strip() else None
    if args.notify is not None:
        from tui_tracker.engine.alerts import validate_notify_url

        out.notify_urls = [validate_notify_url(u) for u in args.notify if u.strip()]
    return out


def validate_proxy(raw: str) -> str:
    """A proxy URL (http, https, socks5) with a host; InputError otherwise."""
    url = raw.strip()
    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise InputError("The proxy URL has an invalid port.") from None
    if parts.scheme not in ("http", "https", "socks5", "socks5h") or not parts.hostname:
        raise InputError("The proxy must be a URL like http://proxy.example:3128 "
                         "(http, https or socks5).")
    return parts.geturl()
