"""Backoff, intervals and the check-result folding rules, without a network."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tui_tracker.core.errors import FetchError, InputError
from tui_tracker.core.intervals import format_interval, parse_interval
from tui_tracker.core.model import Extraction, Health, Kind, Mode, Monitor, Reading, utcnow
from tui_tracker.engine.backoff import failure_delay
from tui_tracker.engine.checker import HEARTBEAT, apply_result
from tui_tracker.engine.probe import ProbeResult


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("10m", 600), ("2h", 7200),
                                               ("1d", 86400), ("1h30m", 5400), ("45", 45)])
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds
    assert parse_interval(format_interval(seconds)) == seconds


@pytest.mark.parametrize("text", ["", "soon", "10x", "1s", "-5m", "m10"])
def test_parse_interval_rejects(text: str) -> None:
    with pytest.raises(InputError):
        parse_interval(text)


def test_backoff_doubles_from_the_interval_up_to_the_cap() -> None:
    mid = lambda: 0.5  # noqa: E731 - no jitter
    delays = [failure_delay(600, n, cap=3600, rng=mid) for n in range(1, 6)]
    assert delays == [600, 1200, 2400, 3600, 3600]
    assert failure_delay(30, 1, cap=3600, rng=mid) == 30  # the first retry within 30 s
    # A daily monitor retries after an hour, backing off to its own interval.
    assert failure_delay(86400, 1, cap=3600, rng=mid) == 3600
    assert failure_delay(86400, 10, cap=3600, rng=mid) == 86400
    assert failure_delay(60, 1, cap=3600, retry_after=300, rng=mid) == 300
    jittered = {failure_delay(600, 2, cap=3600) for _ in range(20)}
    assert len(jittered) > 1 and all(960 <= d <= 1440 for d in jittered)


def ok(value: float) -> ProbeResult:
    ex = Extraction(Kind.PRICE, [Reading("price", "Kettle", value, "USD")], "json-ld", "Kettle")
    return ProbeResult(url="http://x/", kind=Kind.AUTO, fetcher="http", extraction=ex,
                       final_url="http://x/")


def failed(message: str) -> ProbeResult:
    return ProbeResult(url="http://x/", kind=Kind.PRICE, error=FetchError(message))


def test_apply_result_changed_semantics_and_history_policy() -> None:
    m = Monitor(id="m1", url="http://x/", interval=600)
    t0 = utcnow()
    first = apply_result(m, ok(10.0), t0, cap=3600)
    assert first.ok and not first.changed and first.record_history
    assert m.kind is Kind.PRICE and m.resolved_fetcher.value == "http"
    same = apply_result(m, ok(10.0), t0 + timedelta(minutes=10), cap=3600, last_history=t0)
    assert not same.changed and not same.record_history  # unchanged: no new history point
    later = t0 + HEARTBEAT + timedelta(minutes=1)
    beat = apply_result(m, ok(10.0), later, cap=3600, last_history=t0)
    assert beat.record_history and not beat.changed  # sparse heartbeat
    moved = apply_result(m, ok(9.0), later, cap=3600, last_history=later)
    assert moved.changed and moved.record_history and m.last_changed == later


def test_failed_check_keeps_value_and_backs_off() -> None:
    m = Monitor(id="m1", url="http://x/", interval=600)
    t0 = utcnow()
    apply_result(m, ok(10.0), t0, cap=3600)
    out = apply_result(m, failed("HTTP 500 from x"), t0, cap=3600, rng=lambda: 0.5)
    assert not out.ok and out.error == "HTTP 500 from x"
    assert m.readings[0].value == 10.0 and m.health(t0) is Health.ERROR
    assert m.next_check - t0 == timedelta(seconds=600)
    apply_result(m, failed("HTTP 500 from x"), t0, cap=3600, rng=lambda: 0.5)
    assert m.next_check - t0 == timedelta(seconds=1200) and m.failures == 2
    apply_result(m, ok(10.0), t0, cap=3600)
    assert m.failures == 0 and m.error is None


def test_health_is_stale_without_a_recent_success() -> None:
    m = Monitor(id="m1", url="http://x/", interval=600)
    now = utcnow()
    assert m.health(now) is Health.NEW  # never checked: new, not stale
    m.last_success = now - timedelta(minutes=5)
    assert m.health(now) is Health.HEALTHY
    m.last_success = now - timedelta(hours=1)
    assert m.health(now) is Health.STALE
    m.mode = Mode.PAUSED  # only an active monitor goes stale (DESIGN "Concepts")
    assert m.health(now) is Health.HEALTHY
    m.mode, m.last_success, m.last_checked = Mode.ACTIVE, None, now
    assert m.health(now) is Health.STALE  # checked but never read


def test_monitor_copies_share_nothing_a_check_or_edit_changes_in_place() -> None:
    """The generated field copier copies every field, so a copy equals its original,
    and what the engine mutates in place (rules, lists) is not shared."""
    import dataclasses

    from tui_tracker.core.model import Rules, copy_monitor_shallow
    from tui_tracker.core.monitor_input import copy_monitor

    values = {f.name: f"v-{f.name}" for f in dataclasses.fields(Monitor)}
    values |= {"rules": Rules(below=3.0), "emails": ["a@example.test"], "tags": ["t"],
               "readings": [Reading("price", "p", 1.0, "USD")], "rule_state": {"x": {"y": 1}},
               "fetch_state": {"d": "1"}, "learned": {"url": "u"}}
    m = Monitor(**values)
    for copier in (copy_monitor_shallow, copy_monitor):
        c = copier(m)
        assert c == m and c is not m
        assert c.rules is not m.rules and c.emails is not m.emails
        assert c.readings is not m.readings
        c.rules.below = 1.0
        c.emails.append("b@example.test")
        assert m.rules.below == 3.0 and m.emails == ["a@example.test"]
    assert copy_monitor(m).rule_state is not m.rule_state
