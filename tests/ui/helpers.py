"""Waiting helpers for pilot tests: poll a condition between pilot pauses, with a deadline."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot

from tests.waiting import wait_until_async

DEADLINE = 20.0


async def wait_for(pilot: Pilot, condition: Callable[[], object], what: str,
                   timeout: float = DEADLINE) -> None:
    """Let the app run until `condition()` is truthy; fail naming `what` after `timeout`."""
    await wait_until_async(condition, timeout, what, pause=lambda: pilot.pause(0.05))


def screen_text(app: App) -> str:
    """The screen as a user reads it: the SVG screenshot's text, tags removed."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
