"""Structured data and page JSON: the main product, the linked variant, stock meanings."""
# ruff: noqa: E501 - the pages keep the templates' long lines

from __future__ import annotations

import json

import pytest

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Kind
from tui_tracker.engine.probe import ProbeResult
from tui_tracker.extractors import extract


def ld(*blocks: object, body: str = "<h1>Trail Shoe</h1>", lang: str = "en") -> str:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(b)}</script>'
                      for b in blocks)
    return f'<html lang="{lang}"><head>{scripts}</head><body>{body}</body></html>'


SHOPIFY_OFFERS = {
    "@context": "http://schema.org/", "@type": "Product", "name": "Trail Shoe",
    "url": "https://shop.example/products/trail-shoe",
    "offers": [
        {"@type": "Offer", "sku": "TS-40", "price": "89.00", "priceCurrency": "USD",
         "availability": "http://schema.org/InStock",
         "url": "https://shop.example/products/trail-shoe?variant=4001"},
        {"@type": "Offer", "sku": "TS-41", "price": "79.00", "priceCurrency": "USD",
         "availability": "http://schema.org/InStock",
         "url": "https://shop.example/products/trail-shoe?variant=4002"},
        {"@type": "Offer", "sku": "TS-42", "price": "95.00", "priceCurrency": "USD",
         "availability": "http://schema.org/OutOfStock",
         "url": "https://shop.example/products/trail-shoe?variant=4003"},
    ]}

PRODUCT_GROUP = {
    "@context": "https://schema.org", "@type": "ProductGroup", "name": "Wool Sweater",
    "productGroupID": "WS", "variesBy": ["https://schema.org/size"],
    "hasVariant": [
        {"@type": "Product", "sku": "WS-S", "name": "Wool Sweater S",
         "offers": {"@type": "Offer", "price": 120, "priceCurrency": "EUR",
                    "availability": "https://schema.org/InStock"}},
        {"@type": "Product", "sku": "WS-M", "name": "Wool Sweater M",
         "offers": {"@type": "Offer", "price": 125, "priceCurrency": "EUR",
                    "availability": "https://schema.org/BackOrder"}},
    ]}


@pytest.mark.parametrize(("query", "price", "stock"), [
    ("?variant=4002", 79.0, True),
    ("?variant=4003", 95.0, False),
    ("?sku=TS-41", 79.0, True),
])
def test_the_linked_variant_is_read(query: str, price: float, stock: bool) -> None:
    result = extract(ld(SHOPIFY_OFFERS), url="https://shop.example/products/trail-shoe" + query,
                     kind=Kind.PRICE)
    assert (result.readings[0].value, result.in_stock) == (price, stock)
    assert result.source == "json-ld"


def test_without_a_variant_the_shown_one_not_the_cheapest() -> None:
    body = "<h1>Trail Shoe</h1><span class='price'>$89.00</span>"
    result = extract(ld(SHOPIFY_OFFERS, body=body), kind=Kind.PRICE)
    assert result.readings[0].value == 89.0
    # Nothing shown: the first available variant (the shop's default), still not the cheapest.
    assert extract(ld(SHOPIFY_OFFERS), kind=Kind.PRICE).readings[0].value == 89.0


def test_product_group_variant_by_sku_and_its_own_stock() -> None:
    html = ld(PRODUCT_GROUP, body="<h1>Wool Sweater</h1>")
    result = extract(html, url="https://shop.example/p/ws?sku=WS-M", kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (125.0, "EUR")
    assert result.in_stock is False  # BackOrder: not buyable now
    assert result.title == "Wool Sweater"


def test_item_list_before_the_product_is_not_the_product() -> None:
    item_list = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "item": {
            "@type": "Product", "name": "Camp Mug", "offers": {
                "@type": "Offer", "price": "12.00", "priceCurrency": "USD"}}}]}
    main = {"@context": "https://schema.org", "@type": "Product", "name": "Trail Shoe",
            "offers": {"@type": "Offer", "price": "89.00", "priceCurrency": "USD"}}
    result = extract(ld(item_list, main), kind=Kind.PRICE)
    assert (result.readings[0].value, result.title) == (89.0, "Trail Shoe")


def test_related_product_blocks_lose_to_the_one_named_like_the_heading() -> None:
    other = {"@type": "Product", "name": "Gaiters", "offers": {"price": "25", "priceCurrency": "USD"}}
    main = {"@type": "Product", "name": "Trail Shoe", "offers": {"price": "89", "priceCurrency": "USD"}}
    assert extract(ld(other, main), kind=Kind.PRICE).readings[0].value == 89.0


@pytest.mark.parametrize(("availability", "stock"), [
    ("InStock", True), ("LimitedAvailability", True), ("OnlineOnly", True),
    ("InStoreOnly", True), ("OutOfStock", False), ("SoldOut", False),
    ("Discontinued", False), ("BackOrder", False), ("PreOrder", False), ("PreSale", False),
])
def test_availability_meanings(availability: str, stock: bool) -> None:
    product = {"@type": "Product", "name": "Trail Shoe", "offers": {
        "price": "89", "priceCurrency": "USD",
        "availability": f"https://schema.org/{availability}"}}
    assert extract(ld(product), kind=Kind.PRICE).in_stock is stock


SHOPIFY_JSON_PAGE = """<html lang="en-CA"><head><script type="application/ld+json">
{"@type": "Product", "name": "Canoe Paddle", "offers": {"@type": "Offer", "price": "149.00",
 "priceCurrency": "CAD", "availability": "http://schema.org/InStock"}}</script></head><body>
<h1>Canoe Paddle</h1><span class="price">$149.00</span>
<script type="application/json" id="ProductJson-product-template">
{"id": 77, "title": "Canoe Paddle", "handle": "canoe-paddle", "price": 14900, "price_min": 14900,
 "compare_at_price": null, "variants": [
  {"id": 9901, "title": "Cherry", "price": 14900, "compare_at_price": 16900, "available": true,
   "sku": "CP-CH", "requires_shipping": true},
  {"id": 9902, "title": "Walnut", "price": 17900, "compare_at_price": null, "available": false,
   "sku": "CP-WA", "requires_shipping": true}]}</script></body></html>"""


def test_shopify_product_json_gives_the_linked_variant_in_dollars_not_cents() -> None:
    result = extract(SHOPIFY_JSON_PAGE, url="https://paddles.example/products/canoe-paddle?variant=9902",
                     kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (179.0, "CAD")
    assert (result.source, result.in_stock) == ("page-json", False)


NEXT_PAGE = """<html lang="en-AU"><head><title>Swag Tent | Outback Gear</title></head><body>
<div id="__next"><h1>Swag Tent</h1><div class="price-block"></div></div>
<script id="__NEXT_DATA__" type="application/json">{"props": {"pageProps": {"product": {
 "sku": "SW-1", "name": "Swag Tent", "price": {"current": {"value": 329.0}, "was": {"value": 399.0},
 "currency": "AUD"}, "availableForSale": true}, "related": [{"sku": "PEG", "name": "Pegs",
 "price": {"current": {"value": 9.0}, "currency": "AUD"}}]}}}</script></body></html>"""


def test_next_data_product_when_the_dom_shows_no_price() -> None:
    result = extract(NEXT_PAGE, kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (329.0, "AUD")
    assert (result.source, result.in_stock) == ("page-json", True)


def test_recorded_api_response_when_the_dom_shows_no_price() -> None:
    html = "<html lang='de-DE'><body><h1>Wanderstock</h1><div id='app'></div></body></html>"
    body = json.dumps({"data": {"product": {"id": "WS-9", "name": "Wanderstock", "listPrice": 59.9,
                                            "salePrice": 44.9, "currencyCode": "EUR", "inStock": False}}})
    result = extract(html, kind=Kind.PRICE, data=[("https://api.example/p/WS-9", body)])
    assert (result.readings[0].value, result.readings[0].unit) == (44.9, "EUR")
    # The price comes from the recorded answer; its stock does not: the page shows none.
    assert result.in_stock is None


def test_ambiguous_page_fails_with_candidates_and_probe_lists_them() -> None:
    html = ("<html lang='en'><body><h1>Lantern</h1><div class='prices'>"
            "<span class='price'>$30.00</span> <span class='price'>$24.00</span></div>"
            "</body></html>")
    with pytest.raises(ExtractionError, match=r"30 USD .* and 24 USD .*selector") as info:
        extract(html, kind=Kind.PRICE)
    cands = info.value.candidates
    assert [c.value for c in cands] == [30.0, 24.0]
    out = ProbeResult(url="http://x/", kind=Kind.PRICE, error=info.value).to_json()
    assert [c["value"] for c in out["candidates"]] == [30.0, 24.0]
    # Each candidate's selector picks exactly that amount when given back as a selector.
    for cand in cands:
        picked = extract(html, kind=Kind.PRICE, selector=cand.selector)
        assert picked.readings[0].value == cand.value


def test_structured_price_decides_and_candidates_come_along() -> None:
    product = {"@type": "Product", "name": "Lantern", "offers": {"price": "24", "priceCurrency": "USD"}}
    html = ld(product, body="<h1>Lantern</h1><span class='a'>$30.00</span> <span class='b'>$24.00</span>")
    result = extract(html, kind=Kind.PRICE)
    assert result.readings[0].value == 24.0
    assert {c.selector for c in result.candidates} == {"span.a", "span.b"}
    out = ProbeResult(url="http://x/", kind=Kind.PRICE, extraction=result).to_json()
    assert out["candidates"][0]["context"]


VTEX_STATE = """<html lang="pt-BR"><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Product", "name": "Panela de Ferro 24 cm",
 "offers": {"@type": "AggregateOffer", "lowPrice": 189.9, "highPrice": 229.9, "priceCurrency": "BRL",
  "offers": [{"@type": "Offer", "price": 189.9, "sku": "3301", "availability": "http://schema.org/InStock"},
             {"@type": "Offer", "price": 229.9, "sku": "3302", "availability": "http://schema.org/OutOfStock"}]}}
</script></head><body><h1>Panela de Ferro 24 cm</h1><span class="sellingPrice">R$ 189,90</span></body></html>"""


@pytest.mark.parametrize(("query", "price", "stock"), [
    ("?skuId=3302", 229.9, False), ("", 189.9, True)])
def test_aggregate_offer_lists_its_variants(query: str, price: float, stock: bool) -> None:
    result = extract(VTEX_STATE, url="https://loja.example/panela/p" + query, kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit, result.in_stock) == (
        price, "BRL", stock)


def test_vtex_items_in_page_state_give_the_linked_sku() -> None:
    state = {"Product:panela": {"productName": "Panela de Ferro 24 cm", "items": [
        {"itemId": "3301", "sellers": [{"commertialOffer": {
            "Price": 189.9, "ListPrice": 249.9, "spotPrice": 170.91, "AvailableQuantity": 4}}]},
        {"itemId": "3302", "sellers": [{"commertialOffer": {
            "Price": 229.9, "ListPrice": 249.9, "spotPrice": 206.91, "AvailableQuantity": 0}}]}]}}
    html = ("<html lang='pt-BR'><body><h1>Panela de Ferro 24 cm</h1>"
            "<span class='sellingPrice'>R$ 189,90</span><script>window.__STATE__ = "
            + json.dumps(state) + ";</script></body></html>")
    result = extract(html, url="https://loja.example/panela/p?skuId=3302", kind=Kind.PRICE)
    assert (result.readings[0].value, result.readings[0].unit) == (229.9, "BRL")
    assert (result.source, result.in_stock) == ("page-json", False)


def test_a_loose_offer_pointing_at_its_product() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Product", "@id": "#p", "name": "Trail Shoe"},
        {"@type": "Offer", "itemOffered": {"@id": "#p"}, "price": "89.00",
         "priceCurrency": "USD", "availability": "https://schema.org/InStock"}]}
    result = extract(ld(graph), kind=Kind.PRICE)
    assert (result.readings[0].value, result.title, result.in_stock) == (89.0, "Trail Shoe", True)


@pytest.mark.parametrize(("stated", "shown", "price"), [
    ("1.299", "1.299,00 €", 1299.0), ("4999", "49,99 €", 49.99), ("49.99", "49,99 €", 49.99)])
def test_structured_price_in_the_wrong_unit_is_put_right_by_the_page(
        stated: str, shown: str, price: float) -> None:
    product = {"@type": "Product", "name": "Trail Shoe",
               "offers": {"price": stated, "priceCurrency": "EUR"}}
    html = ld(product, body=f"<h1>Trail Shoe</h1><span class='price'>{shown}</span>", lang="de")
    assert extract(html, kind=Kind.PRICE).readings[0].value == price


def test_one_product_block_per_variant_share_a_pool() -> None:
    blocks = [{"@type": "Product", "name": "Trail Shoe", "sku": sku,
               "offers": {"price": price, "priceCurrency": "USD", "availability": avail}}
              for sku, price, avail in (("TS-40", "89", "InStock"), ("TS-41", "79", "InStock"))]
    body = "<h1>Trail Shoe</h1><span class='price'>$79.00</span>"
    assert extract(ld(*blocks, body=body), kind=Kind.PRICE).readings[0].value == 79.0
    assert extract(ld(*blocks), url="https://x.example/p?sku=TS-41",
                   kind=Kind.PRICE).readings[0].value == 79.0
