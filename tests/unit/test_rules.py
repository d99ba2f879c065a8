"""Alert rules, table-driven: each row is a sequence of checks and the rules each one fires."""

from __future__ import annotations

import copy
import json

import pytest

from tui_tracker.core.formatting import format_price
from tui_tracker.core.model import Kind, Monitor, Reading, Rules
from tui_tracker.core.rules import (
    evaluate,
    evaluate_failure,
    evaluate_recovery,
)

FAIL = "FAIL"


def price(value: float, stock: bool | None = None, unit: str = "USD"):
    return ([Reading("price", "Acme Kettle", value, unit)], stock)


def seats(**sections: float):
    return ([Reading(k, f"CS 101 Section {k}", v, "seats") for k, v in sections.items()], None)


def text(value: str):
    return ([Reading("text", "Notice", value, None)], None)


def drive(monitor: Monitor, steps: list) -> tuple[list[list[str]], list[list[str]]]:
    """Play checks through the rules the way the engine does; (rules, messages) per step."""
    rules_out, messages = [], []
    first = True
    for step in steps:
        if step == FAIL:
            monitor.failures += 1
            fired, state = evaluate_failure(monitor, monitor.failures,
                                            "The page returned HTTP 500.")
        else:
            new, stock = step
            fired, state = evaluate(monitor, list(monitor.readings), new, stock, first)
            first = False
            monitor.readings = list(new)
            monitor.failures = 0
        # The state must survive the store's JSON round trip unchanged.
        monitor.rule_state = json.loads(json.dumps(state))
        assert monitor.rule_state == state
        rules_out.append([f.rule for f in fired])
        messages.append([f.message for f in fired])
    return rules_out, messages


def mon(kind: Kind, **rules) -> Monitor:
    return Monitor(id="m1", url="http://127.0.0.1/p", name="Acme Kettle", kind=kind,
                   rules=Rules(**rules))


CASES = [
    # --- at or below a target -------------------------------------------------
    ("below: true at first check fires then, once; re-arms after going above",
     mon(Kind.PRICE, below=45), [price(44), price(44), price(43), price(50), price(44)],
     [["price_below"], [], [], [], ["price_below"]]),
    ("below: fires once when crossing, 'at or below' includes equal",
     mon(Kind.PRICE, below=45), [price(50), price(46), price(45), price(45)],
     [[], [], ["price_below"], []]),
    ("below: a failed check is not a crossing",
     mon(Kind.PRICE, below=45, error_after=0), [price(44), FAIL, price(44), FAIL, price(50),
                                                FAIL, price(44)],
     [["price_below"], [], [], [], [], [], ["price_below"]]),
    # --- drop by N % -------------------------------------------------------------
    ("drop: baseline is the first price, then the last alerted price",
     mon(Kind.PRICE, drop_pct=10),
     [price(100), price(95), price(90), price(89), price(81), price(120), price(100)],
     [[], [], ["price_drop"], [], ["price_drop"], [], []]),
    ("drop: never at the first check", mon(Kind.PRICE, drop_pct=10), [price(50)], [[]]),
    ("drop: a currency change resets the baseline",
     mon(Kind.PRICE, drop_pct=10), [price(100), price(80, unit="EUR"), price(70, unit="EUR")],
     [[], [], ["price_drop"]]),
    # --- back in stock ------------------------------------------------------------
    ("stock: fires on out -> in only; unknown changes nothing",
     mon(Kind.PRICE), [price(50, False), price(50, False), price(50, True), price(50, None),
                       price(50, True), price(50, False), price(50, None), price(50, True)],
     [[], [], ["back_in_stock"], [], [], [], [], ["back_in_stock"]]),
    ("stock: in stock at the first check is not 'back'",
     mon(Kind.PRICE), [price(50, True), price(50, True)], [[], []]),
    ("stock: off when the rule is off",
     mon(Kind.PRICE, back_in_stock=False), [price(50, False), price(50, True)], [[], []]),
    # --- seats opened, per section ----------------------------------------------------
    ("seats: 0 -> >0 per section, once, re-arms at 0",
     mon(Kind.SEATS), [seats(A=0, B=0), seats(A=0, B=2), seats(A=0, B=3), seats(A=1, B=3),
                       seats(A=1, B=0), seats(A=1, B=1)],
     [[], ["seats_opened"], [], ["seats_opened"], [], ["seats_opened"]]),
    ("seats: open at the first check fires then",
     mon(Kind.SEATS), [seats(A=3, B=0), seats(A=3, B=0)], [["seats_opened"], []]),
    ("seats: two sections opening in one pass fire two alerts",
     mon(Kind.SEATS), [seats(A=0, B=0), seats(A=4, B=2)], [[], ["seats_opened", "seats_opened"]]),
    ("seats: a disappearing section is not '0 seats'",
     mon(Kind.SEATS), [seats(A=0, B=2), seats(A=0), seats(A=0, B=2)],
     [["seats_opened"], [], []]),
    ("seats: a full section that vanished still fires when it comes back open",
     mon(Kind.SEATS), [seats(A=0, B=0), seats(A=0), seats(A=0, B=2)], [[], [], ["seats_opened"]]),
    ("seats at least N: once per crossing",
     mon(Kind.SEATS, seats_opened=False, seats_at_least=5),
     [seats(A=3), seats(A=5), seats(A=6), seats(A=4), seats(A=5)],
     [[], ["seats_at_least"], [], [], ["seats_at_least"]]),
    # --- changes --------------------------------------------------------------------------
    ("text: any change fires, never the first check",
     mon(Kind.TEXT), [text("a"), text("a"), text("b"), text("b"), text("a")],
     [[], [], ["changed"], [], ["changed"]]),
    ("text: a failed check between equal values is no change",
     mon(Kind.TEXT, error_after=0), [text("a"), FAIL, text("a"), FAIL, text("b")],
     [[], [], [], [], ["changed"]]),
    ("price any_change", mon(Kind.PRICE, any_change=True), [price(50), price(50), price(45)],
     [[], [], ["changed"]]),
    ("price without any_change does not report plain changes",
     mon(Kind.PRICE), [price(50), price(45)], [[], []]),
    # --- errors ------------------------------------------------------------------------------
    ("errors: one alert after N failures, one on recovery, nothing between",
     mon(Kind.PRICE, error_after=3),
     [price(50), FAIL, FAIL, FAIL, FAIL, FAIL, price(50), price(50), FAIL],
     [[], [], [], ["error"], [], [], ["recovered"], [], []]),
    ("errors: fewer than N failures send nothing, not even 'recovered'",
     mon(Kind.PRICE, error_after=3), [price(50), FAIL, FAIL, price(50)], [[], [], [], []]),
    ("errors: error_after=0 never alerts",
     mon(Kind.PRICE, error_after=0), [FAIL, FAIL, FAIL, FAIL, price(50)], [[], [], [], [], []]),
    ("errors: failing before the first success still alerts",
     mon(Kind.SEATS, error_after=2), [FAIL, FAIL, seats(A=1)],
     [[], ["error"], ["recovered", "seats_opened"]]),
]


@pytest.mark.parametrize(("title", "monitor", "steps", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_rule_sequences(title, monitor, steps, expected):
    got, _ = drive(monitor, steps)
    assert got == expected


def test_price_below_message_has_prices_with_currency():
    m = mon(Kind.PRICE, below=45)
    _, msgs = drive(m, [price(49.99), price(44.99)])
    assert msgs[1] == [
        "Acme Kettle is $44.99, at or below your target $45.00 (was $49.99)."]


def test_seats_opened_message_names_the_section():
    m = mon(Kind.SEATS)
    _, msgs = drive(m, [seats(A=0, B=0), seats(A=0, B=3)])
    assert msgs[1] == ["Acme Kettle: CS 101 Section B has 3 open seats (was full)."]


def test_drop_message_says_how_much():
    m = mon(Kind.PRICE, drop_pct=10)
    _, msgs = drive(m, [price(100), price(85)])
    assert msgs[1] == ["Acme Kettle dropped 15% to $85.00 from $100.00 (your alert: a 10% drop)."]


def test_error_message_quotes_the_error_and_recovery_the_value():
    m = mon(Kind.PRICE, error_after=2)
    _, msgs = drive(m, [price(50), FAIL, FAIL, price(48)])
    assert "failed 2 checks in a row: The page returned HTTP 500." in msgs[2][0]
    assert msgs[3] == ["Acme Kettle works again after 2 failed checks. Latest value: $48.00."]


def test_changing_the_target_judges_it_afresh():
    m = mon(Kind.PRICE, below=45)
    got, _ = drive(m, [price(44), price(44)])
    assert got == [["price_below"], []]
    m.rules.below = 44.5
    got, _ = drive(m, [price(44)])
    # drive() restarts with first=True; the point is the re-armed target, not first-check.
    assert got == [["price_below"]]


def test_evaluate_is_pure():
    m = mon(Kind.PRICE, below=45, error_after=1)
    m.rule_state = {"v": 1, "armed": {"price_below": True}, "error_alerted": True}
    before = copy.deepcopy(m.rule_state)
    fired, state = evaluate(m, [], price(40)[0], None, False)
    assert [f.rule for f in fired] == ["recovered", "price_below"]
    assert m.rule_state == before
    assert state["error_alerted"] is False


def test_engine_calling_recovery_after_evaluate_gets_no_second_alert():
    m = mon(Kind.PRICE, error_after=1)
    _, m.rule_state = evaluate_failure(m, 1, "boom")
    fired, m.rule_state = evaluate(m, [], price(40)[0], None, False)
    more, _ = evaluate_recovery(m)
    assert [f.rule for f in fired] == ["recovered"]
    assert more == []


def test_hostile_section_label_is_cleaned_in_messages():
    m = mon(Kind.SEATS)
    evil = [Reading("A", "Sec\x1b]52;c;ZXZpbA==\x07 A\r\nBcc: x@y", 2, "seats")]
    fired, _ = evaluate(m, [], evil, None, True)
    assert len(fired) == 1
    assert "\x1b" not in fired[0].message and "\n" not in fired[0].message
    assert "Sec A Bcc: x@y has 2 open seats" in fired[0].message


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (1299.99, "USD", "$1,299.99"),
    (44.99, "EUR", "€44.99"),
    (10, "GBP", "£10.00"),
    (1280, "JPY", "¥1,280"),
    (44.99, "CHF", "44.99 CHF"),
    (44.99, None, "44.99"),
])
def test_format_price(value, unit, expected):
    assert format_price(value, unit) == expected
