"""Command-line options as a `MonitorInput`: the CLI passes what was typed, core validates it."""

from __future__ import annotations

import argparse

from tui_tracker.core.monitor_input import MonitorInput


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
        any_change=True if args.any_change else None,
        emails=args.email,
    )
