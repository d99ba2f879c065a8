"""Registration markup the seat readers missed before, written here from public systems'
templates (invented courses and numbers): a label and its count in two cells, three-part
section codes, activity and 9-digit class ids, a title that says the section is
cancelled, and an invitation to join a wait list that is not a status."""

from __future__ import annotations

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def read(html: str) -> list[tuple[str, float | None, str | None]]:
    result = extract(f"<html><body>{html}</body></html>", kind=Kind.SEATS)
    return [(r.key, r.value, r.status) for r in result.readings]


@pytest.mark.parametrize("body", [
    "<table><tr><th>Seats Available</th><td>0</td></tr>"
    "<tr><th>Total Capacity</th><td>24</td></tr></table>",
    "<dl><dt>Seats Available</dt><dd>0 of 24 Total</dd><dt>Waitlisted</dt><dd>3</dd></dl>",
])
def test_a_seat_label_and_its_count_in_two_cells(body: str) -> None:
    html = f"<h2>NURS-1420-A1: Fundamentals of Nursing</h2><div class=details>{body}</div>"
    assert read(html) == [("nurs-1420-a1", 0.0, "full")]


def test_three_part_section_codes() -> None:
    rows = "".join(f"<tr><td>{code}</td><td>Medical Terminology</td><td>{n}</td></tr>"
                   for code, n in (("MA110-W27-D1", 4), ("MA110-W27-E1", 0), ("BUS150-S27-01", 2)))
    html = f"<table><tr><th>Section</th><th>Title</th><th>Seats Available</th></tr>{rows}</table>"
    assert [k for k, _v, _s in read(html)] == ["ma110-w27-d1", "ma110-w27-e1", "bus150-s27-01"]


def test_a_section_titled_cancelled_is_left_out() -> None:
    html = ("<table class=datadisplaytable>"
            "<tr><th class=ddtitle>Beginning Welding - 11506 - WELD 101 - A2</th></tr>"
            "<tr><td>Seats: 5</td></tr>"
            "<tr><th class=ddtitle>Beginning Welding - 11507 - WELD 101 - A3 CANCELLED</th></tr>"
            "<tr><td>Seats: 0</td></tr></table>")
    assert [k for k, _v, _s in read(html)] == ["11506"]


@pytest.mark.parametrize(("status", "want"), [
    ("Enrollment full - join the waitlist", "full"),
    ("Section full - waitlist open", "full"),  # Full said first; the wait list is an offer
    ("Section full - waitlist open (6 waiting)", "waitlist"),  # ...in use
])
def test_a_wait_list_invitation_is_not_a_status(status: str, want: str) -> None:
    html = f"<div class=course><h3>SI27-110 Grant Writing</h3><p>{status}</p></div>"
    assert read(html) == [("si27-110", 0.0, want)]


def test_closed_by_the_department_is_a_status() -> None:
    rows = "".join(f"<tr><td>{sec}</td><td>{status}</td><td>{enr}</td></tr>"
                   for sec, status, enr in (
        ("Lec 1", "Closed by Dept", "0 of 30"), ("Lec 2", "Closed for enrollment", "10 of 30"),
        ("Lec 3", "Open", "10 of 30")))
    html = f"<table><tr><th>Sec</th><th>Status</th><th>Enrolled</th></tr>{rows}</table>"
    assert read(html) == [("lec-1", 0.0, "closed"), ("lec-2", 0.0, "closed"),
                          ("lec-3", 20.0, "open")]


def test_closed_to_a_group_in_a_sentence_is_not_a_status() -> None:
    html = ("<div class=sec><h4>HIST 210-01</h4><p>Closed to freshmen.</p>"
            "<p>Seats available: 6</p></div>")
    assert read(html) == [("hist-210-01", 6.0, "open")]
