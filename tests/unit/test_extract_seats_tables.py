"""Seat tables read by header roles: registration systems' grids and hand-written tables.

Every page here is small and written for the test from the public markup of the
system it names (invented data). What each test pins is the contract: one reading
per offered section in page order, full ones as 0, a stable key, the right status.
"""

from __future__ import annotations

import contextlib

import pytest

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def read(html: str) -> list[tuple[str, float | None, str | None]]:
    result = extract(html, kind=Kind.SEATS)
    return [(r.key, r.value, r.status) for r in result.readings]


def page(body: str, title: str = "Sections") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def table(header: list[str], *rows: list[str], attrs: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table {attrs}><tr>{head}</tr>{body}</table>"


BANNER8_HEADER = ["Select", "CRN", "Subj", "Crse", "Sec", "Cmp", "Cred", "Title", "Days",
                  "Time", "Cap", "Act", "Rem", "WL Cap", "WL Act", "WL Rem", "XL Cap",
                  "XL Act", "XL Rem", "Instructor", "Date (MM/DD)", "Location"]


def test_banner8_listing_reads_rem_not_waitlist_or_crosslist_and_skips_meeting_rows() -> None:
    html = page("<h2>Computer Science</h2>" + table(
        BANNER8_HEADER,
        ["<input type=checkbox>", "20110", "CS", "1301", "001", "MAIN", "3.000", "Intro",
         "MWF", "09:00 am-09:50 am", "40", "38", "2", "10", "3", "7", "60", "58", "2",
         "Ada Lovelace (P)", "08/24-12/11", "SCI 101"],
        # A second meeting time of the same section: no CRN, no seats.
        ["", "", "", "", "", "", "", "", "R", "02:00 pm-03:50 pm", "", "", "", "", "", "", "",
         "", "", "", "08/24-12/11", "LAB 2"],
        ["C", "20111", "CS", "1301", "002", "MAIN", "3.000", "Intro", "TR",
         "11:00 am-12:15 pm", "40", "40", "0", "10", "10", "0", "0", "0", "0", "Grace Hopper",
         "08/24-12/11", "SCI 102"],
        attrs='class="datadisplaytable"'))
    result = extract(html, kind=Kind.SEATS)
    assert [(r.key, r.value, r.status) for r in result.readings] == [
        ("20110", 2.0, "open"), ("20111", 0.0, "full")]
    assert "20110" in result.readings[0].label and "CS 1301" in result.readings[0].label


def test_banner8_detail_reads_the_seats_row_and_takes_the_crn_from_the_heading() -> None:
    html = page(
        '<table class="datadisplaytable"><tr><th class="ddlabel" scope="row">'
        "Data Structures - 30412 - CS 2420 - 003</th></tr><tr><td class=dddefault>"
        "Associated Term: Fall 2026<br>Registration Dates: Apr 01, 2026 to Aug 28, 2026<br>"
        '<table class="datadisplaytable" summary="This layout table is used to present the '
        'seating numbers."><caption class="captiontext">Registration Availability</caption>'
        '<tr><td class="dddead">&nbsp;</td><th class="ddheader">Capacity</th>'
        '<th class="ddheader">Actual</th><th class="ddheader">Remaining</th></tr>'
        "<tr><th class=ddlabel>Seats</th><td>35</td><td>31</td><td>4</td></tr>"
        "<tr><th class=ddlabel>Waitlist Seats</th><td>10</td><td>0</td><td>10</td></tr>"
        "<tr><th class=ddlabel>Cross List Seats</th><td>70</td><td>64</td><td>6</td></tr>"
        "</table></td></tr></table>")
    assert read(html) == [("30412", 4.0, "open")]


def test_websoc_columns_max_enr_status_and_cross_listed_enrolment() -> None:
    header = ["Code", "Type", "Sec", "Units", "Instructor", "Time", "Place", "Final", "Max",
              "Enr", "WL", "Req", "Nor", "Rstr", "Status"]
    html = page(table(
        header,
        ["34010", "Lec", "A", "4", "SMITH, J.", "MWF 9:00-9:50", "SSL 270", "TBA", "120",
         "113", "n/a", "140", "0", "A", "OPEN"],
        # Cross-listed: "35 / 40" enrolled here / in all listings that share Max.
        ["34011", "Dis", "1", "0", "STAFF", "M 4:00-4:50p", "SSTR 100", "", "40", "35 / 40",
         "6", "44", "0", "", "FULL"],
        ["34012", "Dis", "2", "0", "STAFF", "W 4:00-4:50p", "SSTR 101", "", "40", "30",
         "12", "41", "0", "", "Waitl"]))
    assert read(html) == [("34010", 7.0, "open"), ("34011", 0.0, "full"),
                          ("34012", 0.0, "waitlist")]


def test_colleague_compound_available_capacity_waitlist_cell() -> None:
    html = page(table(
        ["Section", "Title", "Available / Capacity / Waitlist", "Status"],
        ["ENGL-1301-01", "Composition I", "5 / 30 / 0", "Open"],
        ["ENGL-1301-02", "Composition I", "0 / 30 / 4", "Closed"]))
    result = extract(html, kind=Kind.SEATS)
    assert [(r.key, r.value, r.status) for r in result.readings] == [
        ("engl-1301-01", 5.0, "open"), ("engl-1301-02", 0.0, "closed")]
    assert "ENGL-1301-01" in result.readings[0].label


def test_status_column_of_icons_only() -> None:
    """PeopleSoft classic search results: the status is an <img alt>, no counts."""
    rows = "".join(
        f"<table class=PSLEVEL1GRIDNBO><tr><th>Class</th><th>Section</th><th>Days &amp; Times"
        f"</th><th>Room</th><th>Status</th></tr><tr><td><a>{nbr}</a></td><td>{sec}</td>"
        f"<td>MoWe 9:00AM</td><td>ENG 12</td><td><img src='/cs/{icon}.gif' alt='{alt}'>"
        f"</td></tr></table>"
        for nbr, sec, icon, alt in (("1114", "01-LEC(1114)", "OPEN", "Open"),
                                    ("1128", "02-LEC(1128)", "CLOSED", "Closed"),
                                    ("1202", "03-LEC(1202)", "WAIT", "Wait List")))
    assert read(page(rows)) == [("1114", None, "open"), ("1128", 0.0, "closed"),
                                ("1202", 0.0, "waitlist")]


def test_every_section_full_reads_zeros_not_no_sections() -> None:
    html = page(table(["CRN", "Capacity", "Enrolled", "Available"],
                      ["51001", "30", "30", "0"], ["51002", "25", "27", "0"]))
    assert read(html) == [("51001", 0.0, "full"), ("51002", 0.0, "full")]


def test_cancelled_and_tba_rows_are_left_out() -> None:
    html = page(table(
        ["Section", "Seats Available", "Status"],
        ["001", "12", "Open"], ["002", "0", "Cancelled"], ["003", "TBA", ""],
        ["004", "0", "Full"]))
    assert read(html) == [("001", 12.0, "open"), ("004", 0.0, "full")]


def test_lecture_and_discussion_stacked_on_one_row() -> None:
    html = page(table(
        ["Section", "Status", "Enrolled", "Capacity"],
        ["LEC 001<br>DIS 001A", "Open<br>Full", "110<br>30", "150<br>30"],
        ["LEC 002<br>DIS 002A", "Open<br>Open", "90<br>12", "150<br>30"]))
    assert read(html) == [("lec-001", 40.0, "open"), ("dis-001a", 0.0, "full"),
                          ("lec-002", 60.0, "open"), ("dis-002a", 18.0, "open")]


@pytest.mark.parametrize(("header", "rows", "expected"), [
    # French: Places (capacity) / Inscrits / Places restantes / Statut
    (["Groupe", "Places", "Inscrits", "Places restantes", "Statut"],
     [["TD1", "30", "28", "2", "Ouvert"], ["TD2", "30", "30", "0", "Complet"]],
     [("td1", 2.0, "open"), ("td2", 0.0, "full")]),
    # German: Plätze / Belegt / Frei
    (["Gruppe", "Plätze", "Belegt", "Frei", "Status"],
     [["Gruppe 1", "25", "20", "5", "offen"], ["Gruppe 2", "25", "25", "0", "voll"]],
     [("gruppe-1", 5.0, "open"), ("gruppe-2", 0.0, "full")]),
    # Spanish: NRC / Cupo / Inscritos / Vacantes / Estado
    (["NRC", "Asignatura", "Cupo", "Inscritos", "Vacantes", "Estado"],
     [["4521", "Cálculo I", "40", "33", "7", "Abierto"],
      ["4522", "Cálculo I", "40", "40", "0", "Cerrado"]],
     [("4521", 7.0, "open"), ("4522", 0.0, "closed")]),
    # Portuguese: Turma / Vagas / Matriculados / Situação (capacity − enrolled)
    (["Turma", "Vagas", "Matriculados", "Situação"],
     [["T01", "45", "40", "Aberta"], ["T02", "45", "45", "Lotada"]],
     [("t01", 5.0, "open"), ("t02", 0.0, "full")]),
])
def test_multilingual_headers(header: list[str], rows: list[list[str]],
                              expected: list[tuple[str, float, str]]) -> None:
    assert read(page(table(header, *rows))) == expected


def test_hand_written_table_with_spots_left_and_no_key_column() -> None:
    html = page("<h3>Pottery for Beginners</h3>" + table(
        ["When", "Teacher", "Spots left"],
        ["Mon 6pm (Section A1)", "Kim", "3"], ["Wed 6pm (Section A2)", "Lee", "0"]))
    assert read(html) == [("a1", 3.0, "open"), ("a2", 0.0, "full")]


def test_reserved_seat_grid_is_not_a_section() -> None:
    html = page(
        table(["Class Nbr", "Enrollment Capacity", "Enrollment Total", "Available Seats"],
              ["10234", "30", "22", "8"])
        + "<h4>Reserve Capacity</h4>"
        + table(["Reserved For", "Enrollment Capacity", "Enrollment Total"],
                ["Nursing majors", "10", "4"]))
    assert read(html) == [("10234", 8.0, "open")]


def test_credits_times_rooms_and_years_are_never_seats() -> None:
    html = page(table(["Course", "Credits", "Room", "Year", "Time"],
                      ["HIST 101", "3", "204", "2026", "10:00"]))
    with pytest.raises(ExtractionError, match="no course sections"):
        extract(html, kind=Kind.SEATS)


def test_keys_do_not_depend_on_counts_or_status() -> None:
    before = page(table(["CRN", "Rem", "Status"], ["70001", "0", "Full"],
                        ["70002", "4", "Open"]))
    after = page(table(["CRN", "Rem", "Status"], ["70001", "3", "Open"],
                       ["70002", "0", "Full"]))
    assert [k for k, _v, _s in read(before)] == [k for k, _v, _s in read(after)]


def test_two_row_header_groups_seat_and_waitlist_columns() -> None:
    html = page(
        "<table><thead><tr><th rowspan=2>CRN</th><th colspan=3>Seats</th>"
        "<th colspan=3>Waitlist</th></tr><tr><th>Cap</th><th>Act</th><th>Rem</th><th>Cap</th>"
        "<th>Act</th><th>Rem</th></tr></thead><tbody>"
        "<tr><td>61001</td><td>30</td><td>26</td><td>4</td><td>10</td><td>0</td><td>10</td></tr>"
        "<tr><td>61002</td><td>30</td><td>30</td><td>0</td><td>10</td><td>2</td><td>8</td></tr>"
        "</tbody></table>")
    assert read(html) == [("61001", 4.0, "open"), ("61002", 0.0, "full")]


def test_a_status_only_row_under_the_header_is_a_section_not_a_header() -> None:
    html = page(table(["Section", "Instructor", "Status"], ["A", "Kim", "Open"],
                      ["B", "Lee", "Closed"]))
    assert read(html) == [("a", None, "open"), ("b", 0.0, "closed")]


def test_over_enrolled_negative_remaining_reads_zero() -> None:
    html = page(table(["CRN", "Cap", "Act", "Rem"], ["20220", "30", "32", "-2"],
                      ["20221", "30", "29", "1"]))
    assert read(html) == [("20220", 0.0, "full"), ("20221", 1.0, "open")]


def test_status_word_written_in_the_seats_column() -> None:
    html = page(table(["Course Code", "Title", "Seats Open"], ["ART 1301 01", "Drawing", "4/20"],
                      ["ART 1301 02", "Drawing", "Full"]))
    assert read(html) == [("art-1301-01", 4.0, "open"), ("art-1301-02", 0.0, "full")]


def test_uk_activity_codes_places_available_and_fully_booked() -> None:
    html = page("<h1>CS1010 Programming Fundamentals</h1>" + table(
        ["Activity", "Type", "Day &amp; time", "Room", "Group size", "Places"],
        ["CS1010/PRA/01", "Practical", "Tuesday 18:00–20:40", "TEC Lab 294", "29",
         "7 places available"],
        ["CS1010/PRA/02", "Practical", "Friday 09:30–10:45", "HUM Lab 144", "23",
         "Fully booked"]))
    result = extract(html, kind=Kind.SEATS)
    assert [(r.key, r.value, r.status) for r in result.readings] == [
        ("cs1010-pra-01", 7.0, "open"), ("cs1010-pra-02", 0.0, "full")]
    assert "CS1010/PRA/01" in result.readings[0].label


def test_huge_and_deep_pages_stay_bounded() -> None:
    deep = page("<div>" * 3000 + "Section 001 Open Seats: 3" + "</div>" * 3000)
    with contextlib.suppress(ExtractionError):
        extract(deep, kind=Kind.SEATS)  # lxml drops content past its depth limit: no crash
    rows = "".join(f"<tr><td>{10000 + i}</td><td>{i % 7}</td></tr>" for i in range(5000))
    result = extract(page(table(["CRN", "Seats Available"]).replace("</table>",
                                                                     rows + "</table>")),
                     kind=Kind.SEATS)
    assert len(result.readings) == 500  # capped, in page order
    assert result.readings[0].key == "10000"


def test_status_letters_defined_by_the_pages_legend() -> None:
    html = page("<p>Status codes: O = Open, F = Filled, * = Wait list only</p>" + table(
        ["CRN", "Course", "St"], ["41001", "ART 110", "O"], ["41002", "ART 110", "F"],
        ["41003", "ART 110", "*"]))
    assert read(html) == [("41001", None, "open"), ("41002", 0.0, "full"),
                          ("41003", 0.0, "waitlist")]


def test_cells_naming_their_columns_without_a_header_row() -> None:
    """jqGrid (UCSD WebReg-like): the header is a separate table, cells point to it."""
    head = ("<table class=ui-jqgrid-htable><tr><th id=g_SECTION_NUMBER>Section ID</th>"
            "<th id=g_SECT_CODE>Section</th><th id=g_AVAIL_SEAT>Avail Seats</th>"
            "<th id=g_SCTN_CPCTY_QTY>Limit</th></tr></table>")
    row = ("<tr role=row><td aria-describedby=g_SECTION_NUMBER>{}</td>"
           "<td aria-describedby=g_SECT_CODE>{}</td><td aria-describedby=g_AVAIL_SEAT>{}</td>"
           "<td aria-describedby=g_SCTN_CPCTY_QTY>30</td></tr>")
    body = ("<table class=ui-jqgrid-btable><tr class=jqgfirstrow><td></td><td></td><td></td>"
            "<td></td></tr>" + row.format("123456", "A01", "5")
            + row.format("123457", "A02", "FULL Waitlist(8)") + "</table>")
    assert read(page(head + body)) == [("123456", 5.0, "open"), ("123457", 0.0, "full")]


def test_responsive_cells_with_data_labels() -> None:
    rows = "".join(f"<tr><td data-label='CRN'>{c}</td><td data-label='Seats Available'>{n}</td>"
                   "</tr>" for c, n in (("70101", "3"), ("70102", "0")))
    assert read(page(f"<table>{rows}</table>")) == [("70101", 3.0, "open"),
                                                    ("70102", 0.0, "full")]


@pytest.mark.parametrize(("header", "rows", "expected"), [
    (["講義コード", "定員", "履修者数", "空席", "状態"],
     [["J101", "30名", "28名", "2", "受付中"], ["J102", "30名", "30名", "0", "満席"]],
     [("j101", 2.0, "open"), ("j102", 0.0, "full")]),
    (["课程号", "容量", "已选人数", "状态"],
     [["C2001", "40", "35", "开放"], ["C2002", "40", "40", "已满"]],
     [("c2001", 5.0, "open"), ("c2002", 0.0, "full")]),
    (["분반", "정원", "수강인원", "상태"],
     [["K01", "40", "38", "신청가능"], ["K02", "40", "40", "마감"]],
     [("k01", 2.0, "open"), ("k02", 0.0, "closed")]),
])
def test_cjk_headers(header: list[str], rows: list[list[str]],
                     expected: list[tuple[str, float, str]]) -> None:
    assert read(page(table(header, *rows))) == expected


def test_banner9_rendered_rows_named_by_data_property() -> None:
    row = ("<tr><td data-property='courseTitle'>Chemistry I</td>"
           "<td data-property='courseReferenceNumber'>{}</td>"
           "<td data-property='status'>{}</td></tr>")
    html = page("<table id=table1><tbody>"
                + row.format("80118", "3 of 24 seats remain.")
                + row.format("80119", "<span>FULL</span>: 0 of 24 seats remain.")
                + "</tbody></table>")
    assert read(html) == [("80118", 3.0, "open"), ("80119", 0.0, "full")]


def test_a_status_in_parentheses_after_the_count() -> None:
    html = page(table(["Section", "Seats"], ["01", "0 (waitlist available)"],
                      ["02", "4"]))
    assert read(html) == [("01", 0.0, "waitlist"), ("02", 4.0, "open")]


@pytest.mark.parametrize(("header", "row"), [
    (["Class #", "Seats Open"], ["31001", "4"]),
    (["Reg #", "Max", "Taken"], ["31001", "30", "26"]),
    (["Call Number", "Limit", "Enrolled"], ["31001", "30", "26"]),
    (["Ref", "Places", "Booked"], ["31001", "30", "26"]),
    (["Section", "Size", "Registered"], ["31001", "30", "26"]),
    (["Section", "Enrl Cap", "Enrl Tot"], ["31001", "30", "26"]),
    (["Section", "Cap.", "Enr."], ["31001", "30", "26"]),
    (["Section", "Total Seats", "Seats Filled"], ["31001", "30", "26"]),
    (["Section", "Seats", "Enrolled"], ["31001", "30", "26"]),
    (["Section", "Openings"], ["31001", "4"]),
    (["Section", "Status"], ["31001", "4 seats open"]),
    (["Section", "Enrollment"], ["31001", "26/30"]),
    (["Section", "Seats (Taken/Total)"], ["31001", "26/30"]),
    (["Section", "Max Enroll", "Current Enroll"], ["31001", "30", "26"]),
    (["Section", "Quota", "Enrolled", "Vacancy"], ["31001", "30", "26", "4"]),
    (["Sec", "Lim", "Enr", "Wait"], ["31001", "30", "26", "2"]),
    (["Section", "Seats", "Waitlist"], ["31001", "4", "10"]),
])
def test_header_wordings(header: list[str], row: list[str]) -> None:
    assert read(page(table(header, row))) == [("31001", 4.0, "open")]


def test_webreg_like_grid_keys_by_section_id_and_skips_lecture_rows() -> None:
    html = page(table(
        ["Section Code", "Section ID", "Meeting Type", "Days", "Time", "Avail Seats", "Limit"],
        ["A00", "", "LE", "MWF", "9:00a-9:50a", "", "120"],
        ["A01", "145231", "DI", "M", "4:00p-4:50p", "3", "30"],
        ["A02", "145232", "DI", "W", "4:00p-4:50p", "FULL Waitlist(6)", "30"],
        ["", "", "FI", "Sat 12/12", "8:00a-10:59a", "", ""]))
    assert read(html) == [("145231", 3.0, "open"), ("145232", 0.0, "full")]


def test_action_buttons_and_day_letters_are_not_statuses() -> None:
    # An unlabelled first column of buttons is no row label (the row stays; "Join
    # Waitlist" is an action, as a button is everywhere else: no status, so 0 seats reads
    # full), and a column of day letters (W, F) is no status column.
    html = page(table(["", "CRN", "Mtg", "Seats Available"],
                      ["<button>Join Waitlist</button>", "82001", "W", "0"],
                      ["<button>Add</button>", "82002", "F", "5"]))
    assert read(html) == [("82001", 0.0, "full"), ("82002", 5.0, "open")]


def test_lecture_and_discussion_side_by_side_on_one_row() -> None:
    html = page(table(
        ["Lecture", "Seats", "Enrolled", "Discussion", "Seats", "Enrolled"],
        ["LEC 001", "150", "140", "DIS 001A", "30", "30"],
        ["LEC 001", "150", "140", "DIS 001B", "30", "21"]))
    assert read(html) == [("lec-001", 10.0, "open"), ("dis-001a", 0.0, "full"),
                          ("dis-001b", 9.0, "open")]
