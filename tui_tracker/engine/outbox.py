"""The durable outbox: record every alert first, then send it, retrying until it is done.

Delivery is at-least-once. `record` writes the event with one pending delivery per
recipient to the store *before* anything is sent, so a crash between firing and
sending loses nothing: the next `deliver_due` (in this process or after a
restart) sends it. State is saved after each recipient's message, so a crash in
the middle of a pass can at worst repeat one message.

Every store call runs through `io` (the engine's store thread), never on the event
loop: the TUI shares that loop. A delivery state that could not be saved (disk
full) is kept in memory and saved with the next pass, so a sent mail is not sent
again every half second while the disk stays full.

Sending policy (DESIGN "Notifications", HOSTILE-INPUTS D 38/44):

- One message per recipient per pass: every pending delivery to the same address
  goes out together (several sections opening in one pass = one mail).
- A failed send backs off: 20 s, then x3 each time (60 s, 3 min, 9 min, 27 min, then
  1 h), each with +-25 % jitter so many recipients do not retry in step; the first
  retry comes within 30 s. After `MAX_ATTEMPTS` tries, or at once for a permanent
  error (bad login, rejected recipient, email not configured), the delivery is
  `failed` and keeps the reason.
- Flood guard: at most `max_per_hour` messages per recipient in any hour (the
  `max_alerts_per_hour` setting, default 20; 0 turns the guard off). Past that, alerts
  are still recorded (and visible in the history) but wait, and go out together as one
  digest message when the hour's window frees a slot. Two kinds of alert are never held:
  a seat opening (it is worth nothing an hour late), and a monitor's first alert in
  the window (one noisy monitor must not silence the others). The count is rebuilt
  from the stored deliveries when a process starts. The hour is measured on the
  monotonic clock (HOSTILE-INPUTS 51): a wall clock stepped forward a day must not
  release held mails early, nor one stepped back an hour hold them for two.

The same holds for every channel: email (aiosmtplib) and the Apprise URLs (ntfy,
Telegram, Slack, Discord, Pushover, Matrix, webhooks) of engine/channels.py; a
delivery's `to` is the address, or the Apprise URL masked (it holds a secret).
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from tui_tracker.config import Settings
from tui_tracker.core.errors import NotifyError, StoreError
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
HOUR = WINDOW.total_seconds()

log = logging.getLogger(__name__)

IO = Callable[..., Awaitable[Any]]
"""Runs a blocking store call off the event loop: `await io(fn, *args)`."""


def retry_delay(attempts: int, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait after the `attempts`-th failed try (1-based), jittered and capped."""
    base = min(RETRY_CAP, FIRST_RETRY * RETRY_FACTOR ** max(0, attempts - 1))
    return min(RETRY_CAP, base * (0.75 + 0.5 * rng()))


def new_event_id() -> str:
    """Short (10 hex chars), unique enough for a person's alert history.

    (The first 10 hex digits of a uuid4 are 40 random bits, as these are; `uuid` itself
    costs a `check` 2-3 ms to import, `platform` included.)
    """
    return secrets.token_hex(5)


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
        io: runs store calls off the loop (default: `asyncio.to_thread`).
        monotonic: a clock that never jumps (the engine's). Retries this process
            schedules, and the storm guard's hour, are timed on it, so a wall clock
            stepped back an hour does not hold a retry back for an hour;
            `next_attempt` and `sent_at` (wall time) are still stored for display and
            for the next process. Without it, the wall clock serves for both.
    """

    def __init__(self, store: MonitorStore, notifier: Sender | None, settings: Settings, *,
                 now: Callable[[], datetime] = utcnow,
                 rng: Callable[[], float] = random.random,
                 max_per_hour: int | None = None, max_attempts: int = MAX_ATTEMPTS,
                 secrets: Secrets | None = None,
                 io: IO = asyncio.to_thread,
                 monotonic: Callable[[], float] | None = None) -> None:
        self.store = store
        self._io = io
        self._mono = monotonic
        self._retry_at: dict[tuple[str, str], float] = {}
        """(event id, recipient) -> monotonic time of its next try, for retries set here."""
        self._unsaved: dict[str, Event] = {}
        """Events whose new delivery state the store refused (disk full): memory wins."""
        self.save_error: str | None = None
        self.notifier = notifier
        self.secrets = secrets
        self.channels = Channels(notifier, settings, secrets)
        self.settings = settings
        self._now = now
        self._rng = rng
        self.max_per_hour = (max_per_hour if max_per_hour is not None else
                             getattr(settings, "max_alerts_per_hour", MAX_PER_HOUR))
        self.max_attempts = max_attempts
        self._sent: dict[str, list[float]] = {}
        """recipient -> when (`_tick()` seconds) each of its recent mails went out."""
        self._sent_for: dict[tuple[str, str], float] = {}
        """(recipient, monitor id) -> when (`_tick()` seconds) an alert of that monitor
        last went there."""
        self._sent_loaded = False
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------------ record

    def compose(self, monitor: Monitor, fired: list[Fired], old: list[Reading] | None,
                new: list[Reading] | None, at: datetime | None = None) -> list[Event]:
        """One event per `Fired` (a check's value rules already share one, see
        `rules.merge`), each with a pending delivery per recipient; no I/O.

        With no recipients the event still exists, with no deliveries, so the history
        and the TUI show it.
        """
        now = at or self._now()
        to = [(CHANNEL, a) for a in recipients_for(monitor, self.settings)]
        to += url_targets(monitor.id, self.settings, self.secrets)
        return [
            Event(
                id=new_event_id(), monitor_id=monitor.id, at=now, rule=f.rule,
                rules=list(f.all_rules), old_in_stock=f.old_in_stock,
                new_in_stock=f.new_in_stock,
                message=clean_text(f.message, 1000),
                monitor_name=clean_text(monitor.display_name, 120),
                url=monitor.final_url or monitor.url,
                old=list(old or []), new=list(new or []),
                deliveries=[Delivery(channel=c, to=a, next_attempt=now) for c, a in to],
            )
            for f in fired
        ]

    async def record(self, monitor: Monitor, fired: list[Fired], old: list[Reading] | None,
                     new: list[Reading] | None) -> list[Event]:
        """`compose` and store the events in one write; durable when it returns.

        Raises StoreError (nothing stored) when the disk refuses.
        """
        events = self.compose(monitor, fired, old, new)
        await self._io(self.store.add_events, events)
        return events

    # ------------------------------------------------------------------ deliver

    async def deliver_due(self) -> list[Event]:
        """Send every due pending delivery, one message per recipient; never raises for
        a failed send. Returns the events whose deliveries changed (in the store too)."""
        async with self._lock:
            await self._save_unsaved()
            now = self._now()
            groups = await self._pending_by_recipient()
            changed: dict[str, Event] = {}
            for items in groups.values():
                if not any(self._due(ev, d, now) for ev, d in items):
                    continue
                if self.notifier is None and items[0][1].channel == CHANNEL:
                    for ev, d in items:
                        d.state, d.error = DeliveryState.FAILED, NOT_CONFIGURED
                        d.next_attempt = None
                        changed[ev.id] = ev
                    await self._save(items)
                    continue
                hold = await self._storm_hold(items[0][1].to, now)
                if hold is not None:
                    urgent = [(ev, d) for ev, d in items if self._never_held(ev, d, now)]
                    rest = [(ev, d) for ev, d in items if (ev, d) not in urgent]
                    if rest:
                        await self._postpone(rest, hold, changed)
                    if urgent:
                        await self._send_group(urgent, changed)
                    continue
                await self._send_group(items, changed)
            return list(changed.values())

    async def next_due(self) -> datetime | None:
        """When `deliver_due` next has something to do (None: nothing is pending)."""
        return (await self._earliest())[1]

    async def next_wait(self) -> float | None:
        """Seconds until `deliver_due` next has something to do (None: nothing pending).

        Said in seconds, not as a wall time for the caller to subtract its own reading of
        the clock from: a wall clock stepped back an hour between the two readings would
        otherwise hold a retry due in 20 s back for an hour."""
        now, due = await self._earliest()
        return None if due is None else (due - now).total_seconds()

    async def _earliest(self) -> tuple[datetime, datetime | None]:
        """(the clock's reading, the earliest pending delivery's due time by it)."""
        now = self._now()
        times = [self._when(ev, d, now)
                 for ev in await self._pending_events() for d in ev.deliveries
                 if d.state is DeliveryState.PENDING]
        return now, min(times, default=None)

    def _when(self, ev: Event, d: Delivery, now: datetime) -> datetime:
        """When a pending delivery is due, in wall time as the clock reads now."""
        at = self._retry_at.get((ev.id, d.to)) if self._mono is not None else None
        if at is not None:
            return now + timedelta(seconds=at - self._mono())  # type: ignore[misc]
        return d.next_attempt or now

    def _due(self, ev: Event, d: Delivery, now: datetime) -> bool:
        return self._when(ev, d, now) <= now

    def _tick(self) -> float:
        """Seconds on the clock that times the storm guard: monotonic when we have one."""
        return self._mono() if self._mono is not None else self._now().timestamp()

    def _set_retry(self, ev: Event, d: Delivery, now: datetime, when: datetime) -> None:
        d.next_attempt = when
        if self._mono is not None:
            self._retry_at[(ev.id, d.to)] = self._mono() + (when - now).total_seconds()

    # ------------------------------------------------------------------ internals

    async def _pending_events(self) -> list[Event]:
        """The store's pending events, with our unsaved newer states taking precedence."""
        stored = await self._io(self.store.pending_events)
        merged = {ev.id: self._unsaved.get(ev.id, ev) for ev in stored}
        for ev in self._unsaved.values():
            merged.setdefault(ev.id, ev)
        pending = [ev for ev in merged.values()
                   if any(d.state is DeliveryState.PENDING for d in ev.deliveries)]
        return sorted(pending, key=lambda e: e.at)

    async def _pending_by_recipient(self) -> dict[str, list[tuple[Event, Delivery]]]:
        groups: dict[str, list[tuple[Event, Delivery]]] = {}
        for ev in await self._pending_events():
            for d in ev.deliveries:
                if d.state is DeliveryState.PENDING:
                    groups.setdefault(self.channels.key(ev, d), []).append((ev, d))
        return groups

    async def _send_group(self, items: list[tuple[Event, Delivery]],
                          changed: dict[str, Event]) -> None:
        events = list({id(ev): ev for ev, _ in items}.values())
        to = items[0][1].to
        error: NotifyError | None = None
        from tui_tracker.notifiers.compose import body_for, subject_for  # only with alerts

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
            self._retry_at.pop((ev.id, d.to), None)
            if error is None:
                d.state, d.error, d.next_attempt = DeliveryState.SENT, None, None
                d.sent_at = now
            elif error.permanent or d.attempts >= self.max_attempts:
                d.state, d.error, d.next_attempt = DeliveryState.FAILED, error.message, None
            else:
                d.error = error.message
                self._set_retry(ev, d, now, now + timedelta(
                    seconds=retry_delay(d.attempts, self._rng)))
        if error is None:
            tick = self._tick()
            self._sent.setdefault(to.strip().lower(), []).append(tick)
            for ev, _d in items:
                self._sent_for[(to.strip().lower(), ev.monitor_id)] = tick
        await self._save(items)

    def _never_held(self, ev: Event, d: Delivery, now: datetime) -> bool:
        """A seat opening, or the first alert of its monitor to this place in the window."""
        if "seats_opened" in (ev.rules or [ev.rule]):
            return True
        last = self._sent_for.get((d.to.strip().lower(), ev.monitor_id))
        return last is None or self._tick() - last >= HOUR

    async def _storm_hold(self, to: str, now: datetime) -> datetime | None:
        """None when a message to `to` may go now, else when the hour's window frees up."""
        key = to.strip().lower()
        if self._sent_loaded is False:
            await self._load_sent(now)
        if not self.max_per_hour or self.max_per_hour <= 0:
            return None
        tick = self._tick()
        recent = [t for t in self._sent.get(key, []) if tick - t < HOUR]
        self._sent[key] = recent
        if len(recent) < self.max_per_hour:
            return None
        return now + timedelta(seconds=min(recent) + HOUR - tick)

    async def _load_sent(self, now: datetime) -> None:
        """Count the last hour's mails from the store: cron runs `check` as new processes.

        Stored times are wall times (the only clock shared with earlier processes): each
        mail counts for as long as the wall clock says its hour has left.
        """
        self._sent_loaded = True
        tick = self._tick()
        for ev in await self._io(self.store.events):
            if now - ev.at > 2 * WINDOW:
                continue
            for d in ev.deliveries:
                if d.state is DeliveryState.SENT and d.sent_at and now - d.sent_at < WINDOW:
                    key = d.to.strip().lower()
                    at = tick - (now - d.sent_at).total_seconds()
                    self._sent.setdefault(key, []).append(at)
                    last = self._sent_for.get((key, ev.monitor_id))
                    if last is None or at > last:
                        self._sent_for[(key, ev.monitor_id)] = at

    async def _postpone(self, items: list[tuple[Event, Delivery]], hold: datetime,
                        changed: dict[str, Event]) -> None:
        note = (f"held back: more than {self.max_per_hour} alerts to this address in an hour "
                "(the max_alerts_per_hour setting); will go out as one digest")
        touched = []
        for ev, d in items:
            if d.next_attempt is None or d.next_attempt < hold or d.error != note:
                self._set_retry(ev, d, self._now(), max(hold, d.next_attempt or hold))
                d.error = note
                changed[ev.id] = ev
                touched.append((ev, d))
        await self._save(touched)

    async def _save(self, items: list[tuple[Event, Delivery]]) -> None:
        for ev in {id(ev): ev for ev, _ in items}.values():
            self._unsaved[ev.id] = ev
        await self._save_unsaved()

    async def _save_unsaved(self) -> None:
        """Write the delivery states not saved yet; on failure keep them for the next pass."""
        for eid, ev in list(self._unsaved.items()):
            try:
                await self._io(self.store.update_event, ev)
            except StoreError as exc:
                if self.save_error != str(exc):
                    log.error("could not save delivery state: %s", exc)
                self.save_error = str(exc)
                return
            if self._unsaved.get(eid) is ev:
                del self._unsaved[eid]
        self.save_error = None


