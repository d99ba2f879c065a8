"""The text kind, selector/regex validation, app-shell detection and hostile pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_tracker.core.errors import ExtractionError, InputError
from tui_tracker.core.model import Kind
from tui_tracker.extractors import (
    extract,
    looks_script_rendered,
    validate_regex,
    validate_selector,
)

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


# ---------------------------------------------------------------- text kind

def test_text_by_selector() -> None:
    result = extract(page("shop_microdata.html"), kind=Kind.TEXT, selector=".breadcrumbs")
    assert [(r.key, r.value, r.unit) for r in result.readings] == [
        ("text", "Home › Laptops", None)]
    assert result.source == "selector"


def test_text_by_regex_over_page() -> None:
    result = extract(page("shop_sale_text.html"), kind=Kind.TEXT, regex=r"\((\d[\d,]*) reviews")
    assert result.readings[0].value == "1,204"
    assert result.source == "regex"


def test_text_without_selector_is_the_main_content_not_the_title() -> None:
    result = extract(page("shop_chf_text.html"), kind=Kind.TEXT)
    assert result.readings[0].value == "Taschenmesser Ranger 55\nCHF 149.00"
    assert result.source == "main-content"


MAIN_PAGE = """<html><head><title>Acme status</title></head><body>
<nav>Home | Pricing | Log in</nav><header><p>Acme Cloud — status</p></header>
<div id="content"><h2>Incidents</h2>
<p>All systems are operating normally since the maintenance on Tuesday night.</p>
<p>Next maintenance window: 3 December, 02:00 UTC.</p></div>
<aside>Related posts: scaling our queues</aside><footer>© 2026 Acme · 4 people viewing</footer>
</body></html>"""


@pytest.mark.parametrize("html", [
    MAIN_PAGE,
    MAIN_PAGE.replace('<div id="content">', "<main>").replace("</div>", "</main>"),
    MAIN_PAGE.replace('<div id="content">', '<div role="main">'),
])
def test_main_content_leaves_out_navigation_header_footer_and_sidebars(html: str) -> None:
    value = extract(html, kind=Kind.TEXT).readings[0].value
    assert value.splitlines() == [
        "Incidents",
        "All systems are operating normally since the maintenance on Tuesday night.",
        "Next maintenance window: 3 December, 02:00 UTC.",
    ]


def test_main_content_is_capped() -> None:
    html = "<html><body><main>" + "<p>line of news text</p>" * 5000 + "</main></body></html>"
    value = extract(html, kind=Kind.TEXT).readings[0].value
    assert 15_000 <= len(value) <= 20_000


def test_a_page_with_no_text_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="no text"):
        extract("<html><body><nav>Home</nav></body></html>", kind=Kind.TEXT)


def test_text_regex_without_match() -> None:
    with pytest.raises(ExtractionError, match="did not match"):
        extract(page("shop_chf_text.html"), kind=Kind.TEXT, selector="h1", regex=r"\d{9}")


def test_auto_with_selector_on_plain_text_reads_text() -> None:
    result = extract(page("shop_microdata.html"), selector=".breadcrumbs")
    assert result.kind is Kind.TEXT


def test_auto_with_selector_on_seats_is_not_a_price() -> None:
    result = extract(page("seats_schedule_builder_rendered.html"), selector=".section-card")
    assert result.kind is Kind.SEATS
    assert result.readings[0].value == 3.0


# ---------------------------------------------------------------- validation

@pytest.mark.parametrize("bad", ["p[", "p::text(", "//p[", "(//p", "xpath://p[",
                                 "a:nth-child(x)", "", "   "])
def test_invalid_selectors(bad: str) -> None:
    with pytest.raises(InputError):
        validate_selector(bad)
    if bad.strip():
        with pytest.raises(InputError, match=r"is not a valid (CSS|XPath) selector"):
            extract("<html><body><p>1</p></body></html>", kind=Kind.TEXT, selector=bad)


@pytest.mark.parametrize("good", ["p", "div.price > span", "p::text", "a::attr(href)",
                                  "//p", "(//p)[1]", "xpath://p/text()",
                                  "xpath:string(//p)"])
def test_valid_selectors(good: str) -> None:
    validate_selector(good)


def test_xpath_prefix_and_attribute_results_are_read() -> None:
    html = "<html><body><a href='/deal'>x</a><p>  hello   world </p></body></html>"
    assert extract(html, kind=Kind.TEXT, selector="xpath://p").readings[0].value == \
        "hello world"
    assert extract(html, kind=Kind.TEXT, selector="a::attr(href)").readings[0].value == "/deal"


@pytest.mark.parametrize("bad", ["(", "[a-", "*x", "(?P<n>a)(?P<n>b)"])
def test_invalid_regex(bad: str) -> None:
    with pytest.raises(InputError, match="is not a valid regex"):
        validate_regex(bad)
    with pytest.raises(InputError):
        extract("<html><body><p>1</p></body></html>", kind=Kind.TEXT, regex=bad)


# ---------------------------------------------------------------- app shells

@pytest.mark.parametrize(("name", "expected"), [
    ("app_shell.html", True),
    ("seats_schedule_builder_shell.html", True),
    ("seats_schedule_builder_rendered.html", False),
    ("shop_sale_text.html", False),
    ("seats_banner.html", False),
])
def test_looks_script_rendered(name: str, expected: bool) -> None:
    assert looks_script_rendered(page(name)) is expected


def test_empty_and_junk_input_do_not_crash() -> None:
    for html in ["", "   ", "\x00\x00", "<?xml version='1.0' encoding='utf-8'?><html/>",
                 "\ud800 broken surrogate"]:
        with pytest.raises(ExtractionError):
            extract(html)
    assert looks_script_rendered("") is False


# ---------------------------------------------------------------- hostile pages

def test_markup_and_escapes_in_product_name() -> None:
    result = extract(page("hostile_markup_name.html"), kind=Kind.PRICE)
    label = result.readings[0].label
    assert label.startswith("[bold red]X[/] Gadget")  # literal brackets kept
    assert "[@click=app.quit]q[/]" in label
    for text in (label, result.title or ""):
        assert "\x1b" not in text and "\x07" not in text and "52;c;" not in text
    assert result.readings[0].value == 19.99


def test_escapes_in_h1_title_are_stripped() -> None:
    result = extract(page("hostile_markup_name.html"), kind=Kind.TEXT, selector="h1")
    assert result.readings[0].value == "[bold red]X[/] Gadget"


def _deep(levels: int, inner: str) -> str:
    return "<html><body>" + "<div>" * levels + inner + "</div>" * levels + "</body></html>"


def test_3000_deep_nesting_is_reported_not_crashed() -> None:
    html = _deep(3000, "<span class='price'>$5.00</span>")
    with pytest.raises(ExtractionError, match=r"matched nothing.*too complex"):
        extract(html, kind=Kind.PRICE, selector=".price")
    with pytest.raises(ExtractionError, match="too complex"):
        extract(html, kind=Kind.PRICE)
    with pytest.raises(ExtractionError):
        extract(html)  # auto: no crash either
    assert looks_script_rendered(html) in (True, False)


def test_deep_but_parseable_nesting_still_works() -> None:
    html = _deep(1500, "<span class='price'>$5.00</span>")
    assert extract(html, kind=Kind.PRICE).readings[0].value == 5.0


def test_megabyte_of_text_in_selected_node_is_capped() -> None:
    html = "<html><body><p id='big'>" + "A" * 1_000_000 + "</p></body></html>"
    result = extract(html, kind=Kind.TEXT, selector="#big")
    assert len(result.readings[0].value) <= 500
    assert len(result.readings[0].label) <= 200


def test_huge_product_name_is_capped() -> None:
    name = "Kettle " * 5000
    html = ('<html><head><script type="application/ld+json">{"@type": "Product", "name": "'
            + name + '", "offers": {"price": "9.99", "priceCurrency": "EUR"}}</script>'
            "</head><body></body></html>")
    result = extract(html, kind=Kind.PRICE)
    assert len(result.readings[0].label) <= 200
    assert result.readings[0].value == 9.99


def test_big_page_with_many_rows() -> None:
    rows = "".join(f"<tr><td>{40000 + i}</td><td>30</td><td>{i % 31}</td></tr>"
                   for i in range(20_000))
    html = ("<html><body><table><tr><th>CRN</th><th>Cap</th><th>Act</th></tr>" + rows
            + "</table>" + "<p>filler text</p>" * 80_000 + "</body></html>")
    assert len(html) > 2_000_000
    result = extract(html, kind=Kind.SEATS)
    assert len(result.readings) == 500  # bounded
    assert result.readings[1].key == "40001" and result.readings[1].value == 29.0


def test_deeply_nested_json_ld_is_skipped() -> None:
    blob = "[" * 100_000 + "]" * 100_000
    html = ('<html><head><script type="application/ld+json">' + blob + "</script></head>"
            "<body><h1>T</h1><span class='price'>€3,00</span></body></html>")
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (3.0, "EUR")


def test_xpath_string_result() -> None:
    html = "<html><body><p>a <b>b</b></p></body></html>"
    result = extract(html, kind=Kind.TEXT, selector="xpath:string(//p)")
    assert result.readings[0].value == "a b"


def test_runaway_user_regex_is_stopped_with_a_clear_error() -> None:
    # `(a|aa)+$` backtracks exponentially on a long run of a's that does not end the text;
    # with the stdlib `re` this search would run for minutes.
    html = "<html><body><p id='x'>" + "a" * 60 + "!</p></body></html>"
    with pytest.raises(ExtractionError, match="took longer"):
        extract(html, kind=Kind.TEXT, selector="#x", regex=r"(a|aa)+$")


def test_clean_text_matches_the_per_character_definition() -> None:
    """`clean_text` skips its per-character pass for printable text; what it returns is
    still: escapes removed, every non-printable character a space, spaces collapsed."""
    import re as stdlib_re

    from tui_tracker.core import text as text_mod

    def reference(value: str, max_len: int = 200) -> str:
        s = text_mod._ANSI.sub("", value[: max_len * 50])
        s = "".join(ch if ch.isprintable() else " " for ch in s)
        s = stdlib_re.sub(r"\s+", " ", s).strip()
        return s[: max_len - 1].rstrip() + "…" if len(s) > max_len else s

    samples = [chr(i) for i in range(0, 0x3100)] + [chr(i) for i in (
        0xfeff, 0xd800, 0xe000, 0xfff9, 0x1d173, 0xe0001, 0x10ffff, 0x1f600)]
    for c in samples:
        for value in (c, f"a{c}b", f" {c}{c} x\n", f"{c}\x1b[31m{c}y"):
            assert text_mod.clean_text(value) == reference(value), repr(value)
    long = "Kettle\u202e 10$ \x1b]52;c;aGk=\x07" * 40
    assert text_mod.clean_text(long, 30) == reference(long, 30)
