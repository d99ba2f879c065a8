"""The engine interface over the owner's control socket: what an attached window talks to.

The owner sends a tick every second on every connection, so "no frame for
`ANSWER_WITHIN` seconds" means the owner is frozen or gone: a waiting request then
fails with one sentence naming its pid (DESIGN: an owner that does not answer within
5 s gets a sentence naming its pid and exit 1). A closed connection fails every
waiting request and tells listeners `OwnerGone`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui_tracker.core.cookies import Cookie, OriginStorage
from tui_tracker.core.errors import TrackerError
from tui_tracker.core.model import Event, FetchMode, HistoryEntry, Kind, Mode, Monitor
from tui_tracker.core.monitor_input import MonitorInput
from tui_tracker.engine import wire
from tui_tracker.engine.activity import Activity
from tui_tracker.engine.api import ApiEvent, Checking, CheckReport, Listener, OwnerGone
from tui_tracker.engine.control import short_path
from tui_tracker.engine.probe import ProbeResult
from tui_tracker.store.secrets import MonitorSecrets

log = logging.getLogger(__name__)

ANSWER_WITHIN = 5.0
SOCKET_NAME = "control.sock"


class OwnerUnavailable(TrackerError):
    """The owner cannot be reached or stopped answering: exit 1 (try again later)."""

    exit_code = 1


def _who(pid: int | None) -> str:
    return f"process {pid}" if pid else "another process"


class RemoteEngine:
    """`EngineAPI` as a client of the owner's control socket."""

    def __init__(self, data_dir: Path, pid: int | None = None, *,
                 answer_within: float = ANSWER_WITHIN) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / SOCKET_NAME
        self._pid = pid
        self.answer_within = answer_within
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._next_id = 0
        self._listeners: list[Listener] = []
        self._subscribed = False
        self._checking: frozenset[str] = frozenset()
        self._last_frame = time.monotonic()
        self.gone: str | None = None
        """Why the connection ended (None while connected)."""

    # ------------------------------------------------------------ lifecycle
    @property
    def owner_pid(self) -> int | None:
        return self._pid

    @property
    def checking(self) -> frozenset[str]:
        return self._checking

    @property
    def silent_for(self) -> float:
        """Seconds since the owner last sent anything (ticks come every second)."""
        return time.monotonic() - self._last_frame

    def _unreachable(self, why: str) -> OwnerUnavailable:
        return OwnerUnavailable(
            f"The data dir {self.data_dir} is in use by {_who(self._pid)}, which {why}.")

    async def start(self) -> None:
        """Connect and read the owner's hello; OwnerUnavailable when that fails."""
        if self._task is not None:
            return
        try:
            with short_path(self.path) as where:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_unix_connection(where, limit=wire.MAX_LINE),
                    self.answer_within)
        except TimeoutError:
            raise self._unreachable(f"did not answer within {self.answer_within:g} seconds"
                                    ) from None
        except FileNotFoundError:
            raise self._unreachable("takes no commands (it has no control socket)") from None
        except ConnectionRefusedError:
            raise self._unreachable("is not listening on its control socket") from None
        except OSError as exc:
            raise self._unreachable(f"could not be reached ({exc.strerror or exc})") from None
        self._reader, self._writer = reader, writer
        try:
            line = await asyncio.wait_for(reader.readline(), self.answer_within)
            hello = wire.decode(line) if line else {}
        except TimeoutError:
            writer.transport.abort()
            raise self._unreachable(f"did not answer within {self.answer_within:g} seconds"
                                    ) from None
        except (ValueError, OSError):
            hello = {}
        if hello.get("type") == "refused":
            writer.transport.abort()
            raise self._unreachable(f"refused us: {hello.get('error') or 'no reason given'}")
        if hello.get("type") != "hello" or hello.get("v") != wire.VERSION:
            writer.transport.abort()
            raise self._unreachable("speaks another version of the control protocol "
                                    "(restart it with this version)")
        pid = hello.get("pid")
        if isinstance(pid, int):
            self._pid = pid
        self._last_frame = time.monotonic()
        self._task = asyncio.create_task(self._read(), name="control-client")
        if self._listeners:
            await self.listen()

    async def close(self) -> None:
        """Disconnect; the owner runs on."""
        if self._writer is not None:
            self._writer.transport.abort()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._fail_pending("The connection to the owner was closed.")

    # -------------------------------------------------------------- frames
    async def _read(self) -> None:
        assert self._reader is not None
        reason = f"The engine ({_who(self._pid)}) has stopped."
        try:
            while True:
                try:
                    line = await self._reader.readline()
                except (OSError, ValueError) as exc:
                    reason = f"The connection to the engine ({_who(self._pid)}) broke ({exc})."
                    break
                if not line:
                    break
                self._last_frame = time.monotonic()
                try:
                    frame = wire.decode(line)
                except ValueError:
                    continue
                try:
                    self._on_frame(frame)
                except (KeyError, TypeError, ValueError):
                    log.warning("unreadable frame from the owner: %.200r", frame)
        except asyncio.CancelledError:
            raise
        self.gone = reason
        self._fail_pending(reason)
        self._publish(OwnerGone(self._pid, reason))

    def _on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "reply":
            fut = self._pending.pop(frame.get("id"), None)  # type: ignore[arg-type]
            if fut is not None and not fut.done():
                if frame.get("ok"):
                    fut.set_result(frame.get("result"))
                else:
                    fut.set_exception(wire.error_from_json(frame.get("error")))
        elif kind == "event":
            try:
                event = wire.event_from_json(frame.get("event") or {})
            except (KeyError, TypeError, ValueError):
                log.warning("unreadable event from the owner: %r", frame)
                return
            if event is None:
                return
            if isinstance(event, Checking):
                self._checking = event.ids
            self._publish(event)

    def _fail_pending(self, reason: str) -> None:
        pending, self._pending = self._pending, {}
        for fut in pending.values():
            if not fut.done():
                fut.set_exception(OwnerUnavailable(reason))

    def _publish(self, event: ApiEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("listener failed on %s", type(event).__name__)

    async def _call(self, op: str, **args: Any) -> Any:
        """Send one request and wait for its reply, failing when the owner falls silent."""
        if self.gone is not None:
            raise OwnerUnavailable(self.gone)
        if self._writer is None:
            await self.start()
        assert self._writer is not None
        self._next_id += 1
        request_id = self._next_id
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = fut
        try:
            self._writer.write(wire.encode({"id": request_id, "op": op, "args": args}))
        except OSError as exc:
            self._pending.pop(request_id, None)
            raise OwnerUnavailable(f"The engine ({_who(self._pid)}) could not be reached "
                                   f"({exc}).") from None
        self._last_frame = max(self._last_frame, time.monotonic())
        while True:
            # Replies may take long (a check fetches pages); ticks prove the owner lives.
            wait = self.answer_within - self.silent_for
            if wait <= 0:
                self._pending.pop(request_id, None)
                raise OwnerUnavailable(
                    f"The engine owning {self.data_dir} ({_who(self._pid)}) did not answer "
                    f"within {self.answer_within:g} seconds.")
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(fut), wait)

    # -------------------------------------------------------------- events
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Events stream from the owner once someone listens (asked for at connect)."""
        self._listeners.append(listener)
        if self._task is not None and not self._subscribed:
            task = asyncio.ensure_future(self.listen())
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    async def listen(self) -> None:
        """Ask the owner to stream its events to this connection (once)."""
        if not self._subscribed:
            result = await self._call("subscribe")
            self._subscribed = True
            self._checking = frozenset(result.get("checking") or ())

    # ------------------------------------------------------------- the API
    async def monitors(self) -> list[Monitor]:
        return [wire.monitor_from_json(d) for d in await self._call("monitors")]

    async def resolve(self, refs: list[str]) -> list[Monitor]:
        return [wire.monitor_from_json(d) for d in await self._call("resolve", refs=refs)]

    async def add(self, spec: MonitorInput, *,
                  secrets: MonitorSecrets | None = None) -> Monitor:
        return wire.monitor_from_json(await self._call(
            "add", input=spec.to_json(), secrets=_secrets(secrets)))

    async def edit(self, monitor_id: str, changes: MonitorInput, *,
                   secrets: MonitorSecrets | None = None) -> Monitor:
        return wire.monitor_from_json(await self._call(
            "edit", id=monitor_id, input=changes.to_json(), secrets=_secrets(secrets)))

    async def set_mode(self, ids: list[str], mode: Mode) -> list[Monitor]:
        return [wire.monitor_from_json(d)
                for d in await self._call("set_mode", ids=ids, mode=mode.value)]

    async def remove(self, ids: list[str]) -> list[str]:
        return [str(i) for i in await self._call("remove", ids=ids)]

    async def check_now(self, ids: list[str]) -> None:
        await self._call("check_now", ids=ids)

    async def check(self, ids: list[str] | None) -> list[CheckReport]:
        return [wire.report_from_json(d) for d in await self._call("check", ids=ids)]

    async def import_monitor(self, monitor: Monitor, history: list[HistoryEntry], *,
                             secrets: MonitorSecrets | None = None,
                             allow_duplicate: bool = False) -> Monitor:
        return wire.monitor_from_json(await self._call(
            "import", monitor=monitor.to_dict(), history=wire.history_to_json(history),
            secrets=_secrets(secrets), allow_duplicate=allow_duplicate))

    async def import_sessions(self, sessions: dict[str, list[Cookie]], source: str,
                              storage: dict[str, list[OriginStorage]] | None = None) -> None:
        await self._call("import_sessions", source=source, sessions={
            site: [c.to_dict() for c in cookies] for site, cookies in sessions.items()},
            storage={site: [[origin, [list(p) for p in pairs]] for origin, pairs in origins]
                     for site, origins in (storage or {}).items()})

    async def remove_session(self, site: str) -> bool:
        return bool(await self._call("remove_session", site=site))

    async def history(self, monitor_id: str, limit: int | None = None) -> list[HistoryEntry]:
        return wire.history_from_json(await self._call("history", id=monitor_id, limit=limit))

    async def events(self, monitor_id: str | None = None,
                     limit: int | None = None) -> list[Event]:
        return [Event.from_dict(d) for d in await self._call("events", id=monitor_id,
                                                             limit=limit)]

    async def activity(self, monitor_id: str | None = None,
                       limit: int | None = None) -> list[Activity]:
        return [Activity.from_json(d) for d in await self._call("activity", id=monitor_id,
                                                                limit=limit)]

    async def send_test_mail(self, to: list[str] | None = None) -> str:
        return str(await self._call("test_mail", to=to))

    async def probe(self, url: str, *, kind: Kind = Kind.AUTO, selector: str | None = None,
                    regex: str | None = None,
                    fetch: FetchMode = FetchMode.AUTO) -> ProbeResult:
        return wire.probe_from_json(await self._call(
            "probe", url=url, kind=kind.value, selector=selector, regex=regex,
            fetch=fetch.value))


def _secrets(secrets: MonitorSecrets | None) -> dict[str, Any] | None:
    """A monitor's secrets for the wire (only ever to our own uid's owner)."""
    return None if secrets is None else secrets.to_dict()
