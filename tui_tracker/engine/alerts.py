"""Alert channels as the CLI and the TUI may use them: test sends and URL checks.

Windows import no notifier themselves (an import-linter contract); these thin calls
are the engine-level doors to what `notify-test` and `--notify` need.
"""

from __future__ import annotations

from tui_tracker.config import Settings


async def send_test_mail(settings: Settings, to: list[str] | None) -> str:
    """One test mail with these settings; NotifyError says exactly what failed."""
    from tui_tracker.notifiers.smtp import send_test

    return await send_test(settings, to)


async def send_test_url(url: str, title: str, body: str) -> None:
    """One test alert through an Apprise URL; NotifyError says what failed."""
    from tui_tracker.notifiers.apprise_notify import send_apprise

    await send_apprise(url, title, body)


def validate_notify_url(url: str) -> str:
    """The URL when Apprise knows its scheme; InputError otherwise."""
    from tui_tracker.notifiers.apprise_notify import validate_notify_url as check

    return check(url)


def describe_url(url: str) -> tuple[str, str]:
    """(channel name, the URL with its secret parts masked) for printing."""
    from tui_tracker.notifiers.apprise_notify import channel_of, mask_url

    return channel_of(url), mask_url(url)
