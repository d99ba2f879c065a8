"""Sections read from JSON: recorded API responses and page-state scripts, any key naming."""

from __future__ import annotations

import json

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract

SHELL = ("<html><head><title>Browse Classes</title></head><body><div id=app>"
         "<table id=searchResults><thead><tr><th>Title</th><th>Status</th></tr></thead>"
         "<tbody></tbody></table></div><script src=/app.js></script></body></html>")


def read(html: str, *responses: object) -> list[tuple[str, float | None, str | None]]:
    data = [(f"https://reg.example.edu/api/{i}", json.dumps(body))
            for i, body in enumerate(responses)]
    result = extract(html, kind=Kind.SEATS, data=data)
    return [(r.key, r.value, r.status) for r in result.readings]


def banner9(crn: str, seq: str, cap: int, enrl: int, avail: int, *, open_: bool) -> dict:
    return {"id": int(crn) * 7, "term": "202610", "courseReferenceNumber": crn,
            "subject": "CHEM", "courseNumber": "1411", "sequenceNumber": seq,
            "courseTitle": "General Chemistry I", "creditHours": 4, "maximumEnrollment": cap,
            "enrollment": enrl, "seatsAvailable": avail, "waitCapacity": 10, "waitCount": 3,
            "waitAvailable": 7, "crossList": None, "crossListCapacity": None,
            "crossListAvailable": None, "openSection": open_,
            "meetingsFaculty": [{"meetingTime": {"beginTime": "0900", "room": "112",
                                                 "creditHourSession": 4}}]}


def test_banner9_search_results_response() -> None:
    body = {"success": True, "totalCount": 2, "data": [
        banner9("80118", "001", 24, 21, 3, open_=True),
        banner9("80119", "002", 24, 24, 0, open_=False)]}
    result = extract(SHELL, kind=Kind.SEATS,
                     data=[("https://reg.example.edu/StudentRegistrationSsb/ssb/"
                            "searchResults/searchResults", json.dumps(body))])
    assert [(r.key, r.value, r.status) for r in result.readings] == [
        ("80118", 3.0, "open"), ("80119", 0.0, "full")]
    assert result.source == "seats-json"
    assert "80118" in result.readings[0].label and "CHEM 1411" in result.readings[0].label


def test_snake_case_capacity_minus_enrolled_and_string_numbers() -> None:
    body = {"sections": [
        {"class_nbr": "13002", "section": "001", "enrl_cap": "44", "enrl_tot": "40",
         "wait_cap": 20, "wait_tot": 3, "status": "O"},
        {"class_nbr": "13006", "section": "002", "enrl_cap": 24, "enrl_tot": 24,
         "wait_cap": 15, "wait_tot": 6, "status": "W"}]}
    assert read(SHELL, body) == [("13002", 4.0, "open"), ("13006", 0.0, "waitlist")]


def test_course_holding_sections_is_not_itself_a_section() -> None:
    body = {"courses": [{"code": "BIO 150", "capacity": 300, "enrolled": 290, "sections": [
        {"sectionCode": "BIO 150-001", "capacity": 150, "enrolled": 147, "isCancelled": False},
        {"sectionCode": "BIO 150-002", "capacity": 150, "enrolled": 143, "isCancelled": True},
    ]}]}
    assert read(SHELL, body) == [("bio-150-001", 3.0, "open")]


def test_label_value_pairs_workday_style() -> None:
    body = {"widget": "facetSearchResult", "body": {"children": [
        {"title": "ECON 2301-01 - Macroeconomics", "fields": [
            {"label": "Section Status", "value": "Open"},
            {"label": "Enrolled/Capacity", "value": "25/30"},
            {"label": "Waitlist/Waitlist Capacity", "value": "0/10"}]},
        {"title": "ECON 2301-02 - Macroeconomics", "fields": [
            {"label": "Section Status", "value": "Waitlist"},
            {"label": "Enrolled/Capacity", "value": "30/30"},
            {"label": "Waitlist/Waitlist Capacity", "value": "4/10"}]}]}}
    assert read(SHELL, body) == [("econ-2301-01", 5.0, "open"),
                                 ("econ-2301-02", 0.0, "waitlist")]


def test_page_state_script_json() -> None:
    state = {"props": {"pageProps": {"sections": [
        {"crn": 41001, "seats": {"available": 6, "capacity": 30}},
        {"crn": 41002, "seats": {"available": 0, "capacity": 30}}]}}}
    html = ("<html><body><div id=__next></div><script id=__NEXT_DATA__ "
            f"type='application/json'>{json.dumps(state)}</script></body></html>")
    assert read(html) == [("41001", 6.0, "open"), ("41002", 0.0, "full")]


def test_dom_wins_when_it_reads_as_many_sections_as_the_json() -> None:
    html = ("<html><body><table><tr><th>CRN</th><th>Rem</th></tr>"
            "<tr><td>90001</td><td>2</td></tr></table></body></html>")
    body = {"data": [{"courseReferenceNumber": "90001", "seatsAvailable": 9}]}
    assert read(html, body) == [("90001", 2.0, "open")]


def test_json_wins_when_the_dom_shows_fewer_sections() -> None:
    html = ("<html><body><table><tr><th>CRN</th><th>Rem</th></tr>"
            "<tr><td>90001</td><td>2</td></tr></table></body></html>")
    body = {"data": [{"courseReferenceNumber": "90001", "seatsAvailable": 2},
                     {"courseReferenceNumber": "90002", "seatsAvailable": 0}]}
    assert read(html, body) == [("90001", 2.0, "open"), ("90002", 0.0, "full")]


def test_unrelated_json_is_ignored() -> None:
    body = {"user": {"id": 5, "name": "x"}, "term": {"code": "202610", "year": 2026},
            "cart": {"count": 3, "credits": 9}}
    html = ("<html><body><table><tr><th>Section</th><th>Available</th></tr>"
            "<tr><td>001</td><td>4</td></tr></table></body></html>")
    assert read(html, body) == [("001", 4.0, "open")]


def test_cancelled_sections_in_the_json_do_not_outnumber_the_dom() -> None:
    html = ("<html><body><div class=course-sections><div class=hdr><span>CRN</span>"
            "<span>No.</span><span>Status</span></div>"
            "<a class=row><span>CRN: 17234</span><span>S01</span><span>Open</span></a>"
            "<a class=row><span>CRN: 17235</span><span>S02</span><span>Cancelled</span></a>"
            "</div></body></html>")
    body = {"allInGroup": [{"crn": "17234", "no": "S01", "stat": "Open", "avail": 22},
                           {"crn": "17235", "no": "S02", "stat": "Cancelled", "avail": 30}]}
    assert read(html, body) == [("17234", None, "open")]


def test_abbreviated_keys_and_a_numeric_id_under_a_section_label() -> None:
    body = [{"SECTION_NUMBER": "123456", "SECT_CODE": "A01", "AVAIL_SEAT": 5,
             "SCTN_CPCTY_QTY": 30, "SCTN_ENRLT_QTY": 25, "COUNT_ON_WAITLIST": 0},
            {"SECTION_NUMBER": "123457", "SECT_CODE": "A02", "AVAIL_SEAT": 0,
             "SCTN_CPCTY_QTY": 30, "SCTN_ENRLT_QTY": 30, "COUNT_ON_WAITLIST": 4}]
    assert read(SHELL, body) == [("123456", 5.0, "open"), ("123457", 0.0, "full")]


def test_workday_widget_instances() -> None:
    row = lambda sec, enrl, status: {"widget": "row", "children": [  # noqa: E731
        {"widget": "moniker", "label": "Course Section", "instances": [{"text": sec}]},
        {"widget": "text", "label": "Section Status", "value": status},
        {"widget": "text", "label": "Enrolled/Capacity", "value": f"{enrl}/30"}]}
    body = {"body": {"children": [row("HIST 1301-01", 22, "Open"),
                                  row("HIST 1301-02", 30, "Closed")]}}
    assert read(SHELL, body) == [("hist-1301-01", 8.0, "open"), ("hist-1301-02", 0.0, "closed")]


KEY_NAMINGS = [
    {"crn": "41001", "seats_available": 4}, {"CRN": 41001, "SeatsAvailable": 4},
    {"classNumber": 41001, "enrollmentCap": 30, "enrollmentTotal": 26},
    {"class_nbr": "41001", "enrl_cap": 30, "enrl_tot": 26},
    {"sectionId": "41001", "capacity": 30, "enrolled": 26},
    {"registrationNumber": "41001", "openSeats": 4, "totalSeats": 30},
    {"callNumber": "41001", "limit": 30, "taken": 26},
    {"section_code": "41001", "spots_left": 4},
    {"crn": "41001", "availability": {"capacity": 30, "enrolled": 26, "waitlist": 3}},
    {"crn": "41001", "seats": {"max": 30, "taken": 26}},
    {"crn": "41001", "enrollment": {"cap": 30, "total": 26}},
    {"ClassNbr": "41001", "EnrlCap": "30", "EnrlTot": "26", "WaitCap": "10", "WaitTot": "2"},
    {"crn": "41001", "remaining": 4, "waitlistRemaining": 10},
    {"crn": "41001", "isFull": False, "openSeats": 4},
    {"nrc": "41001", "cupo": 30, "inscritos": 26},
]


@pytest.mark.parametrize("section", KEY_NAMINGS, ids=[",".join(s) for s in KEY_NAMINGS])
def test_key_namings(section: dict) -> None:
    assert read(SHELL, {"data": [section]}) == [("41001", 4.0, "open")]
