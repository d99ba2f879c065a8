"""Currency from the page's locale, and stock from visible text when no data says."""

from __future__ import annotations

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def page(lang: str, price: str, extra: str = "", head: str = "") -> str:
    return (f'<html lang="{lang}"><head>{head}</head><body><h1>Field Lamp</h1>'
            f'<div class="product-price"><span class="price">{price}</span></div>{extra}'
            "</body></html>")


@pytest.mark.parametrize(("lang", "price", "url", "amount", "code"), [
    ("zh-CN", "￥128.00", "", 128.0, "CNY"),
    ("zh", "¥128", "", 128.0, "CNY"),
    ("ja", "￥1,280", "", 1280.0, "JPY"),
    ("ja-JP", "1,280円", "", 1280.0, "JPY"),
    ("en-CA", "$24.00", "", 24.0, "CAD"),
    ("fr-CA", "24,00 $", "", 24.0, "CAD"),
    ("en-AU", "$24.00", "", 24.0, "AUD"),
    ("es-MX", "$1,299.00", "", 1299.0, "MXN"),
    ("en-US", "$24.00", "", 24.0, "USD"),
    ("en", "$24.00", "https://lamps.example.com/p", 24.0, "USD"),
    ("en", "$24.00", "https://lamps.example.ca/p", 24.0, "CAD"),
    ("sv-SE", "1 299 kr", "", 1299.0, "SEK"),
    ("nb", "1 299 kr", "", 1299.0, "NOK"),
    ("da", "1.299 kr.", "", 1299.0, "DKK"),
    ("pt-BR", "R$ 1.299,90", "", 1299.9, "BRL"),
    ("de-CH", "CHF 1'234.50", "", 1234.5, "CHF"),
    ("pl", "12 345,67 zł", "", 12345.67, "PLN"),
    ("en-IN", "₹1,23,456.00", "", 123456.0, "INR"),
])
def test_currency_from_locale(lang: str, price: str, url: str, amount: float, code: str) -> None:
    result = extract(page(lang, price), url=url, kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (amount, code)


def test_og_locale_counts_when_html_lang_is_missing() -> None:
    html = page("", "$24.00", head='<meta property="og:locale" content="en_NZ">')
    assert extract(html, kind=Kind.PRICE).readings[0].unit == "NZD"


@pytest.mark.parametrize(("extra", "stock"), [
    ("<p class='stock'>Sold out</p>", False),
    ("<p>Out of stock</p><button disabled>Add to cart</button>", False),
    ("<p>Currently unavailable.</p>", False),
    ("<p>In stock</p>", True),
    ("<p>12 available</p>", True),
    ("<p>More than 10 available</p>", True),
    ("<p>Ausverkauft</p>", False),
    ("<p style='display:none'>Sold out</p><p>In stock</p>", True),
    ("<button>Add to cart</button>", None),
    ("<p>Free returns within 30 days</p>", None),
])
def test_stock_from_visible_text(extra: str, stock: bool | None) -> None:
    assert extract(page("en", "$24.00", extra), kind=Kind.PRICE).in_stock is stock


def test_a_sold_out_related_card_does_not_make_the_product_sold_out() -> None:
    extra = ("<div class='product-main-buy'><p>In stock</p></div></div>"
             "<section class='related'><h2>Also like</h2><div class='card'>"
             "<a href='/x'><img src='/x.jpg'>Lamp Oil</a><span class='badge'>Sold out</span>"
             "<span class='price'>$5.00</span></div></section>")
    html = ('<html lang="en"><body><div class="product"><h1>Field Lamp</h1>'
            '<span class="price">$24.00</span>' + extra + "</body></html>")
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.in_stock) == (24.0, True)


@pytest.mark.parametrize(("extra", "price"), [
    ("<p class='unit-price'>$0.45 / oz</p>", 24.0),
    ("<p>or 4 interest-free payments of $6.00 with Afterpay</p>", 24.0),
    ("<p>Subscribe &amp; Save: <span>$21.60</span></p>", 24.0),
    ("<p>Member price <span>$19.00</span></p>", 24.0),
    ("<p>Free shipping on orders over $50</p>", 24.0),
    ("<p>You save <span>$6.00</span></p>", 24.0),
])
def test_figures_that_are_not_the_price(extra: str, price: float) -> None:
    result = extract(page("en-US", "$24.00", extra), kind=Kind.PRICE)
    assert result.readings[0].value == price


@pytest.mark.parametrize(("words", "stock"), [
    ("Esgotado", False), ("Agotado", False), ("Épuisé", False), ("在庫切れ", False),
    ("품절", False), ("Нет в наличии", False), ("Brak towaru", False), ("Slutsåld", False),
    ("Nur noch wenige verfügbar", True), ("Zostało 14 sztuk", True), ("残りあと8個", True),
    ("I lager", True), ("Solo quedan 6", True), ("В наличии", True), ("Only a few left", True),
])
def test_stock_words_across_languages(words: str, stock: bool) -> None:
    html = page("en", "$24.00", f"<p>{words}</p>")
    assert extract(html, kind=Kind.PRICE).in_stock is stock


def test_a_variant_swatch_sold_out_beside_an_enabled_buy_button() -> None:
    extra = ("<fieldset><label>S</label><label>M — Sold out</label></fieldset>"
             "<p>In stock</p><button type='submit'>Add to cart</button>")
    assert extract(page("en", "$24.00", extra), kind=Kind.PRICE).in_stock is True


def test_stock_from_the_page_json_object_with_this_price() -> None:
    html = ('<html lang="en"><body><h1>Field Lamp</h1><span class="price">$24.00</span>'
            '<script type="application/json">{"product": {"id": 5, "name": "Field Lamp", '
            '"price": 24.0, "available": false}}</script></body></html>')
    assert extract(html, kind=Kind.PRICE).in_stock is False


def test_an_app_shell_with_a_stray_number_is_not_read_as_a_price() -> None:
    from tui_tracker.core.errors import ExtractionError

    shell = ('<html lang="zh-CN"><body><div class="topbar">满199元包邮 · '
             '<span class="price-tag">￥2</span></div><div id="app"></div>'
             '<script src="/app.js"></script></body></html>')
    with pytest.raises(ExtractionError) as info:
        extract(shell, kind=Kind.PRICE)
    assert info.value.looks_script_rendered is True
