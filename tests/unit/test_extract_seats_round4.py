"""Round-4 general causes (identity, grouping, values), each shown in small synthetic
pages of two or more layouts written here, not copied from the corpus."""

from __future__ import annotations

import json

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def read(html: str, data: list[tuple[str, str]] | None = None,
         ) -> list[tuple[str, float | None, str | None]]:
    result = extract(html, kind=Kind.SEATS, data=data or [])
    return [(r.key, r.value, r.status) for r in result.readings]


def page(body: str, title: str = "Classes") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


# ---------------------------------------------------------------- identity


def test_an_undashed_code_after_a_code_label_is_the_key() -> None:
    cards = page("<h1>Pottery</h1><ul>" + "".join(
        f"<li class='c'><h2>{t}</h2><p>Course code: {c}</p><p>Tue 18:00</p><p>{s}</p></li>"
        for t, c, s in [("Wheel basics", "PT110", "Only 2 places left"),
                        ("Raku firing", "PT205B", "Fully booked")]) + "</ul>")
    assert read(cards) == [("pt110", 2.0, "open"), ("pt205b", 0.0, "full")]
    refs = page("<div><h3>Spanish A1</h3><p>Ref: LG12</p><p>Spaces: 4</p></div>"
                "<div><h3>Spanish A2</h3><p>Ref: LG13</p><p>Spaces: 0</p></div>")
    assert [k for k, _v, _s in read(refs)] == ["lg12", "lg13"]


def test_a_room_number_after_no_is_not_a_key() -> None:
    html = page("<div><h3>Yoga</h3><p>Room No. G12</p><p>Spaces: 4</p></div>"
                "<div><h3>Pilates</h3><p>Room No. G14</p><p>Spaces: 1</p></div>")
    assert [k for k, _v, _s in read(html)] == ["yoga", "pilates"]


def test_a_table_row_without_a_code_is_named_by_its_title_cell() -> None:
    activities = page("<table><tr><th>Activity</th><th>Day</th><th>Available</th></tr>"
                      "<tr><td>Beginners</td><td>Mon</td><td>0</td></tr>"
                      "<tr><td>Improvers</td><td>Tue</td><td>5</td></tr></table>")
    assert read(activities) == [("beginners", 0.0, "full"), ("improvers", 5.0, "open")]
    titles = page("<table><tr><th>Title</th><th>Price</th><th>Remaining</th></tr>"
                  "<tr><td>Early Bird</td><td>$10</td><td>3</td></tr>"
                  "<tr><td>Standard</td><td>$15</td><td>40</td></tr></table>")
    assert [k for k, _v, _s in read(titles)] == ["early-bird", "standard"]
    days = page("<h2>1. Gruppe</h2><table><tr><th>Day</th><th>Room</th><th>Free</th></tr>"
                "<tr><td>Mo</td><td>A1</td><td>3</td></tr></table>")
    assert [k for k, _v, _s in read(days)] != ["mo"]  # a day names no section


def test_json_objects_naming_themselves_only_are_keyed_by_their_name() -> None:
    groups = {"groups": [{"name": "Morning swim", "max": 20, "enrolled": 20},
                         {"name": "Evening swim", "max": 20, "enrolled": 12}]}
    html = page("<div id='app'>Loading…</div>")
    assert read(html, [("https://x.test/api", json.dumps(groups))]) == [
        ("morning-swim", 0.0, "full"), ("evening-swim", 8.0, "open")]
    tiers = {"tiers": [{"display_name": "Member", "quantity_remaining": 0},
                       {"display_name": "Guest", "quantity_remaining": 7}]}
    assert [k for k, _v, _s in read(html, [("https://x.test/t", json.dumps(tiers))])] == [
        "member", "guest"]


# ---------------------------------------------------------------- fixed-width reports


def test_a_pre_report_keys_course_and_section_and_reads_negative_open_as_zero() -> None:
    report = page("<pre>\n"
                  "CRS NO     SEC  TITLE              LIM  ENR  OPEN\n"
                  "----------------------------------------------\n"
                  "HIS 1010   01   World History       30   27     3\n"
                  "HIS 1010   OL   World History       25   26    -1\n"
                  "</pre>")
    assert read(report) == [("his-1010-01", 3.0, "open"), ("his-1010-ol", 0.0, "full")]


# ---------------------------------------------------------------- values and grouping


def test_a_status_after_a_count_is_its_status_not_a_wait_list_label() -> None:
    # a cell "0 Waitlist only" under an openings column, and a card's "Spaces: 0 of 40
    # Waitlist open": the count is the section's, the words after it its status
    rows = page("<table><tr><th>Activity #</th><th>Days</th><th>Openings</th></tr>"
                "<tr><td>5101.01</td><td>Mon</td><td>3</td></tr>"
                "<tr><td>5101.02</td><td>Tue</td><td>0 Waitlist only</td></tr></table>")
    assert read(rows) == [("5101-01", 3.0, "open"), ("5101-02", 0.0, "waitlist")]
    cards = page("".join(
        f"<div class='blk'><h3>Week {n}: Art camp</h3><p>June {n}, 9 AM</p><p>Spaces: {s}</p>"
        "</div>" for n, s in [(1, "2 of 20"), (2, "0 of 20 Waitlist open"), (3, "9 of 20")]))
    assert [(v, st) for _k, v, st in read(cards)] == [
        (2.0, "open"), (0.0, "waitlist"), (9.0, "open")]


def test_a_count_of_the_wait_list_after_a_seat_label_is_still_not_seats() -> None:
    html = page("<div><h3>Section 01</h3><p>Seats: 3 waitlisted</p><p>Status: Full</p></div>")
    assert read(html) == [("01", 0.0, "full")]


def test_a_lettered_session_code_of_three_letters_names_its_row() -> None:
    html = page("<table><tr><th>Session</th><th>Capacity</th><th>Enrolled</th></tr>"
                "<tr><td>Session 1</td><td>20</td><td>20</td></tr>"
                "<tr><td>Session LIT</td><td>12</td><td>10</td></tr></table>")
    assert read(html) == [("session-1", 0.0, "full"), ("session-lit", 2.0, "open")]


def test_a_title_flagged_cancelled_at_its_start_leaves_the_row_out() -> None:
    html = page("<table><tr><th>CRN</th><th>Title</th><th>Cap</th><th>Act</th><th>Rem</th></tr>"
                "<tr><td>31001</td><td>** CANCELLED ** Botany</td><td>0</td><td>0</td>"
                "<td>0</td></tr>"
                "<tr><td>31002</td><td>[Cancelled] Botany</td><td>0</td><td>0</td><td>0</td></tr>"
                "<tr><td>31003</td><td>Botany</td><td>20</td><td>15</td><td>5</td></tr></table>")
    assert read(html) == [("31003", 5.0, "open")]


def test_a_two_digit_dashed_slot_code_names_its_card() -> None:
    html = page("".join(f"<section class=slot><h2>Slot {c} · Beginners</h2><p>Mon 12h</p>"
                        f"<p>{s}</p></section>"
                        for c, s in [("SWM-01", "Places : 3 / 10"), ("SWM-02", "Complet"),
                                     ("SWM-03", "Complet")]))
    assert read(html) == [("swm-01", 3.0, "open"), ("swm-02", 0.0, "full"),
                          ("swm-03", 0.0, "full")]


def test_a_note_row_spanning_the_columns_is_no_section_and_a_serial_is_no_key() -> None:
    html = page("<table><tr><th>S.No.</th><th>Course Code</th><th>Intake</th><th>Allotted</th>"
                "<th>Vacant</th></tr>"
                "<tr><td>1</td><td>EL201</td><td>60</td><td>60</td><td>0</td></tr>"
                "<tr><td></td><td colspan=4>Quota-wise vacancy: GN 0 · RS 0</td></tr>"
                "<tr><td>2</td><td>EL202</td><td>40</td><td>31</td><td>9</td></tr>"
                "<tr><td></td><td colspan=4>Quota-wise vacancy: GN 5 · RS 4</td></tr></table>")
    assert read(html) == [("el201", 0.0, "full"), ("el202", 9.0, "open")]


def test_a_total_column_beside_an_available_one_is_the_capacity() -> None:
    # the same head word on both columns ("Plazas totales" / "Plazas disponibles",
    # "Seats total" / "Seats available"): the total one is the capacity
    for total, free in [("Plazas totales", "Plazas disponibles"),
                        ("Seats total", "Seats available")]:
        html = page(f"<table><tr><th>NRC</th><th>{total}</th><th>{free}</th></tr>"
                    "<tr><td>40101</td><td>30</td><td>4</td></tr>"
                    "<tr><td>40102</td><td>25</td><td>0</td></tr></table>")
        assert read(html) == [("40101", 4.0, "open"), ("40102", 0.0, "full")]


def test_sibling_cards_of_one_kind_are_separate_even_beside_a_heading_and_a_note() -> None:
    # a state class on some cards ("item sold-out"), a category heading and a closing note
    # among them: each card is its own section, named by its title
    cards = "".join(
        f"<div class='item {extra}'><div class='item-name'>{name}</div><div>$40 · Sat 10am</div>"
        f"<div class='spots'>{spots}</div><a href='#'>Book</a></div>"
        for name, extra, spots in [("Pottery Lab", "", "4 spots left"),
                                   ("Glaze Night", "sold-out", "SOLD OUT"),
                                   ("Raku Day", "", "2 spots left")])
    html = page(f"<main><div class='cat'>Classes (3)</div>{cards}"
                "<p>Times in Pacific Time (GMT-8). Refunds up to 48 hours before.</p></main>")
    assert read(html) == [("pottery-lab", 4.0, "open"), ("glaze-night", 0.0, "full"),
                          ("raku-day", 2.0, "open")]


def test_a_figure_printed_above_its_label_in_a_tile_is_read_by_that_label() -> None:
    def card(code: str, cap: int, enrl: int, left: int) -> str:
        tiles = "".join(f"<div class=tile><span class=v>{n}</span><span class=l>{label}</span>"
                        "</div>" for n, label in [(cap, "Capacity"), (enrl, "Enrolled"),
                                                  (left, "Remaining")])
        return f"<div class=card><h3>Camp ({code})</h3><p>Ages 8-10</p>{tiles}</div>"
    html = page(card("CMP-1", 20, 12, 8) + card("CMP-2", 20, 20, 0))
    assert read(html) == [("cmp-1", 8.0, "open"), ("cmp-2", 0.0, "full")]


def test_a_term_prefixed_teaching_class_code_in_the_first_cell_is_the_key() -> None:
    html = page("<table><tr><th>Klass</th><th>Lehrer</th><th>Enrolled/Capacity</th></tr>"
                "<tr><td>(2026-2027-1)-MAT1001-01</td><td>Li</td><td>60/60</td></tr>"
                "<tr><td>(2026-2027-1)-MAT1001-02</td><td>Wu</td><td>41/60</td></tr></table>")
    assert read(html) == [("2026-2027-1-mat1001-01", 0.0, "full"),
                          ("2026-2027-1-mat1001-02", 19.0, "open")]


def test_a_number_heading_a_dashed_program_code_is_not_the_id() -> None:
    html = page("<div><h3>Robotics</h3><p>Program #2027-RB-014</p><p>Spaces: 4</p></div>")
    assert [k for k, _v, _s in read(html)] == ["2027-rb-014"]
