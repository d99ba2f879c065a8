"""Storefront markup nobody showed the extractor before, written here from the public
templates (invented products and numbers): split cents, block prices in cells, member
prices above an ordinary one, stock said in a label/value pair or under a negation, and
the country a Spanish page sells in."""
# ruff: noqa: E501 - the pages keep the templates' long lines

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract

PAGES = Path(__file__).parent / "pages_hardening"


def read(name: str, url: str = "") -> tuple[float, str | None, bool | None]:
    result = extract((PAGES / name).read_text(encoding="utf-8"), url=url, kind=Kind.PRICE)
    return result.readings[0].value, result.readings[0].unit, result.in_stock


@pytest.mark.parametrize(("name", "want"), [
    ("bol-fraction.html", (24.99, "EUR", True)),
    ("mercadolibre-cents.html", (89999.0, "ARS", None)),
    ("cdiscount-euro-split.html", (199.99, "EUR", None)),
    ("shopware5-block-prices.html", (149.0, "EUR", True)),
    ("ikea-family.html", (1299.0, "SEK", None)),
    ("prestashop16-oos.html", (89.0, "PLN", False)),
    ("bigcommerce-stock.html", (59.0, "NZD", True)),
    ("tokopedia-stok.html", (1_250_000.0, "IDR", True)),
    ("tiendanube-canonical-ar.html", (24990.0, "ARS", None)),
])
def test_storefront_pages(name: str, want: tuple[float, str, bool | None]) -> None:
    assert read(name) == want


@pytest.mark.parametrize(("words", "stock"), [
    ("<dl><dt>Current Stock:</dt><dd>12</dd></dl>", True),
    ("<dl><dt>Current Stock:</dt><dd>0</dd></dl>", False),
    ("<table><tr><th>Availability</th><td>In stock</td></tr></table>", True),
    ("<p>Nicht auf Lager</p>", False),
    ("<p>Ten produkt nie jest już dostępny w magazynie</p>", False),
    ("<p>Avísame cuando esté disponible</p>", False),
    ("<p>Benachrichtigen Sie mich, wenn der Artikel wieder verfügbar ist</p>", False),
    ("<p>Stok Habis</p>", False),
    ("<p>Còn hàng</p>", True),
    ("<p>Not available in stores</p>", None),
    ("<p class='hidden'>Out of stock</p><p>In stock</p>", True),
])
def test_stock_statements(words: str, stock: bool | None) -> None:
    html = ('<html lang="en"><body><h1>Field Lamp</h1><div class="product-price">'
            f'<span class="price">$24.00</span></div>{words}</body></html>')
    assert extract(html, kind=Kind.PRICE).in_stock is stock


def test_a_hidden_buy_button_does_not_outvote_a_sold_out_notice() -> None:
    html = """<html lang="en"><body><h1>Field Lamp</h1><span class="price">$24.00</span>
<p>Sold out</p><p>Only a few left in other colours</p>
<div class="unvisible"><button>Add to cart</button></div></body></html>"""
    assert extract(html, kind=Kind.PRICE).in_stock is False


@pytest.mark.parametrize(("words", "code"), [
    ("Envíos a todo el país · CUIT 30-71234567-9", "ARS"),
    ("Atención: +56 2 2345 6789", "CLP"),
    ("Hasta 12 meses sin intereses", "MXN"),
    ("Shipped with Australia Post", "AUD"),
    ("Livraison gratuite partout au Canada", "CAD"),
    ("Prix avant TPS et TVQ", "CAD"),
])
def test_regional_words_decide_a_bare_dollar(words: str, code: str) -> None:
    lang = "en" if "Australia" in words else "fr" if "TPS" in words or "Livraison" in words else "es"
    html = (f'<html lang="{lang}"><body><h1>Lámpara</h1><div class="product-price">'
            f'<span class="price">$24.990</span></div><footer><p>{words}</p></footer></body></html>')
    assert extract(html, kind=Kind.PRICE).readings[0].unit == code


def test_an_api_price_in_a_fixed_point_unit_the_page_divides_away() -> None:
    """Shopee's item API states ₫159.000 as 15900000000 (× 100 000), with keys that
    look like Shopify's cents; the amounts the page shows decide the unit."""
    html = """<html lang="vi"><head><title>Nồi chiên không dầu 5L | Shopee Việt Nam</title></head><body>
<div class="product-briefing"><div class="_44qnta"><span>Nồi chiên không dầu 5L</span></div>
<div class="flex items-center"><div class="Y3DvsN">₫199.000</div><div class="IZPeQz">₫159.000</div></div>
<div class="product-not-available">Sản phẩm này đã hết hàng</div></div></body></html>"""
    body = json.dumps({"error": None, "data": {"item": {
        "itemid": 2299, "name": "Nồi chiên không dầu 5L", "price": 15900000000,
        "price_min": 15900000000, "price_max": 15900000000,
        "price_before_discount": 19900000000, "currency": "VND", "stock": 0}}})
    result = extract(html, url="https://shopee.vn/p-i.1.2299", kind=Kind.PRICE,
                     data=[("https://shopee.vn/api/v4/item/get?itemid=2299", body)])
    assert (result.readings[0].value, result.readings[0].unit, result.in_stock) == (
        159000.0, "VND", False)
