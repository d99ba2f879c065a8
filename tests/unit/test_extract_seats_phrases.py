"""How schedule pages word a section's seats: one card per phrasing, read the same way.

Each phrase sits in a card next to a full section; the card must read as the expected
count and status, keyed by its section code, and the full card must still be there.
"""

from __future__ import annotations

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract

PHRASES: dict[str, tuple[float | None, str]] = {
    "Seats available: 4": (4, "open"), "4 seats available": (4, "open"),
    "Available: 4": (4, "open"), "4 spots remaining": (4, "open"),
    "Remaining seats 4": (4, "open"), "Open seats: 4 / 30": (4, "open"),
    "Enrolled 26 / 30": (4, "open"), "26/30 enrolled": (4, "open"),
    "Capacity 30, enrolled 26": (4, "open"), "Enrollment: 26 of 30": (4, "open"),
    "26 of 30 seats filled": (4, "open"), "Seats taken: 26 of 30": (4, "open"),
    "Only 4 seats left!": (4, "open"), "4 places left": (4, "open"),
    "Availability: 4 of 30": (4, "open"), "Seats: 4 open of 30": (4, "open"),
    "Open (4 seats)": (4, "open"), "Status: Open - 4 seats": (4, "open"),
    "4 of 30 spots open": (4, "open"), "Spaces: 4": (4, "open"), "Vacancies: 4": (4, "open"),
    "Capacity: 30 Registered: 26": (4, "open"), "Limit 30 Enrolled 26": (4, "open"),
    "Registered: 26 / Limit: 30": (4, "open"), "26 registered (max 30)": (4, "open"),
    "Seats: 26/30 (4 open)": (4, "open"),
    "Class is full": (0, "full"), "Full": (0, "full"), "Sold out": (0, "full"),
    "Seats available: 0": (0, "full"), "0 seats left": (0, "full"),
    "Enrolled 30/30": (0, "full"), "Max 30 | Enrolled 31": (0, "full"),
    "Seats remaining: -2": (0, "full"), "No seats left": (0, "full"),
    "Waitlist only": (0, "waitlist"), "Status: Waitlisted": (0, "waitlist"),
    "Closed": (0, "closed"), "Open": (None, "open"),
}


@pytest.mark.parametrize(("phrase", "expected"), PHRASES.items(), ids=list(PHRASES))
def test_phrase(phrase: str, expected: tuple[float | None, str]) -> None:
    html = ("<html><body>"
            f"<div class=c><h4>Section 012</h4><p>{phrase}</p></div>"
            "<div class=c><h4>Section 013</h4><p>Full</p></div></body></html>")
    readings = extract(html, kind=Kind.SEATS).readings
    assert [(r.key, r.value, r.status) for r in readings] == [
        ("012", expected[0], expected[1]), ("013", 0.0, "full")]
