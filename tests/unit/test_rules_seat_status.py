"""Seat readings with a status: the seats-opened rule, serialisation, and formatting."""

from __future__ import annotations

import json

from tests.unit.test_rules import drive, mon
from tui_tracker.core.formatting import describe_reading, format_readings
from tui_tracker.core.model import HistoryEntry, Kind, Reading, same_values, utcnow


def sec(key: str, value: float | None, status: str | None):
    return Reading(key, f"PSYCH 10 {key}", value, "seats", status)


def check(*readings: Reading):
    return (list(readings), None)


def test_status_turning_open_without_a_count_fires_once_per_crossing() -> None:
    m = mon(Kind.SEATS)
    rules, messages = drive(m, [
        check(sec("lec-1", 0, "closed")),
        check(sec("lec-1", None, "open")),      # opened: fires
        check(sec("lec-1", None, "open")),      # still open: quiet
        check(sec("lec-1", 0, "waitlist")),
        check(sec("lec-1", 4, "open")),         # opened again: fires
    ])
    assert rules == [[], ["seats_opened"], [], [], ["seats_opened"]]
    assert messages[1] == ["Acme Kettle: PSYCH 10 lec-1 is open (was closed)."]
    assert "has 4 open seats (was wait list only)" in messages[4][0]


def test_an_open_section_seen_first_fires_and_a_full_one_does_not() -> None:
    rules, _ = drive(mon(Kind.AUTO), [check(sec("a", None, "open"), sec("b", 0, "full"))])
    assert rules == [["seats_opened"]]


def test_changed_rule_describes_status_changes() -> None:
    m = mon(Kind.SEATS, any_change=True, seats_opened=False)
    _rules, messages = drive(m, [check(sec("a", 0, "full")), check(sec("a", None, "open"))])
    assert "PSYCH 10 a: 0 → open" in messages[1][-1]


def test_one_opening_meeting_two_seat_rules_is_one_alert_naming_both() -> None:
    m = mon(Kind.SEATS, seats_at_least=3, any_change=True)
    rules, messages = drive(m, [check(sec("a", 0, "full")), check(sec("a", 5, "open"))])
    assert rules[1] == ["seats_opened"] and len(messages[1]) == 1
    assert messages[1][0] == ("Acme Kettle: PSYCH 10 a has 5 open seats (was full), at or "
                              "above your 3.")
    from tui_tracker.core import rules as core_rules

    m2 = mon(Kind.SEATS, seats_at_least=3, any_change=True)
    m2.rule_state = core_rules.evaluate(m2, [], [sec("a", 0, "full")], None, True)[1]
    fired, _ = core_rules.evaluate(m2, [sec("a", 0, "full")], [sec("a", 5, "open")], None, False)
    assert [f.all_rules for f in fired] == [("seats_opened", "seats_at_least", "changed")]


def test_reading_status_round_trips_and_old_data_still_loads() -> None:
    r = sec("80118", None, "open")
    d = json.loads(json.dumps(r.to_dict()))
    assert d == {"key": "80118", "label": "PSYCH 10 80118", "value": None, "unit": "seats",
                 "status": "open"}
    assert Reading.from_dict(d) == r
    old = Reading.from_dict({"key": "a", "label": "A", "value": 3.0, "unit": "seats"})
    assert old.status is None and old.number == 3.0
    assert "status" not in Reading("price", "Kettle", 9.5, "USD").to_dict()
    entry = HistoryEntry(at=utcnow(), readings=(r,))
    assert HistoryEntry.from_dict(json.loads(json.dumps(entry.to_dict()))).readings == (r,)


def test_same_values_sees_a_status_change() -> None:
    assert not same_values([sec("a", 0, "full")], [sec("a", 0, "closed")])
    assert same_values([sec("a", 0, "full")], [Reading("a", "renamed", 0, "seats", "full")])


def test_formatting_shows_open_for_a_count_less_section() -> None:
    assert describe_reading(sec("a", None, "open")) == "PSYCH 10 a: open"
    assert describe_reading(sec("a", 2, "open")) == "PSYCH 10 a: 2 open seats"
    assert format_readings([sec("a", None, "open"), sec("b", 0, "full")]) == "a open · b 0"
