"""Round-6 general rules for seat keys and grouping, each shown on small synthetic pages
(not corpus copies): the key holds the whole printed identity of a section."""

from __future__ import annotations

import json

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def read(html: str, data: list[tuple[str, str]] | None = None,
         ) -> list[tuple[str, float | None, str | None]]:
    result = extract(html, kind=Kind.SEATS, data=data or [])
    return [(r.key, r.value, r.status) for r in result.readings]


def page(body: str) -> str:
    return f"<html><head><title>Classes</title></head><body>{body}</body></html>"


def test_pre_report_activity_column_is_part_of_the_group_key() -> None:
    pre = ("BIO100  CELL BIOLOGY\n"
           "Activity   Grp  Day  Cap  Enrl  Places\n"
           "Lecture    01   Mon  120   100      20\n"
           "Tutorial   01   Tue   20    20       0\n"
           "Tutorial   02   Wed   20    15       5\n")
    assert read(page(f"<h1>Offerings</h1><pre>{pre}</pre>")) == [
        ("lecture-01", 20.0, "open"), ("tutorial-01", 0.0, "full"), ("tutorial-02", 5.0, "open")]


def test_a_meeting_type_before_group_is_part_of_its_name() -> None:
    cards = "".join(
        f"<div class=grp><h3>Lab Group {g}</h3><p>Room X 1.01</p><p>Capacity 20 · Remaining {n}"
        "</p></div>" for g, n in (("A", 3), ("B", 0)))
    assert [k for k, _v, _s in read(page(cards))] == ["lab-group-a", "lab-group-b"]


def test_a_section_name_with_its_synonym_keeps_both() -> None:
    rows = "".join(f"<tr><td>{c}</td><td>{a} / 30</td><td>Open</td></tr>"
                   for c, a in (("HIS-210-01 (44120)", 4), ("HIS-210-W2 (44131)", 9)))
    html = page("<table><thead><tr><th>Section Name and Title</th><th>Available/Capacity</th>"
                f"<th>Status</th></tr></thead><tbody>{rows}</tbody></table>")
    assert read(html) == [("his-210-01-44120", 4.0, "open"), ("his-210-w2-44131", 9.0, "open")]


def test_a_group_named_by_number_and_by_code_keeps_the_code() -> None:
    items = "".join(
        f"<li class=run><h3>Cohort {n} <small>(WEB-2027-{t})</small></h3><p>Starts soon</p>"
        f"<span>{s}</span></li>" for n, t, s in (
            ("7", "A", "12 of 40 places available"), ("8", "B", "Cohort full")))
    keys = read(page(f"<ul>{items}</ul>"))
    assert [k for k, _v, _s in keys] == ["web-2027-a-cohort-7", "web-2027-b-cohort-8"]
    assert [(v, s) for _k, v, s in keys] == [(12.0, "open"), (0.0, "full")]


def test_a_room_column_of_a_plain_table_is_no_section_code() -> None:
    html = page("<h2>Block Section ACC1C-2627</h2><table><tr><th>Subject</th><th>Room</th></tr>"
                "<tr><td>ACC 101</td><td>RM-12</td></tr><tr><td>ECO 102</td><td>LB-3</td></tr>"
                "</table><p>Remaining slots: <b>9</b> of 40</p>")
    assert read(html) == [("acc1c-2627", 9.0, "open")]


def test_a_short_name_in_parentheses_joins_the_group_and_a_broken_header_word() -> None:
    rows = "".join(f"<tr><td>{n}. Kleingruppe (KG {n})</td><td>20</td><td>{e}</td></tr>"
                   for n, e in ((1, 20), (2, 14)))
    html = page("<table><thead><tr><th>Gruppe</th><th>Max.<br>Teilnehmende</th>"
                f"<th>Zuge-<br>lassen</th></tr></thead><tbody>{rows}</tbody></table>")
    assert read(html) == [("1-kleingruppe-kg-1", 0.0, "full"), ("2-kleingruppe-kg-2", 6.0, "open")]


def test_json_listing_an_undrawn_cancelled_section_does_not_replace_the_page() -> None:
    cards = "".join(f"<article class=s><h2>{t}</h2><p>Session {c}</p><p>{n} seats left</p>"
                    "</article>" for t, c, n in (("Intro talk", "TA-101", 5), ("Deep dive",
                                                                             "TA-102", 2)))
    sessions = [{"title": "Intro talk", "capacity": 30, "registered": 25, "state": "open"},
                {"title": "Deep dive", "capacity": 30, "registered": 28, "state": "open"},
                {"title": "Old one", "capacity": 30, "registered": 0, "state": "cancelled"}]
    data = [("https://conf.example/api/sessions", json.dumps({"sessions": sessions}))]
    assert read(page(cards), data) == [("ta-101", 5.0, "open"), ("ta-102", 2.0, "open")]


def test_a_lone_card_in_a_set_is_named_by_its_card_not_the_set() -> None:
    def card(name: str, n: int) -> str:
        return (f"<div class=card><label><b>{name}</b></label><div>Mon 10-12</div>"
                f"<div>{n} places free</div></div>")
    html = page(f"<section class=set><h3>Lectures (pick 1)</h3>{card('Lecture L1', 4)}</section>"
                f"<section class=set><h3>Exercises (pick 1)</h3>{card('Exercise E1', 2)}"
                f"{card('Exercise E2', 7)}</section>")
    assert [k for k, _v, _s in read(html)] == ["lecture-l1", "exercise-e1", "exercise-e2"]
