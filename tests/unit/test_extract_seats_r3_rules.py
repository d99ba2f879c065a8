"""General causes behind the round-3 first-sight misses: page chrome, whole codes, cards
that print no code, compound labels and status words. Each test writes two small pages
of its own (not corpus copies) showing the rule in different markup."""

from __future__ import annotations

import pytest

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def read(html: str) -> list[tuple[str, float | None, str | None]]:
    return [(r.key, r.value, r.status) for r in extract(html, kind=Kind.SEATS).readings]


def page(body: str, title: str = "Classes") -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


# ---------------------------------------------------------------- chrome


@pytest.mark.parametrize("chrome", [
    "<div id=cookies>This site uses cookies. 2 settings available. <button>OK</button></div>",
    "<footer><p>Seats: 4 sponsors this year</p></footer>",
])
def test_a_number_outside_the_main_content_is_no_section(chrome: str) -> None:
    # A script-built page's static shell: the grid is empty, only the site's chrome speaks.
    html = page("<header><a href=/>Registration</a></header><main><h1>Browse Classes</h1>"
                "<table><thead><tr><th>CRN</th><th>Status</th></tr></thead>"
                "<tbody><tr><td colspan=2>Loading...</td></tr></tbody></table></main>" + chrome)
    with pytest.raises(ExtractionError):
        extract(html, kind=Kind.SEATS)


def test_side_panels_and_navigation_say_nothing_of_the_sections() -> None:
    html = page("<nav><a>Basket (2)</a></nav><main><ul>"
                "<li>LEC 001 CRN 11408 Open 37/300 seats open</li>"
                "<li>DIS 201 CRN 11412 Closed 0/30 seats open</li></ul>"
                "<aside><h2>Also viewed</h2><p>CS 2800 (3 sections, 40 seats open)</p></aside>"
                "</main>")
    assert read(html) == [("11408", 37.0, "open"), ("11412", 0.0, "closed")]


# ---------------------------------------------------------------- identity


@pytest.mark.parametrize(("code", "key"), [
    ("Course code: NACL-P101", "nacl-p101"), ("CPD-LDR01-SEP26", "cpd-ldr01-sep26"),
    ("#41207", "41207"), ("Ref FA-26-1187", "fa-26-1187")])
def test_a_code_is_the_key_whole_prefixes_kept(code: str, key: str) -> None:
    html = page(f"<div class=c><h3>Pottery</h3><p>{code}</p><p>3 places left</p></div>"
                "<div class=c><h3>Pottery</h3><p>Code: ZZ-9999-X</p><p>Fully booked</p></div>")
    assert read(html) == [(key, 3.0, "open"), ("zz-9999-x", 0.0, "full")]


@pytest.mark.parametrize(("header", "cell", "key"), [
    ("Class ID", "FA-26-1187", "fa-26-1187"), ("Section", "CJ201-A", "cj201-a")])
def test_a_key_column_code_is_kept_whole_beside_a_course_name(header: str, cell: str,
                                                             key: str) -> None:
    html = page(f"<table><tr><th>{header}</th><th>Course</th><th>Open</th></tr>"
                f"<tr><td>{cell}</td><td>Criminal Procedure</td><td>2</td></tr></table>")
    assert read(html) == [(key, 2.0, "open")]


def test_cards_printing_no_code_are_named_by_their_own_title() -> None:
    # A leisure centre's list and a booking widget: the class name is the identity.
    items = "".join(
        f"<li class=slot><span class=time>0{i}:00</span> <strong>{name}</strong>"
        f"<div class=bar></div><span>{seats}</span></li>"
        for i, (name, seats) in enumerate([("Aqua Aerobics", "Full"), ("Boxfit", "Spots left: 7"),
                                           ("Zumba Gold", "Full")], start=6))
    assert read(page(f"<main><h1>Saturday</h1><ul>{items}</ul></main>")) == [
        ("aqua-aerobics", 0.0, "full"), ("boxfit", 7.0, "open"), ("zumba-gold", 0.0, "full")]
    widget = "".join(
        f"<div class=session><div class=session__name>{name}</div><div>Room 1 · 45 min</div>"
        f"<div class=spots>{seats}</div><button>Book</button></div>"
        for name, seats in [("Sunrise Spin", "Spots left: 2"), ("HIIT Express", "Class Full")])
    assert read(page(widget)) == [("sunrise-spin", 2.0, "open"), ("hiit-express", 0.0, "full")]


def test_cards_saying_the_same_thing_are_still_one_section_each() -> None:
    tiers = "".join(f"<div class=tier><h3>Workshop {w}</h3><p>Sat 6 Feb, 10:00</p>"
                    "<p>Sold out</p></div>" for w in "ABC")
    assert read(page(f"<p>Limited to 12 writers.</p><div>{tiers}</div>")) == [
        ("workshop-a", 0.0, "full"), ("workshop-b", 0.0, "full"), ("workshop-c", 0.0, "full")]


def test_label_value_rows_are_not_cards() -> None:
    rows = ("<div class=row><div>Total Seats Remaining</div><div>7</div></div>"
            "<div class=row><div>General Seats Remaining</div><div>7</div></div>")
    assert read(page(f"<h2>CRN 40213</h2>{rows}")) == [("40213", 7.0, "open")]


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize("cell", ["angemeldet: 212 / Plätze: 250", "Enrolled: 212, Seats: 250"])
def test_seats_beside_an_enrolment_are_the_total(cell: str) -> None:
    html = page("<table><tr><th>Nummer</th><th>Anmeldestatus</th></tr>"
                f"<tr><td>705.021</td><td>{cell}</td></tr></table>")
    assert read(html) == [("705-021", 38.0, "open")]


def test_a_compound_enrolled_and_seats_header_gives_enrolled_of_capacity() -> None:
    html = page("<table><tr><th>Gruppe</th><th>Teilnehmer/<br>Plätze</th><th>Plätze frei</th>"
                "</tr><tr><td>Gruppe 01</td><td>25/30</td><td>5</td></tr>"
                "<tr><td>Gruppe 02</td><td>12/40</td><td></td></tr></table>")
    assert read(html) == [("gruppe-01", 5.0, "open"), ("gruppe-02", 28.0, "open")]


def test_a_wait_list_count_in_any_language_is_no_status() -> None:
    html = page("<table><tr><th>Nr</th><th>Status</th></tr>"
                "<tr><td>705.022</td><td>angemeldet: 25 / Plätze: 25 (Warteliste: 6)</td></tr>"
                "<tr><td>705.031</td><td>Anmeldung gesperrt &ndash; LV abgesagt</td></tr></table>")
    assert read(html) == [("705-022", 0.0, "full")]


# ---------------------------------------------------------------- statuses


@pytest.mark.parametrize(("words", "value", "status"), [
    ("Wachtlijst", 0.0, "waitlist"), ("Module full", 0.0, "full"),
    ("Limited places", None, "open"), ("残席わずか", None, "open"),
    ("Not running 2026/7", None, None)])
def test_status_words_of_more_systems(words: str, value: float | None,
                                      status: str | None) -> None:
    html = page("<table><tr><th>Code</th><th>Places available</th></tr>"
                f"<tr><td>PSY2035</td><td>{words}</td></tr>"
                "<tr><td>PSY2040</td><td>3</td></tr></table>")
    want = [("psy2035", value, status)] if status else []
    assert read(html) == [*want, ("psy2040", 3.0, "open")]


def test_an_english_imperative_is_no_status() -> None:
    html = page("<h2>BIOL-221-02: Anatomy</h2><dl><dt>Requisites</dt>"
                "<dd>Complete BIOL-220 with a grade of C or better.</dd>"
                "<dt>Seats Available</dt><dd>2 of 24 Total<br>0 Waitlisted</dd></dl>")
    assert read(html) == [("biol-221-02", 2.0, "open")]


def test_a_count_labelled_after_itself_is_no_status_and_labels_nothing_more() -> None:
    # An aggregator's rows: the status badge, then "0/30 seats open", then a tracker count;
    # the row's "waitlist" class is its status, not a wait-list figure.
    rows = "".join(
        f"<li class='row {state.lower()}'><span>DIS 20{i}</span> <span>CRN 1141{i}</span> "
        f"<span>M 12:20-1:10</span> <span class=state>{state}</span> "
        f"<span>{n}/30 seats open</span> <button>Track</button> <span>{t} tracking</span></li>"
        for i, state, n, t in [(1, "Closed", 0, 48), (2, "Open", 2, 5), (3, "Waitlist", 0, 21)])
    assert read(page(f"<main><ul>{rows}</ul></main>")) == [
        ("11411", 0.0, "closed"), ("11412", 2.0, "open"), ("11413", 0.0, "waitlist")]


# ---------------------------------------------------------------- row grouping


def _option(n: int, status: str, klass: str, seats: str) -> str:
    return (f"<div class=option><div class=hdr><span>Option</span> <span>{n}</span> "
            f"<span>Status</span> <span>{status}</span></div><table><thead><tr><th>Class</th>"
            "<th>Room</th><th>Seats</th></tr></thead><tbody><tr>"
            f"<td>Lecture 00{n}<br>Class {klass}</td><td>Boyd 208</td><td>{seats}</td>"
            "</tr></tbody></table></div>")


def test_a_wait_list_line_under_the_seats_is_no_section_of_its_own() -> None:
    html = page("<main>" + _option(1, "Open", "7721", "Open Seats 7 of 40")
                + _option(2, "Wait List", "7725", "Open Seats 0 of 60<br>Wait List 6 of 15")
                + "</main>")
    assert read(html) == [("7721", 7.0, "open"), ("7725", 0.0, "waitlist")]


def test_a_one_row_table_takes_the_status_its_box_states() -> None:
    html = page("<main>" + _option(1, "Closed", "7722", "Open Seats 0 of 40")
                + _option(2, "Open", "7730", "Open Seats 3 of 40") + "</main>")
    assert read(html) == [("7722", 0.0, "closed"), ("7730", 3.0, "open")]


@pytest.mark.parametrize("button", ["Join Waitlist", "Register interest"])
def test_a_button_in_an_unnamed_column_is_an_action_not_a_status(button: str) -> None:
    html = page("<table><tr><th>Section</th><th>Available Seats</th><th></th></tr>"
                f"<tr><td>MA115-D1</td><td>0</td><td><button>{button}</button></td></tr>"
                "<tr><td>MA125-D2</td><td>9</td><td><button>Register</button></td></tr></table>")
    assert read(html) == [("ma115-d1", 0.0, "full"), ("ma125-d2", 9.0, "open")]


def test_a_title_ending_in_cancelled_leaves_its_row_out() -> None:
    html = page("<table><tr><th>CRN</th><th>Title</th><th>Cap</th><th>Act</th><th>Rem</th></tr>"
                "<tr><td>40267</td><td>Anatomy I - CANCELLED</td><td>0</td><td>0</td><td>0</td>"
                "</tr><tr><td>40268</td><td>Anatomy I</td><td>24</td><td>17</td><td>7</td></tr>"
                "</table>")
    assert read(html) == [("40268", 7.0, "open")]


def test_a_cookie_notice_inside_the_content_is_chrome_too() -> None:
    html = page("<div class=content><h1>Browse Classes</h1><div id=rows>Loading...</div>"
                "<div class='cookie-banner'>We use 3 cookies. 2 settings available.</div></div>")
    with pytest.raises(ExtractionError):
        extract(html, kind=Kind.SEATS)


@pytest.mark.parametrize(("words", "value", "status"), [
    ("Waiting list", 0.0, "waitlist"), ("Only a few places left", None, "open"),
    ("Posti esauriti", 0.0, "full"), ("定員に達しました", 0.0, "full"),
    ("申込受付中", None, "open"), ("×", 0.0, "full"), ("Geannuleerd", None, None)])
def test_more_status_words_and_marks(words: str, value: float | None,
                                     status: str | None) -> None:
    html = page("<table><tr><th>Code</th><th>Status</th></tr>"
                f"<tr><td>K-2641</td><td>{words}</td></tr>"
                "<tr><td>K-2642</td><td>Open</td></tr></table>")
    want = [("k-2641", value, status)] if status else []
    assert read(html) == [*want, ("k-2642", None, "open")]


def test_an_activity_number_column_is_the_key() -> None:
    html = page("<table><tr><th>Activity #</th><th>Activity</th><th>Session</th>"
                "<th>Availability</th></tr><tr><td>41207</td><td>Youth Swim</td><td>Winter</td>"
                "<td>Openings: 4</td></tr><tr><td>41208</td><td>Youth Swim</td><td>Winter</td>"
                "<td>Full - Waitlist Available</td></tr></table>")
    assert read(html) == [("41207", 4.0, "open"), ("41208", 0.0, "full")]


def test_a_card_titled_by_its_link_is_named_by_it() -> None:
    cards = "".join(f"<div class=ev><a href=#>Details</a><a href=/c/{i}>{name}</a>"
                    f"<p>Thu 6:00 pm</p><p>{seats}</p><a href=#>Book</a></div>"
                    for i, (name, seats) in enumerate([("Sunrise Spin", "2 spots left"),
                                                       ("Vinyasa Flow", "Class full")]))
    assert read(page(cards)) == [("sunrise-spin", 2.0, "open"), ("vinyasa-flow", 0.0, "full")]


def test_a_status_over_a_count_with_its_own_words_is_no_label_of_it() -> None:
    slots = "".join(f"<div class=slot><h4>{name}</h4><p>08:00 · 45 min</p><p>{status}</p>"
                    f"<p>{booked}</p></div>" for name, status, booked in [
                        ("Aqua Aerobics", "Fully booked", "25/25 booked"),
                        ("Boxfit", "3 spaces", "13/16 booked"),
                        ("Pilates", "Waiting list", "14/14 booked")])
    assert read(page(slots)) == [("aqua-aerobics", 0.0, "full"), ("boxfit", 3.0, "open"),
                                 ("pilates", 0.0, "waitlist")]


def test_a_short_line_ending_in_its_status_badge_states_it() -> None:
    tickets = "".join(f"<article><h3>{name}</h3><time>Sat 6 Feb</time> <span>£35</span> "
                      f"<span>{state}</span></article>" for name, state in [
                          ("Finding Your Voice", "Sold out"), ("Short Fiction", "4 tickets left"),
                          ("Poetry", "Sales ended")])
    assert read(page(f"<main><section>{tickets}</section></main>")) == [
        ("finding-your-voice", 0.0, "full"), ("short-fiction", 4.0, "open"),
        ("poetry", 0.0, "closed")]


def test_a_wait_list_label_over_its_own_count_stays_a_count() -> None:
    cards = "".join(f"<article class=card><h3>HIS-210-{s} <span>American West</span></h3>"
                    f"<dl><dt>Seats</dt><dd>{n} of 20 open</dd><dt>Wait list</dt>"
                    f"<dd>{w} waiting</dd></dl></article>"
                    for s, n, w in [("A", 3, 0), ("B", 0, 2)])
    assert read(page(cards)) == [("his-210-a", 3.0, "open"), ("his-210-b", 0.0, "full")]


def test_a_dialog_outside_the_main_content_is_content() -> None:
    # Self-service pages append a section's details dialog at the end of the body.
    html = page("<main><h1>Course Catalog</h1><p>BIOL-221</p></main>"
                "<div role=dialog><h2>BIOL-221-02: Anatomy</h2><dl><dt>Seats Available</dt>"
                "<dd>2 of 24 Total</dd></dl></div><footer>Call 555-0134 (2 lines)</footer>")
    assert read(html) == [("biol-221-02", 2.0, "open")]


def test_a_cards_own_header_is_no_page_chrome() -> None:
    cards = "".join(f"<div class=list><div class=card><header><h3>CRN {crn}</h3>"
                    f"<span>{state}</span></header><p>Seats: {n}</p></div></div>"
                    for crn, state, n in [(11408, "Open", 3), (11412, "Closed", 0)])
    assert read(page(f"<div id=app>{cards}</div>")) == [
        ("11408", 3.0, "open"), ("11412", 0.0, "closed")]


@pytest.mark.parametrize("ident", ["Item No. AB-12-X", "Aurix QXA-55A-B", "Article no. 55-KD-1"])
def test_a_products_dashed_model_code_makes_no_course_page(ident: str) -> None:
    html = page(f"<h1>Aurix TV</h1><div>{ident}</div><div class=price>$429.99</div>"
                "<p>Only 3 left at this store</p>", title="Aurix TV")
    assert extract(html, kind=Kind.AUTO).kind is Kind.PRICE


def test_a_labelled_course_code_makes_a_course_page() -> None:
    html = page("<main><h1>Pottery</h1>" + "".join(
        f"<div class=c><h3>Pottery</h3><p>Course code: NACL-P10{i}</p><p>{s}</p></div>"
        for i, s in [(1, "3 places left"), (2, "Fully booked")]) + "</main>")
    assert [(r.key, r.value) for r in extract(html, kind=Kind.AUTO).readings] == [
        ("nacl-p101", 3.0), ("nacl-p102", 0.0)]
