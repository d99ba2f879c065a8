"""Where an alert goes: email addresses (aiosmtplib) and Apprise URLs, one outbox for both.

A monitor's Apprise URLs are its own (`--notify`, in the secrets file), else
`notify_urls` from config. A delivery stores the URL only masked (`ntfy://host/…`),
so the real URL is looked up again at send time among the monitor's current URLs;
one that was removed since fails with a sentence saying so.
"""

from __future__ import annotations

import logging
from typing import Any

from tui_tracker.config import Settings
from tui_tracker.core.errors import NotifyError, TrackerError
from tui_tracker.core.model import Delivery, Event
from tui_tracker.notifiers.apprise_notify import channel_of, masked_targets, send_apprise
from tui_tracker.notifiers.base import Sender

EMAIL = "email"
log = logging.getLogger(__name__)


def alert_urls(monitor_id: str, settings: Settings, secrets: Any) -> list[str]:
    """The Apprise URLs alerts of `monitor_id` go to (its own, else the config default).

    A damaged secrets file must not stop alerts: the config default is used then (the
    checks themselves report the damage).
    """
    own: list[str] = []
    if secrets is not None and monitor_id:
        try:
            own = secrets.monitor(monitor_id).notify_urls
        except TrackerError as exc:
            log.warning("alert URLs of %s unavailable: %s", monitor_id, exc)
    return list(own or settings.notify_urls)


def url_targets(monitor_id: str, settings: Settings, secrets: Any) -> list[tuple[str, str]]:
    """(channel, masked URL) for each Apprise URL of the monitor."""
    urls = alert_urls(monitor_id, settings, secrets)
    return list(zip([channel_of(u) for u in urls], masked_targets(urls), strict=True))


class Channels:
    """Sends one message for a delivery through its channel."""

    def __init__(self, email: Sender | None, settings: Settings, secrets: Any) -> None:
        self.email = email
        self.settings = settings
        self.secrets = secrets

    def resolve(self, event: Event, delivery: Delivery) -> str | None:
        """The real URL behind an Apprise delivery's masked `to`, or None if gone."""
        urls = alert_urls(event.monitor_id, self.settings, self.secrets)
        return dict(zip(masked_targets(urls), urls, strict=True)).get(delivery.to)

    def key(self, event: Event, delivery: Delivery) -> str:
        """What deliveries share one message by: the address, or the real URL."""
        if delivery.channel == EMAIL:
            return f"{EMAIL}:{delivery.to.strip().lower()}"
        url = self.resolve(event, delivery)
        return f"url:{url}" if url else f"gone:{event.monitor_id}:{delivery.to}"

    async def send(self, event: Event, delivery: Delivery, subject: str, body: str) -> None:
        if delivery.channel == EMAIL:
            if self.email is None:
                raise NotifyError("email is not configured", permanent=True)
            await self.email.send([delivery.to], subject, body)
            return
        url = self.resolve(event, delivery)
        if url is None:
            raise NotifyError(f"{delivery.to} is no longer among this monitor's alert URLs.",
                              permanent=True)
        await send_apprise(url, subject, body)
