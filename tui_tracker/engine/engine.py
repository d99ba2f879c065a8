"""The engine: one scheduler, bounded concurrent checks, state kept and saved, events published.

One instance per process, on one asyncio loop (the TUI's or the headless runner's).
The UI and CLI talk to it through the public coroutines below; it tells them what
happened through `subscribe()` callbacks with the dataclasses in `engine/events.py`.

Scheduling keeps a heap of (due time on the monotonic clock, monitor id) and one
task that sleeps until the earliest entry or until woken by a user action; it starts
a task only for a check that is due. Wall-clock `next_check` is persisted for display
and restarts, never used for timing, so clock steps cause no bursts or stalls. Both
clocks come from an injectable `Clock` (engine/clock.py).

A check's durable writes (its history point, and the alert events with the rule
state they fired with) go to the store in one step off the loop. If the disk refuses,
the monitor stays as it was before the check, so the alert fires again on a later
check instead of being lost (issue 10.2).

A check and a user's edit may finish in either order (a check waits on the page, an
edit on its own probe and write), so neither replaces the monitor object: a check
works on a copy and, once its writes are durable, merges the fields it owns
(`_CHECK_FIELDS`) onto the monitor as it is then; an edit sets the user's fields on
that same object. A result for a page, kind, fetcher, selector or regex the user has
since changed answers an old question and is dropped (issue 9), so a stale reading
is never shown for the new spec.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import copy
import dataclasses
import functools
import heapq
import logging
import os
import random
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie, jar_changed, refreshed_sessions
from tui_tracker.core.errors import InputError, StoreError, TrackerError
from tui_tracker.core.model import (
    Event,
    FetchMode,
    HistoryEntry,
    Kind,
    Mode,
    Monitor,
    copy_monitor_shallow,
)
from tui_tracker.core.urls import host_of
from tui_tracker.engine import events as ev
from tui_tracker.engine import learned
from tui_tracker.engine.access import access_for
from tui_tracker.engine.activity import SIZE as ACTIVITY_SIZE
from tui_tracker.engine.activity import ActivityLog, restore
from tui_tracker.engine.checker import CheckOutcome, apply_result
from tui_tracker.engine.clock import Clock
from tui_tracker.engine.outbox import Outbox
from tui_tracker.engine.probe import FetcherPool, ProbeResult, probe
from tui_tracker.engine.reuse import previous_of
from tui_tracker.notifiers.base import Sender
from tui_tracker.store.protocol import MonitorStore
from tui_tracker.store.secrets import MonitorSecrets, Secrets

log = logging.getLogger(__name__)

Subscriber = Callable[[ev.EngineEvent], None]
FLUSH_EVERY = 1.0
"""Seconds between batched saves of check state (user actions save at once)."""
SAVE_RETRY = 30.0
"""After a check whose results could not be saved (disk full), check again this soon."""
STOP_GRACE = 5.0
"""`stop` waits at most this long for each step (tasks, last save, browser), so
shutdown completes within seconds whatever state the store or browser is in."""


_CHECK_FIELDS = ("kind", "resolved_fetcher", "title", "readings", "in_stock", "source",
                 "final_url", "last_checked", "last_success", "last_changed", "next_check",
                 "error", "failures", "blocked", "rule_state", "last_event", "fetch_state",
                 "learned")
"""What a check changes on a monitor (`apply_result`); the rest is the user's. `kind` is
both: a check resolves `auto` to what it found, and an edit may set it."""
_EDITED = (*(f.name for f in dataclasses.fields(Monitor)
             if f.name not in (*_CHECK_FIELDS, "id", "mode")), "kind")
"""What an edit sets (`Engine.update`); not `mode`, which pause and resume set alone."""
_LEARNED = ("resolved_fetcher", "fetch_state", "learned")
"""Check fields an edit of the page or extraction resets."""
_READ_OFF_THE_PAGE = ("title", "readings", "in_stock", "source", "final_url", "last_success",
                      "last_changed", "error", "failures", "blocked", "rule_state")
"""Check fields that describe what the page said. Pointed at another page (or read
another way), they describe something else: kept, the new page's first reading would be
compared with the old one's and alert a 'change' or a drop between two products."""
_FRESH = Monitor(id="", url="")


def _reads_another_page(before: Monitor, after: Monitor) -> bool:
    """Whether an edit makes the monitor read something else (not just another fetcher)."""
    return (before.url, before.kind, before.selector, before.regex) != (
        after.url, after.kind, after.selector, after.regex)


def _spec(m: Monitor) -> tuple[Any, ...]:
    """What a check's result answers: when this changes, an in-flight result is stale."""
    return (m.fetch_target, m.selector, m.regex)


def _snapshot(monitor: Monitor) -> Monitor:
    """An independent copy (what subscribers and the store get; the engine keeps mutating).

    Field by field rather than through `to_dict`/`from_dict`: a check takes three of
    these, and the round trip through ISO strings cost more than the extraction. The
    engine only ever *replaces* `rule_state`, `fetch_state` and `learned` (rules.py and
    learned.py return new dicts; the store deep-copies what it writes), so the copy
    may share them.
    """
    return copy_monitor_shallow(monitor)


class Engine:
    """Owns the monitors in memory; the store is their durable copy."""

    def __init__(self, store: MonitorStore, settings: Settings, *,
                 pool: FetcherPool | None = None, notifier: Sender | None = None,
                 rng: Callable[[], float] = random.random,
                 clock: Clock | None = None, keep_activity: bool = True) -> None:
        self.settings = settings
        self.store = store  # thread-safe: checks save from a worker thread
        self.pool = pool or FetcherPool(settings)
        self.clock = clock or Clock()
        self._rng = rng
        self.monitors: dict[str, Monitor] = {m.id: m for m in store.list_monitors()}
        data_dir = getattr(store, "data_dir", None)
        self.secrets: Secrets | None = Secrets(data_dir) if data_dir is not None else None
        """Sessions, per-monitor headers/cookies/proxy and alert URLs (secrets.json)."""
        if notifier is None:
            notifier = default_notifier(settings)
        self.outbox = Outbox(self.store, notifier, settings, now=self.clock.now,
                             io=self._in_thread, monotonic=self.clock.monotonic,
                             secrets=self.secrets)
        self._limits: Any = None
        self._subscribers: list[Subscriber] = []
        self.activity = ActivityLog(now=self.clock.now)
        """The recent events as lines (the TUI's log screen, `run`'s output); not kept
        (`keep_activity` false) by an engine no window can ask, such as `check`'s."""
        if keep_activity:
            self._subscribers.append(self.activity.record)
        self._heap: list[tuple[float, int, str]] = []
        self._due: dict[str, float] = {}
        self._seq = 0
        self._in_flight: dict[str, asyncio.Task[CheckOutcome | None]] = {}
        self._again: set[str] = set()
        """Monitors that fell due while being checked (an edit asks for a check at once):
        checked again as soon as the check in flight ends, not at its next interval."""
        self._dirty: set[str] = set()
        self._last_history: dict[str, datetime | None] = {}
        """When each monitor's newest history point was written (None: it has none),
        read from the store the first time a process checks it."""
        self._tasks: list[asyncio.Task[None]] = []
        self._wake: asyncio.Event | None = None
        self._outbox_wake: asyncio.Event | None = None
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tui-tracker-store")
        self.running = False
        self.save_error: str | None = None
        """Why the last batched save failed (disk full, ...); None once saving works."""

    # ------------------------------------------------------------------ events
    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback(event)` on the engine's loop for every event; returns unsubscribe."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def _emit(self, event: ev.EngineEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # a broken subscriber must not stop the engine
                log.exception("engine subscriber failed on %s", type(event).__name__)

    # --------------------------------------------------------------- lifecycle
    @property
    def limits(self) -> Any:
        if self._limits is None:
            from tui_tracker.engine.limits import HostLimits

            s = self.settings
            self._limits = HostLimits(s.concurrency, s.per_host, s.host_gap)
        return self._limits

    @property
    def busy(self) -> int:
        """Checks in flight right now."""
        return len(self._in_flight)

    @property
    def in_flight(self) -> frozenset[str]:
        """Ids of the monitors being checked right now."""
        return frozenset(self._in_flight)

    async def start(self) -> None:
        """Start the scheduler, the batched saver and the outbox sender."""
        if self.running:
            return
        self.running = True
        await self._load_activity()
        self.activity.note("start", f"the engine started (pid {os.getpid()})")
        self._wake = asyncio.Event()
        self._outbox_wake = asyncio.Event()
        now = self.clock.now()
        for m in self.monitors.values():
            if m.mode is Mode.ACTIVE:
                delay = (m.next_check - now).total_seconds() if m.next_check else 0.0
                self._schedule(m.id, max(0.0, delay))
        self._tasks = [
            asyncio.create_task(self._scheduler(), name="scheduler"),
            asyncio.create_task(self._flusher(), name="flusher"),
            asyncio.create_task(self._sender(), name="outbox"),
        ]

    async def stop(self) -> None:
        """Cancel checks in flight, save state, close the browser and HTTP client.

        Never raises and never hangs: each step gets `STOP_GRACE` seconds, and a state
        that cannot be saved (disk full) is logged, not retried forever.
        """
        if self.running:
            self.activity.note("stop", "the engine stopped")
        self.running = False
        tasks = self._tasks + list(self._in_flight.values())
        for task in tasks:
            task.cancel()
        if tasks:
            _, stuck = await asyncio.wait(tasks, timeout=STOP_GRACE)
            for task in stuck:
                log.error("%s did not stop within %.0f s; leaving it", task.get_name(),
                          STOP_GRACE)
        self._tasks = []
        for what, step in (("save check state", self.flush),
                           ("close the fetchers", self.pool.aclose)):
            try:
                async with asyncio.timeout(STOP_GRACE):
                    await step()
            except Exception as exc:
                log.error("could not %s while stopping: %s", what, exc or type(exc).__name__)
        self._io.shutdown(wait=False, cancel_futures=True)

    async def run_once(self, ids: Iterable[str] | None = None, *,
                       last: bool = False) -> list[CheckOutcome]:
        """One pass now over the given (or all active) monitors, then send due alerts.

        `last`: nothing follows (a `check` command), so the store's worker thread ends too.
        """
        targets = list(ids) if ids is not None else [
            m.id for m in self.monitors.values() if m.mode is Mode.ACTIVE
        ]
        try:
            await self._prefetch_history(targets)
            results = await asyncio.gather(*(self._check(mid) for mid in targets))
            await self.flush()
            await self.deliver()
            await self._save_activity()
        finally:
            await self.pool.aclose()
            if last:
                self._io.shutdown(wait=True)
        return [r for r in results if r is not None]

    async def deliver(self) -> list[Event]:
        """Send every alert delivery that is due now; publish their new states."""
        changed = await self.outbox.deliver_due()
        for event in changed:
            self._emit(ev.DeliveryUpdated(event))
        return changed

    async def _load_activity(self) -> None:
        """Put the activity lines saved by earlier runs back in the log (off the loop)."""
        try:
            saved = await self._in_thread(self.store.activity, ACTIVITY_SIZE)
        except Exception as exc:  # the log is a convenience: never stop the engine for it
            log.warning("could not read the saved activity log: %s", exc)
            return
        self.activity.preload(restore(saved))

    async def _save_activity(self) -> None:
        """Append the activity lines recorded since the last save (one write, off the loop)."""
        lines = self.activity.take_unsaved()
        if not lines:
            return
        try:
            await self._in_thread(self.store.append_activity, [a.to_json() for a in lines])
        except asyncio.CancelledError:
            self.activity.put_back(lines)
            raise
        except Exception as exc:  # disk full: the monitors' own save says so; retry later
            log.warning("could not save the activity log: %s", exc)
            self.activity.put_back(lines)

    async def flush(self) -> None:
        """Save the check state of every monitor changed since the last flush, and the
        activity lines recorded since."""
        await self._save_activity()
        if not self._dirty:
            return
        ids = set(self._dirty)
        self._dirty.clear()
        snaps = [_snapshot(self.monitors[i]) for i in ids if i in self.monitors]
        if not snaps:
            return
        try:
            await self._in_thread(self.store.save_many, snaps)
        except BaseException:
            self._dirty |= ids  # unsaved: try again with the next flush
            raise
        if self.save_error is not None:
            self.save_error = None
            self._emit(ev.SaveFailed(None))

    async def _in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._io, fn, *args)

    async def in_store_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a blocking call on the store's thread (after the writes queued before it)."""
        return await self._in_thread(fn, *args)

    # --------------------------------------------------------------- scheduler
    def _schedule(self, monitor_id: str, delay: float) -> None:
        due = self.clock.monotonic() + delay
        self._seq += 1
        self._due[monitor_id] = due
        heapq.heappush(self._heap, (due, self._seq, monitor_id))
        if self._wake is not None:
            self._wake.set()

    def _unschedule(self, monitor_id: str) -> None:
        # Heap entries are dropped lazily: an entry whose time differs from _due is stale.
        self._due.pop(monitor_id, None)

    async def _scheduler(self) -> None:
        assert self._wake is not None
        while self.running:
            self._wake.clear()
            now = self.clock.monotonic()
            while self._heap and self._heap[0][0] <= now:
                due, _, mid = heapq.heappop(self._heap)
                if self._due.get(mid) != due:
                    continue
                del self._due[mid]
                m = self.monitors.get(mid)
                if m is not None and m.mode is Mode.ACTIVE:
                    if mid in self._in_flight:
                        self._again.add(mid)
                    else:
                        self._start_check(mid)
            timeout = self._heap[0][0] - now if self._heap else None
            await self.clock.wait(self._wake, timeout)

    def _start_check(self, monitor_id: str) -> None:
        if not self.running:
            return
        task = asyncio.create_task(self._guarded_check(monitor_id), name=f"check-{monitor_id}")
        self._in_flight[monitor_id] = task
        task.add_done_callback(functools.partial(self._forget, monitor_id, task))

    async def _guarded_check(self, monitor_id: str) -> None:
        """A scheduled check: its failures are logged, never left unretrieved in a task."""
        try:
            await self._check(monitor_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("check of %s failed unexpectedly", monitor_id)
            if self.running and monitor_id in self.monitors:
                self._schedule(monitor_id, SAVE_RETRY)

    def _save_failed(self, exc: BaseException) -> None:
        log.error("could not save: %s", exc)
        if str(exc) != self.save_error:
            self.save_error = str(exc)
            self._emit(ev.SaveFailed(self.save_error))

    def _save_ok(self) -> None:
        if self.save_error is not None:
            self.save_error = None
            self._emit(ev.SaveFailed(None))

    async def _flusher(self) -> None:
        while self.running:
            await asyncio.sleep(FLUSH_EVERY)
            try:
                await self.flush()
            except Exception as exc:  # disk full etc.: keep running, retry next tick
                self._save_failed(exc)

    async def _sender(self) -> None:
        assert self._outbox_wake is not None
        while self.running:
            self._outbox_wake.clear()
            wait: float | None = None
            try:
                await self.deliver()
                wait = await self.outbox.next_wait()
            except Exception:
                log.exception("outbox delivery failed")
                wait = 0.0
            if self.outbox.save_error is not None:
                self._save_failed(StoreError(self.outbox.save_error))
            timeout = None if wait is None else max(0.5, wait)
            await self.clock.wait(self._outbox_wake, timeout)

    # ------------------------------------------------------------------ checks
    async def _check(self, monitor_id: str) -> CheckOutcome | None:
        m = self.monitors.get(monitor_id)
        if m is None:
            return None
        self._emit(ev.CheckStarted(monitor_id))
        spec = _spec(m)
        host = host_of(m.url)
        try:
            access = access_for(m.url, self.settings, self.secrets, m)
        except TrackerError as exc:  # a damaged secrets file: this check fails, saying so
            result = ProbeResult(url=m.url, kind=m.probe_kind, error=exc)
        else:
            result = await self._probe_monitor(m, access, host)
            if result.ok and result.cookies is not None:
                await self._keep_sessions(access, result.cookies, [
                    urlsplit(u).hostname or "" for u in (m.url, result.final_url or m.url)])
        return await self._apply(monitor_id, spec, result)

    def _current(self, monitor_id: str, spec: tuple[Any, ...]) -> Monitor | None:
        """The monitor as it is now, or None when removed or edited to another spec since
        the check began (an edited active one is then checked again at once)."""
        m = self.monitors.get(monitor_id)
        if m is None or _spec(m) == spec:
            return m
        if m.mode is Mode.ACTIVE and self.running:
            self._schedule(monitor_id, 0)
        return None

    async def _probe_monitor(self, m: Monitor, access: Any, host: str) -> ProbeResult:
        """A check's fetch and extraction: through a learned data endpoint when it says
        nothing changed, else the page itself (and then learn from what it fetched)."""
        kind = m.probe_kind
        reason = None
        learning = self.settings.learn_endpoints
        if learning and learned.usable(m, kind):
            if learned.verify_due(m, self.clock.now(), self.settings.endpoint_verify):
                reason = "a scheduled render to confirm the data endpoint"
            else:
                result, reason = await self._via_endpoint(m, kind, access)
                if result is not None:
                    return result
        result = await probe(self.pool, m.url, kind=kind, selector=m.selector,
                             regex=m.regex, fetch=m.fetcher, preferred=m.resolved_fetcher,
                             slot=lambda fetcher: self.limits.slot(host, fetcher),
                             access=access, previous=previous_of(m, kind))
        if learning and result.ok and result.page is not None and result.extraction:
            result.learned = learned.after_render(m, result.page, result.extraction, kind,
                                                  self.clock.now(), reason)
        result.page = None  # the rendered DOM is not kept past the check
        return result

    async def _keep_sessions(self, access: Any, jar: tuple[Cookie, ...],
                             hosts: list[str]) -> None:
        """Write back to secrets.json what the servers changed in the imported sessions
        (a rotated session id, a renewed expiry, a cookie set after login), as a browser
        would keep them; off the loop, and only when something changed."""
        secrets = self.secrets
        if secrets is None or not jar_changed(access.cookies, jar):
            return
        now = time.time()

        def refresh() -> list[str]:
            return secrets.refresh_sites(
                lambda sessions: refreshed_sessions(sessions, access.cookies, jar, hosts, now))

        try:
            sites = await self._in_thread(refresh)
        except Exception as exc:  # a full disk or a damaged file: the check itself worked
            log.warning("could not keep the session cookies current: %s", exc)
            return
        if sites:
            log.info("session cookies of %s renewed by the server", ", ".join(sites))

    async def _via_endpoint(self, m: Monitor, kind: Kind,
                            access: Any) -> tuple[ProbeResult | None, str]:
        """Fetch the learned endpoint; a result only when its watched data is unchanged."""
        url = m.learned["url"]
        try:
            async with self.limits.slot(host_of(url), "http"):
                page = await self.pool.get("http").fetch(
                    url, access=learned.endpoint_access(m, access))
        except TrackerError as exc:
            return None, f"the data endpoint failed ({exc})"
        seen = learned.compare(m, page)
        if not seen.unchanged:
            return None, seen.reason
        return ProbeResult(url=m.url, kind=kind, fetcher="browser",
                           extraction=learned.reused_extraction(m, kind),
                           final_url=m.final_url, reused="endpoint",
                           fetch_state=dict(m.fetch_state),
                           learned=learned.after_endpoint(m)), ""

    async def _prefetch_history(self, ids: Iterable[str]) -> None:
        """`_history_time` of many monitors in one trip to the store thread (a pass over
        500 monitors made 500 trips, each waiting its turn behind the others)."""
        todo = [mid for mid in ids if mid not in self._last_history]
        if todo:
            found = await self._in_thread(lambda: {mid: self._newest_history(mid)
                                                   for mid in todo})
            self._last_history.update(found)

    def _newest_history(self, monitor_id: str) -> datetime | None:
        """In the store thread: the newest history point's time (None: none, or unreadable)."""
        try:
            entries = self.store.history(monitor_id, 1)
        except Exception:  # unreadable history: write a point, as before
            return None
        return entries[-1].at if entries else None

    async def _history_time(self, monitor_id: str) -> datetime | None:
        """The newest history point's time, from the store on a process's first check.

        Without it every check of a new process (each cron `check`) wrote a history
        point, fsync'd, even for an unchanged value that needs one only every
        HEARTBEAT.
        """
        if monitor_id not in self._last_history:
            self._last_history[monitor_id] = await self._in_thread(
                self._newest_history, monitor_id)
        return self._last_history.get(monitor_id)

    async def _apply(self, monitor_id: str, spec: tuple[Any, ...],
                     result: ProbeResult) -> CheckOutcome | None:
        """Fold a check's result into the monitor as it is when the result is durable.

        The result is applied to a copy of the monitor as it is now; the copy's check
        fields are merged onto the live monitor only after the history point and alerts
        are stored, and only if the spec the check answered is still the monitor's.
        """
        last_history = await self._history_time(monitor_id)
        m = self._current(monitor_id, spec)
        if m is None:
            return None
        now = self.clock.now()
        work = _snapshot(m)
        outcome = apply_result(work, result, now, cap=self.settings.backoff_cap,
                               last_history=last_history, rng=self._rng)
        entry = HistoryEntry(at=now, readings=tuple(work.readings)) \
            if outcome.record_history else None
        recorded: list[Event] = []
        if outcome.fired:
            recorded = self.outbox.compose(work, outcome.fired, outcome.old,
                                           list(work.readings), now)
            # The last event carries the rule state that says they fired: one durable
            # write makes both true, and the store derives the monitor's state from it
            # if the monitor's own save never happens (kill -9, disk full).
            recorded[-1].rule_state = copy.deepcopy(work.rule_state)
            work.last_event = recorded[-1].id
        if entry is not None or recorded:  # most checks of a quiet page write nothing here
            try:
                await self._in_thread(self._persist_check, monitor_id, entry, recorded)
            except StoreError as exc:
                return self._unapplied(monitor_id, outcome, exc)
            self._save_ok()
        if entry is not None:
            self._last_history[monitor_id] = now
        m = self.monitors.get(monitor_id)
        if m is None or _spec(m) != spec:
            # Removed or edited while the results were written: they are stored history
            # of the old spec, and its alerts go out, but the monitor does not show them.
            # Its state names the newest event, so a restart does not adopt that event's
            # rule state for the new spec.
            if m is not None:
                m.last_event = work.last_event
                self._dirty.add(monitor_id)
                self._current(monitor_id, spec)  # checks the new spec at once
            self._announce(recorded)
            return None
        for name in _CHECK_FIELDS:
            setattr(m, name, getattr(work, name))
        self._dirty.add(monitor_id)
        if self.running and m.mode is Mode.ACTIVE and m.next_check is not None:
            self._schedule(m.id, max(0.0, (m.next_check - now).total_seconds()))
        snap = _snapshot(m)
        outcome.monitor = snap
        self._emit(ev.CheckFinished(snap, outcome.ok, outcome.changed, outcome.error))
        if outcome.changed:
            self._emit(ev.ValuesChanged(snap, tuple(outcome.old), tuple(snap.readings)))
        new_health = snap.health(now)
        if new_health is not outcome.old_health:
            self._emit(ev.HealthChanged(m.id, outcome.old_health, new_health))
        self._announce(recorded)
        return outcome

    def _announce(self, recorded: builtins.list[Event]) -> None:
        """Publish stored alerts and wake the sender for them."""
        for event in recorded:
            self._emit(ev.AlertFired(event))
        if recorded and self._outbox_wake is not None:
            self._outbox_wake.set()

    def _persist_check(self, monitor_id: str, entry: HistoryEntry | None,
                       events: list[Event]) -> None:
        """In the store thread: the history point first, then the alerts in one write."""
        if entry is not None:
            self.store.append_history(monitor_id, entry)
        if events:
            self.store.add_events(events)

    def _unapplied(self, monitor_id: str, outcome: CheckOutcome,
                   exc: StoreError) -> CheckOutcome | None:
        """The check's results could not be stored: forget them and check again soon.

        The monitor never took them (rule state included), so an alert that could not
        be recorded fires again once the disk has room. A one-shot pass (`check`) has
        no later check: it fails instead.
        """
        self._save_failed(exc)
        if not self.running:
            raise exc
        m = self.monitors.get(monitor_id)
        if m is None:
            return None
        if m.mode is Mode.ACTIVE:
            self._schedule(monitor_id, min(SAVE_RETRY, m.interval))
        snap = _snapshot(m)
        error = f"checked, but the result could not be saved: {exc}"
        self._emit(ev.CheckFinished(snap, False, False, error))
        return CheckOutcome(snap, False, False, error, outcome.old, outcome.old_health)

    # ------------------------------------------------------------ user actions
    def get(self, monitor_id: str) -> Monitor | None:
        return self.monitors.get(monitor_id)

    def list(self) -> list[Monitor]:
        return list(self.monitors.values())

    async def add(self, monitor: Monitor) -> Monitor:
        """Save a new monitor (durable before returning) and check it right away."""
        if not monitor.id:
            monitor.id = await self._in_thread(self.store.new_id)
        return await self._commit(monitor, self.store.add)

    async def update(self, monitor: Monitor) -> Monitor:
        """Save an edit: the user's fields of `monitor` set on the monitor as it is now.

        The asker copied the monitor before its own awaits (a selector probe, a write of
        secrets), and a check may have finished since: what the check found is kept,
        only the user's fields are taken from `monitor` (not its mode: a pause made
        meanwhile stays). A changed page or extraction resets what auto learned and what
        the old page said (the next check is a new baseline, alerting no 'change'), and a
        check in flight for the old spec is dropped when it ends.
        """
        live = self.monitors.get(monitor.id)
        if live is None:
            raise InputError(f"The monitor {monitor.id} was removed meanwhile.")
        undo = {name: getattr(live, name) for name in _EDITED + _LEARNED + _READ_OFF_THE_PAGE}
        target_changed = live.fetch_target != monitor.fetch_target
        spec_changed = _spec(live) != _spec(monitor)
        another_page = _reads_another_page(live, monitor)
        for name in _EDITED:
            setattr(live, name, getattr(monitor, name))
        if target_changed:
            live.resolved_fetcher = None
        if spec_changed:
            # What was learned about reading this page answered another question.
            live.fetch_state, live.learned = {}, {}
        if another_page:
            # The first check of the new page is a baseline, like a new monitor's.
            for name in _READ_OFF_THE_PAGE:
                setattr(live, name, copy.copy(getattr(_FRESH, name)))
        try:
            await self._in_thread(self.store.save, _snapshot(live))
        except BaseException:
            for name, value in undo.items():
                setattr(live, name, value)
            raise
        self._emit(ev.MonitorUpdated(_snapshot(live)))
        if self.running and live.mode is Mode.ACTIVE:
            self._schedule(live.id, 0)
        return live

    async def _commit(self, monitor: Monitor, write: Callable[[Monitor], Any]) -> Monitor:
        """Write first, then publish and schedule: the UI only hears of saved changes."""
        await self._in_thread(write, _snapshot(monitor))
        self.monitors[monitor.id] = monitor
        self._emit(ev.MonitorUpdated(_snapshot(monitor)))
        if self.running and monitor.mode is Mode.ACTIVE:
            self._schedule(monitor.id, 0)
        return monitor

    async def set_mode(self, ids: Iterable[str], mode: Mode) -> builtins.list[Monitor]:
        """Pause, resume or stop; saved before returning, effective at once."""
        changed = []
        for mid in ids:
            m = self.monitors.get(mid)
            if m is None or m.mode is mode:
                continue
            m.mode = mode
            changed.append(m)
        if changed:
            await self._in_thread(self.store.save_many, [_snapshot(m) for m in changed])
        for m in changed:
            if mode is Mode.ACTIVE:
                if self.running:
                    due = ((m.next_check - self.clock.now()).total_seconds()
                           if m.next_check else 0.0)
                    self._schedule(m.id, max(0.0, due))
            else:
                self._unschedule(m.id)
                task = self._in_flight.get(m.id)
                if task is not None:
                    task.cancel()
            self._emit(ev.MonitorUpdated(_snapshot(m)))
        return changed

    async def remove(self, ids: Iterable[str]) -> builtins.list[str]:
        removed = []
        for mid in list(ids):
            if mid not in self.monitors:
                continue
            await self._in_thread(self.store.remove, mid)
            if self.secrets is not None:
                with contextlib.suppress(Exception):  # leftovers are harmless, a crash is not
                    await self._in_thread(self.secrets.put_monitor, mid, MonitorSecrets())
            self.monitors.pop(mid, None)
            self._dirty.discard(mid)
            self._unschedule(mid)
            task = self._in_flight.get(mid)
            if task is not None:
                task.cancel()
            removed.append(mid)
            self._emit(ev.MonitorRemoved(mid))
        return removed

    async def check_and_wait(self, ids: Iterable[str] | None) -> builtins.list[CheckOutcome]:
        """Check these (or all active) monitors now and return every outcome.

        A scheduled check already in flight is let finish first (two fetches of one page
        at once would race). The state is saved before returning; on an engine that is
        not polling (a CLI command) due alerts are sent too, as `run_once` does, but the
        fetchers stay open.
        """
        targets = list(ids) if ids is not None else [
            m.id for m in self.monitors.values() if m.mode is Mode.ACTIVE]
        await self._prefetch_history(targets)
        results = await asyncio.gather(*(self._check_for_caller(mid) for mid in targets
                                         if mid in self.monitors), return_exceptions=True)
        await self.flush()  # saved before the asker prints the results
        if not self.running:
            await self.deliver()
        for r in results:
            if isinstance(r, Exception):  # a bug; a cancelled check (paused meanwhile) is not
                raise r
        return [r for r in results if r is not None and not isinstance(r, BaseException)]

    async def _check_for_caller(self, monitor_id: str) -> CheckOutcome | None:
        """One check whose outcome the caller gets, registered as in flight meanwhile."""
        running = self._in_flight.get(monitor_id)
        if running is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(running)
        task = asyncio.ensure_future(self._check(monitor_id))
        self._in_flight[monitor_id] = task
        task.add_done_callback(functools.partial(self._forget, monitor_id, task))
        return await task

    def _forget(self, monitor_id: str, task: object, _done: object = None) -> None:
        """A check ended: it is no longer in flight; one asked for meanwhile starts now."""
        if self._in_flight.get(monitor_id) is task:
            self._in_flight.pop(monitor_id, None)
        if monitor_id in self._again:
            self._again.discard(monitor_id)
            m = self.monitors.get(monitor_id)
            if self.running and m is not None and m.mode is Mode.ACTIVE:
                self._schedule(monitor_id, 0)

    def check_now(self, ids: Iterable[str]) -> None:
        """Queue an immediate check (even of a paused monitor: the user asked for it)."""
        for mid in ids:
            if mid in self.monitors and mid not in self._in_flight and self.running:
                self._start_check(mid)

    async def history(self, monitor_id: str,
                      limit: int | None = None) -> builtins.list[HistoryEntry]:
        return await self._in_thread(self.store.history, monitor_id, limit)

    async def events(self, monitor_id: str | None = None,
                     limit: int | None = None) -> builtins.list[Event]:
        return await self._in_thread(self.store.events, monitor_id, limit)

    async def send_test_mail(self, to: builtins.list[str] | None = None) -> str:
        """Send one test mail with the current settings; NotifyError says what failed."""
        from tui_tracker.notifiers.smtp import send_test

        return await send_test(self.settings, to)

    async def probe(self, url: str, *, kind: Kind = Kind.AUTO, selector: str | None = None,
                    regex: str | None = None, fetch: FetchMode = FetchMode.AUTO) -> ProbeResult:
        """Fetch and extract once without saving (the add form's preview)."""
        host = host_of(url)
        access = access_for(url, self.settings, self.secrets)
        return await probe(self.pool, url, kind=kind, selector=selector, regex=regex,
                           fetch=fetch, slot=lambda fetcher: self.limits.slot(host, fetcher),
                           access=access)


def default_notifier(settings: Settings) -> Sender | None:
    """The email notifier when SMTP is configured, else None (alerts are still recorded)."""
    from tui_tracker.notifiers.registry import create_notifier

    return create_notifier(settings)
