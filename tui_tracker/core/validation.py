"""Checks on what a person types for a monitor, shared by the CLI and the add/edit form."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tui_tracker.core.errors import InputError
from tui_tracker.core.text import clean_text

DEFAULT_INTERVAL = 600.0
"""Ten minutes: frequent enough for prices and seats, polite to the site."""
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_email(addr: str) -> str:
    """The address stripped, or InputError; no control characters can reach a header."""
    addr = addr.strip()
    if not _EMAIL.match(addr) or any(not ch.isprintable() for ch in addr):
        raise InputError(f"{addr!r} is not an email address.")
    return addr


def name_from_url(url: str) -> str:
    """`shop.example/kettle`: the fallback name when the page offers no title."""
    parts = urlsplit(url)
    return clean_text(f"{parts.hostname}{parts.path.rstrip('/')}", 80)
