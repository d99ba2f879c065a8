"""The owner's control socket: `control.sock` in the data dir, serving `LocalEngine` to windows.

Every owner (the TUI, `run`) listens here so a second `tui-tracker` can attach and write
commands can be carried out by the owner (DESIGN "Ownership"). Frames: engine/wire.py.

Safety and cost:
* the socket is mode 0600 and every peer's uid is checked with SO_PEERCRED: another
  user is refused before a byte of theirs is read;
* a line longer than `MAX_LINE` or a client that does not read its events (its
  unsent output passes `MAX_BUFFERED`) is disconnected; garbage lines get an error
  reply, and a client that sends nothing but garbage is dropped after a few;
* each request runs as its own task (a long `check` does not hold up events or other
  requests), at most `MAX_INFLIGHT` per client; a vanished client's requests still
  finish (a half-done write is never cancelled), their replies go nowhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import stat
import struct
from pathlib import Path
from typing import Any

from tui_tracker.core.cookies import Cookie, OriginStorage
from tui_tracker.core.errors import InputError, TrackerError
from tui_tracker.core.model import FetchMode, Kind, Mode, Monitor
from tui_tracker.core.monitor_input import MonitorInput
from tui_tracker.engine import wire
from tui_tracker.engine.api import ApiEvent
from tui_tracker.store.secrets import MonitorSecrets

log = logging.getLogger(__name__)

HEARTBEAT = 1.0
"""Seconds between ticks to every client: how an attached window knows the owner lives."""
MAX_BUFFERED = 8 * 1024 * 1024
MAX_INFLIGHT = 32
MAX_GARBAGE = 5
MAX_PATH = 100
"""AF_UNIX paths are limited to 108 bytes; longer ones are reached through /proc/self/fd."""


def peer_uid(sock: socket.socket) -> int | None:
    """The connecting process's uid (Linux SO_PEERCRED), or None where unavailable."""
    opt = getattr(socket, "SO_PEERCRED", None)
    if opt is None:
        return None
    creds = sock.getsockopt(socket.SOL_SOCKET, opt, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid


@contextlib.contextmanager
def short_path(path: Path) -> Any:
    """A path to `path` short enough for AF_UNIX (via an open fd of its directory)."""
    if len(os.fsencode(str(path))) <= MAX_PATH:
        yield str(path)
        return
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)


class _Client:
    """One connected window: its writer, its request tasks, its event subscription."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.tasks: set[asyncio.Task[None]] = set()
        self.unsubscribe: Any = None
        self.closed = False

    def send(self, frame: dict[str, Any]) -> None:
        if self.closed or self.writer.is_closing():
            return
        self.writer.write(wire.encode(frame))
        if self.writer.transport.get_write_buffer_size() > MAX_BUFFERED:
            log.warning("control client does not read its events; disconnecting it")
            self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.unsubscribe is not None:
            self.unsubscribe()
        self.writer.transport.abort()


class ControlServer:
    """Serves one `LocalEngine` on a Unix socket until `close()`."""

    def __init__(self, api: Any, path: Path) -> None:
        self.api = api
        self.path = Path(path)
        self._server: asyncio.AbstractServer | None = None
        self._clients: set[_Client] = set()
        self._ticker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen on `control.sock` (replacing one a dead owner left; we hold the lock).

        The socket is bound under a temporary name, made 0600 and listening, and only
        then renamed into place: a client that sees `control.sock` can always connect,
        and nobody ever could while its mode was wider.
        """
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            with short_path(temp) as where:
                sock.bind(where)
            os.chmod(temp, stat.S_IRUSR | stat.S_IWUSR)
            sock.listen(100)
            os.replace(temp, self.path)
        except BaseException:
            sock.close()
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            raise
        self._server = await asyncio.start_unix_server(self._serve, sock=sock,
                                                       limit=wire.MAX_LINE)
        self._ticker = asyncio.create_task(self._tick(), name="control-heartbeat")

    async def close(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        if self._server is not None:
            self._server.close()
        for client in list(self._clients):
            client.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT)
            publish = getattr(self.api, "publish_checking", None)
            if publish is not None:
                publish()
            for client in list(self._clients):
                client.send({"type": "tick"})

    # ------------------------------------------------------------ a client
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        uid = peer_uid(sock) if sock is not None else None
        if uid is not None and uid != os.geteuid():
            writer.write(wire.encode({"type": "refused", "v": wire.VERSION,
                                      "error": "This data dir belongs to another user."}))
            with contextlib.suppress(OSError):
                await asyncio.wait_for(writer.drain(), 1)
            writer.transport.abort()
            return
        client = _Client(writer)
        self._clients.add(client)
        client.send({"type": "hello", "v": wire.VERSION, "pid": os.getpid()})
        garbage = 0
        try:
            while not client.closed:
                try:
                    line = await reader.readline()
                except (ValueError, asyncio.LimitOverrunError):
                    too_long = InputError("A request was longer than the control socket accepts.")
                    client.send({"type": "reply", "id": None, "ok": False,
                                 "error": wire.error_to_json(too_long)})
                    break
                except OSError:
                    break
                if not line:
                    break
                try:
                    frame = wire.decode(line)
                    request_id, op = frame.get("id"), frame.get("op")
                    if not isinstance(op, str):
                        raise ValueError("no op")
                except (ValueError, UnicodeDecodeError):
                    garbage += 1
                    client.send({"type": "reply", "id": None, "ok": False,
                                 "error": wire.error_to_json(InputError("Unreadable request."))})
                    if garbage >= MAX_GARBAGE:
                        break
                    continue
                if len(client.tasks) >= MAX_INFLIGHT:
                    client.send({"type": "reply", "id": request_id, "ok": False,
                                 "error": wire.error_to_json(TrackerError(
                                     "Too many requests at once on one connection."))})
                    continue
                task = asyncio.create_task(self._answer(client, request_id, op,
                                                        frame.get("args") or {}))
                client.tasks.add(task)
                task.add_done_callback(client.tasks.discard)
        finally:
            self._clients.discard(client)
            client.close()

    async def _answer(self, client: _Client, request_id: Any, op: str, args: Any) -> None:
        try:
            if not isinstance(args, dict):
                raise InputError("The request's args are not an object.")
            result = await self._dispatch(client, op, args)
            reply = {"type": "reply", "id": request_id, "ok": True, "result": result}
        except TrackerError as exc:
            reply = {"type": "reply", "id": request_id, "ok": False,
                     "error": wire.error_to_json(exc)}
        except (KeyError, TypeError, ValueError) as exc:
            reply = {"type": "reply", "id": request_id, "ok": False, "error": wire.error_to_json(
                InputError(f"A malformed {op!r} request ({type(exc).__name__}: {exc})."))}
        except Exception as exc:  # a bug in the owner: say so, keep serving
            log.exception("control request %r failed", op)
            reply = {"type": "reply", "id": request_id, "ok": False, "error": wire.error_to_json(
                TrackerError(f"unexpected internal error in the owner ({type(exc).__name__}: "
                             f"{exc})"))}
        client.send(reply)

    async def _dispatch(self, client: _Client, op: str, a: dict[str, Any]) -> Any:
        api = self.api
        if op == "subscribe":
            if client.unsubscribe is None:
                client.unsubscribe = api.subscribe(lambda e: self._forward(client, e))
            return {"checking": sorted(api.checking)}
        if op == "monitors":
            return [m.to_dict() for m in await api.monitors()]
        if op == "resolve":
            return [m.to_dict() for m in await api.resolve(_strs(a["refs"]))]
        if op == "add":
            return (await api.add(MonitorInput.from_json(a["input"]),
                                  secrets=_secrets(a))).to_dict()
        if op == "edit":
            return (await api.edit(str(a["id"]), MonitorInput.from_json(a["input"]),
                                   secrets=_secrets(a))).to_dict()
        if op == "set_mode":
            return [m.to_dict() for m in await api.set_mode(_strs(a["ids"]), Mode(a["mode"]))]
        if op == "remove":
            return await api.remove(_strs(a["ids"]))
        if op == "check_now":
            await api.check_now(_strs(a["ids"]))
            return None
        if op == "check":
            ids = None if a.get("ids") is None else _strs(a["ids"])
            return [wire.report_to_json(r) for r in await api.check(ids)]
        if op == "import":
            m = await api.import_monitor(Monitor.from_dict(a["monitor"]),
                                         wire.history_from_json(a.get("history") or []),
                                         secrets=_secrets(a),
                                         allow_duplicate=a.get("allow_duplicate") is True)
            return m.to_dict()
        if op == "import_sessions":
            await api.import_sessions(_sessions(a.get("sessions")), str(a.get("source") or ""),
                                      _storage(a.get("storage")))
            return None
        if op == "remove_session":
            return await api.remove_session(str(a["site"]))
        if op == "history":
            return wire.history_to_json(await api.history(str(a["id"]), _limit(a)))
        if op == "events":
            mid = a.get("id")
            return [e.to_dict() for e in await api.events(None if mid is None else str(mid),
                                                          _limit(a))]
        if op == "activity":
            mid = a.get("id")
            return [x.to_json() for x in await api.activity(
                None if mid is None else str(mid), _limit(a))]
        if op == "test_mail":
            to = a.get("to")
            return await api.send_test_mail(None if to is None else _strs(to))
        if op == "probe":
            result = await api.probe(str(a["url"]), kind=Kind(a.get("kind") or "auto"),
                                     selector=a.get("selector"), regex=a.get("regex"),
                                     fetch=FetchMode(a.get("fetch") or "auto"))
            return wire.probe_to_json(result)
        raise InputError(f"The owner does not know the request {op[:40]!r}.")

    def _forward(self, client: _Client, event: ApiEvent) -> None:
        data = wire.event_to_json(event)
        if data is not None:
            client.send({"type": "event", "event": data})


def _strs(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("Expected a list of ids.")
    return value


def _sessions(raw: Any) -> dict[str, list[Cookie]]:
    """`{site: [cookie, ...]}` from a request (Cookie.from_dict refuses a bad cookie)."""
    if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(c, dict) for c in v)
            for k, v in raw.items()):
        raise InputError("Expected sessions as an object of cookie lists.")
    return {site: [Cookie.from_dict(c) for c in cookies] for site, cookies in raw.items()}


def _storage(raw: Any) -> dict[str, list[OriginStorage]]:
    """`{site: [[origin, [[name, value], ...]], ...]}` from a request: strings only."""
    if raw is None:
        return {}
    bad = InputError("Expected localStorage as an object of origin lists.")
    if not isinstance(raw, dict):
        raise bad
    out: dict[str, list[OriginStorage]] = {}
    for site, origins in raw.items():
        if not isinstance(site, str) or not isinstance(origins, list):
            raise bad
        for entry in origins:
            if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
                    and isinstance(entry[1], list) and all(
                        isinstance(p, list) and len(p) == 2
                        and all(isinstance(x, str) for x in p) for p in entry[1])):
                raise bad
            out.setdefault(site, []).append((entry[0], tuple((k, v) for k, v in entry[1])))
    return out


def _limit(a: dict[str, Any]) -> int | None:
    limit = a.get("limit")
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise InputError("The limit must be a whole number.")
    return limit


def _secrets(a: dict[str, Any]) -> MonitorSecrets | None:
    raw = a.get("secrets")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InputError("The monitor's secrets are not an object.")
    return MonitorSecrets.from_dict(raw)
