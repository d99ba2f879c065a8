"""Sections outside tables: detail pages, cards, div grids, status lists, plain-text schedules."""

from __future__ import annotations

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def read(html: str) -> list[tuple[str, float | None, str | None]]:
    result = extract(html, kind=Kind.SEATS)
    return [(r.key, r.value, r.status) for r in result.readings]


def page(body: str) -> str:
    return f"<html><head><title>Classes</title></head><body>{body}</body></html>"


def pair(label: str, value: str) -> str:
    return (f"<tr><td><label class=PSEDITBOXLABEL>{label}</label></td>"
            f"<td><span class=PSEDITBOX_DISPONLY>{value}</span></td></tr>")


def test_peoplesoft_class_detail_ignores_waitlist_and_reserve_capacity() -> None:
    html = page(
        "<span class=PALEVEL0SECONDARY>NURS 210 - 001 Pathophysiology</span>"
        "<table>" + pair("Class Number", "41877") + pair("Units", "4 units")
        + pair("Status", "<img alt='Open' src='/cs/open.gif'>") + "</table>"
        "<table><tr><td class=PAGROUPBOXLABELLEVEL1>Class Availability</td></tr>"
        + pair("Class Capacity", "40") + pair("Enrollment Total", "35")
        + pair("Available Seats", "5") + pair("Wait List Capacity", "10")
        + pair("Wait List Total", "0") + "</table>"
        "<table><tr><th>Reserve Capacity Requirements</th></tr>"
        + pair("Enrollment Capacity", "10") + pair("Enrollment Total", "9") + "</table>")
    result = extract(html, kind=Kind.SEATS)
    assert [(r.key, r.value, r.status) for r in result.readings] == [("41877", 5.0, "open")]
    assert "NURS 210" in result.readings[0].label


def test_class_number_is_never_read_as_seats() -> None:
    html = page("<div>Class Nbr 10234</div><div>Status: Closed</div>")
    assert read(html) == [("10234", 0.0, "closed")]


def test_status_text_with_counts_ucla_style() -> None:
    html = page(
        "<h3>PSYCH 10 - Introductory Psychology</h3>"
        "<div class=row><div class=sec>Lec 1</div><div class=st>Open<br>3 of 150 Left</div>"
        "<div class=wl>0 of 20 Taken</div></div>"
        "<div class=row><div class=sec>Dis 1A</div><div class=st>Closed<br>Class Full (25)</div>"
        "<div class=wl>5 of 10 Taken</div></div>"
        "<div class=row><div class=sec>Dis 1B</div><div class=st>Cancelled</div></div>")
    assert read(html) == [("psych-10-lec-1", 3.0, "open"), ("psych-10-dis-1a", 0.0, "full")]


def test_banner9_rendered_status_text_reads_seats_not_waitlist() -> None:
    html = page(
        "<table><thead><tr><th>Title</th><th>CRN</th><th>Status</th></tr></thead><tbody>"
        "<tr><td>Chemistry I</td><td>80118</td><td>3 of 24 seats remain. "
        "<span>10 of 10 waitlist seats remain.</span></td></tr>"
        "<tr><td>Chemistry I</td><td>80119</td><td><span class=status-full>FULL</span>: "
        "0 of 24 seats remain. 4 of 10 waitlist seats remain.</td></tr></tbody></table>")
    assert read(html) == [("80118", 3.0, "open"), ("80119", 0.0, "full")]


def test_cards_with_fields_in_adjacent_spans() -> None:
    """Workday-style tiles: label and value spans touch, with no text between them."""
    card = ("<div class=tile><h2>ECON 2301-0{n} - Macroeconomics</h2>"
            "<div><span class=label>Section Status</span><span>{status}</span></div>"
            "<div><span class=label>Enrolled/Capacity</span><span>{enrl}/30</span></div>"
            "<div><span class=label>Waitlist/Waitlist Capacity</span><span>2/10</span></div>"
            "</div>")
    html = page("".join(card.format(n=n, status=s, enrl=e)
                        for n, s, e in ((1, "Open", 18), (2, "Waitlist", 30))))
    assert read(html) == [("econ-2301-01", 12.0, "open"), ("econ-2301-02", 0.0, "waitlist")]


def test_status_only_list_with_icons() -> None:
    html = page(
        "<ul class=sections>"
        "<li>Section 01 <i class='dot' title='Open'></i></li>"
        "<li>Section 02 <img src=x.png alt='Closed'></li>"
        "<li>Section 03 <span aria-label='Wait List' class=icon></span></li></ul>")
    assert read(html) == [("01", None, "open"), ("02", 0.0, "closed"),
                          ("03", 0.0, "waitlist")]


def test_open_with_no_count_and_no_section_is_no_section() -> None:
    html = page("<label><input type=checkbox> Open Sections Only</label><p>Loading…</p>")
    result = None
    try:
        result = extract(html, kind=Kind.SEATS)
    except Exception as exc:
        assert "no course sections" in str(exc)
    assert result is None


def test_uw_style_fixed_width_schedule() -> None:
    html = page(
        "<table><tr><td><pre>\n"
        "Enrl Restr SLN   ID CR      Days   Time       Bldg/Rm     Instructor"
        "              Status  Enrl/Lim Grades\n</pre></td></tr></table>"
        "<table><tr><td><b>MATH 124</b> CALCULUS I</td></tr></table>"
        "<table><tr><td><pre>\n"
        "       <a href='#'>18201</a> A  5       MWF    1030-1120  KNE 130     SMITH,JO"
        "                Open    123/ 150E\n"
        "       <a href='#'>18202</a> AA    QZ  T      830-920    SAV 264     TA,ONE"
        "                  Closed   25/  25\n"
        "       <a href='#'>18203</a> AB    QZ  T      930-1020   SAV 264     TA,TWO"
        "                  Open     30/  25\n"
        "                        Prerequisite: a minimum grade of 2.0 in MATH 120.\n"
        "</pre></td></tr></table>")
    assert read(html) == [("18201", 27.0, "open"), ("18202", 0.0, "closed"),
                          ("18203", 0.0, "open")]


def test_seats_phrases_in_other_languages() -> None:
    html = page(
        "<div class=card><b>Groupe A1</b><p>Places disponibles : 4</p></div>"
        "<div class=card><b>Groupe A2</b><p>Places disponibles : 0</p></div>")
    assert read(html) == [("groupe-a1", 4.0, "open"), ("groupe-a2", 0.0, "full")]


def test_detail_labels_with_negative_remaining() -> None:
    html = page("<p>CRN: 30991</p><p>Capacity: 25</p><p>Actual: 27</p><p>Remaining: -2</p>")
    assert read(html) == [("30991", 0.0, "full")]


def test_jenzabar_style_detail_with_space_separated_section_code() -> None:
    html = page("<h2>Course Detail</h2><table>"
                "<tr><th>Course Code</th><td>ACCT 2301 01</td></tr>"
                "<tr><th>Maximum Students</th><td>30</td></tr>"
                "<tr><th>Students Enrolled</th><td>27</td></tr>"
                "<tr><th>Credits</th><td>3.00</td></tr></table>")
    assert read(html) == [("acct-2301-01", 3.0, "open")]


def test_vertical_label_value_table_with_colons_is_one_section() -> None:
    html = page("<h3>ACCT 2301 01 - Principles of Accounting I</h3><table>"
                "<tr><td>Course Code:</td><td>ACCT 2301 01</td></tr>"
                "<tr><td>Seats Open:</td><td>12/30</td></tr>"
                "<tr><td>Status:</td><td>Open</td></tr>"
                "<tr><td>Waitlist:</td><td>4</td></tr>"
                "<tr><td>Credits:</td><td>3.00</td></tr></table>")
    result = extract(html, kind=Kind.SEATS)
    assert [(r.key, r.value, r.status) for r in result.readings] == [
        ("acct-2301-01", 12.0, "open")]
    assert "Principles of Accounting I" in result.readings[0].label


def test_waitlist_count_labels_are_not_statuses() -> None:
    html = page("<dl><dt>Section</dt><dd>002</dd><dt>Capacity</dt><dd>30</dd>"
                "<dt>Enrolled</dt><dd>24</dd><dt>Waitlisted</dt><dd>2</dd></dl>")
    assert read(html) == [("002", 6.0, "open")]


def test_div_grid_rows_read_under_their_header() -> None:
    """UCSB GOLD-like grid: spans in CSS-grid rows, a header row of labels, 'Full' in Space."""
    row = "<div class=sectionRow>{}</div>"
    cells = lambda *xs: "".join(f"<span>{x}</span>" for x in xs)  # noqa: E731
    html = page(
        "<div class=courseTitle>PSY 1 - INTRO TO PSYCHOLOGY</div>"
        + row.format(cells("Enroll Code", "Section", "Days", "Time", "Space", "Max"))
        + row.format(cells("19208", "Lecture", "MWF", "9:00 am", "12", "300"))
        + row.format(cells("19216", "Section 0101", "MW", "1:00 pm", "Full", "20")))
    assert read(html) == [("19208", 12.0, "open"), ("19216", 0.0, "full")]


def test_status_column_found_from_icon_cells_under_an_empty_header() -> None:
    legend = "<p><img alt='Open'> = Open <img alt='Closed'> = Closed</p>"
    rows = "".join(f"<tr><td><img alt='{s}'></td><td>MTH 140</td><td>{n}</td><td>MW</td></tr>"
                   for n, s in (("001", "Open"), ("002", "Closed"), ("003", "Wait List")))
    html = page(legend + "<table><tr><th></th><th>Course</th><th>Sec</th><th>Days</th></tr>"
                + rows + "</table>")
    assert read(html) == [("mth-140-001", None, "open"), ("mth-140-002", 0.0, "closed"),
                          ("mth-140-003", 0.0, "waitlist")]


def test_statuses_closing_sentences_and_rows() -> None:
    html = page(
        "<p><strong>GEO 110-01</strong> Physical Geography, MWF 11:00 am, Hall 178. 4 credits. "
        "Seats remaining: 21 of 36.</p>"
        "<p><strong>GEO 110-02</strong> Physical Geography, TTh 1:00 pm. 4 credits. FULL.</p>"
        "<p><strong>GEO 110-03</strong> Physical Geography. Section full &mdash; waitlist open "
        "(2 waiting).</p>"
        "<ul><li><b>40502</b> PED 110 Yoga, M 8:00 am &ndash; <em>Closed</em></li></ul>")
    assert read(html) == [("geo-110-01", 21.0, "open"), ("geo-110-02", 0.0, "full"),
                          ("geo-110-03", 0.0, "waitlist"), ("40502", 0.0, "closed")]


def test_loading_skeletons_and_hidden_rows_are_not_sections() -> None:
    html = page("<div class='card'><div class='skeleton'>XXXX 000-00</div>"
                "<div class='skeleton'>00 seats left</div></div>"
                "<div hidden><p>Section 09 Seats left: 5</p></div>"
                "<div style='display:none'><p>Section 08 Seats left: 2</p></div>"
                "<div class=card><h3>CHE120-001 Chemistry</h3><p>Section ID 56209</p>"
                "<span>5 seats left</span></div>")
    assert read(html) == [("56209", 5.0, "open")]


def test_closed_to_a_group_is_not_a_status() -> None:
    html = page("<div>Section 01 — Closed to freshmen. Seats available: 6</div>")
    assert read(html) == [("01", 6.0, "open")]


def test_a_summary_line_beside_named_sections_is_not_a_section() -> None:
    html = page("<p class=summary>42 seats open across 3 sections</p>"
                "<div class=card><h3>BIO 101-01</h3><span>12 seats left</span></div>"
                "<div class=card><h3>BIO 101-02</h3><span>Full</span></div>")
    assert read(html) == [("bio-101-01", 12.0, "open"), ("bio-101-02", 0.0, "full")]


def test_german_parallel_groups() -> None:
    html = page("<h2>Einführung in die Informatik – Übung</h2><table>"
                "<tr><th>Parallelgruppe</th><th>Termin</th><th>max. Teilnehmer</th>"
                "<th>Zugelassen</th><th>Status</th></tr>"
                "<tr><td>1. Parallelgruppe</td><td>Mo 10:00–12:00</td><td>30</td><td>27</td>"
                "<td>offen</td></tr>"
                "<tr><td>2. Parallelgruppe</td><td>Di 14:00–16:00</td><td>30</td><td>30</td>"
                "<td>voll</td></tr></table>")
    assert read(html) == [("1-parallelgruppe", 3.0, "open"), ("2-parallelgruppe", 0.0, "full")]


def test_enrolled_of_capacity_cells() -> None:
    html = page("<table><tr><th>Section</th><th>Enrolled</th><th>Status</th></tr>"
                "<tr><td>A01</td><td>25 of 30</td><td>Open</td></tr>"
                "<tr><td>A02</td><td>30 of 30</td><td>Closed</td></tr></table>")
    assert read(html) == [("a01", 5.0, "open"), ("a02", 0.0, "closed")]


def test_status_letter_closing_a_line_with_a_legend() -> None:
    html = page("<p>Legend: A - Available | C - Closed</p><ul>"
                "<li>CRN 51001 DANC 101 Ballet I, MW 9:00 am A</li>"
                "<li>CRN 51002 DANC 101 Ballet I, TR 1:00 pm C</li></ul>")
    assert read(html) == [("51001", None, "open"), ("51002", 0.0, "closed")]


def test_phrases_with_counts_in_parentheses_and_out_of() -> None:
    html = page(
        "<div class=card><h3>PHR110-01 Ethics</h3><p>12 enrolled of 30</p></div>"
        "<div class=card><h3>PHR110-02 Ethics</h3><p>No seats available (40 max)</p></div>"
        "<div class=card><h3>PHR110-03 Ethics</h3><p>Available (7)</p></div>"
        "<div class=card><h3>PHR110-04 Ethics</h3><p>FULL Waitlist(8)</p></div>"
        "<div class=card><h3>PHR110-05 Ethics</h3><p>Seats Available: 0 / 30</p>"
        "<p>Waitlisted: 3</p></div>")
    assert read(html) == [("phr110-01", 18.0, "open"), ("phr110-02", 0.0, "full"),
                          ("phr110-03", 7.0, "open"), ("phr110-04", 0.0, "full"),
                          ("phr110-05", 0.0, "full")]


def test_german_registration_words_and_lettered_groups() -> None:
    html = page("<h2>Mathematik I – Übungen</h2>"
                "<div class=gruppe><h4>Gruppe A</h4><p>Max. Teilnehmende: 25</p>"
                "<p>Belegungen: 19</p><p>Status: Anmeldung möglich</p></div>"
                "<div class=gruppe><h4>Gruppe B</h4><p>Max. Teilnehmende: 25</p>"
                "<p>Belegungen: 25</p><p>keine Anmeldung möglich</p></div>")
    assert read(html) == [("gruppe-a", 6.0, "open"), ("gruppe-b", 0.0, "closed")]


def test_auto_kind_does_not_read_a_shop_page_as_seats() -> None:
    shop = ("<html><head><title>Kettle</title></head><body><h1>Acme Kettle</h1>"
            "<p class=price>$49.99</p><p>Only 3 left in stock</p><p>Size: 10</p></body></html>")
    assert extract(shop, kind=Kind.AUTO).kind is Kind.PRICE
    # Told it is a seats page, the same phrase is a count without a section code.
    assert [(r.key, r.value) for r in extract(shop, kind=Kind.SEATS).readings] == [("seats", 3.0)]


def test_same_section_code_under_two_courses_keys_by_course() -> None:
    html = page("<h3>Drawing</h3><table><tr><th>Section</th><th>Available</th></tr>"
                "<tr><td>001</td><td>3</td></tr></table>"
                "<h3>Painting</h3><table><tr><th>Section</th><th>Available</th></tr>"
                "<tr><td>001</td><td>0</td></tr></table>")
    assert read(html) == [("001", 3.0, "open"), ("painting-001", 0.0, "full")]


def test_status_after_a_seats_label_and_a_repeated_detail_panel() -> None:
    html = page("<div class=row><h4>CRN 60001</h4><p>Seats: Closed</p></div>"
                "<div class=row><h4>CRN 60002</h4><p>Availability: Full</p></div>"
                "<div class=row><h4>CRN 60003</h4><p>Seats: 4</p></div>"
                "<aside class=detail><h4>CRN 60003</h4><p>Seats: 4</p></aside>")
    assert read(html) == [("60001", 0.0, "closed"), ("60002", 0.0, "full"),
                          ("60003", 4.0, "open")]


def test_minimum_enrolment_and_waitlist_badges() -> None:
    html = page(
        "<table><tr><th>Section</th><th>Min Enrollment</th><th>Max Enrollment</th>"
        "<th>Enrolled</th></tr><tr><td>001</td><td>10</td><td>30</td><td>22</td></tr></table>"
        "<div class=card><h4>Section 002</h4><span class='badge b-wait'>Waitlist open "
        "(4 waiting)</span></div>")
    assert read(html) == [("001", 8.0, "open"), ("002", 0.0, "waitlist")]


def test_status_shown_only_as_a_classed_dot() -> None:
    html = page("<ul><li>CRN 70001 Ceramics <span class='dot status-open'></span></li>"
                "<li>CRN 70002 Ceramics <span class='dot status-full'></span></li>"
                "<li class=menu><span class='caret open'></span> Menu</li></ul>")
    assert read(html) == [("70001", None, "open"), ("70002", 0.0, "full")]
