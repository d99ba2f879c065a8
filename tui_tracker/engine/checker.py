"""Apply one probe result to a monitor: new state, changed flag, fired rules. No I/O here.

Kept apart from the scheduler so the rules of "what a check means" (a failure keeps the
last good value, `changed` compares with the previous success, backoff on failure) read
in one place and are testable without a network.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tui_tracker.core import rules
from tui_tracker.core.errors import BlockedError
from tui_tracker.core.model import (
    FetchMode,
    Health,
    Kind,
    Monitor,
    Reading,
    same_values,
)
from tui_tracker.core.text import clean_text
from tui_tracker.engine.api import check_json
from tui_tracker.engine.backoff import failure_delay, jittered
from tui_tracker.engine.probe import ProbeResult

HEARTBEAT = timedelta(hours=6)
"""An unchanged value is still written to history this often, so charts show flat spans."""


@dataclass(slots=True)
class CheckOutcome:
    """What one check did; `to_json` is one element of `check --json`."""

    monitor: Monitor
    ok: bool
    changed: bool
    error: str | None
    old: list[Reading]
    old_health: Health
    fired: list[rules.Fired] = field(default_factory=list)
    record_history: bool = False
    via: str | None = None
    """How the readings were obtained (`ProbeResult.via`); None for a failed check."""

    def to_json(self) -> dict[str, Any]:
        return check_json(self.monitor, self.ok, self.changed, self.error, self.via)


def apply_result(monitor: Monitor, result: ProbeResult, now: datetime, *,
                 cap: float, last_history: datetime | None = None,
                 rng=random.random) -> CheckOutcome:
    """Fold a probe result into `monitor` (mutated in place) and evaluate its rules."""
    old = list(monitor.readings)
    old_health = monitor.health(now)
    first = monitor.last_success is None
    monitor.last_checked = now
    if not result.ok and isinstance(result.error, BlockedError):
        return _blocked(monitor, result.error, now, old, old_health, cap, rng)
    monitor.blocked = False
    if not result.ok:
        monitor.failures += 1
        monitor.error = clean_text(str(result.error) or "the check failed", 300)
        delay = failure_delay(monitor.interval, monitor.failures, cap=cap,
                              retry_after=result.retry_after, rng=rng)
        monitor.next_check = now + timedelta(seconds=delay)
        fired, state = rules.evaluate_failure(monitor, monitor.failures, monitor.error)
        monitor.rule_state = state
        return CheckOutcome(monitor, False, False, monitor.error, old, old_health, fired)

    ex = result.extraction
    assert ex is not None
    # evaluate() also emits the one "recovered" alert after an error alert.
    fired, state = rules.evaluate(monitor, old, list(ex.readings), ex.in_stock, first)
    monitor.rule_state = state
    changed = not first and not same_values(old, ex.readings)
    monitor.readings = list(ex.readings)
    monitor.in_stock = ex.in_stock
    monitor.source = ex.source
    monitor.title = ex.title or monitor.title
    monitor.final_url = result.final_url
    monitor.fetch_state = result.fetch_state or {}
    if result.learned is not None:
        monitor.learned = result.learned
    if monitor.kind is Kind.AUTO:
        monitor.kind = ex.kind
    if monitor.fetcher is FetchMode.AUTO and result.fetcher:
        monitor.resolved_fetcher = FetchMode(result.fetcher)
    monitor.error = None
    monitor.failures = 0
    monitor.last_success = now
    if changed or first:
        monitor.last_changed = now
    monitor.next_check = now + timedelta(seconds=jittered(monitor.interval, rng))
    record = first or changed or last_history is None or now - last_history >= HEARTBEAT
    return CheckOutcome(monitor, True, changed, None, old, old_health, fired, record,
                        result.via)


def _blocked(monitor: Monitor, error: BlockedError, now: datetime, old: list[Reading],
             old_health: Health, cap: float, rng) -> CheckOutcome:
    """A wall answered: no reading, no value rule, `changed` false, one "blocked" alert."""
    monitor.failures += 1  # backs off like a failure: a challenge must not be hammered
    monitor.blocked = True
    monitor.error = clean_text(str(error), 300)
    delay = failure_delay(monitor.interval, monitor.failures, cap=cap, rng=rng)
    monitor.next_check = now + timedelta(seconds=delay)
    fired, state = rules.evaluate_blocked(monitor, monitor.error, error.kind, error.site)
    monitor.rule_state = state
    return CheckOutcome(monitor, False, False, monitor.error, old, old_health, fired)
