"""Seat layouts the extractor was not tuned on: each test is one general cause, shown in
two or more systems' markup written here (identity, segmentation, counts, statuses)."""

from __future__ import annotations

import json

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def read(html: str, data: list[tuple[str, str]] | None = None,
         ) -> list[tuple[str, float | None, str | None]]:
    result = extract(html, kind=Kind.SEATS, data=data or [])
    return [(r.key, r.value, r.status) for r in result.readings]


def labels(html: str) -> list[str]:
    return [r.label for r in extract(html, kind=Kind.SEATS).readings]


def page(body: str, title: str = "Classes") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def table(header: list[str], *rows: list[str], caption: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ---------------------------------------------------------------- identity


def test_multi_part_section_codes_are_the_key_not_a_part_of_them() -> None:
    # A career-college grid and a UK occurrence table: the whole code names the section.
    grid = page("<h1>Term: Fall 2026 (08/31/2026 - 12/18/2026)</h1>" + table(
        ["Course", "Section", "Course Name", "Max", "Registered", "Available", "Status"],
        ["NUR105", "NUR105-F26-A1", "Nursing Skills", "24", "20", "4", "Open"],
        ["NUR105", "NUR105-F26-N2", "Nursing Skills", "24", "24", "0", "Closed"]))
    assert read(grid) == [("nur105-f26-a1", 4.0, "open"), ("nur105-f26-n2", 0.0, "closed")]
    occurrences = page(table(
        ["Module code", "Title", "Occurrence", "Credits", "Capacity", "Places remaining"],
        ["ECO3011", "Labour Economics", "ECO3011-B", "15", "60", "0 (full)"],
        ["ECO3020", "Game Theory", "ECO3020-A", "15", "40", "11"]))
    assert read(occurrences) == [("eco3011-b", 0.0, "full"), ("eco3020-a", 11.0, "open")]


def test_ids_named_by_their_noun_in_activity_and_event_listings() -> None:
    # Recreation catalogue: "Program #", "Session NNNNN"; a studio widget's "(#7714)".
    rec = page("<main><h1>Adult Swim Lessons</h1><p>Program #30412</p>"
               "<dl><dt>Ages</dt><dd>18 and up</dd><dt>Enrollment</dt><dd>8 enrolled, "
               "capacity 10</dd><dt>Openings</dt><dd>2</dd></dl></main>")
    assert read(rec) == [("30412", 2.0, "open")]
    assert "30412" in labels(rec)[0]
    widget = page("<div class=day>Friday</div>"
                  "<div class=cls><div>7:00 am</div><div>Barre 45 (#7714)</div>"
                  "<div>3 spots left</div></div>"
                  "<div class=cls><div>9:00 am</div><div>Spin 50 (#7715)</div>"
                  "<div>Class full</div></div>")
    assert read(widget) == [("7714", 3.0, "open"), ("7715", 0.0, "full")]
    sessions = page("<div class=session>Session 61102 &middot; Sat, Oct 3 &middot; "
                    "<span class=spots>4 seats left</span> <a href=#>Register</a></div>"
                    "<div class=session>Session 61103 &middot; Sat, Oct 10 &middot; "
                    "<span class=spots>Sold out</span></div>")
    assert read(sessions) == [("61102", 4.0, "open"), ("61103", 0.0, "full")]


def test_nine_digit_class_numbers_and_lettered_listing_codes() -> None:
    html = page("<h2>HIST 7 - World History</h2>"
                "<div class=row><div>Sem 1</div><div>Class No. 318204100</div>"
                "<div>Open 12 of 40 Left</div></div>"
                "<div class=row><div>Sem 2</div><div>Class No. 318204101</div>"
                "<div>Closed by Dept (40 capacity, 31 enrolled)</div></div>")
    assert read(html) == [("318204100", 12.0, "open"), ("318204101", 0.0, "closed")]
    tiles = page("<div class=tile><h3>Coaching Readers</h3><div>Jul 5 - Jul 9 &middot; 12 PD "
                 "hours</div><div>2 spots left</div><small>Listing PD27-031</small></div>"
                 "<div class=tile><h3>STEM Labs</h3><div>Jul 12 &middot; 6 PD hours</div>"
                 "<div>Enrollment full</div><small>Listing PD27-044</small></div>")
    assert read(tiles) == [("pd27-031", 2.0, "open"), ("pd27-044", 0.0, "full")]


def test_a_code_named_only_by_its_elements_class() -> None:
    # Testudo-like cards: "0101" is a section only because its class says so; the room
    # "0102" printed in another card is not.
    card = ("<div class=section><div class=section-id-container><span class=section-id>{id}"
            "</span></div><div class=seats-info>Seats (Total: 30, Open: {open}, Waitlist: "
            "{wl})</div><div class=room>ARM {room}</div></div>")
    html = page(card.format(id="0101", open=0, wl=5, room="0102")
                + card.format(id="0201", open=7, wl=0, room="1120"))
    assert read(html) == [("0101", 0.0, "full"), ("0201", 7.0, "open")]
    camel = page("<article><span class=sectionNumber>4410</span><p>Seats left: 6</p></article>"
                 "<article><span class=sectionNumber>4411</span><p>Seats left: 0</p></article>")
    assert read(camel) == [("4410", 6.0, "open"), ("4411", 0.0, "full")]


# ---------------------------------------------------------------- segmentation


def test_definition_lists_with_none_and_unposted_seats() -> None:
    card = ("<article><h2>Section {n}</h2><dl><dt>Section number</dt><dd>AUTO-2110-{n}</dd>"
            "<dt>Bays</dt><dd>10</dd><dt>Seats available</dt><dd>{seats}</dd></dl></article>")
    html = page("<h1>AUTO 2110 - Brakes</h1>"
                + card.format(n="01", seats="3")
                + card.format(n="02", seats="None &ndash; section full")
                + card.format(n="03", seats="To be determined")
                + card.format(n="04", seats="0"))
    assert read(html) == [("auto-2110-01", 3.0, "open"), ("auto-2110-02", 0.0, "full"),
                          ("auto-2110-04", 0.0, "full")]


@pytest.mark.parametrize("corner", ["<th>&nbsp;</th>", "<th></th>"])
def test_transposed_tables_read_sections_from_columns(corner: str) -> None:
    html = page("<h1>FREN 101 - Conversation</h1><p>Call 555-0199. Meets 2 times a week.</p>"
                "<table><thead><tr>" + corner + "<th>Group 1</th><th>Group 2</th>"
                "<th>Group 3</th></tr></thead><tbody>"
                "<tr><th scope=row>Ref</th><td>22101</td><td>22102</td><td>22103</td></tr>"
                "<tr><th scope=row>Time</th><td>9:00</td><td>13:00</td><td>18:00</td></tr>"
                "<tr><th scope=row>Places</th><td>20</td><td>20</td><td>18</td></tr>"
                "<tr><th scope=row>Booked</th><td>20</td><td>11</td><td>21</td></tr>"
                "</tbody></table>")
    assert read(html) == [("22101", 0.0, "full"), ("22102", 9.0, "open"),
                          ("22103", 0.0, "full")]


def test_label_value_grids_are_not_transposed_sections() -> None:
    html = page("<p>CHEM 1010 - 003</p><table>"
                "<tr><td>Class Nbr</td><td>7781</td><td>Wait List Capacity</td><td>5</td></tr>"
                "<tr><td>Enrollment Total</td><td>28</td><td>Wait List Total</td><td>0</td></tr>"
                "<tr><td>Available Seats</td><td>2</td></tr></table>")
    assert read(html) == [("7781", 2.0, "open")]


def test_label_value_rows_with_a_status_are_not_a_header() -> None:
    # "Status | Open | Career | Graduate": a status label and its value, not column names.
    html = page("<span>BIOL 5120 - 01</span><table>"
                "<tr><td>Status</td><td><img alt=Open src=o.gif> Open</td><td>Career</td>"
                "<td>Graduate</td></tr>"
                "<tr><td>Class Number</td><td>3348</td><td>Session</td><td>Regular</td></tr>"
                "</table><table><tr><td>Class Capacity</td><td>25</td></tr>"
                "<tr><td>Enrollment Total</td><td>19</td></tr></table>")
    assert read(html) == [("3348", 6.0, "open")]


@pytest.mark.parametrize("tag", ["p", "div"])
def test_positioned_text_from_a_pdf_is_read_as_a_table(tag: str) -> None:
    def cell(top: int, left: int, text: str) -> str:
        return (f"<{tag} style='position:absolute;top:{top}px;left:{left}px;"
                f"white-space:nowrap'>{text}&#160;</{tag}>")
    header = [(40, "Ref"), (100, "Course"), (200, "Units"), (260, "Time"), (380, "Seats Left")]
    rows = [["51010", "MATH 110", "3.0", "08:00-09:15", "12"],
            ["51011", "MATH 110", "3.0", "10:00-11:15", "FULL"],
            ["51014", "MATH 120", "4.0", "13:00-14:15", "CANCELLED"],
            ["51020", "MATH 130", "4.0", "TBA", "TBA"],
            ["51022", "MATH 140", "3.0", "18:00-19:15", "5"]]
    cells = [cell(20, 40, "<b>Spring 2027 Schedule, page 3</b>")]
    cells += [cell(60, left, f"<b>{text}</b>") for left, text in header]
    cells += [cell(80, 40, "MATHEMATICS")]
    for r, row in enumerate(rows):
        # figures are right-aligned: they start a little left or right of the header
        lefts = [40, 100, 202, 260, 376 + 4 * (r % 2)]
        cells += [cell(96 + 16 * r, left, text) for left, text in zip(lefts, row, strict=True)]
    html = page(f"<div style='position:relative;width:900px'>{''.join(cells)}</div>")
    assert read(html) == [("51010", 12.0, "open"), ("51011", 0.0, "full"),
                          ("51022", 5.0, "open")]


def test_day_columns_hold_class_blocks_not_a_header() -> None:
    block = ("<td><a class=block href=#>{name}<br>{time}<br>Pool {pool}<br>"
             "<span class=spaces>{spaces}</span><br><small>Ref {ref}</small></a></td>")
    html = page("<h1>Aquatics timetable - week of 4 May</h1>"
                "<table><thead><tr><th>Time</th><th>Mon</th><th>Tue</th><th>Wed</th></tr>"
                "</thead><tbody><tr><th>AM</th>"
                + block.format(name="Aqua 30", time="07:00-07:30", pool=1, spaces="3 places",
                               ref="90311")
                + block.format(name="Lengths", time="07:00-08:00", pool=2,
                               spaces="Full - 2 on waiting list", ref="90312")
                + block.format(name="Aqua 45", time="09:00-09:45", pool=1, spaces="1 place",
                               ref="90313")
                + "</tr></tbody></table>")
    assert read(html) == [("90311", 3.0, "open"), ("90312", 0.0, "full"),
                          ("90313", 1.0, "open")]


def test_course_title_rows_spanning_a_table_are_not_sections() -> None:
    html = page("<table><tr><td colspan=6><b>ENGR 40 INTRO TO DESIGN</b></td></tr>"
                "<tr><th>Code</th><th>Type</th><th>Max</th><th>Enr</th><th>Req</th>"
                "<th>Status</th></tr>"
                "<tr><td>61200</td><td>Lec</td><td>90</td><td>84</td><td>140</td><td>OPEN</td></tr>"
                "<tr><td colspan=6>&nbsp;</td></tr>"
                "<tr><td colspan=6><b>ENGR 120 FLUIDS</b></td></tr>"
                "<tr><th>Code</th><th>Type</th><th>Max</th><th>Enr</th><th>Req</th>"
                "<th>Status</th></tr>"
                "<tr><td>61300</td><td>Lec</td><td>60</td><td>60</td><td>75</td><td>FULL</td></tr>"
                "</table>")
    assert read(html) == [("61200", 6.0, "open"), ("61300", 0.0, "full")]
    assert "ENGR 120" in labels(html)[1]


# ---------------------------------------------------------------- statuses


def test_a_status_shown_as_its_own_badge_or_icon() -> None:
    sessions = page(
        "<section><h2>Bread Basics</h2>"
        "<div class=session>Session 77010 &middot; Sat 10:00am &middot; "
        "<span class=availability>Open</span> <a class=btn href=#>Register</a></div>"
        "<div class=session>Session 77011 &middot; Sun 10:00am &middot; "
        "<span class=availability>Cancelled</span></div></section>")
    assert read(sessions) == [("77010", None, "open")]
    dots = page("<div class=list>"
                "<div class=row><span class='dot dot--open' role=img aria-label=Open></span>"
                "<span class=sr-only>Open</span><span>ART-140-A Ceramics</span></div>"
                "<div class=row><span class='dot dot--wait' role=img aria-label='Wait list'>"
                "</span><span class=sr-only>Wait list</span><span>ART-140-B Ceramics</span></div>"
                "</div>")
    assert read(dots) == [("art-140-a", None, "open"), ("art-140-b", 0.0, "waitlist")]


@pytest.mark.parametrize(("words", "status"), [
    ("Sales ended", "closed"), ("Sold out", "full"), ("Booking closed", "closed"),
    ("Full &ndash; 5 on waiting list", "full"),
    ("Enrollment full &ndash; join the waitlist", "full"),
    ("Section full &ndash; waitlist open", "full"),
    ("Full - Waitlist Available", "full"),
    ("Section full &ndash; waitlist open (2 waiting)", "waitlist")])
def test_status_words_of_event_and_class_lists(words: str, status: str) -> None:
    html = page(f"<div class=row><b>Workshop 2</b> &middot; Sat, Mar 6 &middot; "
                f"<span>{words}</span></div>"
                "<div class=row><b>Workshop 3</b> &middot; Sat, Mar 13 &middot; "
                "<span>6 spots left</span></div>")
    assert read(html) == [("workshop-2", 0.0, status), ("workshop-3", 6.0, "open")]


def test_cancelled_sections_are_left_out_whatever_says_so() -> None:
    # A heading marking the section cancelled above its own seat box (Banner skin) ...
    box = ("<tr><th class=ddtitle>Welding II - {crn} - WELD 201 - {sec}{mark}</th></tr>"
           "<tr><td>{note}<table class=seatbox><tr><th>Capacity</th><th>Enrolled</th>"
           "<th>Available</th></tr><tr><td>12</td><td>{enrl}</td><td>{avail}</td></tr>"
           "</table></td></tr>")
    html = page("<table>"
                + box.format(crn="21001", sec="01", mark="", note="", enrl=9, avail=3)
                + box.format(crn="21002", sec="02", mark=" <span>CANCELLED</span>", note="",
                             enrl=0, avail=12)
                + box.format(crn="21003", sec="03", mark="",
                             note="This section has been cancelled.<br>", enrl=0, avail=12)
                + box.format(crn="21004", sec="04", mark="", note="", enrl=12, avail=0)
                + "</table>")
    assert read(html) == [("21001", 3.0, "open"), ("21004", 0.0, "full")]
    # ... and a German status column ("fällt aus").
    german = page(table(["Parallelgruppe", "Max. Teilnehmende", "Zugelassen", "Freie Plätze",
                         "Status"],
                        ["51102-01", "30", "28", "2", "Belegung möglich"],
                        ["51102-02", "30", "0", "30", "fällt aus"],
                        ["51102-03", "30", "30", "0", "voll"]))
    assert read(german) == [("51102-01", 2.0, "open"), ("51102-03", 0.0, "full")]


def test_a_one_section_page_takes_the_status_its_sentence_states() -> None:
    html = page("<h2>Autumn 2026 - SLN 40551</h2>"
                + table(["Current Enrollment", "Limit", "Room Capacity", "Space Available"],
                        ["30", "30", "36", "0"])
                + "<p>Status: Closed. Entry codes are required.</p>")
    assert read(html) == [("40551", 0.0, "closed")]
    legend = page("<p>Status: Open or Closed.</p>"
                  + table(["SLN", "Enrl", "Lim"], ["40551", "10", "30"]))
    assert read(legend) == [("40551", 20.0, "open")]


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize(("text", "value"), [
    ("Seats filled 18 / 20", 2.0), ("Enrolled 71 of 80", 9.0),
    ("Places remaining: 0 (full)", 0.0), ("14 remaining", 14.0),
    ("Seats: 0 / Waitlist: 2 of 10", 0.0), ("Capacity 30 &middot; 27 registered", 3.0)])
def test_count_phrases(text: str, value: float) -> None:
    html = page(f"<div class=card><h3>PSY 2010-04</h3><p>{text}</p></div>"
                "<div class=card><h3>PSY 2010-05</h3><p>Seats available: 3</p></div>")
    assert read(html)[0] == ("psy-2010-04", value, "open" if value else "full")


def test_a_term_or_month_year_is_never_seats() -> None:
    html = page("<h1>Studio availability &mdash; Winter 2027</h1>"
                "<p>Registration opens March 2027.</p>")
    with pytest.raises(Exception, match="no course sections"):
        extract(html, kind=Kind.SEATS)


def test_json_decides_what_a_bare_seats_fraction_means() -> None:
    shell = page(table(["Course", "CRN", "Seats"], ["ECON 201", "30101", "27/30"],
                       ["ECON 201", "30102", "30/30"]))
    rows = [{"courseReferenceNumber": "30101", "maximumEnrollment": 30, "enrollment": 27,
             "seatsAvailable": 3},
            {"courseReferenceNumber": "30102", "maximumEnrollment": 30, "enrollment": 30,
             "seatsAvailable": 0}]
    data = [("https://ssb.example.edu/searchResults", json.dumps({"data": rows}))]
    assert read(shell, data) == [("30101", 3.0, "open"), ("30102", 0.0, "full")]
    # Without the JSON, the page's own reading stands (free of total).
    assert read(shell) == [("30101", 27.0, "open"), ("30102", 30.0, "open")]


def test_moodle_like_group_choice_members_of_max() -> None:
    row = ("<tr><td><input type=radio name=answer><label>Tutorial group {g} (Tue 10:00-11:00)"
           "</label>{badge}</td><td><div>{m} / {mx}</div></td><td><a href=#>Show members</a>"
           "</td></tr>")
    html = page("<table><thead><tr><th>Choice</th><th>Members / Max</th><th>Group members</th>"
                "</tr></thead><tbody>"
                + row.format(g="T1", badge="", m=9, mx=12)
                + row.format(g="T2", badge=" <span class=badge>Full</span>", m=12, mx=12)
                + "</tbody></table><p>Responses so far: 21 of 40 students.</p>")
    assert read(html) == [("tutorial-group-t1", 3.0, "open"), ("tutorial-group-t2", 0.0, "full")]


def test_a_class_number_in_parentheses_after_a_component_code() -> None:
    # PeopleSoft Fluid-like rows: "LEC 001 (5120)" is keyed by its class number.
    html = page("<div class=row><div>LEC 001 (5120)</div><div>Open</div>"
                "<div>5 of 30 seats available</div></div>"
                "<div class=row><div>LAB 101 (5121)</div><div>Closed</div>"
                "<div>0 of 20 seats available</div></div>")
    assert read(html) == [("5120", 5.0, "open"), ("5121", 0.0, "closed")]
    assert "LAB 101" in labels(html)[1]


def test_cells_spanning_rows_stay_in_their_column() -> None:
    html = page("<table><tr><th>Course</th><th>Section</th><th>Open Seats</th><th>Status</th>"
                "</tr><tr><td rowspan=3>BIO 101</td><td>01</td><td>3</td><td>Open</td></tr>"
                "<tr><td>02</td><td>0</td><td>Closed</td></tr>"
                "<tr><td>03</td><td>7</td><td rowspan=2>Open</td></tr>"
                "<tr><td>CHEM 110</td><td>01</td><td>2</td></tr></table>")
    assert read(html) == [("bio-101-01", 3.0, "open"), ("bio-101-02", 0.0, "closed"),
                          ("bio-101-03", 7.0, "open"), ("chem-110-01", 2.0, "open")]


def test_a_status_with_its_count_under_an_availability_header() -> None:
    html = page(table(["Section", "Availability"], ["A01", "Open (3)"], ["A02", "Full (0)"]))
    assert read(html) == [("a01", 3.0, "open"), ("a02", 0.0, "full")]


def test_day_columns_of_div_cards_with_plain_id_labels() -> None:
    html = page("<div class=tt><div class=col><h3>Monday</h3>"
                "<div class=cls>Yoga 9:00 <span>4 spaces</span> <small>ID 5501</small></div>"
                "<div class=cls>Pilates 10:00 <span>Full</span> <small>ID 5502</small></div>"
                "</div><div class=col><h3>Tuesday</h3>"
                "<div class=cls>Spin 9:00 <span>2 spaces</span> <small>ID 5503</small></div>"
                "</div></div>")
    assert read(html) == [("5501", 4.0, "open"), ("5502", 0.0, "full"), ("5503", 2.0, "open")]


@pytest.mark.parametrize("ident", ["SKU: 6541207", "Item #4418203", "Product ID 77120",
                                   "Model: QX-5510"])
def test_a_shop_pages_product_numbers_are_no_sections(ident: str) -> None:
    # Ids named by their noun are a class's; a product's SKU beside "Sold out" is a shop.
    html = page("<h1>Aurix 55in QLED TV</h1><div>" + ident + "</div>"
                "<div class=price>$429.99</div><button disabled>Sold Out</button>"
                "<p>Only 3 left at this store</p>", title="Aurix TV")
    assert extract(html, kind=Kind.AUTO).kind is Kind.PRICE


def test_an_abbreviation_spells_out_the_status_word() -> None:
    # Banner 8's Select column: "C" with a tooltip "Closed" is the page saying Closed.
    html = page("<table><tr><th>Select</th><th>CRN</th><th>Cap</th><th>Act</th><th>Rem</th>"
                "</tr><tr><td><input type=checkbox></td><td>40136</td><td>30</td><td>22</td>"
                "<td>8</td></tr><tr><td><abbr title=\"Closed\">C</abbr></td><td>40152</td>"
                "<td>30</td><td>30</td><td>0</td></tr><tr><td><abbr title=\"Student "
                "Restrictions\">SR</abbr></td><td>40183</td><td>25</td><td>25</td><td>0</td>"
                "</tr></table>")
    assert read(html) == [("40136", 8.0, "open"), ("40152", 0.0, "closed"),
                          ("40183", 0.0, "full")]


def test_numbers_labelled_after_them_on_one_line() -> None:
    # "35 max / 12 left": "max" belongs to 35; it must not also label 12 as a capacity.
    html = page("<h1>Fall 2026 sections</h1><ul>"
                "<li><b>CHEM 101-01</b> Intro Chemistry, MWF 9:00, 35 max / 12 left</li>"
                "<li><b>CHEM 101-02</b> Intro Chemistry, TTh 11:00, 35 max / 0 left</li></ul>")
    assert read(html) == [("chem-101-01", 12.0, "open"), ("chem-101-02", 0.0, "full")]


@pytest.mark.parametrize("cell", ["Wait List – 3 students", "Wait List 3 students",
                                  "Waitlist: 3"])
def test_a_wait_list_count_in_a_status_column_is_the_status(cell: str) -> None:
    html = page("<table><tr><th>Section</th><th>Title</th><th>Status</th></tr>"
                "<tr><td>ENGL 200-A</td><td>Writing</td><td>Open - 4 seats</td></tr>"
                f"<tr><td>ENGL 200-B</td><td>Writing</td><td>{cell}</td></tr></table>")
    assert read(html) == [("engl-200-a", 4.0, "open"), ("engl-200-b", 0.0, "waitlist")]
