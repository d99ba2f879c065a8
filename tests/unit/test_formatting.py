"""Short table values: prices with currency, seats without the label part all sections share."""

from __future__ import annotations

import pytest

from tui_tracker.core.formatting import format_readings
from tui_tracker.core.model import Reading


def seats(*pairs: tuple[str, float]) -> list[Reading]:
    return [Reading(f"k{i}", label, n, "seats") for i, (label, n) in enumerate(pairs)]


@pytest.mark.parametrize(("readings", "expected"), [
    (seats(("CS 101-001", 2), ("CS 101-002", 3), ("CS 101-003", 0)), "001 2 · 002 3 · 003 0"),
    (seats(("Section A", 2), ("Section B", 0)), "A 2 · B 0"),
    (seats(("101", 5), ("201", 0)), "101 5 · 201 0"),
    (seats(("Sec", 1), ("Sec 2", 3)), "Sec 1 · Sec 2 3"),  # a prefix may not eat a label
    (seats(("CS 101-001", 4)), "CS 101-001 4"),  # one section keeps its whole label
    ([Reading("price", "Kettle", 1299.99, "USD")], "$1,299.99"),
    ([Reading("price", "Grinder", 184.5, "EUR")], "€184.50"),
    ([Reading("price", "Watch", 149.0, "CHF")], "149.00 CHF"),
    ([], "—"),
])
def test_format_readings(readings: list[Reading], expected: str) -> None:
    assert format_readings(readings) == expected


def test_format_readings_counts_what_it_leaves_out() -> None:
    many = seats(*((f"S{i}", i) for i in range(6)))
    assert format_readings(many, limit=2) == "S0 0 · S1 1 (+4)"
