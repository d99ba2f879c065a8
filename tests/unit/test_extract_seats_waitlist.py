"""A full section whose wait list has people on it reads `waitlist` (joining the wait
list is the way in), on tables, cards and detail pages written here in several
registration systems' markup; a wait list said to be full or absent keeps `full`."""

from __future__ import annotations

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract
from tui_tracker.extractors.seats.vocab import status_of


def read(html: str) -> list[tuple[str, float | None, str | None]]:
    result = extract(html, kind=Kind.SEATS)
    return [(r.key, r.value, r.status) for r in result.readings]


@pytest.mark.parametrize(("cell", "status"), [
    ("FULL Waitlist(12)", "waitlist"),
    ("Closed (Waitlist: 4)", "waitlist"),
    ("Full WL 3", "waitlist"),
    ("Closed: Class Full (150)", "full"),
    ("Full - no waitlist", "full"),
    ("Full, waitlist closed", "full"),
    ("Closed Waitlist full (10)", "full"),
    ("FULL Waitlist(0)", "full"),
])
def test_status_of_a_full_section_with_a_wait_list(cell: str, status: str) -> None:
    assert status_of(cell, column=True) == status


def test_webreg_like_grid() -> None:
    rows = "".join(
        f"<tr><td>BILD 1</td><td>{sid}</td><td>DI</td><td>{sec}</td><td>{avail}</td>"
        f"<td>50</td></tr>" for sid, sec, avail in (("530111", "B01", "4"),
                                                    ("530112", "B02", "FULL Waitlist(9)"),
                                                    ("530113", "B03", "FULL")))
    html = ("<html><body><table><tr><th>Subject Course</th><th>Section ID</th>"
            "<th>Meeting Type</th><th>Section</th><th>Avail Seats</th><th>Limit</th></tr>"
            f"{rows}</table></body></html>")
    assert read(html) == [("530111", 4.0, "open"), ("530112", 0.0, "waitlist"),
                          ("530113", 0.0, "full")]


def test_status_column_of_a_class_list() -> None:
    rows = "".join(f"<tr><td>{crn}</td><td>HIST 101</td><td>{cap}</td><td>{enr}</td>"
                   f"<td>{status}</td></tr>" for crn, cap, enr, status in (
                       ("20451", "35", "35", "Closed (Waitlist: 6)"),
                       ("20452", "35", "35", "Closed"),
                       ("20453", "35", "30", "Open")))
    html = ("<html><body><table><tr><th>CRN</th><th>Course</th><th>Cap</th><th>Enrolled</th>"
            f"<th>Status</th></tr>{rows}</table></body></html>")
    assert read(html) == [("20451", 0.0, "waitlist"), ("20452", 0.0, "closed"),
                          ("20453", 5.0, "open")]
