"""Open-seat recognition on registration page layouts (tables, PeopleSoft, cards)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def seats(html: str, **kw: object) -> list[tuple[str, float]]:
    result = extract(html, kind=kw.pop("kind", Kind.SEATS), **kw)  # type: ignore[arg-type]
    assert result.kind is Kind.SEATS
    assert all(r.unit == "seats" for r in result.readings)
    return [(r.key, r.value) for r in result.readings]


@pytest.mark.parametrize("kind", [Kind.SEATS, Kind.AUTO])
def test_capacity_enrolled_available_table(kind: Kind) -> None:
    result = extract(page("seats_capacity_table.html"), kind=kind)
    assert result.source == "seats-table"
    assert [(r.key, r.value) for r in result.readings] == [
        ("math-221-001", 0.0), ("math-221-002", 12.0), ("math-221-003", 5.0),
        # Second table has no Available column: Max - Enrolled, never below 0.
        ("math-221-301", 0.0), ("math-221-302", 6.0),
    ]
    assert "MATH 221-002" in result.readings[1].label


def test_banner_cap_act_rem_ignores_waitlist_and_crosslist() -> None:
    result = extract(page("seats_banner.html"), kind=Kind.SEATS)
    # Rem, not WL Rem (13/20/10) nor XL Rem; the extra meeting-time row is no section.
    assert [(r.key, r.value) for r in result.readings] == [
        ("40123", 0.0), ("40124", 8.0), ("40125", 1.0)]
    assert "CRN 40124" in result.readings[1].label
    assert "Data Structures" in result.readings[2].label


@pytest.mark.parametrize("kind", [Kind.SEATS, Kind.AUTO])
def test_peoplesoft_class_detail_waitlist_is_not_open_seats(kind: Kind) -> None:
    result = extract(page("seats_peoplesoft.html"), kind=kind)
    assert result.kind is Kind.SEATS
    assert [(r.key, r.value) for r in result.readings] == [("10234", 0.0), ("10235", 4.0)]
    assert "10234" in result.readings[0].label
    assert "CHEM 101" in result.readings[0].label


def test_peoplesoft_capacity_minus_total_without_available_line() -> None:
    html = ("<html><body><table><tr><td>Class Number</td><td>20001</td></tr>"
            "<tr><td>Enrollment Capacity</td><td>30</td></tr>"
            "<tr><td>Enrollment Total</td><td>27</td></tr>"
            "<tr><td>Wait List Capacity</td><td>10</td></tr>"
            "<tr><td>Wait List Total</td><td>9</td></tr></table></body></html>")
    assert seats(html) == [("20001", 3.0)]


@pytest.mark.parametrize("kind", [Kind.SEATS, Kind.AUTO])
def test_schedule_builder_rendered_cards(kind: Kind) -> None:
    result = extract(page("seats_schedule_builder_rendered.html"), kind=kind)
    assert result.source == "seats-text"
    assert [(r.key, r.value) for r in result.readings] == [
        ("51001", 3.0),   # "Seats Open: 3 of 150"
        ("51002", 0.0),   # "Full (0 of 35), Waitlist 4"
        ("52010", 12.0),  # "Open (12 of 40)"
        ("52011", 0.0),   # "Closed"
    ]
    labels = [r.label for r in result.readings]
    assert "Section 001" in labels[0] and "BIO 150" in labels[0]
    assert "HIST 210" in labels[3]


def test_seat_phrasings_in_one_line_blocks() -> None:
    html = ("<html><body>"
            "<div>Section 01 — Open Seats: 0</div>"
            "<div>Section 02 — Available Seats 7</div>"
            "<div>Section 03 — Seats remaining: 2</div>"
            "</body></html>")
    assert seats(html) == [("01", 0.0), ("02", 7.0), ("03", 2.0)]


def test_seats_before_code_in_each_card() -> None:
    html = ("<html><body>"
            "<div class='card'><p>Seats Open: 5 of 20</p><p>CRN 30001</p></div>"
            "<div class='card'><p>Seats Open: 0 of 20</p><p>CRN 30002</p></div>"
            "</body></html>")
    assert seats(html) == [("30001", 5.0), ("30002", 0.0)]


def test_single_section_without_code() -> None:
    html = "<html><head><title>ART 100</title></head><body><p>Open Seats: 4</p></body></html>"
    result = extract(html, kind=Kind.SEATS)
    assert [(r.key, r.value, r.label) for r in result.readings] == [("seats", 4.0, "ART 100")]


def test_user_selector_one_element_per_section() -> None:
    result = extract(page("seats_schedule_builder_rendered.html"), kind=Kind.SEATS,
                     selector=".section-card")
    assert result.source == "selector"
    assert [(r.key, r.value) for r in result.readings] == [
        ("51001", 3.0), ("51002", 0.0), ("52010", 12.0), ("52011", 0.0)]


def test_user_selector_with_regex() -> None:
    result = extract(page("seats_schedule_builder_rendered.html"), kind=Kind.SEATS,
                     selector="//div[@data-crn='51001']", regex=r"(\d+)\s+of\s+150")
    assert [(r.key, r.value) for r in result.readings] == [("51001", 3.0)]


def test_selector_matching_nothing() -> None:
    with pytest.raises(ExtractionError, match=r"selector '\.section-row' matched nothing"):
        extract(page("seats_banner.html"), kind=Kind.SEATS, selector=".section-row")


def test_selector_without_seat_counts() -> None:
    with pytest.raises(ExtractionError, match="no seat counts"):
        extract(page("seats_banner.html"), kind=Kind.SEATS, selector="caption")


def test_no_sections_on_page() -> None:
    with pytest.raises(ExtractionError, match="no course sections with seat counts"):
        extract("<html><body><h1>Course catalogue</h1><p>CS 101</p></body></html>",
                kind=Kind.SEATS)


def test_js_shell_flags_browser_retry() -> None:
    with pytest.raises(ExtractionError) as info:
        extract(page("seats_schedule_builder_shell.html"), kind=Kind.SEATS)
    assert info.value.looks_script_rendered is True


def test_user_selector_on_a_status_only_element() -> None:
    html = ("<html><body><div class=sec><b>Lab A</b> <span class=st>Open</span></div>"
            "<div class=sec><b>Lab B</b> <span class=st>Closed</span></div></body></html>")
    result = extract(html, kind=Kind.SEATS, selector=".st")
    assert [(r.value, r.status) for r in result.readings] == [(None, "open"), (0.0, "closed")]
