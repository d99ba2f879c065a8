"""Fetcher names users type (`http`, `browser`) mapped to their classes, imported on use.

The map holds "module:Class" strings rather than classes so that `tui-tracker list`
or an HTTP-only check never imports Playwright (its import alone costs ~100 ms and
pulls in greenlet); only the first browser check does.
"""

from __future__ import annotations

import importlib

from tui_tracker.core.errors import InputError
from tui_tracker.fetchers.base import Fetcher

FETCHERS: dict[str, str] = {
    "http": "tui_tracker.fetchers.http:HttpFetcher",
    "browser": "tui_tracker.fetchers.browser:BrowserFetcher",
}


def load_fetcher(name: str) -> type[Fetcher]:
    """Import and return the fetcher class registered as `name`.

    Raises:
        InputError: `name` is not a known fetcher (the message lists the known ones).
    """
    target = FETCHERS.get(name)
    if target is None:
        known = ", ".join(sorted(FETCHERS))
        raise InputError(f"Unknown fetcher {name!r}; choose one of: {known}.")
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Fetcher)):
        raise TypeError(f"{target} is not a Fetcher subclass")  # a programming error
    return cls
