"""The control socket's encoding: JSON lines, and engine values to and from JSON.

A frame is one JSON object on one line (UTF-8, `\\n` terminated, at most `MAX_LINE`
bytes). Frames:

* server → client, first: `{"type": "hello", "v": 1, "pid": N}`; a refused peer gets
  `{"type": "refused", "v": 1, "error": "..."}` and the connection is closed.
* client → server: `{"id": 7, "op": "add", "args": {...}}`.
* server → client: `{"type": "reply", "id": 7, "ok": true, "result": ...}` or
  `{"type": "reply", "id": 7, "ok": false, "error": {"type", "message", "exit_code",
  "fields"}}`.
* server → client, after op `subscribe`: `{"type": "event", "event": {"kind": ...}}`.
* server → client, every second: `{"type": "tick"}` (the client's proof of life).

Unknown fields are ignored, so either side may add some; a different `v` is refused.
"""

from __future__ import annotations

import json
from typing import Any

from tui_tracker.core import errors as err
from tui_tracker.core.model import (
    Candidate,
    Event,
    Extraction,
    Health,
    HistoryEntry,
    Kind,
    Monitor,
    Reading,
)
from tui_tracker.core.monitor_input import FieldErrors
from tui_tracker.engine import events as ev
from tui_tracker.engine.api import ApiEvent, Checking, CheckReport, OwnerGone
from tui_tracker.engine.probe import ProbeResult

VERSION = 1
MAX_LINE = 16 * 1024 * 1024
"""Largest frame either side accepts (an import request carries a monitor's history)."""


def encode(frame: dict[str, Any]) -> bytes:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    """One frame; ValueError for anything that is not a JSON object (or nests absurdly)."""
    try:
        frame = json.loads(line.decode("utf-8"))
    except RecursionError:
        raise ValueError("a frame nests too deeply") from None
    if not isinstance(frame, dict):
        raise ValueError("a frame must be a JSON object")
    return frame


# ------------------------------------------------------------------ errors
_ERRORS: dict[str, type[err.TrackerError]] = {
    cls.__name__: cls for cls in (
        err.TrackerError, err.InputError, err.FetchError, err.ExtractionError,
        err.StoreError, err.NotifyError, err.ConfigError, FieldErrors, err.DuplicateError)
}


def error_to_json(exc: err.TrackerError) -> dict[str, Any]:
    return {"type": type(exc).__name__, "message": str(exc), "exit_code": exc.exit_code,
            "fields": getattr(exc, "errors", None),
            "existing_id": getattr(exc, "existing_id", None)}


def error_from_json(data: Any) -> err.TrackerError:
    """The owner's error as the same class here (InputError stays an exit-2 InputError)."""
    if not isinstance(data, dict):
        return err.TrackerError("The owner sent an unreadable error.")
    message = str(data.get("message") or "The owner reported an error.")
    fields = data.get("fields")
    if isinstance(fields, dict) and fields:
        return FieldErrors({str(k): str(v) for k, v in fields.items()})
    cls = _ERRORS.get(str(data.get("type")), err.TrackerError)
    exc = cls.__new__(cls)
    err.TrackerError.__init__(exc, message)
    if isinstance(exc, err.FetchError):
        exc.retry_after, exc.status = None, None
    if isinstance(exc, err.ExtractionError):
        exc.looks_script_rendered = False
    if isinstance(exc, err.NotifyError):
        exc.permanent = False
    if isinstance(exc, err.DuplicateError):
        exc.existing_id = str(data.get("existing_id") or "")
    code = data.get("exit_code")
    if isinstance(code, int) and code != exc.exit_code:
        exc.exit_code = code
    return exc


# ------------------------------------------------------------------ values
def monitor_from_json(data: Any) -> Monitor:
    if not isinstance(data, dict):
        raise ValueError("a monitor must be an object")
    return Monitor.from_dict(data)


def report_to_json(r: CheckReport) -> dict[str, Any]:
    return {"monitor": r.monitor.to_dict(), "ok": r.ok, "changed": r.changed, "error": r.error,
            "via": r.via}


def report_from_json(d: dict[str, Any]) -> CheckReport:
    via = d.get("via")
    return CheckReport(monitor_from_json(d["monitor"]), bool(d["ok"]), bool(d["changed"]),
                       d.get("error"), via if isinstance(via, str) else None)


def probe_to_json(r: ProbeResult) -> dict[str, Any]:
    return r.to_json()


def probe_from_json(d: dict[str, Any]) -> ProbeResult:
    kind = Kind(d.get("kind") or "auto")
    result = ProbeResult(url=str(d.get("url") or ""), kind=kind, fetcher=d.get("fetcher"),
                         final_url=d.get("final_url"))
    candidates = [Candidate(value=float(c["value"]), unit=c.get("unit"),
                            context=str(c.get("context") or ""), selector=str(c["selector"]))
                  for c in d.get("candidates") or []]
    if d.get("ok"):
        result.extraction = Extraction(
            kind=kind, readings=[Reading.from_dict(x) for x in d.get("readings") or []],
            source=str(d.get("source") or ""), title=d.get("title"), in_stock=d.get("in_stock"),
            candidates=candidates)
    else:
        error = err.TrackerError(str(d.get("error") or "Nothing was found."))
        error.candidates = candidates  # type: ignore[attr-defined]  # read by ProbeResult
        result.error = error
    return result


def history_to_json(entries: list[HistoryEntry]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in entries]


def history_from_json(items: Any) -> list[HistoryEntry]:
    if not isinstance(items, list):
        raise ValueError("history must be a list")
    return [HistoryEntry.from_dict(x) for x in items]


# ------------------------------------------------------------------ events
def event_to_json(e: ApiEvent) -> dict[str, Any] | None:
    """An engine event as JSON; None for one that does not cross the socket."""
    if isinstance(e, ev.CheckStarted):
        return {"kind": "check_started", "monitor_id": e.monitor_id}
    if isinstance(e, ev.CheckFinished):
        return {"kind": "check_finished", "monitor": e.monitor.to_dict(), "ok": e.ok,
                "changed": e.changed, "error": e.error}
    if isinstance(e, ev.ValuesChanged):
        return {"kind": "values_changed", "monitor": e.monitor.to_dict(),
                "old": [r.to_dict() for r in e.old], "new": [r.to_dict() for r in e.new]}
    if isinstance(e, ev.HealthChanged):
        return {"kind": "health_changed", "monitor_id": e.monitor_id, "old": e.old.value,
                "new": e.new.value}
    if isinstance(e, ev.MonitorUpdated):
        return {"kind": "monitor_updated", "monitor": e.monitor.to_dict()}
    if isinstance(e, ev.MonitorRemoved):
        return {"kind": "monitor_removed", "monitor_id": e.monitor_id}
    if isinstance(e, ev.AlertFired):
        return {"kind": "alert_fired", "event": e.event.to_dict()}
    if isinstance(e, ev.DeliveryUpdated):
        return {"kind": "delivery_updated", "event": e.event.to_dict()}
    if isinstance(e, ev.SaveFailed):
        return {"kind": "save_failed", "error": e.error}
    if isinstance(e, Checking):
        return {"kind": "checking", "ids": sorted(e.ids)}
    return None  # OwnerGone is said by the client itself


def event_from_json(d: dict[str, Any]) -> ApiEvent | None:
    """The event, or None for a kind this version does not know (newer owner)."""
    kind = d.get("kind")
    readings = lambda key: tuple(Reading.from_dict(x) for x in d.get(key) or [])  # noqa: E731
    if kind == "check_started":
        return ev.CheckStarted(str(d["monitor_id"]))
    if kind == "check_finished":
        return ev.CheckFinished(monitor_from_json(d["monitor"]), bool(d["ok"]),
                                bool(d["changed"]), d.get("error"))
    if kind == "values_changed":
        return ev.ValuesChanged(monitor_from_json(d["monitor"]), readings("old"),
                                readings("new"))
    if kind == "health_changed":
        return ev.HealthChanged(str(d["monitor_id"]), Health(d["old"]), Health(d["new"]))
    if kind == "monitor_updated":
        return ev.MonitorUpdated(monitor_from_json(d["monitor"]))
    if kind == "monitor_removed":
        return ev.MonitorRemoved(str(d["monitor_id"]))
    if kind == "alert_fired":
        return ev.AlertFired(Event.from_dict(d["event"]))
    if kind == "delivery_updated":
        return ev.DeliveryUpdated(Event.from_dict(d["event"]))
    if kind == "save_failed":
        return ev.SaveFailed(d.get("error"))
    if kind == "checking":
        return Checking(frozenset(str(i) for i in d.get("ids") or []))
    return None


__all__ = ["MAX_LINE", "VERSION", "OwnerGone", "decode", "encode"]
