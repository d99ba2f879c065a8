"""Seat pages in the languages round 4 brought (Nordic, Czech/Slovak, Polish, Turkish,
Korean, Chinese), and the general causes they showed: each test is one rule, written
here in two or more systems' shapes (not copies of corpus pages)."""

from __future__ import annotations

import pytest

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract
from tui_tracker.extractors.seats.model import slug


def read(html: str) -> list[tuple[str, float | None, str | None]]:
    return [(r.key, r.value, r.status) for r in extract(html, kind=Kind.SEATS).readings]


def labels(html: str) -> list[str]:
    return [r.label for r in extract(html, kind=Kind.SEATS).readings]


def page(body: str) -> str:
    return f"<html><head><title>Rozvrh</title></head><body><main>{body}</main></body></html>"


def two_row_table(groups: list[tuple[str, list[str]]], *rows: list[str]) -> str:
    """A header whose seat group ("Kapacita") spans sub-headers (Max. / Obsaz. / Volno)."""
    top = "".join(f'<th colspan="{len(subs)}">{g}</th>' if subs else f'<th rowspan="2">{g}</th>'
                  for g, subs in groups)
    sub = "".join(f"<th>{s}</th>" for _g, subs in groups for s in subs)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{top}</tr><tr>{sub}</tr></thead><tbody>{body}</tbody></table>"


@pytest.mark.parametrize(("groups", "rows", "expected"), [
    # Czech: the group "Kapacita" over Max. / Obsaz. / Volno; a cancelled action left out
    ([("Akce", []), ("Místnost", []), ("Kapacita", ["Max.", "Obsaz.", "Volno"])],
     [["77101", "UP-105", "40", "38", "2"], ["77102", "UU-303", "24", "24", "0"],
      ["77103", "UL-409", "akce zrušena", "", ""]],
     [("77101", 2.0, "open"), ("77102", 0.0, "full")]),
    # Turkish: "Kontenjan" over Toplam / Kayıtlı / Boş, a Durum column
    ([("Şube", []), ("Kontenjan", ["Toplam", "Kayıtlı", "Boş"]), ("Durum", [])],
     [["1", "50", "50", "0", "Kontenjan dolu"], ["2", "50", "41", "9", "Kayıt açık"]],
     [("1", 0.0, "full"), ("2", 9.0, "open")]),
    # Swedish: "Platser" over Antal / Lediga
    ([("Grupp", []), ("Platser", ["Antal platser", "Lediga platser"])],
     [["G1", "30", "4"], ["G2", "30", "0"]],
     [("g1", 4.0, "open"), ("g2", 0.0, "full")]),
])
def test_a_seat_group_header_lets_its_sub_headers_say_which_figure(groups, rows,
                                                                   expected) -> None:
    html = page("<h1>KIV/PT 2026/27</h1>" + two_row_table(groups, *rows))
    got = read(html)
    assert [(k.split("-")[-1], v, s) for k, v, s in got] == expected, got


@pytest.mark.parametrize(("lines", "expected"), [
    # Norwegian and Finnish label–value lines
    (["Gruppe A1 — Ledige plasser: 4 av 35", "Gruppe A2 — Fullt"],
     [("gruppe-a1", 4.0, "open"), ("gruppe-a2", 0.0, "full")]),
    (["Ryhmä H01: vapaita paikkoja 3", "Ryhmä H02: Ryhmä on täynnä"],
     [("h01", 3.0, "open"), ("h02", 0.0, "full")]),
    # Czech and Polish
    (["Skupina 01: Přihlášeno 16 / kapacita 16", "Skupina 02: Přihlášeno 13 / kapacita 16"],
     [("skupina-01", 0.0, "full"), ("skupina-02", 3.0, "open")]),
])
def test_label_value_lines_in_other_languages(lines: list[str], expected) -> None:
    html = page("<h1>Zápis</h1>" + "".join(f"<p>{line}</p>" for line in lines))
    got = read(html)
    assert [v for _k, v, _s in got] == [v for _k, v, _s in expected], got
    assert [s for _k, _v, s in got] == [s for _k, _v, s in expected], got
    assert all(want in key for (key, _v, _s), (want, _v2, _s2) in zip(got, expected,
                                                                       strict=True)), got


def test_a_line_whose_only_seat_word_is_new_is_still_read() -> None:
    # HISinOne-style label/answer lines: "Zugelassen" (admitted) must reach the reader
    box = ("<fieldset><legend>Gruppe {g}</legend><div><label>Max. Teilnehmende</label>"
           "<span>{cap}</span></div><div><label>Zugelassen</label><span>{n}</span></div>"
           "</fieldset>")
    html = page(box.format(g="A", cap=30, n=27) + box.format(g="B", cap=30, n=30))
    assert read(html) == [("gruppe-a", 3.0, "open"), ("gruppe-b", 0.0, "full")]


def test_a_full_status_with_a_taken_count_reads_zero() -> None:
    html = page("<table><tr><th>Group</th><th>When</th><th>Places</th></tr>"
                "<tr><td>ISL-G1</td><td>Mon</td><td>Booked out (20/20)</td></tr>"
                "<tr><td>ISL-G2</td><td>Wed</td><td>Full (25/25)</td></tr>"
                "<tr><td>ISL-G3</td><td>Sat</td><td>4 places left</td></tr></table>")
    assert read(html) == [("isl-g1", 0.0, "full"), ("isl-g2", 0.0, "full"),
                          ("isl-g3", 4.0, "open")]


def test_a_rooms_code_is_not_the_sections_key() -> None:
    html = page("<ul><li>Gruppe ECO1001-1, mandag, rom A-214 — Ledige plasser: 4 av 35</li>"
                "<li>Gruppe ECO1001-2, tirsdag, Room B-101 — Ledige plasser: 0 av 35</li></ul>")
    assert [k for k, _v, _s in read(html)] == ["eco1001-1", "eco1001-2"]


def test_a_named_section_column_beats_a_row_counter() -> None:
    html = page("<table><tr><th>No</th><th>과목번호</th><th>분반</th><th>제한<br>인원</th>"
                "<th>수강<br>인원</th></tr>"
                "<tr><td>1</td><td>ECO2201</td><td>001</td><td>80</td><td>74</td></tr>"
                "<tr><td>2</td><td>ECO2201</td><td>002</td><td>80</td><td>80</td></tr></table>")
    assert read(html) == [("eco2201-001", 6.0, "open"), ("eco2201-002", 0.0, "full")]


def test_a_cjk_pre_schedule_is_cut_at_display_columns() -> None:
    # The header's CJK words take two columns each, as the schedule was aligned.
    pre = ("课程号    课序号  课程名      课容量  已选人数  课余量  备注\n"
           "PHY1101   01      大学物理    120     120       0\n"
           "PHY1101   02      大学物理    120     101       19\n"
           "PHY1101   03      大学物理    80      0         0       停开\n")
    assert read(page(f"<pre>{pre}</pre>")) == [("phy1101-01", 0.0, "full"),
                                                ("phy1101-02", 19.0, "open")]


def test_a_component_tells_apart_groups_numbered_within_it() -> None:
    html = page("<table><tr><th>Zajęcia</th><th>Nr grupy</th><th>Liczba osób w grupie</th>"
                "<th>Limit miejsc</th></tr>"
                "<tr><td>Wykład</td><td>grupa nr 1</td><td>150</td><td>160</td></tr>"
                "<tr><td>Ćwiczenia</td><td>grupa nr 1</td><td>24</td><td>24</td></tr>"
                "<tr><td>Ćwiczenia</td><td>grupa nr 2</td><td>20</td><td>24</td></tr></table>")
    assert read(html) == [("wykład-grupa-nr-1", 10.0, "open"),
                          ("cwiczenia-grupa-nr-1", 0.0, "full"),
                          ("cwiczenia-grupa-nr-2", 4.0, "open")]
    assert "Ćwiczenia grupa nr 1" in labels(html)[1]


def test_one_registration_group_over_its_lecture_and_lab_rows_is_one_section() -> None:
    html = page("<table><tr><th>Reg Group</th><th>Activity</th><th>Seats (Open / Total)</th></tr>"
                "<tr><td rowspan='2'>0101</td><td>Lecture A</td><td rowspan='2'>3 / 20</td></tr>"
                "<tr><td>Lab B</td></tr>"
                "<tr><td rowspan='2'>0102</td><td>Lecture A</td><td rowspan='2'>0 / 20</td></tr>"
                "<tr><td>Lab C</td></tr></table>")
    assert [(k, v) for k, v, _s in read(html)] == [("0101", 3.0), ("0102", 0.0)]


@pytest.mark.parametrize(("printed", "key"), [
    ("Ćwiczenia 2", "cwiczenia-2"), ("Übung A", "ubung-a"), ("분반 01", "분반-01"),
    ("CS 101-001", "cs-101-001"),
])
def test_keys_keep_letters_of_any_script(printed: str, key: str) -> None:
    assert slug(printed) == key


@pytest.mark.parametrize(("text", "status"), [
    ("마감", "closed"), ("만석", "full"), ("Kontenjan dolu", "full"), ("Kayıt açık", "open"),
    ("plně obsazena", "full"), ("akce zrušena", "cancelled"), ("Inställd", "cancelled"),
    ("brak miejsc", "full"), ("Täynnä", "full"), ("Stängd", "closed"), ("停开", "cancelled"),
    ("Ders açılmadı", "cancelled"), ("venteliste", "waitlist"),
])
def test_status_words_of_more_languages(text: str, status: str) -> None:
    from tui_tracker.extractors.seats.vocab import status_of

    assert status_of(text) == status


def test_a_label_says_the_course_and_section_together_as_the_key_does() -> None:
    html = page("<table><tr><th>Course No.</th><th>Sec</th><th>Cap</th><th>Enrolled</th></tr>"
                "<tr><td>MAT1002</td><td>01</td><td>150</td><td>150</td></tr>"
                "<tr><td>MAT1002</td><td>02</td><td>150</td><td>138</td></tr></table>")
    assert [r.key for r in extract(html, kind=Kind.SEATS).readings] == ["mat1002-01",
                                                                          "mat1002-02"]
    assert all(f"MAT1002 0{i}" in label for i, label in enumerate(labels(html), start=1))


def test_auto_reads_a_timetable_of_classes_named_by_their_titles() -> None:
    # A studio's day and a college's short courses print no codes: the class names are
    # the identities, and "spots left" / "places" say these are seats, not stock.
    card = "<div class=c><h3>{}</h3><p>{} · Studio 2</p><p>{}</p></div>"
    studio = page("<h1>Tuesday</h1>" + card.format("Sunrise Spin", "6:30 AM", "2 spots left")
                  + card.format("HIIT Express", "7:30 AM", "Class full")
                  + card.format("Vinyasa Flow", "9:00 AM", "11 spots left"))
    result = extract(studio, kind=Kind.AUTO)
    assert result.kind is Kind.SEATS
    assert [(r.value, r.status) for r in result.readings] == [(2.0, "open"), (0.0, "full"),
                                                              (11.0, "open")]


def test_auto_does_not_read_a_shops_stock_counts_as_seats() -> None:
    grid = page("<h1>Kettles</h1>"
                "<div class=p><h3>Steel Kettle</h3><p>$39.99</p><p>Only 2 left in stock</p></div>"
                "<div class=p><h3>Glass Kettle</h3><p>$49.99</p><p>Sold out</p></div>"
                "<div class=p><h3>Travel Kettle</h3><p>$19.99</p><p>Only 5 left</p></div>")
    try:
        kind = extract(grid, kind=Kind.AUTO).kind
    except ExtractionError:  # a listing page may well read as nothing
        kind = None
    assert kind is not Kind.SEATS


def test_auto_reads_a_product_code_as_a_shops_not_a_sections() -> None:
    html = page("<h1>Neo QLED 55in TV</h1><div>Product code: 498765</div>"
                "<div class=price-now>£1,099</div><div>Was £1,299 · Save £200</div>"
                "<ul><li>Delivery – Available</li><li>Collect – In stock at Leeds</li></ul>")
    result = extract(html, kind=Kind.AUTO)
    assert result.kind is Kind.PRICE and result.readings[0].value == 1099.0


@pytest.mark.parametrize(("header", "rows", "expected"), [
    # Vietnamese (diacritics folded, đ too) with a status column
    (["Mã lớp HP", "Sĩ số tối đa", "Đã đăng ký", "Còn trống", "Trạng thái"],
     [["MA1101.P21", "60", "60", "0", "Đã đầy"], ["MA1101.P22", "60", "52", "8", "Đang mở"]],
     [(0.0, "full"), (8.0, "open")]),
    # Indonesian: Kuota / Terisi / Sisa
    (["Kelas", "Kuota", "Terisi", "Sisa", "Aksi"],
     [["TI2201-A", "40", "40", "0", "Penuh"], ["TI2201-B", "40", "31", "9", "Ambil"]],
     [(0.0, "full"), (9.0, "open")]),
    # Hebrew, right to left: group, places, registered, free
    (["קבוצה", "מקומות", "רשומים", "פנויים"],
     [["01", "120", "118", "2"], ["02", "40", "40", "0"]],
     [(2.0, "open"), (0.0, "full")]),
    # Thai: the marks stay part of the word (จำนวนรับ / ลงทะเบียน / ที่ว่าง)
    (["ตอนเรียน", "จำนวนรับ", "ลงทะเบียน", "ที่ว่าง", "หมายเหตุ"],
     [["1", "80", "80", "0", "เต็ม"], ["2", "80", "66", "14", ""]],
     [(0.0, "full"), (14.0, "open")]),
    # Ukrainian and Hungarian compound "Fő/Várólista/Limit"
    (["Шифр", "Ліміт", "Записано", "Вільних місць", "Статус"],
     [["ВБ3.01", "60", "60", "0", "Заповнено"], ["ВБ3.02", "45", "38", "7", "Відкрито"]],
     [(0.0, "full"), (7.0, "open")]),
    (["Kurzus kód", "Fő/Várólista/Limit"], [["GY01", "30/4/30"], ["GY02", "18/0/30"]],
     [(0.0, "full"), (12.0, "open")]),
    # Mexican abbreviations that are seat figures only as headers
    (["NRC", "Materia", "Sec", "CUP", "DIS"], [["61219", "ALGEBRA", "D01", "45", "3"]],
     [(3.0, "open")]),
])
def test_tables_in_round_five_languages(header: list[str], rows: list[list[str]],
                                        expected: list[tuple[float, str]]) -> None:
    body = ("<table><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
            + "</table>")
    assert [(v, s) for _k, v, s in read(page(body))] == expected


def test_a_discussion_section_in_a_line_is_not_a_seat_figure() -> None:
    # "Dis 1A" names a discussion section; only a column header "DIS" counts seats.
    html = page("<div><p>Lec 1 · Class No. 263060200</p><p>Open 17 of 210 Left</p></div>"
                "<div><p>Dis 1A · Class No. 263060201</p><p>Open 4 of 30 Left</p></div>")
    assert [(k, v) for k, v, _s in read(html)] == [("263060200", 17.0), ("263060201", 4.0)]


def test_days_left_to_register_are_not_seats() -> None:
    html = page("<p>Registration closes soon. Còn lại 3 ngày. 5 days left to enrol.</p>"
                "<table><tr><th>Section</th><th>Seats Available</th></tr>"
                "<tr><td>A1</td><td>12</td></tr><tr><td>A2</td><td>0</td></tr></table>")
    assert [(k[-2:], v) for k, v, _s in read(html)] == [("a1", 12.0), ("a2", 0.0)]
    shell = page("<h1>Danh sách lớp mở</h1><p>Còn lại 3 ngày.</p><div id=app>Đang tải...</div>")
    with pytest.raises(ExtractionError):
        extract(shell, kind=Kind.SEATS)


def test_a_group_word_at_the_end_of_a_compound_is_read() -> None:
    # Finnish and German compounds end in the group word: "Luentoryhmä", "Übungsgruppe"
    card = "<div class=g><b>{}</b><div>{} vapaita paikkoja</div></div>"
    html = page("<h2>Luennot</h2>" + card.format("Luentoryhmä L1", 19)
                + "<h2>Harjoitukset</h2>" + card.format("Harjoitusryhmä H01", 0)
                + card.format("Harjoitusryhmä H02", 5))
    assert [(k, v) for k, v, _s in read(html)] == [
        ("luentoryhma-l1", 19.0), ("harjoitusryhma-h01", 0.0), ("harjoitusryhma-h02", 5.0)]


@pytest.mark.parametrize(("header", "rows", "expected"), [
    # Romanian
    (["Grupa", "Locuri", "Ocupate", "Locuri libere", "Stare"],
     [["G1", "30", "30", "0", "Închis"], ["G2", "30", "21", "9", "Deschis"]],
     [(0.0, "closed"), (9.0, "open")]),
    # Croatian / Serbian (Latin)
    (["Grupa", "Kapacitet", "Upisano", "Slobodna mjesta"],
     [["P1", "40", "40", "0"], ["P2", "40", "33", "7"]],
     [(0.0, "full"), (7.0, "open")]),
    # Bulgarian
    (["Група", "Капацитет", "Записани", "Свободни места"],
     [["1", "25", "25", "0"], ["2", "25", "19", "6"]],
     [(0.0, "full"), (6.0, "open")]),
    # Arabic, right to left
    (["الشعبة", "السعة", "المسجلين", "المقاعد المتاحة", "الحالة"],
     [["101", "40", "40", "0", "مغلقة"], ["102", "40", "35", "5", "مفتوحة"]],
     [(0.0, "closed"), (5.0, "open")]),
    # Persian
    (["گروه", "ظرفیت", "ثبت نام شده", "باقیمانده"],
     [["01", "60", "60", "0"], ["02", "60", "48", "12"]],
     [(0.0, "full"), (12.0, "open")]),
    # Hindi
    (["अनुभाग", "क्षमता", "नामांकित", "उपलब्ध सीटें"],
     [["A", "60", "60", "0"], ["B", "60", "52", "8"]],
     [(0.0, "full"), (8.0, "open")]),
    # Lithuanian and Estonian
    (["Grupė", "Vietos", "Laisvos vietos"], [["1", "30", "0"], ["2", "30", "4"]],
     [(0.0, "full"), (4.0, "open")]),
    (["Rühm", "Kohad", "Vabu kohti"], [["R1", "24", "0"], ["R2", "24", "3"]],
     [(0.0, "full"), (3.0, "open")]),
])
def test_tables_in_more_languages(header: list[str], rows: list[list[str]],
                                  expected: list[tuple[float, str]]) -> None:
    body = ("<table><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
            + "</table>")
    assert [(v, s) for _k, v, s in read(page(body))] == expected


def test_a_voucher_code_is_a_shops_not_a_sections() -> None:
    html = page("<h1>Ultraboost Light</h1><div class=price>S$ 181.30</div>"
                "<p>Extra 15% off with code ZALORA15</p><p>Only 2 left!</p>")
    assert extract(html, kind=Kind.AUTO).kind is Kind.PRICE
