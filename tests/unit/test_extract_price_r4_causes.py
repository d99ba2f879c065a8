"""Round-4 causes, each a rule for a family of layouts, tested on small pages written
here (invented shops and numbers, not corpus copies): store-card and member prices
labelled before or after the amount, reference prices ("UVP des Herstellers", a BEM
`price__old`), amounts taken off ("-200 zł", "折 NT$200") and spend thresholds
("滿 NT$2,000")."""
# ruff: noqa: E501 - the pages keep the templates' long lines

from __future__ import annotations

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract


def price_of(html: str, url: str = "") -> tuple[float, str | None]:
    result = extract(html, url=url, kind=Kind.PRICE)
    return result.readings[0].value, result.readings[0].unit


def page(body: str, lang: str = "en-GB", title: str = "Trail Flask 500ml") -> str:
    return (f'<html lang="{lang}"><head><title>{title}</title></head><body>'
            f"<main><h1>{title}</h1>{body}</main></body></html>")


# ---------------------------------------------------------------- store-card prices

CARD_BEFORE = page("""<div class="pdp-price">£7.49</div>
<div class="loyalty-box"><span>Hearth Card Price</span> <span>£5.99</span> <span>For card holders only.</span></div>""")

CARD_AFTER_SAME_ELEMENT = page("""<div class="promo-wrap"><span class="promo">£3.10 Hearthcard Price</span></div>
<div class="price-details"><p class="beans">£3.80</p></div>""")

CARD_AFTER_SIBLING_ES = page("""<ol class="prices">
<li><span class="p1">$ 189.990</span><span class="lbl">Precio con tarjeta Andina</span></li>
<li><span class="p2">$ 219.990</span><span class="lbl">Precio Internet</span></li>
<li><span class="p3" style="text-decoration: line-through">$ 259.990</span><span class="lbl">Normal</span></li>
</ol>""", lang="es-CL", title="Silla ergonómica Onda")


@pytest.mark.parametrize(("html", "want"), [
    (CARD_BEFORE, (7.49, "GBP")),
    (CARD_AFTER_SAME_ELEMENT, (3.80, "GBP")),
    (CARD_AFTER_SIBLING_ES, (219990.0, "CLP")),
])
def test_a_store_card_price_is_not_what_everyone_pays(html: str, want: tuple[float, str]) -> None:
    assert price_of(html) == want


# ---------------------------------------------------------------- reference prices

UVP = page("""<div class="pbox"><span class="was">statt 59,99 €</span> <span class="badge">-20%</span>
<span class="now">47,99 €*</span> <span class="maker">UVP des Herstellers 64,99 €</span></div>""",
           lang="de-DE", title="Heckenschere 18 V")

BEM_OLD = page("""<div class="price-box"><span class="price__currency">SAR</span> <span class="price">1,249</span>
<span class="price__old">SAR 1,499</span></div><div class="price__vat">Price inclusive of VAT</div>""",
               lang="en-SA", title="Noise-cancelling headphones X2")


def test_uvp_of_the_maker_is_a_reference_price() -> None:
    assert price_of(UVP) == (47.99, "EUR")


def test_a_bem_old_price_modifier_is_a_former_price() -> None:
    assert price_of(BEM_OLD) == (1249.0, "SAR")


# ---------------------------------------------------------------- amounts taken off

MINUS = page("""<div class="prices"><s>2 150,00 zł</s> <span class="now">1 890,00 zł</span> <span class="cut">-260 zł</span></div>""",
             lang="pl-PL", title="Rower miejski Lekki")

TW_THRESHOLD = page("""<div class="price-box"><span class="price-sale">NT$1,480</span> <s>NT$1,900</s></div>
<div class="promo-tags"><span class="tag">任選 3 件 9 折</span><span class="tag">滿 NT$3,000 折 NT$300</span></div>""",
                    lang="zh-Hant-TW", title="陶瓷保溫杯")


def test_a_minus_amount_is_a_discount_not_a_price() -> None:
    assert price_of(MINUS) == (1890.0, "PLN")


def test_spend_thresholds_and_amounts_off_in_chinese_are_not_prices() -> None:
    assert price_of(TW_THRESHOLD) == (1480.0, "TWD")


def test_a_price_range_dash_stands_apart_and_stays_a_range() -> None:
    html = page('<p class="price"><span>£110.00</span> – <span>£135.00</span></p>')
    with pytest.raises(Exception, match="two amounts"):
        extract(html, kind=Kind.PRICE)


# ---------------------------------------------------------------- unit prices, stylesheet, other sellers

UNIT_SPLIT = page("""<div class="price-wrap"><span class="price-now">7,80&nbsp;€</span>
<small class="unit-price"><span class="amount"><span>3,12&nbsp;€</span><span aria-hidden="true">/</span><span class="sr-only"> pro </span><span>100&nbsp;g</span></span></small></div>""",
                  lang="de-DE", title="Bio-Tee Grün 250 g")


def test_a_unit_price_split_over_spans_is_not_the_price() -> None:
    assert price_of(UNIT_SPLIT) == (7.80, "EUR")


STYLE_HIDES = """<html lang="en-GB"><head><title>Enamel Mug</title><style>
.box .badge-soldout, .box .was { display: none }
.box--soldout .badge-soldout { display: inline-block }
@media (max-width: 10px) { .box .badge-instock { display: none } }
</style></head><body><main><h1>Enamel Mug</h1>
<div class="box"><span class="now">£12.00</span><span class="was">£30.00</span>
<span class="badge-soldout">Sold out</span></div></main></body></html>"""


def test_what_the_page_stylesheet_hides_is_not_read() -> None:
    result = extract(STYLE_HIDES, kind=Kind.PRICE)
    assert (result.readings[0].value, result.in_stock) == (12.0, None)


def test_a_more_specific_rule_shows_again_what_a_general_one_hid() -> None:
    html = STYLE_HIDES.replace('<div class="box">', '<div class="box box--soldout">')
    assert extract(html, kind=Kind.PRICE).in_stock is False


OTHER_SELLERS = page("""<div class="buybox"><span class="price">289,00&nbsp;€</span></div>
<section class="pdpOtherOffers"><h2>14 autres annonces</h2>
<div class="offer">Occasion - Bon état · 199,00&nbsp;€</div><div class="offer">Neuf · 295,00&nbsp;€</div></section>""",
                     lang="fr-FR", title="Aspirateur balai V9")


def test_other_sellers_offers_are_not_this_page_price() -> None:
    assert price_of(OTHER_SELLERS) == (289.0, "EUR")


# ---------------------------------------------------------------- split decimals, pack prices, chosen options

PACK_PRICE = page("""<div class="pricing"><div class="per-measure">24,10&nbsp;€ / m²</div>
<div class="per-pack"><span class="int">37</span><span class="dec">,60&nbsp;€</span> <span class="unit">/ boîte de 1,56 m²</span></div></div>""",
                  lang="fr-FR", title="Parquet stratifié chêne gris")


def test_decimals_in_their_own_element_and_a_per_pack_price() -> None:
    assert price_of(PACK_PRICE) == (37.60, "EUR")


FORMATS = page("""<ul class="editions" role="radiogroup">
<li role="radio" aria-checked="false"><span>Paperback</span> <span>£9.99</span></li>
<li role="radio" aria-checked="true"><span>Hardback</span> <span>£18.99</span></li>
<li role="radio" aria-checked="false"><span>Audiobook</span> <span>£14.50</span></li></ul>""",
               title="The Lantern Coast")


def test_the_chosen_format_price_not_the_other_formats() -> None:
    assert price_of(FORMATS) == (18.99, "GBP")


# ---------------------------------------------------------------- stock words, Gulf symbols, "Rs."

@pytest.mark.parametrize(("words", "lang"), [
    ("Only 4 items left", "en"),
    ("庫存剩 2 件", "zh-Hant-TW"),
    ("متبقي 5 قطع فقط", "ar"),
])
def test_a_count_left_means_in_stock(words: str, lang: str) -> None:
    html = page(f'<div class="price">£20.00</div><div class="qty">{words}</div>', lang=lang)
    assert extract(html, kind=Kind.PRICE).in_stock is True


def test_the_riyal_written_in_arabic_is_sar() -> None:
    html = page('<h4 class="total-price">1,150.00 <i class="icon-sar"></i> ر.س</h4>', lang="ar",
                title="ساعة ذكية")
    assert price_of(html) == (1150.0, "SAR")


def test_rupees_on_a_shop_whose_title_names_a_pk_domain_are_pkr() -> None:
    html = page('<span class="pdp-price">Rs. 4,599</span>', lang="en",
                title="Power Bank 20000mAh | Bazaarly.pk")
    assert price_of(html) == (4599.0, "PKR")


def test_rupees_without_a_country_stay_indian() -> None:
    html = page('<span class="pdp-price">Rs. 4,599</span>', lang="en-IN", title="Power Bank 20000mAh")
    assert price_of(html) == (4599.0, "INR")


# ---------------------------------------------------------------- a block's own header, multi-buy deals

GROCERY = """<html lang="en-GB"><head><title>Oat Drink Barista 1L | Grocer</title></head><body>
<header class="site-header"><a href="/" class="logo">Grocer</a><div class="trolley">Trolley £14.20</div></header>
<main><div class="pd-card"><h1 class="pd__header">Oat Drink Barista 1L</h1>
<div class="pd__price">£1.90</div><span class="pd__unit">£1.90 / ltr</span>
<div class="pd__promo">Buy any 3 for £5.00</div></div></main></body></html>"""


def test_a_bem_header_element_is_the_product_heading_and_multibuy_is_not_the_price() -> None:
    assert price_of(GROCERY) == (1.90, "GBP")
