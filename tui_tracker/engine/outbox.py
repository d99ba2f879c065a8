"""The durable outbox: record every alert first, then send it, retrying until it is done.

Delivery is at-least-once. `record` writes the event with one pending delivery per
recipient to the store *before* anything is sent, so a crash between firing and
sending loses nothing: the next `deliver_due` (in this process or after a
restart) sends it. State is saved after each recipient's message, so a crash in
the middle of a pass can at worst repeat one message.

Sending policy (DESIGN "Notifications", HOSTILE-INPUTS D 38/44):

- One message per recipient per pass: every pending delivery to the same address
  goes out together (several sections opening in one pass = one mail).
- A failed send backs off: 20 s, then x3 each time (60 s, 3 min, 9 min, 27 min, then
  1 h), each with +-25 % jitter so many recipients do not retry in step; the first
  retry comes within 30 s. After `MAX_ATTEMPTS` tries, or at once for a permanent
  error (bad login, rejected recipient, email not configured), the delivery is
  `failed` and keeps the reason.
- Storm guard: at most `max_per_hour` (20) messages per recipient in any hour. Past
  that, alerts are still recorded (and visible in the history) but wait, and go out
  together as one digest message when the hour's window frees a slot. The window is
  kept in memory: a restart forgets it, which at worst lets one more burst through.

The same holds for every channel: email (aiosmtplib) and the Apprise URLs (ntfy,
Telegram, Slack, Discord, Pushover, Matrix, webhooks) of engine/channels.py; a
delivery's `to` is the address, or the Apprise URL masked (it holds a secret).
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from tui_tracker.config import Settings
from tui_tracker.core.errors import NotifyError
from tui_tracker.core.model import (
    Delivery,
    DeliveryState,
    Event,
    Monitor,
    Reading,
    utcnow,
)
from tui_tracker.core.rules import Fired
from tui_tracker.core.text import clean_text
from tui_tracker.engine.channels import Channels, url_targets
from tui_tracker.notifiers.base import Sender
from tui_tracker.notifiers.compose import body_for, subject_for
from tui_tracker.store.protocol import MonitorStore
from tui_tracker.store.secrets import Secrets

CHANNEL = "email"
MAX_ATTEMPTS = 8
FIRST_RETRY = 20.0
RETRY_FACTOR = 3.0
RETRY_CAP = 3600.0
MAX_PER_HOUR = 20
NOT_CONFIGURED = "email is not configured (set TUI_TRACKER_SMTP_HOST to send alerts by mail)."
WINDOW = timedelta(hours=1)


def retry_delay(attempts: int, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait after the `attempts`-th failed try (1-based), jittered and capped."""
    base = min(RETRY_CAP, FIRST_RETRY * RETRY_FACTOR ** max(0, attempts - 1))
    return min(RETRY_CAP, base * (0.75 + 0.5 * rng()))


def new_event_id() -> str:
    """Short (10 hex chars), unique enough for a person's alert history."""
    return uuid.uuid4().hex[:10]


def recipients_for(monitor: Monitor, settings: Settings) -> list[str]:
    """The monitor's own addresses, else the default list; trimmed, without duplicates."""
    out: list[str] = []
    seen: set[str] = set()
    for addr in monitor.emails or settings.notify_to or []:
        a = str(addr).strip()
        if a and a.lower() not in seen:
            seen.add(a.lower())
            out.append(a)
    return out


class Outbox:
    """Records alerts as events and delivers their pending deliveries.

    Args:
        store: the repository (`add_event`, `update_event`, `pending_events`).
        notifier: the email notifier, or None when email is not configured.
        settings: default recipients (`notify_to`).
        now: the clock (tests drive time with it).
        rng: jitter source in [0, 1).
        max_per_hour: the storm guard's limit per recipient.
        max_attempts: tries before a delivery is marked failed.
    """

    def __init__(self, store: MonitorStore, notifier: Sender | None, settings: Settings, *,
                 now: Callable[[], datetime] = utcnow,
                 rng: Callable[[], float] = random.random,
                 max_per_hour: int = MAX_PER_HOUR, max_attempts: int = MAX_ATTEMPTS,
                 secrets: Secrets | None = None) -> None:
        self.store = store
        self.notifier = notifier
        self.secrets = secrets
        self.channels = Channels(notifier, settings, secrets)
        self.settings = settings
        self._now = now
        self._rng = rng
        self.max_per_hour = max_per_hour
        self.max_attempts = max_attempts
        self._sent: dict[str, list[datetime]] = {}
        self._sent_loaded = False
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------------ record

    def record(self, monitor: Monitor, fired: list[Fired], old: list[Reading] | None,
               new: list[Reading] | None) -> list[Event]:
        """Store one event per fired rule, each with a pending delivery per recipient.

        Durable when it returns (the store's `add_event` is), and nothing is sent
        here. With no recipients the event is still recorded, with no deliveries,
        so the history and the TUI show it.
        """
        now = self._now()
        to = [(CHANNEL, a) for a in recipients_for(monitor, self.settings)]
        to += url_targets(monitor.id, self.settings, self.secrets)
        events: list[Event] = []
        for f in fired:
            event = Event(
                id=new_event_id(), monitor_id=monitor.id, at=now, rule=f.rule,
                message=clean_text(f.message, 1000),
                monitor_name=clean_text(monitor.display_name, 120),
                url=monitor.final_url or monitor.url,
                old=list(old or []), new=list(new or []),
                deliveries=[Delivery(channel=c, to=a, next_attempt=now) for c, a in to],
            )
            self.store.add_event(event)
            events.append(event)
        return events

    # ------------------------------------------------------------------ deliver

    async def deliver_due(self) -> list[Event]:
        """Send every due pending delivery, one message per recipient; never raises for
        a failed send. Returns the events whose deliveries changed (in the store too)."""
        async with self._lock:
            now = self._now()
            groups = self._pending_by_recipient()
            changed: dict[str, Event] = {}
            for items in groups.values():
                if not any(_due(d, now) for _, d in items):
                    continue
                if self.notifier is None and items[0][1].channel == CHANNEL:
                    for ev, d in items:
                        d.state, d.error = DeliveryState.FAILED, NOT_CONFIGURED
                        d.next_attempt = None
                        changed[ev.id] = ev
                    self._save(items)
                    continue
                hold = self._storm_hold(items[0][1].to, now)
                if hold is not None:
                    self._postpone(items, hold, changed)
                    continue
                await self._send_group(items, changed)
            return list(changed.values())

    def next_due(self) -> datetime | None:
        """When `deliver_due` next has something to do (None: nothing is pending)."""
        times = [d.next_attempt or self._now()
                 for ev in self.store.pending_events() for d in ev.deliveries
                 if d.state is DeliveryState.PENDING]
        return min(times, default=None)

    # ------------------------------------------------------------------ internals

    def _pending_by_recipient(self) -> dict[str, list[tuple[Event, Delivery]]]:
        groups: dict[str, list[tuple[Event, Delivery]]] = {}
        events = sorted(self.store.pending_events(), key=lambda e: e.at)
        for ev in events:
            for d in ev.deliveries:
                if d.state is DeliveryState.PENDING:
                    groups.setdefault(self.channels.key(ev, d), []).append((ev, d))
        return groups

    async def _send_group(self, items: list[tuple[Event, Delivery]],
                          changed: dict[str, Event]) -> None:
        events = list({id(ev): ev for ev, _ in items}.values())
        to = items[0][1].to
        error: NotifyError | None = None
        try:
            await self.channels.send(items[0][0], items[0][1], subject_for(events),
                                     body_for(events))
        except NotifyError as exc:
            error = exc
        except Exception as exc:  # a notifier bug must not stop the other recipients
            error = NotifyError(f"Sending failed unexpectedly: {clean_text(exc, 200)}.")
        now = self._now()
        for ev, d in items:
            d.attempts += 1
            changed[ev.id] = ev
            if error is None:
                d.state, d.error, d.next_attempt = DeliveryState.SENT, None, None
                d.sent_at = now
            elif error.permanent or d.attempts >= self.max_attempts:
                d.state, d.error, d.next_attempt = DeliveryState.FAILED, error.message, None
            else:
                d.error = error.message
                d.next_attempt = now + timedelta(seconds=retry_delay(d.attempts, self._rng))
        if error is None:
            self._sent.setdefault(to.strip().lower(), []).append(now)
        self._save(items)

    def _storm_hold(self, to: str, now: datetime) -> datetime | None:
        """None when a message to `to` may go now, else when the hour's window frees up."""
        key = to.strip().lower()
        if self._sent_loaded is False:
            self._load_sent(now)
        recent = [t for t in self._sent.get(key, []) if now - t < WINDOW]
        self._sent[key] = recent
        if len(recent) < self.max_per_hour:
            return None
        return min(recent) + WINDOW

    def _load_sent(self, now: datetime) -> None:
        """Count the last hour's mails from the store: cron runs `check` as new processes."""
        self._sent_loaded = True
        for ev in self.store.events():
            if now - ev.at > 2 * WINDOW:
                continue
            for d in ev.deliveries:
                if d.state is DeliveryState.SENT and d.sent_at and now - d.sent_at < WINDOW:
                    self._sent.setdefault(d.to.strip().lower(), []).append(d.sent_at)

    def _postpone(self, items: list[tuple[Event, Delivery]], hold: datetime,
                  changed: dict[str, Event]) -> None:
        note = (f"held back: more than {self.max_per_hour} mails to this address in an hour; "
                "will go out as one digest")
        touched = []
        for ev, d in items:
            if d.next_attempt is None or d.next_attempt < hold or d.error != note:
                d.next_attempt = max(hold, d.next_attempt or hold)
                d.error = note
                changed[ev.id] = ev
                touched.append((ev, d))
        self._save(touched)

    def _save(self, items: list[tuple[Event, Delivery]]) -> None:
        for ev in {id(ev): ev for ev, _ in items}.values():
            self.store.update_event(ev)


def _due(d: Delivery, now: datetime) -> bool:
    return d.next_attempt is None or d.next_attempt <= now
