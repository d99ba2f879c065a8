"""What the engine tells its subscribers (TUI, headless log, CLI). No UI imports here.

Events carry snapshots (copies) of monitors, so a subscriber may keep them without
seeing later mutations, and may run in another task without locking.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_tracker.core.model import Event, Health, Monitor, Reading


@dataclass(frozen=True, slots=True)
class CheckStarted:
    monitor_id: str


@dataclass(frozen=True, slots=True)
class CheckFinished:
    """A check ended; `monitor` is the state after it (readings, health, next check)."""

    monitor: Monitor
    ok: bool
    changed: bool
    error: str | None


@dataclass(frozen=True, slots=True)
class ValuesChanged:
    monitor: Monitor
    old: tuple[Reading, ...]
    new: tuple[Reading, ...]


@dataclass(frozen=True, slots=True)
class HealthChanged:
    monitor_id: str
    old: Health
    new: Health


@dataclass(frozen=True, slots=True)
class MonitorUpdated:
    """Added, edited, or its mode changed by a user action (already saved)."""

    monitor: Monitor


@dataclass(frozen=True, slots=True)
class MonitorRemoved:
    monitor_id: str


@dataclass(frozen=True, slots=True)
class AlertFired:
    """A rule fired and the event was recorded (delivery may still be pending)."""

    event: Event


@dataclass(frozen=True, slots=True)
class DeliveryUpdated:
    """An event's delivery state changed (sent, failed, retry scheduled)."""

    event: Event


@dataclass(frozen=True, slots=True)
class SaveFailed:
    """Check state could not be saved (`error`), or saving works again (`error` None).

    The engine keeps the state in memory and retries every flush; the UI shows it.
    """

    error: str | None


EngineEvent = (
    CheckStarted | CheckFinished | ValuesChanged | HealthChanged | MonitorUpdated
    | MonitorRemoved | AlertFired | DeliveryUpdated | SaveFailed
)
