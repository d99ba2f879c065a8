"""The engine interface over an `Engine` in this process: the owner's side of every write.

Write policy lives here once, whoever asks (the TUI, a CLI command with no owner, or a
client of the control socket): input is validated by `core.monitor_input` plus the
extractors' selector/regex check, an edit is applied to the engine's current monitor
(not a copy the asker read earlier), and `Engine.update` forgets what auto learned
when the page or extraction changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie, OriginStorage, valid_host
from tui_tracker.core.errors import DuplicateError, InputError, SelectorMissed, StoreError
from tui_tracker.core.formatting import format_price
from tui_tracker.core.model import Event, FetchMode, HistoryEntry, Kind, Mode, Monitor
from tui_tracker.core.monitor_input import (
    FieldErrors,
    MonitorInput,
    check_monitor,
    copy_monitor,
    duplicate_sentence,
    find_duplicate,
    same_watch,
)
from tui_tracker.core.text import clean_text
from tui_tracker.engine.activity import Activity
from tui_tracker.engine.alerts import send_test_mail
from tui_tracker.engine.api import Checking, CheckReport, Listener
from tui_tracker.engine.engine import Engine
from tui_tracker.engine.probe import ProbeResult
from tui_tracker.store.secrets import MonitorSecrets

log = logging.getLogger(__name__)


def check_extraction(selector: str | None, regex: str | None) -> None:
    """Selector and regex syntax, checked by the extractors (InputError says what is wrong)."""
    from tui_tracker.extractors import validate_regex, validate_selector

    if selector:
        validate_selector(selector)
    if regex:
        validate_regex(regex)


def missed_sentence(selector: str, exc: SelectorMissed) -> str:
    """`The selector '.x' matches nothing on the page; nearest: .price ($49.99), ...`."""
    shown = clean_text(selector, 80)
    offers = [f"{name} ({sample})" for name, sample in exc.nearest[:5]]
    offers += [f"{c.selector} ({format_price(c.value, c.unit)})" for c in exc.candidates[:3]
               if c.selector not in {n for n, _ in exc.nearest}]
    if not offers:
        return f"The selector '{shown}' matches nothing on the page."
    return (f"The selector '{shown}' matches nothing on the page; nearest on the page: "
            f"{'; '.join(offers)}.")


class LocalEngine:
    """`EngineAPI` over an `Engine` in this process; optionally owning the data dir."""

    def __init__(self, engine: Engine, *, poll: bool = True,
                 control_path: Path | None = None,
                 on_close: list[Callable[[], None]] | None = None) -> None:
        self.engine = engine
        self.poll = poll
        self.control_path = control_path
        self._on_close = on_close or []
        self._server: Any = None
        self._closed = False
        self._last_checking: frozenset[str] = frozenset()
        self._listeners: list[Listener] = []
        self._unsubscribe = engine.subscribe(self._relay)

    @classmethod
    def own(cls, data_dir: Path, settings: Settings, *, poll: bool = True,
            serve: bool = True) -> LocalEngine:
        """Lock the data dir, open its store and build the engine (not started yet).

        Raises LockedError (naming the owner's pid) or StoreError; nothing is left
        locked or open when it raises.
        """
        from tui_tracker.store.lock import DataDirLock
        from tui_tracker.store.repository import Store

        lock = DataDirLock(Path(data_dir)).acquire()
        try:
            store = Store.open(Path(data_dir))
        except BaseException:
            lock.release()
            raise
        try:
            # Only a served engine has windows to ask for its activity log.
            engine = Engine(store, settings, keep_activity=serve)
        except BaseException:
            store.close()
            lock.release()
            raise
        control = Path(data_dir) / "control.sock" if serve else None
        return cls(engine, poll=poll, control_path=control,
                   on_close=[store.close, lock.release])

    # ------------------------------------------------------------ lifecycle
    @property
    def owner_pid(self) -> int | None:
        return None

    @property
    def settings(self) -> Settings:
        return self.engine.settings

    @property
    def checking(self) -> frozenset[str]:
        return self.engine.in_flight

    async def start(self) -> None:
        if self.poll:
            await self.engine.start()
        if self.control_path is not None and self._server is None:
            from tui_tracker.engine.control import ControlServer

            self._server = ControlServer(self, self.control_path)
            await self._server.start()

    async def close(self) -> None:
        """Stop serving, stop the engine (saving its state), release the data dir."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._server is not None:
                await self._server.close()
            await self.engine.stop()
        finally:
            self._unsubscribe()
            for fn in self._on_close:
                try:
                    fn()
                except Exception:
                    log.exception("closing the data dir failed")

    # -------------------------------------------------------------- events
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _relay(self, event: Any) -> None:
        self._publish(event)
        self.publish_checking()

    def _publish(self, event: Any) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # one broken window must not stop the others
                log.exception("engine listener failed on %s", type(event).__name__)

    def publish_checking(self) -> None:
        """Publish `Checking` if the set of checks in flight changed since last said.

        Called after every engine event and by the control server's heartbeat (a
        cancelled check ends without an event).
        """
        if not self._listeners:
            return  # nobody to tell (a `check --json`); the next listener hears the next change
        now = self.engine.in_flight
        if now != self._last_checking:
            self._last_checking = now
            self._publish(Checking(now))

    # --------------------------------------------------------------- reads
    async def monitors(self) -> list[Monitor]:
        return [copy_monitor(m) for m in self.engine.list()]

    async def resolve(self, refs: list[str]) -> list[Monitor]:
        return [copy_monitor(self._resolve(ref)) for ref in refs]

    def _resolve(self, ref: str) -> Monitor:
        ref = (ref or "").strip()
        if not ref:
            raise InputError("No monitor id given.")
        m = self.engine.get(ref)
        if m is not None:
            return m
        matches = [m for m in self.engine.list() if m.id.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        shown = clean_text(ref, 40)
        if not matches:
            raise InputError(f"No monitor with id '{shown}'.")
        ids = ", ".join(sorted(m.id for m in matches))
        raise InputError(f"The id '{shown}' matches several monitors ({ids}); type more of it.")

    async def history(self, monitor_id: str, limit: int | None = None) -> list[HistoryEntry]:
        return await self.engine.history(monitor_id, limit)

    async def events(self, monitor_id: str | None = None,
                     limit: int | None = None) -> list[Event]:
        return await self.engine.events(monitor_id, limit)

    # -------------------------------------------------------------- writes
    async def add(self, spec: MonitorInput, *,
                  secrets: MonitorSecrets | None = None) -> Monitor:
        m = spec.apply(None, check_extraction=check_extraction)
        if not spec.allow_duplicate:
            self._refuse_duplicate(m)
        await self._check_selector(m, None)
        await self._save_secrets(m, secrets)
        saved = await self.engine.add(m)
        return copy_monitor(saved)

    async def _save_secrets(self, m: Monitor, secrets: MonitorSecrets | None) -> None:
        """A monitor's own secrets go to disk before it does: its first check uses them."""
        store = self.engine.secrets
        if secrets is None or store is None:
            return
        if not m.id:
            m.id = self.engine.store.new_id()
        await asyncio.to_thread(store.put_monitor, m.id, secrets)

    async def edit(self, monitor_id: str, changes: MonitorInput, *,
                   secrets: MonitorSecrets | None = None) -> Monitor:
        current = self._resolve(monitor_id)
        m = changes.apply(current, check_extraction=check_extraction)
        if not changes.allow_duplicate:
            self._refuse_duplicate(m, "edit", before=current)
        await self._check_selector(m, current)
        await self._save_secrets(m, secrets)
        saved = await self.engine.update(m)
        return copy_monitor(saved)

    def _refuse_duplicate(self, m: Monitor, command: str = "add", *,
                          before: Monitor | None = None) -> None:
        """DuplicateError naming the monitor that already watches this page this way.

        For an edit (`before` = the monitor as it is), the monitor itself is not its
        own duplicate, and a pair that was already the same watch (kept with
        `--allow-duplicate`) stays editable: only an edit that *makes* it a duplicate
        is refused.
        """
        others = [o for o in self.engine.list()
                  if before is None or (o.id != before.id and not same_watch(before, o))]
        dup = find_duplicate(m, others)
        if dup is not None:
            raise DuplicateError(duplicate_sentence(dup, command=command), dup.id)

    async def _check_selector(self, m: Monitor, before: Monitor | None) -> None:
        """An explicit selector that matches nothing on the page is refused (DESIGN), with
        the page's nearest selectors and amounts. Checked when the selector, page or
        kind is new; a page that cannot be fetched now says nothing either way."""
        if not m.selector:
            return
        if before is not None and (before.selector, before.url, before.kind) == (
                m.selector, m.url, m.kind):
            return
        result = await self.engine.probe(m.url, kind=m.probe_kind, selector=m.selector,
                                         regex=m.regex, fetch=m.fetcher)
        if isinstance(result.error, SelectorMissed):
            raise FieldErrors({"selector": missed_sentence(m.selector, result.error)})

    async def set_mode(self, ids: list[str], mode: Mode) -> list[Monitor]:
        targets = [self._resolve(i).id for i in ids]
        changed = await self.engine.set_mode(targets, mode)
        return [copy_monitor(m) for m in changed]

    async def remove(self, ids: list[str]) -> list[str]:
        targets = [self._resolve(i).id for i in ids]
        return await self.engine.remove(targets)

    async def check_now(self, ids: list[str]) -> None:
        if not self.engine.running:
            raise InputError("The engine is not running, so nothing can be checked now.")
        self.engine.check_now([self._resolve(i).id for i in ids])
        self.publish_checking()

    async def check(self, ids: list[str] | None) -> list[CheckReport]:
        targets = None if ids is None else [self._resolve(i).id for i in ids]
        outcomes = await self.engine.check_and_wait(targets)
        return [CheckReport(copy_monitor(o.monitor), o.ok, o.changed, o.error, o.via)
                for o in outcomes if o.monitor is not None]

    async def import_monitor(self, monitor: Monitor, history: list[HistoryEntry], *,
                             secrets: MonitorSecrets | None = None,
                             allow_duplicate: bool = False) -> Monitor:
        m = copy_monitor(monitor)
        check_monitor(m, check_extraction=check_extraction)
        if not allow_duplicate:
            self._refuse_duplicate(m, "import")
        if not m.id or self.engine.get(m.id) is not None:
            m.id = ""
        await self._save_secrets(m, secrets)
        saved = await self.engine.add(m)
        store = self.engine.store
        for entry in history:
            await asyncio.to_thread(store.append_history, saved.id, entry)
        return copy_monitor(saved)

    async def import_sessions(self, sessions: dict[str, list[Cookie]], source: str,
                              storage: dict[str, list[OriginStorage]] | None = None) -> None:
        stored = {valid_host(site): list(origins) for site, origins in (storage or {}).items()}
        checked: dict[str, list[Cookie]] = {}
        for site, cookies in sessions.items():
            host = valid_host(site)
            if not cookies and not stored.get(host):
                raise InputError(f"No cookies were given for {clean_text(site, 80)}.")
            checked[host] = list(cookies)
        secrets = self._secrets_file()

        def write() -> None:
            for site, cookies in checked.items():
                secrets.put_site(site, cookies, clean_text(source, 200))
                if site in stored:
                    secrets.put_site_storage(site, stored[site])

        await self.engine.in_store_thread(write)

    async def remove_session(self, site: str) -> bool:
        secrets = self._secrets_file()
        return bool(await self.engine.in_store_thread(secrets.remove_site, valid_host(site)))

    def _secrets_file(self) -> Any:
        if self.engine.secrets is None:
            raise StoreError("This engine has no data dir to keep login sessions in.")
        return self.engine.secrets

    async def activity(self, monitor_id: str | None = None,
                       limit: int | None = None) -> list[Activity]:
        return self.engine.activity.recent(monitor_id, limit)

    async def send_test_mail(self, to: list[str] | None = None) -> str:
        return await send_test_mail(self.engine.settings, to)

    async def probe(self, url: str, *, kind: Kind = Kind.AUTO, selector: str | None = None,
                    regex: str | None = None,
                    fetch: FetchMode = FetchMode.AUTO) -> ProbeResult:
        errors = {}
        for field, args in (("selector", (selector, None)), ("regex", (None, regex))):
            try:
                check_extraction(*args)
            except InputError as exc:
                errors[field] = str(exc)
        if errors:
            raise FieldErrors(errors)
        return await self.engine.probe(url, kind=kind, selector=selector, regex=regex,
                                       fetch=fetch)
