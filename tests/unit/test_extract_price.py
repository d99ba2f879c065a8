"""Price extraction from fixture pages modelled on real shop markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


# file, price, currency, source, title, in_stock
CASES = [
    ("shop_shopify_jsonld.html", 49.99, "USD", "json-ld", "Acme Kettle", True),
    ("shop_jsonld_graph.html", 1299.0, "EUR", "json-ld", "Espressomühle Brera", True),
    ("shop_jsonld_aggregate.html", 89.95, "GBP", "json-ld", "Trail Runner 4", True),
    ("shop_jsonld_offer_ref.html", 34.5, "CAD", "json-ld", "Desk Lamp L2", False),  # PreOrder
    ("shop_jsonld_pricespec_strikethrough.html", 99.99, "USD", "json-ld",
     "Noise-cancelling Headphones NC700", True),
    ("shop_jsonld_broken_microdata.html", 39.0, "GBP", "microdata", "Cast Iron Pan 28cm", True),
    ("shop_microdata.html", 1299.99, "USD", "microdata", "UltraBook 14", True),
    ("shop_opengraph.html", 24.5, "EUR", "opengraph", "Handmade Mug", True),
    ("shop_sale_text.html", 79.99, "USD", "text-pattern", "Cordless Drill CD-18", True),
    ("shop_euro_text.html", 1299.0, "EUR", "text-pattern", "Rennrad Aero 3", None),
    ("shop_yen_text.html", 1980.0, "JPY", "text-pattern", "抹茶セット", None),
    ("shop_chf_text.html", 149.0, "CHF", "text-pattern", "Taschenmesser Ranger 55", None),
    ("shop_out_of_stock.html", 149.0, "USD", "json-ld", "Limited Vinyl Box Set", False),
    ("shop_text_out_of_stock.html", 24.99, "GBP", "text-pattern", "Garden Hose 30 m", False),
]


@pytest.mark.parametrize(("name", "price", "currency", "source", "title", "in_stock"), CASES)
@pytest.mark.parametrize("kind", [Kind.PRICE, Kind.AUTO])
def test_price_pages(kind: Kind, name: str, price: float, currency: str, source: str,
                     title: str, in_stock: bool | None) -> None:
    result = extract(page(name), url=f"http://127.0.0.1/{name}", kind=kind)
    assert result.kind is Kind.PRICE
    assert len(result.readings) == 1
    reading = result.readings[0]
    assert (reading.key, reading.value, reading.unit) == ("price", price, currency)
    assert isinstance(reading.value, float)
    assert reading.label == title
    assert result.title == title
    assert result.source == source
    assert result.in_stock is in_stock


def test_traps_near_the_price_are_not_taken() -> None:
    # The sale page has $0.00 (cart), $35 (shipping), $99.99 struck, Save $20, 4.5 stars.
    result = extract(page("shop_sale_text.html"), kind=Kind.PRICE)
    assert result.readings[0].value == 79.99


def test_selector_beats_structured_data() -> None:
    # The user points at the struck regular price on purpose; that is what they get.
    result = extract(page("shop_shopify_jsonld.html"), kind=Kind.PRICE,
                     selector="s.price-item--regular")
    assert (result.readings[0].value, result.readings[0].unit) == (59.99, "USD")
    assert result.source == "selector"
    assert result.title == "Acme Kettle"


def test_xpath_selector_and_regex() -> None:
    result = extract(page("shop_chf_text.html"), kind=Kind.PRICE,
                     selector="//span[@class='current-price']", regex=r"CHF\s*([\d.]+)")
    # The page is de-CH: a bare number reads as francs.
    assert (result.readings[0].value, result.readings[0].unit) == (149.0, "CHF")


def test_selector_matching_nothing_is_an_error_not_a_fallback() -> None:
    with pytest.raises(ExtractionError, match=r"selector '\.nope' matched nothing"):
        extract(page("shop_shopify_jsonld.html"), kind=Kind.PRICE, selector=".nope")


def test_selector_on_non_price_text_is_an_error() -> None:
    with pytest.raises(ExtractionError, match="which is not a price"):
        extract(page("shop_shopify_jsonld.html"), kind=Kind.PRICE, selector="h1")


def test_call_for_price_names_what_the_page_shows() -> None:
    with pytest.raises(ExtractionError, match=r"shows no price \('Call for price'\)") as info:
        extract(page("shop_call_for_price.html"), kind=Kind.PRICE)
    assert info.value.looks_script_rendered is False


def test_free_only_when_the_price_element_says_free() -> None:
    html = "<html><body><h1>E-book</h1><span class='price'>Free</span></body></html>"
    assert extract(html, kind=Kind.PRICE).readings[0].value == 0.0
    trap = "<html><body><h1>Mug</h1><p class='note'>Free shipping over $35</p></body></html>"
    with pytest.raises(ExtractionError):
        extract(trap, kind=Kind.PRICE)


def test_range_with_nothing_picked_is_ambiguous() -> None:
    # Which end a buyer pays depends on a variant the page has not picked: say so.
    html = "<html><body><h1>Tee</h1><div class='price'>$12.50 – $15.00</div></body></html>"
    with pytest.raises(ExtractionError, match=r"12\.5 USD .* and 15 USD") as info:
        extract(html, kind=Kind.PRICE)
    assert [c.value for c in info.value.candidates] == [12.5, 15.0]
    assert all(c.selector == "div.price" for c in info.value.candidates)


def test_broken_json_ld_alone_falls_to_text() -> None:
    html = ('<html><head><script type="application/ld+json">{"@type": "Product", "offers": '
            '{"price": NaN</script></head><body><h1>Lamp</h1>'
            '<span class="price">£20.00</span></body></html>')
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.source) == (20.0, "text-pattern")


@pytest.mark.parametrize("raw", ['"NaN"', '"Infinity"', '"1e999"', "1e999", '"-5"', "0"])
def test_non_finite_structured_prices_are_skipped(raw: str) -> None:
    html = ('<html><head><script type="application/ld+json">{"@type": "Product", "name": "X", '
            f'"offers": {{"@type": "Offer", "price": {raw}, "priceCurrency": "USD"}}}}'
            "</script></head><body><h1>X</h1></body></html>")
    with pytest.raises(ExtractionError, match="no price found"):
        extract(html, kind=Kind.PRICE)


def test_no_price_at_all() -> None:
    with pytest.raises(ExtractionError, match="no price found on the page"):
        extract("<html><body><h1>About us</h1><p>We are 12 people.</p></body></html>",
                kind=Kind.PRICE)


def test_money_in_a_sentence_is_not_a_price() -> None:
    html = ("<html><body><h1>City news</h1><p>The council approved a $5 million budget "
            "for roads on Tuesday.</p><p>Tickets cost $12 for adults and less for kids "
            "under twelve years.</p></body></html>")
    with pytest.raises(ExtractionError):
        extract(html, kind=Kind.PRICE)


def test_short_price_line_without_price_class() -> None:
    html = "<html><body><h1>Widget</h1><p>Our price: $19.99</p><p>Was $25</p></body></html>"
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.source) == (19.99, "text-pattern")


def _shop(buy_box: str, lang: str = "en") -> str:
    return (f"<html lang={lang}><head><title>Rowen X12 vacuum</title></head><body>"
            "<h1>Rowen X12 cordless vacuum</h1>" + buy_box + "</body></html>")


@pytest.mark.parametrize(("box", "lang"), [
    ('<p class="price">199<sup>€99</sup></p><div class="fees">(frais 0€99)</div>'
     '<div class="mp"><a href="#mp">5 offres neuves à partir de 194€90</a></div>', "fr"),
    ('<p class="price">€199.99</p>'
     '<div class="mp"><a href="#mp">New &amp; Used (12) from €194.90</a></div>', "en"),
    ('<p class="price">199,99 €</p>'
     '<div class="mp"><a href="#mp">andere Verkäufer ab 194,90 €</a></div>', "de"),
    ('<p class="price">€199.99</p><p>Handling fee €0.99</p>', "en"),
])
def test_other_sellers_offers_and_fees_are_not_the_price(box: str, lang: str) -> None:
    # Marketplace "from" offers and fees sit beside the price in the buy box.
    result = extract(_shop(box, lang), kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (199.99, "EUR")


def test_a_price_list_container_is_not_a_list_price() -> None:
    # `<ul class="PriceList">` holds the prices; it does not mark them as former prices.
    box = ('<ul class="Pricestyles__PriceList"><li class="primary"><h2>£29.99</h2></li>'
           '<li class="was">Was £39.99</li><li>Save £10.00</li></ul>')
    assert extract(_shop(box, "en-GB"), kind=Kind.PRICE).readings[0].value == 29.99
