"""Current prices on storefronts of more locales, pages written here from the public
markup patterns of each (invented products and numbers)."""
# ruff: noqa: E501 - the pages keep the templates' long lines

from __future__ import annotations

import pytest

from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract

SHOPWARE6 = """<html lang="de-DE"><body><div class="product-detail"><div class="product-detail-buy">
<h1 class="product-detail-name">Bio Olivenöl Extra Vergine</h1>
<div class="product-detail-price-container"><meta itemprop="priceCurrency" content="EUR">
<p class="product-detail-price with-list-price">19,99 €*</p>
<span class="product-detail-list-price-wrapper"><span class="list-price-price">24,99 €*</span>
<span class="list-price-percentage">(20% gespart)</span></span>
<div class="product-detail-price-unit"><span class="price-unit-label">Inhalt:</span>
<span class="price-unit-content">0.5 Liter</span><span class="price-unit-reference-content">(39,98 €* / 1 Liter)</span></div>
<p class="product-detail-tax-container">Preise inkl. MwSt. zzgl. Versandkosten</p></div>
<p class="delivery-information delivery-available">Sofort verfügbar, Lieferzeit 1-3 Werktage</p>
</div></div></body></html>"""

SWISS = """<html lang="de-CH"><body><main><h1>Wanderrucksack Alpin 30</h1>
<div class="pdp-price"><span class="old">statt 129.–</span> <strong class="current">CHF 99.–</strong></div>
<p>Lieferung in 1–2 Arbeitstagen</p></main></body></html>"""

ZALANDO = """<html lang="de-DE"><body><div class="pdp"><h1><span>Laufschuh Tempo</span></h1>
<div class="price-box"><p><span>89,95 €</span> <span class="voFjEy">Originalpreis: 119,95 €</span></p>
<p class="tax">inkl. MwSt.</p><p>Niedrigster Preis der letzten 30 Tage: 99,95 €</p></div>
<p>Lieferbar in 2-3 Werktagen</p><button>In den Warenkorb</button></div></body></html>"""

COUPANG = """<html lang="ko-KR"><body><div class="prod-buy"><h2 class="prod-buy-header__title">유기농 현미 4kg</h2>
<div class="prod-price"><div class="prod-origin-price"><span class="discount-rate">15%</span>
<span class="origin-price">정가 24,900원</span></div>
<div class="prod-sale-price"><span class="total-price"><strong>21,100원</strong></span></div>
<div class="prod-coupon-price"><span class="price-info">와우할인가</span><span class="total-price"><strong>19,900원</strong></span></div>
<div class="unit-price">(100g당 528원)</div></div></div>
<head><title>유기농 현미 4kg - 쿠팡</title></head></body></html>"""

OZON = """<html lang="ru-RU"><body><div data-widget="webProductHeading"><h1>Чайник электрический 1,7 л</h1></div>
<div data-widget="webPrice"><div><span>2 490 ₽</span><span>с Ozon Картой</span></div>
<div><span>2 790 ₽</span><span>без Ozon Карты</span></div><span class="old">3 990 ₽</span></div>
</body></html>"""

FLIPKART = """<html lang="en-IN"><body><div class="pdp"><h1><span class="B_NuCI">AquaPure RO Water Purifier 8 L</span></h1>
<div class="_25b18c"><div class="_30jeq3 _16Jk6d">₹12,499</div><div class="_3I9_wc _2p6lqe">₹18,000</div>
<div class="_3Ay6Sb _31Dcoz"><span>30% off</span></div></div>
<div class="_3TT44I">Bank Offer 10% off on Axis Bank Credit Card, up to ₹1,250</div>
<div>No Cost EMI from ₹2,084/month</div></div></body></html>"""

ALLEGRO = """<html lang="pl-PL"><body><div class="offer"><h1>Czajnik elektryczny 1,7 l stal</h1>
<div aria-label="cena 149,00 zł"><span>149,</span><span>00 zł</span></div>
<div>z kurierem <span>163,99 zł</span> z dostawą</div>
<div>Smart! darmowa dostawa</div><div>2 osoby kupiły</div></div></body></html>"""

ETSY = """<html lang="en-US"><body><div data-buy-box-region="price"><h1 class="wt-text-body-01">Hand-thrown Stoneware Mug</h1>
<div class="wt-display-flex-xs"><p class="wt-text-title-03"><span class="wt-screen-reader-only">Price:</span>$28.80</p>
<p class="wt-text-strikethrough"><span class="wt-screen-reader-only">Original Price:</span>$36.00</p>
<p class="wt-text-body-01">(20% off)</p></div><p>Sale ends in 23:14:09</p><p>Low in stock, only 2 left</p></div></body></html>"""

RAKUTEN = """<html lang="ja"><head><title>【楽天市場】南部鉄器 急須 0.65L：鉄器の店</title></head><body>
<div id="pagebody"><span class="item_name"><b>南部鉄器 急須 0.65L</b></span>
<table><tr><td><span class="price1">価格</span><span class="price2">6,600円</span><span class="tax-note">（税込）</span> 送料無料</td></tr>
<tr><td>66ポイント獲得</td></tr></table><p>在庫あり</p></div></body></html>"""

CASES = [
    ("shopware6", SHOPWARE6, 19.99, "EUR", None),
    ("swiss", SWISS, 99.0, "CHF", None),
    ("zalando-like", ZALANDO, 89.95, "EUR", True),
    ("coupang-like", COUPANG, 21100.0, "KRW", None),
    ("ozon-like", OZON, 2790.0, "RUB", None),
    ("flipkart-like", FLIPKART, 12499.0, "INR", None),
    ("allegro", ALLEGRO, 149.0, "PLN", None),
    ("etsy-like", ETSY, 28.8, "USD", True),
    ("rakuten", RAKUTEN, 6600.0, "JPY", True),
]


@pytest.mark.parametrize(("name", "html", "price", "currency", "stock"), CASES,
                         ids=[c[0] for c in CASES])
def test_current_price_by_locale_family(name: str, html: str, price: float, currency: str,
                                        stock: bool | None) -> None:
    result = extract(html, url=f"https://shop.example/p/{name}", kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (price, currency)
    if stock is not None:
        assert result.in_stock is stock


ECCUBE40_SOLDOUT = """<html lang="ja"><head><title>有田焼 湯呑み 2客セット / 器の店</title></head><body>
<div class="ec-layoutRole__header"><div class="ec-headerNaviRole"><a href="/cart">カート ￥0</a></div></div>
<div class="ec-productRole"><div class="ec-grid2"><div class="ec-grid2__cell"><img src="/a.jpg"></div>
<div class="ec-grid2__cell"><div class="ec-productRole__profile">
<div class="ec-productRole__title"><h2 class="ec-headingTitle">有田焼 湯呑み 2客セット</h2></div>
<div class="ec-productRole__priceRegular"><span class="ec-productRole__priceRegularPrice">通常価格：<span class="price01-default">￥4,400</span></span>
<span class="ec-productRole__priceRegularTax">税込</span></div>
<div class="ec-productRole__price"><div class="ec-price"><span class="ec-price__price price02-default">￥3,960</span>
<span class="ec-price__tax">税込</span></div></div>
<form action="/products/add_cart/12" method="post" id="form1"><div class="ec-productRole__actions">
<div class="ec-numberInput"><span>数量</span><input type="number" name="quantity" class="quantity" value="1"></div></div>
<div class="ec-productRole__btn"><button type="submit" class="ec-blockBtn--action add-cart" disabled="disabled">ただいま品切れ中です</button></div></form>
</div></div></div></div></body></html>"""

COUPANG_WOW = """<html lang="ko-KR"><head><title>국산 들기름 350ml - 쿠팡!</title></head><body>
<div class="prod-atf"><h2 class="prod-buy-header__title">국산 들기름 350ml</h2>
<div class="prod-price-container"><div class="prod-coupon-price price-align major-price-coupon">
<span class="price-info">와우할인가</span><span class="total-price"><strong>15,900원</strong></span></div>
<div class="prod-sale-price price-align"><span class="total-price"><strong>17,500원</strong></span></div>
<div class="prod-origin-price"><span class="discount-rate">22%</span><span class="origin-price">22,400원</span></div>
<div class="unit-price">(100ml당 4,543원)</div></div>
<div class="prod-shipping-fee">무료배송</div><div class="prod-buy-footer"><p class="prod-not-find-known__buy__text">품절</p></div>
</div></body></html>"""

NUVEM_VARIANT = """<html lang="pt-BR"><body><section class="js-product-detail" data-variants='[{"product_id": 7, "price_short": "R$89,90", "price_number": 89.9, "compare_at_price_number": 119.9, "stock": 3, "sku": "CM-P", "available": true, "id": 501, "option0": "P"}, {"product_id": 7, "price_short": "R$99,90", "price_number": 99.9, "compare_at_price_number": null, "stock": 0, "sku": "CM-G", "available": false, "id": 502, "option0": "G"}]'>
<h1 class="js-product-name">Camiseta Algodão</h1><div class="price-container"><span class="js-compare-price-display price-compare">R$119,90</span>
<span class="js-price-display" id="price_display">R$89,90</span></div></section></body></html>"""

WOO_VARIATION = """<html lang="en-US"><body><div class="summary entry-summary"><h1 class="product_title entry-title">Linen Shirt</h1>
<p class="price"><span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>40.00</bdi></span> &ndash; <span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>55.00</bdi></span></p>
<form class="variations_form cart" data-product_id="9" data-product_variations="[{&quot;attributes&quot;:{&quot;attribute_pa_size&quot;:&quot;m&quot;},&quot;display_price&quot;:40,&quot;display_regular_price&quot;:48,&quot;is_in_stock&quot;:true,&quot;variation_id&quot;:11},{&quot;attributes&quot;:{&quot;attribute_pa_size&quot;:&quot;xl&quot;},&quot;display_price&quot;:55,&quot;display_regular_price&quot;:55,&quot;is_in_stock&quot;:false,&quot;variation_id&quot;:12}]">
</form></div></body></html>"""

SWISS_FR = """<html lang="de-CH"><body><div class="product"><h1>Kaffeemaschine Barista One</h1>
<div class="price"><span class="price__current">Fr. 349.–</span> <span class="price__old">statt Fr. 449.–</span></div>
<p class="availability">Sofort lieferbar</p></div></body></html>"""


@pytest.mark.parametrize(("name", "html", "query", "price", "currency", "stock"), [
    ("ec-cube-4.0-sold-out", ECCUBE40_SOLDOUT, "", 3960.0, "JPY", False),
    ("coupang-wow-first", COUPANG_WOW, "", 17500.0, "KRW", False),
    ("nuvemshop-variant", NUVEM_VARIANT, "?variant=502", 99.9, "BRL", False),
    ("woo-variation", WOO_VARIATION, "?attribute_pa_size=xl", 55.0, "USD", False),
    ("woo-variation-id", WOO_VARIATION, "?variation_id=11", 40.0, "USD", True),
    ("swiss-fr", SWISS_FR, "", 349.0, "CHF", True),
], ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "")
def test_more_families(name: str, html: str, query: str, price: float, currency: str,
                       stock: bool | None) -> None:
    result = extract(html, url=f"https://shop.example/p/{name}{query}", kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (price, currency)
    assert result.in_stock is stock


def test_quantity_tier_table_reads_the_single_item_price() -> None:
    html = """<html lang="de-DE"><body><div class="product-detail-buy"><h1 class="product-detail-name">Schrauben-Set</h1>
<table class="product-block-prices-grid"><thead><tr><th>Anzahl</th><th>Stückpreis</th></tr></thead>
<tbody><tr><th>Bis 9</th><td>10,00 €*</td></tr><tr><th>Ab 10</th><td>9,00 €*</td></tr>
<tr><th>Ab 50</th><td>8,00 €*</td></tr></tbody></table>
<p class="delivery-information">Nicht an Lager</p></div></body></html>"""
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.in_stock) == (10.0, False)


SHAPES = {
    "shopify-impulse": ('<html lang=en><body><h1>Tote</h1><div class="product-block"><span class="product__price on-sale"><span class="visually-hidden">Sale price</span>$44.00</span> <span class="product__price product__price--compare"><span class="visually-hidden">Regular price</span>$59.00</span></div></body></html>', 44.0, "USD"),
    "was-in-brackets": ('<html lang=en><body><h1>Tote</h1><p class="price">Price: $44.00 (was $59.00)</p></body></html>', 44.0, "USD"),
    "one-time-vs-subscribe": ('<html lang=en><body><h1>Coffee</h1><div class="price">$30.00</div><label><input type=radio> One-time purchase $30.00</label><label><input type=radio> Subscribe &amp; save 10% $27.00</label></body></html>', 30.0, "USD"),
    "percent-decides": ('<html lang=en><body><h1>Tote</h1><div class="prices"><span class="a">$44.00</span> <span class="b">$55.00</span> <span>Save 20%</span></div></body></html>', 44.0, "USD"),
    "magento-hyva-nl": ('<html lang=nl-NL><body><h1 class="page-title"><span>Tas</span></h1><div class="price-box"><span class="old-price"><span class="price-label sr-only">Normale prijs</span><span class="price">€ 59,00</span></span><span class="final-price"><span class="price-label sr-only">Speciale prijs</span><span class="price">€ 44,00</span></span></div></body></html>', 44.0, "EUR"),
    "squarespace-sale": ('<html lang=en-US><body><h1 class="ProductItem-details-title">Tote</h1><div class="product-price"><span class="visually-hidden v6-visually-hidden">Sale Price:</span>$44.00 <span class="visually-hidden v6-visually-hidden">Original Price:</span><span class="original-price">$59.00</span></div></body></html>', 44.0, "USD"),
    "sfcc-sfra-strike": ('<html lang=en-US><body><h1 class="product-name">Tote</h1><div class="prices"><div class="price"><span><del><span class="strike-through list"><span class="value" content="59.00">$59.00</span></span></del><span class="sales"><span class="value" content="44.00">$44.00</span></span></span></div></div></body></html>', 44.0, "USD"),
    "split-pesos-ar": ('<html lang=es-AR><body><h1 class="ui-pdp-title">Mate</h1><div class="ui-pdp-price"><s class="andes-money-amount--previous"><span class="andes-money-amount__currency-symbol">$</span><span class="andes-money-amount__fraction">59.000</span></s><span class="andes-money-amount"><span class="andes-money-amount__currency-symbol">$</span><span class="andes-money-amount__fraction">44.000</span></span><span class="ui-pdp-price__subtitles">en 6 cuotas de $ 7.333</span></div></body></html>', 44000.0, "ARS"),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_more_price_shapes(name: str) -> None:
    html, price, currency = SHAPES[name]
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (price, currency)


@pytest.mark.parametrize(("lang", "shown", "price", "currency"), [
    ("de-CH", '<span class="y">49.—</span> <span class="z">statt 69.—</span>', 49.0, "CHF"),
    ("de-CH", "<p>Preis: 1’299.– CHF</p>", 1299.0, "CHF"),
    ("nb-NO", '<div class="k">4 990,-</div>', 4990.0, "NOK"),
])
def test_dash_notation_is_money_even_without_a_symbol(lang: str, shown: str, price: float,
                                                      currency: str) -> None:
    html = f'<html lang="{lang}"><body><h1>Velo</h1><div class="x1">{shown}</div></body></html>'
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (price, currency)


@pytest.mark.parametrize(("lang", "shown", "price", "currency"), [
    ("nb-NO", "<p class='p'>1 299,- <span>Før 1 599,-</span></p>", 1299.0, "NOK"),
    ("sv-SE", "<p class='p'>1 299 kr <span>Ord. pris 1 699 kr</span></p>", 1299.0, "SEK"),
    ("da-DK", "<p class='p'>1.299 kr. <span>Vejl. pris 1.599 kr.</span></p>", 1299.0, "DKK"),
])
def test_nordic_former_price_labels(lang: str, shown: str, price: float, currency: str) -> None:
    html = f'<html lang="{lang}"><body><h1>Sykkel</h1>{shown}</body></html>'
    result = extract(html, kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (price, currency)
