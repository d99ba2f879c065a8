"""Turning command-line options into a validated Monitor (shared by add, edit and import)."""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

from tui_tracker.core.cookies import parse_cookie_arg, parse_header_arg
from tui_tracker.core.errors import InputError
from tui_tracker.core.intervals import parse_interval
from tui_tracker.core.model import FetchMode, Kind, Monitor
from tui_tracker.core.text import clean_text
from tui_tracker.core.urls import validate_url
from tui_tracker.core.validation import DEFAULT_INTERVAL, validate_email
from tui_tracker.store.secrets import MonitorSecrets


def validate_extraction(selector: str | None, regex: str | None) -> None:
    from tui_tracker.extractors import validate_regex, validate_selector

    if selector:
        validate_selector(selector)
    if regex:
        validate_regex(regex)


def apply_args(m: Monitor, args: argparse.Namespace) -> Monitor:
    """Copy every option the user gave onto `m`, validating each; returns `m`."""
    if getattr(args, "url", None):
        m.url = validate_url(args.url)
    if args.name is not None:
        m.name = clean_text(args.name, 120)
    if args.kind is not None:
        m.kind = Kind(args.kind)
    if args.fetch is not None:
        m.fetcher = FetchMode(args.fetch)
    if args.selector is not None:
        m.selector = args.selector.strip() or None
    if args.regex is not None:
        m.regex = args.regex or None
    validate_extraction(m.selector, m.regex)
    if args.interval is not None:
        m.interval = parse_interval(args.interval)
    for opt in ("below", "drop_pct", "seats_at_least"):
        value = getattr(args, opt)
        if value is not None:
            if not value >= 0 or value == float("inf"):
                raise InputError(f"--{opt.replace('_', '-')} must be a positive number.")
            setattr(m.rules, opt, value)
    if args.drop_pct is not None and not 0 < args.drop_pct < 100:
        raise InputError("--drop-pct must be between 0 and 100.")
    if args.any_change:
        m.rules.any_change = True
    if args.email:
        m.emails = [validate_email(a) for a in args.email]
    return m


def new_monitor(args: argparse.Namespace) -> Monitor:
    m = Monitor(id="", url=validate_url(args.url), interval=DEFAULT_INTERVAL)
    return apply_args(m, args)


def secrets_from_args(m: Monitor, args: argparse.Namespace, current: MonitorSecrets
                      ) -> MonitorSecrets | None:
    """The monitor's secrets with what `--header/--cookie/--proxy/--notify` gave, or None
    when none of them was given. Each given option replaces that list (`--notify ''`
    clears the alert URLs)."""
    given = [getattr(args, k, None) for k in ("header", "cookie", "proxy", "notify")]
    if all(v is None for v in given):
        return None
    out = MonitorSecrets(list(current.headers), list(current.cookies), current.proxy,
                         list(current.notify_urls))
    host = (urlsplit(m.url).hostname or "").lower()
    if args.header is not None:
        out.headers = [parse_header_arg(h) for h in args.header if h.strip()]
    if args.cookie is not None:
        out.cookies = [parse_cookie_arg(c, host) for c in args.cookie if c.strip()]
    if args.proxy is not None:
        out.proxy = validate_proxy(args.proxy) if args.proxy.strip() else None
    if args.notify is not None:
        from tui_tracker.notifiers.apprise_notify import validate_notify_url

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
