"""What a window (the TUI, a CLI command) may ask the engine and hear from it.

Two implementations: `LocalEngine` (engine/local.py) runs over an `Engine` in this
process; `RemoteEngine` (engine/remote.py) asks the process that owns the data dir over
its control socket (engine/control.py). Callers cannot tell them apart, except that
`owner_pid` names the owner when it is another process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from tui_tracker.core.cookies import Cookie, OriginStorage
from tui_tracker.core.model import (
    Event,
    FetchMode,
    HistoryEntry,
    Kind,
    Mode,
    Monitor,
    readings_to_json,
)
from tui_tracker.core.monitor_input import MonitorInput
from tui_tracker.engine import events as ev
from tui_tracker.engine.activity import Activity
from tui_tracker.engine.probe import ProbeResult
from tui_tracker.store.secrets import MonitorSecrets


@dataclass(frozen=True, slots=True)
class OwnerGone:
    """The owning process went away (quit, crashed, killed): an attached window is alone."""

    pid: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class Checking:
    """The set of monitors being checked right now changed (sent with heartbeats too)."""

    ids: frozenset[str]


ApiEvent = ev.EngineEvent | OwnerGone | Checking
Listener = Callable[[ApiEvent], None]


@dataclass(slots=True)
class CheckReport:
    """One monitor's check result as a window sees it; `to_json` is `check --json`'s item."""

    monitor: Monitor
    ok: bool
    changed: bool
    error: str | None
    via: str | None = None
    """How the check read its values (`ProbeResult.via`: http, not-modified, same-body,
    browser, endpoint); None for a failed check."""

    def to_json(self) -> dict[str, Any]:
        return check_json(self.monitor, self.ok, self.changed, self.error, self.via)


def check_json(m: Monitor, ok: bool, changed: bool, error: str | None,
               via: str | None) -> dict[str, Any]:
    """One item of `check --json` (a contract): the same for a window's report and the
    engine's own outcome, so attached and local checks print alike."""
    return {
        "id": m.id,
        "name": m.display_name,
        "ok": ok,
        "health": m.health().value,
        "readings": readings_to_json(m.readings),
        "error": error,
        "changed": changed,
        "fetcher": m.resolved_fetcher.value if m.resolved_fetcher else m.fetcher.value,
        "last_checked": m.last_checked.isoformat() if m.last_checked else None,
        "next_check": m.next_check.isoformat() if m.next_check else None,
        "read": via,
    }


@runtime_checkable
class EngineAPI(Protocol):
    """The engine as windows see it. Every write is durable when its coroutine returns."""

    @property
    def owner_pid(self) -> int | None:
        """The owner's pid when attached to another process; None when this one owns."""

    @property
    def checking(self) -> frozenset[str]:
        """Ids of the monitors being checked right now."""

    async def start(self) -> None:
        """Local: start polling (and serving the control socket); remote: connect."""

    async def close(self) -> None:
        """Local: stop, save, release the data dir; remote: disconnect (the owner runs on)."""

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` on this loop for every event; returns unsubscribe."""

    async def monitors(self) -> list[Monitor]: ...

    async def resolve(self, refs: list[str]) -> list[Monitor]:
        """The monitors named by ids or unique id prefixes; InputError for an unknown one."""

    async def add(self, spec: MonitorInput, *,
                  secrets: MonitorSecrets | None = None) -> Monitor:
        """Validate and save a new monitor (with its headers, cookies, proxy and alert
        URLs when given, saved first), then check it (when polling).

        Refused with DuplicateError when a monitor already watches the page the same way
        (unless `spec.allow_duplicate`), and with FieldErrors when an explicit selector
        matches nothing on the page."""

    async def edit(self, monitor_id: str, changes: MonitorInput, *,
                   secrets: MonitorSecrets | None = None) -> Monitor:
        """Validate and save changes; a changed page or extraction forgets what auto learned.

        Refused with DuplicateError, as `add` is, when the edit makes the monitor watch
        what another one watches (unless `changes.allow_duplicate`)."""

    async def set_mode(self, ids: list[str], mode: Mode) -> list[Monitor]:
        """Pause, resume or stop; returns the monitors whose mode changed."""

    async def remove(self, ids: list[str]) -> list[str]: ...

    async def check_now(self, ids: list[str]) -> None:
        """Start checks at once and return (the results arrive as events)."""

    async def check(self, ids: list[str] | None) -> list[CheckReport]:
        """Check these (or all active) monitors now and wait for every result."""

    async def import_monitor(self, monitor: Monitor, history: list[HistoryEntry], *,
                             secrets: MonitorSecrets | None = None,
                             allow_duplicate: bool = False) -> Monitor:
        """Add a monitor from an export file with its history (a taken id gets a new one).

        DuplicateError when a monitor already watches the same page the same way (the
        same URL, kind and selector), unless `allow_duplicate`: importing twice adds
        nothing the second time."""

    async def import_sessions(self, sessions: dict[str, list[Cookie]], source: str,
                              storage: dict[str, list[OriginStorage]] | None = None) -> None:
        """Save (or replace) each site's login cookies (and localStorage from a
        storage_state file, by site) in the secrets file.

        The owner is the file's one writer (it also writes monitors' own secrets), so a
        session imported while it runs is neither lost to nor loses one of its writes;
        its next check of any monitor sends them. InputError for a bad site name or
        a site with no cookies."""

    async def remove_session(self, site: str) -> bool:
        """Forget a site's login cookies; False when there was no session for it."""

    async def history(self, monitor_id: str, limit: int | None = None) -> list[HistoryEntry]: ...

    async def events(self, monitor_id: str | None = None,
                     limit: int | None = None) -> list[Event]: ...

    async def send_test_mail(self, to: list[str] | None = None) -> str: ...

    async def activity(self, monitor_id: str | None = None,
                       limit: int | None = None) -> list[Activity]:
        """The engine's recent activity lines, newest first (one monitor's when given)."""

    async def probe(self, url: str, *, kind: Kind = Kind.AUTO, selector: str | None = None,
                    regex: str | None = None,
                    fetch: FetchMode = FetchMode.AUTO) -> ProbeResult:
        """Fetch and extract once, saving nothing (the form's preview)."""
