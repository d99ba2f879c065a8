"""The current price on storefront families, each page written here from the public
template's markup (invented products and numbers): what a buyer pays now."""
# ruff: noqa: E501 - the pages keep the templates' long lines

from __future__ import annotations

import pytest

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Kind
from tui_tracker.extractors import extract

DAWN_SALE = """<html lang="en"><body>
<header><a href="/cart">Cart</a><span class="cart-count">2</span></header>
<main><section id="MainProduct-template--1__main">
<div class="product grid grid--2-col"><div class="grid__item product__media-wrapper">
<img src="/kettle.jpg" alt="Kettle"></div>
<div class="product__info-wrapper grid__item"><div class="product__info-container">
<div class="product__title"><h1>Stovetop Kettle 2 L</h1></div>
<div class="no-js-hidden" id="price-template--1__main" role="status">
<div class="price price--large price--on-sale price--show-badge"><div class="price__container">
<div class="price__regular"><span class="visually-hidden visually-hidden--inline">Regular price</span>
<span class="price-item price-item--regular">$44.00 USD</span></div>
<div class="price__sale"><span class="visually-hidden visually-hidden--inline">Regular price</span>
<span><s class="price-item price-item--regular">$59.00 USD</s></span>
<span class="visually-hidden visually-hidden--inline">Sale price</span>
<span class="price-item price-item--sale price-item--last">$44.00 USD</span></div>
<small class="unit-price caption hidden"><span class="visually-hidden">Unit price</span>
<span class="price-item price-item--last"><span></span><span aria-hidden="true">/</span>
<span class="visually-hidden">&nbsp;per&nbsp;</span><span></span></span></small></div>
<span class="badge price__badge-sale color-accent-2">Sale</span></div></div>
<div class="product-form__input product-form__quantity"><label for="Quantity">Quantity</label>
<input class="quantity__input" type="number" name="quantity" id="Quantity" value="2" min="1"></div>
<button type="submit" name="add" class="product-form__submit button">Add to cart</button>
</div></div></div></section>
<product-recommendations class="related-products"><h2>You may also like</h2>
<ul class="grid product-grid"><li class="grid__item"><div class="card-wrapper product-card-wrapper">
<div class="card"><div class="card__media"><img src="/mug.jpg" alt=""></div>
<h3 class="card__heading"><a href="/products/mug">Enamel Mug</a></h3>
<div class="price"><span class="price-item price-item--regular">$12.00 USD</span></div>
</div></div></li></ul></product-recommendations></main></body></html>"""

DAWN_REGULAR = DAWN_SALE.replace("price--on-sale", "").replace(
    '<span><s class="price-item price-item--regular">$59.00 USD</s></span>', "")

WOO_SALE = """<html lang="en-US"><body class="product-template-default single-product">
<div id="primary"><div class="product type-product"><div class="woocommerce-product-gallery">
<img src="/tee.jpg"></div><div class="summary entry-summary">
<h1 class="product_title entry-title">Organic Tee</h1>
<p class="price"><del aria-hidden="true"><span class="woocommerce-Price-amount amount"><bdi>
<span class="woocommerce-Price-currencySymbol">&#36;</span>20.00</bdi></span></del>
<span class="screen-reader-text">Original price was: &#36;20.00.</span><ins aria-hidden="true">
<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">
&#36;</span>18.00</bdi></span></ins><span class="screen-reader-text">Current price is: &#36;18.00.</span></p>
<form class="cart"><div class="quantity"><input type="number" class="input-text qty text"
name="quantity" value="3"></div><button type="submit" class="single_add_to_cart_button button">
Add to cart</button></form></div>
<section class="related products"><h2>Related products</h2><ul class="products columns-4">
<li class="product"><a href="/p/cap" class="woocommerce-LoopProduct-link"><img src="/cap.jpg">
<h2 class="woocommerce-loop-product__title">Cap</h2><span class="price">
<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">
&#36;</span>9.00</bdi></span></span></a></li></ul></section></div></div></body></html>"""

WOO_RANGE = """<html lang="en-US"><body><div class="summary entry-summary">
<h1 class="product_title entry-title">Hoodie</h1><p class="price">
<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">
&#36;</span>42.00</bdi></span> &ndash; <span class="woocommerce-Price-amount amount"><bdi>
<span class="woocommerce-Price-currencySymbol">&#36;</span>45.00</bdi></span></p></div></body></html>"""

MAGENTO = """<html lang="en"><body><div class="columns"><div class="column main">
<div class="product-info-main"><div class="page-title-wrapper product">
<h1 class="page-title"><span class="base" data-ui-id="page-title-wrapper" itemprop="name">
Driven Backpack</span></h1></div>
<div class="product-info-price"><div class="price-box price-final_price" data-role="priceBox"
data-product-id="14"><span class="special-price"><span class="price-container price-final_price tax weee">
<span class="price-label">Special Price</span><span id="product-price-14" data-price-amount="29"
data-price-type="finalPrice" class="price-wrapper "><span class="price">$29.00</span></span></span></span>
<span class="old-price"><span class="price-container price-final_price tax weee">
<span class="price-label">Regular Price</span><span id="old-price-14" data-price-amount="36"
data-price-type="oldPrice" class="price-wrapper "><span class="price">$36.00</span></span></span></span>
</div><div class="product-info-stock-sku"><div class="stock available" title="Availability">
<span>In stock</span></div><div class="product attribute sku"><strong class="type">SKU</strong>
<div class="value" itemprop="sku">24-WB03</div></div></div></div>
<div class="box-tocart"><div class="field qty"><label class="label" for="qty"><span>Qty</span></label>
<div class="control"><input type="number" name="qty" id="qty" min="0" value="2" title="Qty"
class="input-text qty"></div></div><button type="submit" title="Add to Cart" class="action primary tocart">
<span>Add to Cart</span></button></div></div></div></div></body></html>"""

BIGCOMMERCE = """<html lang="en"><body><div class="productView">
<section class="productView-details product-data"><div class="productView-product">
<h1 class="productView-title">Canvas Tote</h1><div class="productView-price">
<div class="price-section price-section--withoutTax rrp-price--withoutTax">MSRP:
<span data-product-rrp-price-without-tax class="price price--rrp">$40.00</span></div>
<div class="price-section price-section--withoutTax non-sale-price--withoutTax">Was:
<span data-product-non-sale-price-without-tax class="price price--non-sale">$35.00</span></div>
<div class="price-section price-section--withoutTax"><span class="price-label">Now:</span>
<span data-product-price-without-tax class="price price--withoutTax">$29.00</span></div>
<div class="price-section price-section--saving price" ><span class="price">(You save</span>
<span data-product-price-saved class="price price--saving">$6.00</span><span class="price">)</span></div>
</div></div></section></div></body></html>"""

PRESTASHOP = """<html lang="fr-FR"><body><div id="main"><div class="row product-container">
<div class="col-md-6"><h1 class="h1" itemprop="name">Coussin renard</h1>
<div class="product-prices js-product-prices"><div class="product-discount">
<span class="regular-price">22,90&nbsp;€</span></div><div class="product-price h5 has-discount">
<div class="current-price"><span class="current-price-value" content="18.32">18,32&nbsp;€</span>
<span class="discount discount-percentage">Économisez 20%</span></div></div>
<div class="tax-shipping-delivery-label">TTC</div></div></div></div></div></body></html>"""

EC_CUBE = """<html lang="ja"><body><div class="ec-productRole"><div class="ec-productRole__profile">
<div class="ec-productRole__title"><h2 class="ec-headingTitle">抹茶ラテセット</h2></div>
<div class="ec-productRole__priceRegular"><span class="ec-productRole__priceRegularPrice">
通常価格：<span class="price01-default">¥2,000</span></span>
<span class="ec-productRole__priceRegularTax">税込</span></div>
<div class="ec-productRole__price"><div class="ec-price"><span class="ec-price__price price02-default">
¥1,800</span><span class="ec-price__tax">税込</span></div></div></div></div>
<head><title>抹茶ラテセット / 茶舗オンライン</title></head></body></html>"""

ZH_CN = """<html lang="zh-CN"><head><title>龙井茶 250克</title></head><body>
<h1>龙井茶 250克</h1><div class="price-wrap"><span class="price-origin">原价：<del>￥168.00</del></span>
<span class="price-now">￥128.00</span></div></body></html>"""

WIX = """<html lang="en"><body><div data-hook="product-page"><h1 data-hook="product-title">
Linen Apron</h1><div data-hook="product-prices-wrapper"><span data-hook="sr-formatted-secondary-price"
class="sr-only">Regular Price</span><span data-hook="formatted-secondary-price"
class="_2strike">$32.00</span><span data-hook="sr-formatted-primary-price" class="sr-only">Sale Price</span>
<span data-hook="formatted-primary-price">$24.00</span></div></div></body></html>"""

AMAZON = """<html lang="en-us"><body><div id="centerCol"><h1 id="title"><span id="productTitle">
Cold Brew Coffee Concentrate, 32 oz</span></h1>
<div id="corePriceDisplay_desktop_feature_div"><span class="a-price aok-align-center priceToPay">
<span class="a-offscreen">$14.39</span><span aria-hidden="true"><span class="a-price-symbol">$</span>
<span class="a-price-whole">14<span class="a-price-decimal">.</span></span>
<span class="a-price-fraction">39</span></span></span>
<span class="a-size-mini">(<span class="a-price a-text-price"><span class="a-offscreen">$0.45</span>
</span> / Fl Oz)</span>
<div class="a-section"><span class="a-size-small">List Price:</span>
<span class="a-price a-text-price" data-a-strike="true"><span class="a-offscreen">$17.99</span></span></div>
</div><div id="snsAccordionRowMiddle"><span>Subscribe &amp; Save:</span>
<span class="a-price"><span class="a-offscreen">$13.67</span></span></div>
<div id="availability"><span class="a-size-medium a-color-success">In Stock</span></div>
</div></body></html>"""

NUVEMSHOP = """<html lang="pt-BR"><body><div class="product-detail"><h1 class="js-product-name">
Caneca Esmaltada</h1><div class="price-container"><span class="js-compare-price-display price-compare">
R$ 89,90</span><span class="js-price-display" id="price_display">R$ 69,90</span></div>
<div class="js-max-installments-container"><span class="js-max-installments">10x de
<span class="js-installment-price">R$ 6,99</span> sem juros</span></div>
<div class="js-payment-discount-price-product">R$ 62,91 com Pix</div></div></body></html>"""

WAS_NOW = """<html lang="en-GB"><body><h1>Garden Bench</h1>
<p class="product-price">Was £120.00 Now £89.00</p></body></html>"""

RELATED_BEFORE = """<html lang="en"><body>
<aside class="recently-viewed"><div class="product-tile"><a href="/p/1"><img src="/1.jpg">Lamp</a>
<span class="price">$15.00</span></div></aside>
<div class="pdp"><h1>Desk Chair</h1><div class="pdp-price"><span class="price">$149.00</span></div></div>
<div class="upsell"><div class="tile"><a href="/p/2"><img src="/2.jpg">Chair mat</a>
<span class="price">$39.00</span></div></div></body></html>"""

CASES = [
    ("shopify-dawn-sale", DAWN_SALE, "", 44.0, "USD"),
    ("shopify-dawn-regular", DAWN_REGULAR, "", 44.0, "USD"),
    ("woocommerce-del-ins", WOO_SALE, "", 18.0, "USD"),
    ("magento-special-price", MAGENTO, "", 29.0, "USD"),
    ("bigcommerce-was-now", BIGCOMMERCE, "", 29.0, "USD"),
    ("prestashop-regular-current", PRESTASHOP, "", 18.32, "EUR"),
    ("ec-cube-sale", EC_CUBE, "", 1800.0, "JPY"),
    ("zh-cn-yuan", ZH_CN, "", 128.0, "CNY"),
    ("wix-strike", WIX, "", 24.0, "USD"),
    ("amazon-a-price", AMAZON, "", 14.39, "USD"),
    ("nuvemshop-pix-installments", NUVEMSHOP, "", 69.9, "BRL"),
    ("was-now-text", WAS_NOW, "", 89.0, "GBP"),
    ("related-before-and-after", RELATED_BEFORE, "", 149.0, "USD"),
]


@pytest.mark.parametrize(("name", "html", "query", "price", "currency"), CASES,
                         ids=[c[0] for c in CASES])
def test_current_price_by_family(name: str, html: str, query: str, price: float,
                                 currency: str) -> None:
    result = extract(html, url=f"https://shop.example/p/{name}{query}", kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (price, currency)
    assert result.source == "text-pattern"


def test_magento_quantity_box_is_never_the_price() -> None:
    # With its prices taken out, the page still shows a quantity box holding 2: no price.
    with pytest.raises(ExtractionError, match="no price"):
        extract(MAGENTO.replace("$29.00", "").replace("$36.00", ""), kind=Kind.PRICE)
    assert "SKU" in MAGENTO and 'value="2"' in MAGENTO


def test_related_cards_and_header_do_not_change_stock_or_title() -> None:
    result = extract(DAWN_SALE, kind=Kind.PRICE)
    assert result.title == "Stovetop Kettle 2 L"
    assert result.in_stock is None  # a buy button alone says nothing about stock


def test_amazon_stock_text() -> None:
    assert extract(AMAZON, kind=Kind.PRICE).in_stock is True
