"""Round-5 causes, each a rule for a family of layouts, tested on small pages written
here (invented shops and numbers, not corpus copies): pre-order words in more languages,
the rand's bare "R", a percentage written before its number ("%15") and coupon figures,
discount caps in Arabic, and a brand line in its own heading before the product's name."""
# ruff: noqa: E501 - the pages keep the templates' long lines

from __future__ import annotations

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def read(html: str, url: str = ""):
    return extract(html, url=url, kind=Kind.PRICE)


def page(body: str, lang: str = "en-GB", title: str = "Trail Flask 500ml") -> str:
    return (f'<html lang="{lang}"><head><title>{title}</title></head><body>'
            f"<main><h1>{title}</h1>{body}</main></body></html>")


# ---------------------------------------------------------------- pre-order words

@pytest.mark.parametrize(("lang", "label", "word"), [
    ("ru-RU", "Наличие:", "Предзаказ"),
    ("uk-UA", "Наявність:", "Передзамовлення"),
    ("pl-PL", "Dostępność:", "Przedsprzedaż"),
    ("cs-CZ", "Dostupnost:", "Předobjednávka"),
    ("tr-TR", "Durum:", "Ön sipariş"),
])
def test_pre_order_word_reads_not_in_stock(lang: str, label: str, word: str) -> None:
    html = page(f'<div class="price">1 290 ₽</div><ul><li><b>{label}</b> <span>{word}</span></li></ul>',
                lang=lang)
    assert read(html).in_stock is False


# ---------------------------------------------------------------- one-letter symbols

def test_rand_written_as_bare_r_reads_on_a_south_african_page() -> None:
    html = page("""<div class="box"><div class="a1">R 1,249<sup>00</sup></div>
<div class="a2">R 1,499<sup>00</sup></div><div class="a3"><span>16% off</span></div></div>
<div class="v">Bulk buy: 3+ units R 1,199.00 each</div>""", lang="en-ZA", title="Kettle 1.7 L Steel")
    result = read(html)
    assert (result.readings[0].value, result.readings[0].unit) == (1249.0, "ZAR")


def test_bare_r_is_not_money_where_the_page_is_not_in_rand() -> None:
    html = page('<div class="price">$19.99</div><p class="model">Model R 2000</p>',
                lang="en-US", title="Kettle R 2000")
    result = read(html)
    assert (result.readings[0].value, result.readings[0].unit) == (19.99, "USD")
    assert all(c.value != 2000 for c in result.candidates)


# ---------------------------------------------------------------- percentages and coupons

def test_percentage_before_its_number_is_not_an_amount() -> None:
    html = page("""<div class="price-box"><div class="now"><del>1.500,00 TL</del> <ins>1.200,00 TL</ins></div>
<div class="ratio">%20</div></div>""", lang="tr-TR", title="Çaydanlık Set")
    result = read(html)
    assert result.readings[0].value == 1200.0
    assert all(c.value != 20 for c in result.candidates)


def test_coupon_value_and_its_minimum_spend_are_not_the_price() -> None:
    html = page("""<div class="price-box"><div class="now"><span class="p">899,00 TL</span></div>
<div class="cpn">Sepette 50 TL kupon: kupon kodu ABC50 (min. 750 TL)</div></div>""",
                lang="tr-TR", title="Çaydanlık Set")
    assert read(html).readings[0].value == 899.0


def test_price_followed_by_its_coupon_code_is_not_todays_price() -> None:
    html = page("""<p class="pp"><span class="price"><strong>₹899</strong></span> <span>MRP <s>₹1999</s></span></p>
<div class="offers"><div class="offers-price">Best Price: <span class="bold">Rs. 799</span></div>
<ul><li>Coupon code: SAVE100</li></ul></div>""", lang="en-IN", title="Cotton Kurta Set")
    assert read(html).readings[0].value == 899.0


# ---------------------------------------------------------------- Arabic labels

def test_arabic_discount_cap_and_original_price_are_not_the_price() -> None:
    html = page("""<div class="core"><span class="price-now">AED 249.00</span>
<div><span>السعر الأصلي: <span class="p">AED 299.00</span></span></div></div>
<div class="promoPriceMessage">خصم إضافي 10% حتى AED 50 عند الدفع بالبطاقة</div>""",
                lang="ar-AE", title="سماعات لاسلكية")
    result = read(html)
    assert (result.readings[0].value, result.readings[0].unit) == (249.0, "AED")


# ---------------------------------------------------------------- brand line + name

def test_brand_heading_joins_the_name_heading_after_it() -> None:
    html = ('<html><head><title>Shop</title></head><body><main><div class="info">'
            '<h1 class="brand">Aaro</h1><h1 class="name">Women Printed Kurta Set</h1>'
            '<p><span class="price">₹1,299</span></p></div></main></body></html>')
    result = read(html)
    assert result.title == "Aaro Women Printed Kurta Set"


def test_size_label_and_its_count_in_one_button_read_in_stock() -> None:
    html = page('<div class="price">£24.00</div><div class="sizes"><button>S</button>'
                '<button>M<span class="left">2 left</span></button></div>')
    assert read(html).in_stock is True
