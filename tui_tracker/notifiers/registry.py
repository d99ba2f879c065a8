"""Notifier plug-ins by the channel names users see, imported on first use.

Loading lazily keeps `aiosmtplib` out of commands that never send (`list`, `history`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tui_tracker.core.errors import ConfigError

if TYPE_CHECKING:
    from tui_tracker.config import Settings
    from tui_tracker.notifiers.base import Notifier

NOTIFIERS: dict[str, str] = {
    "email": "tui_tracker.notifiers.smtp:SmtpNotifier",
}


def notifier_class(name: str) -> type[Notifier]:
    """The class registered for channel `name`; ConfigError listing the known ones."""
    try:
        target = NOTIFIERS[name]
    except KeyError:
        known = ", ".join(sorted(NOTIFIERS))
        raise ConfigError(f"Unknown notification channel {name!r}; known: {known}.") from None
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def create_notifier(settings: Settings, name: str = "email", **kwargs: object) -> Notifier | None:
    """The configured notifier for `name`, or None when that channel is not configured.

    For email, "configured" means an SMTP host is set; the outbox marks deliveries
    failed with "email is not configured" when this returns None.
    """
    if name == "email" and not settings.smtp_host:
        return None
    factory: Any = notifier_class(name)  # each class takes (settings, **options)
    return factory(settings, **kwargs)
