"""Prices in the JSON a shop page carries for its scripts or fetched from its API.

JS-driven shops (Next.js `__NEXT_DATA__`, Nuxt, Shopify product JSON, VTEX, Nuvemshop,
headless storefronts) hold each product — and each variant — as an object with a price,
often a list/compare-at price, a currency and a stock flag. Key names differ, the
shape does not, so keys are classified by meaning ("salePrice" is current,
"compare_at_price"/"ListPrice" are not, "spotPrice"/"installments" are payment-method
figures). Shopify's product JSON states prices in cents; that is recognised by its
fingerprint keys or by the DOM showing the amount divided by 100.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import Document
from tui_tracker.extractors.embedded import json_blobs, walk
from tui_tracker.extractors.jsstate import iife_states
from tui_tracker.extractors.money import Money, normalise_code, parse_price, valid_amount
from tui_tracker.extractors.structured import availability, id_keys, names_match

_CURRENT = frozenset({
    "price", "saleprice", "currentprice", "finalprice", "sellingprice", "specialprice",
    "offerprice", "ourprice", "nowprice", "discountedprice", "pricenumber", "priceamount",
    "bestprice", "actualprice", "pricevalue", "displayprice", "pricev2", "promoprice",
    "promotionalprice", "priceinfo", "pricing", "prices", "pricecents", "priceincents",
    "salepricecents", "formattedprice", "pricewithtax", "finalpricewithtax",
    "formatteddiscountedprice", "pricediscounted", "pricesale",
})
_NOT_CURRENT = frozenset({
    "listprice", "regularprice", "originalprice", "compareatprice", "compareprice",
    "compareatpricev2", "compareatpricenumber", "comparepricenumber", "wasprice", "msrp",
    "rrp", "oldprice", "pricewithoutdiscount", "strikeprice", "strikethroughprice",
    "baseprice", "unitprice", "priceperunit", "memberprice", "subscriptionprice",
    "spotprice", "pixprice", "installmentprice", "installments", "fullprice",
    "initialprice", "maxprice", "highprice", "pricemax", "pricemin", "minprice",
    "lowprice", "pricerange", "referenceprice", "rawprice", "cost", "costprice",
    "taxprice", "shippingprice", "pricewithouttax",
})
_SALE_KEY = re.compile(r"sale|discount|final|special|current|offer|promo|now|selling|best")
_IN_PRICE_CURRENT = ("current", "sale", "final", "now", "amount", "value", "selling",
                     "special", "offer", "centamount", "raw", "formatted", "display")
_ID_NAMES = frozenset({"id", "sku", "variantid", "skuid", "itemid", "variant", "code",
                       "legacyresourceid", "productid", "handle", "slug", "barcode", "gtin",
                       "ean", "upc", "articlenumber", "reference", "variationid", "uuid"})
_NAME_NAMES = ("name", "title", "productname", "displayname", "productName", "product_title")
_CURRENCY_NAMES = frozenset({"currency", "currencycode", "pricecurrency", "currencyiso",
                             "currencyisocode", "isocode"})
_STOCK_BOOL = frozenset({"available", "availableforsale", "isavailable", "instock",
                         "isinstock", "purchasable", "ispurchasable", "orderable", "buyable"})
_STOCK_NEG_BOOL = frozenset({"soldout", "issoldout", "outofstock", "isoutofstock"})
_STOCK_STR = frozenset({"availability", "stockstatus", "inventorystatus", "status",
                        "stockstate", "availabilitystatus"})
_STOCK_QTY = frozenset({"availablequantity", "inventoryquantity", "stock", "stocklevel",
                        "quantityavailable", "qty", "stockquantity"})
_SHOPIFY_MARKS = frozenset({"compare_at_price", "price_min", "price_max", "requires_shipping",
                            "inventory_management", "featured_image", "option1",
                            "price_varies", "compare_at_price_min"})
_CENTS_KEYS = frozenset({"pricecents", "priceincents", "salepricecents", "centamount"})


def _norm(key: object) -> str:
    return re.sub(r"[_\-\s]", "", key.lower()) if isinstance(key, str) else ""


@dataclass(frozen=True, slots=True)
class Item:
    """A product or variant object from page JSON, with its current price."""

    money: Money
    in_stock: bool | None
    keys: frozenset[str]
    name: str | None
    cents: bool
    """The amount was divided by 100 (stated in cents)."""
    source: str
    variant: bool
    """A member of a variants list."""
    depth: int


class JsonPrices:
    """The priced objects of a page's JSON, found once per extraction."""

    def __init__(self, doc: Document, data: Sequence[tuple[str, str]], hint: str | None,
                 dom_amounts: set[float] | None = None) -> None:
        self.items: list[Item] = []
        self.hint = hint
        self.dom = dom_amounts or set()
        for blob in json_blobs(doc, data):
            self._read(blob.value, blob.source)
        for source, value in _attribute_json(doc):
            self._read(value, source)
        for script in doc.root.iter("script"):
            code = script.text or ""
            if "function" in code and "__" in code and "ld+json" not in (
                    script.get("type") or ""):
                for name, value in iife_states(code):
                    self._read(value, f"script:{name}")

    def _read(self, value: Any, source: str) -> None:
        for path, node in walk(value):
            if not isinstance(node, dict) or len(self.items) > 2000:
                continue
            money, cents = self._price(node, path)
            stock_node = node
            if money is None:
                # VTEX-style items: {"itemId", "sellers": [{"commertialOffer": {"Price"}}]}
                inner = _owned_price_object(node) if _has_id(node) else None
                if inner is None:
                    continue
                money, cents = self._price(inner, path)
                if money is None:
                    continue
                stock_node = inner
            name = next((clean_text(node[k]) for k in _NAME_NAMES
                         if isinstance(node.get(k), str) and node[k].strip()), None)
            keys: set[str] = set()
            for k, v in node.items():
                if _norm(k) in _ID_NAMES:
                    keys |= id_keys(v)
                elif _norm(k) in ("attributes", "options", "selectedoptions") and isinstance(
                        v, dict):
                    # WooCommerce variations: {"attribute_pa_size": "large"} named by
                    # `?attribute_pa_size=large`.
                    for opt in v.values():
                        keys |= id_keys(opt) if isinstance(opt, str) else set()
            if not keys and name is None and not any(_norm(k) in _STOCK_BOOL for k in node):
                continue  # a bare price object ({"amount": ...}) is read through its owner
            variant = any(isinstance(p, str) and _norm(p) in (
                "variants", "items", "skus", "variations", "hasvariant", "nodes", "edges")
                for p in path[-3:])
            stock = _stock(stock_node)
            if stock is None and stock_node is not node:
                stock = _stock(node)
            self.items.append(Item(money, stock, frozenset(keys), name, cents,
                                   source, variant, len(path)))

    def _price(self, node: dict[str, Any], path: tuple) -> tuple[Money | None, bool]:
        currency = _currency(node) or self.hint
        shopify = bool(_SHOPIFY_MARKS & set(node))
        # A sale-like key ("discountedPrice", "salePrice") beats a plain "price" beside it.
        keys = sorted((k for k in node if _norm(k) in _CURRENT and _norm(k) not in _NOT_CURRENT),
                      key=lambda k: 0 if _SALE_KEY.search(_norm(k)) else 1)
        for key in keys:
            k = _norm(key)
            money, cents = self._amount(node[key], currency, shopify or k in _CENTS_KEYS, 0)
            if money is not None:
                return money, cents
        return None, False

    def _amount(self, value: Any, currency: str | None, cents: bool,
                depth: int) -> tuple[Money | None, bool]:
        if depth > 3:
            return None, False
        if isinstance(value, dict):
            cur = _currency(value) or currency
            frac = value.get("fractionDigits")
            for key, inner in value.items():
                k = _norm(key)
                if k in _NOT_CURRENT or not any(k.startswith(w) for w in _IN_PRICE_CURRENT):
                    continue
                if k == "centamount" and isinstance(inner, int) and isinstance(frac, int):
                    amount = valid_amount(inner / (10 ** max(0, min(frac, 4))))
                    return (Money(amount, cur), True) if amount else (None, False)
                money, was_cents = self._amount(inner, cur, cents or k == "centamount",
                                                depth + 1)
                if money is not None:
                    return money, was_cents
            return None, False
        if isinstance(value, bool) or value is None:
            return None, False
        if isinstance(value, int):
            # Cents (Shopify), or another fixed-point unit the page divides away
            # (Shopee's × 100 000, whose keys look like Shopify's): the DOM decides.
            scaled = self._scaled(value) if (
                not cents or round(value / 100, 2) not in self.dom) else None
            if scaled is not None:
                return Money(scaled, currency), True
            if cents or self._looks_cents(value):
                amount = valid_amount(value / 100)
                return (Money(amount, currency), True) if amount else (None, False)
        money = parse_price(value if not isinstance(value, str) else clean_text(value),
                            currency_hint=currency, allow_free=False)
        if money is None or money.amount <= 0:
            return None, False
        return money, False

    def _scaled(self, value: int) -> float | None:
        """An integer the API states in a fixed-point unit the page divides away before
        showing it (Shopee's price × 100 000, a thousandth), when the page shows it so."""
        if not self.dom or float(value) in self.dom:
            return None
        for factor in (100_000, 1000, 10_000):
            amount = round(value / factor, 2)
            if amount in self.dom and valid_amount(amount):
                return amount
        return None

    def _looks_cents(self, value: int) -> bool:
        return bool(self.dom) and value >= 100 and round(value / 100, 2) in self.dom and (
            float(value) not in self.dom)

    # ------------------------------------------------------------ choosing

    def for_variant(self, wanted: Sequence[str]) -> Item | None:
        """The priced object whose id/sku is one of `wanted` (the URL's variant values)."""
        if not wanted:
            return None
        want = {w.lower() for w in wanted}
        matches = [i for i in self.items if i.keys & want]
        if not matches:
            return None
        # A variant entry beats a product entry that merely shares an id.
        return max(matches, key=lambda i: (i.variant, i.depth))

    def main(self, names: list[str], dom_best: float | None) -> Item | None:
        """The page's own product: the one named like the heading, else the first product.

        Among its variants the one the DOM shows, else the first in stock, else the first.
        """
        if not self.items:
            return None
        named = [i for i in self.items if names and names_match(i.name, names)]
        pool = named or [i for i in self.items if not i.variant] or self.items
        first = pool[0]
        family = [i for i in self.items if i.source == first.source and (
            i is first or (i.variant and i.depth > first.depth))]
        if dom_best is not None:
            for item in family:
                if round(item.money.amount, 2) == round(dom_best, 2):
                    return item
        variants = [i for i in family if i.variant]
        if variants:
            return next((v for v in variants if v.in_stock is not False), variants[0])
        return first


_DATA_ATTRS = "//@*[starts-with(name(), 'data-')][starts-with(normalize-space(.), '[{') or " \
              "starts-with(normalize-space(.), '{\"')]"


def _attribute_json(doc: Document) -> list[tuple[str, Any]]:
    """JSON in `data-*` attributes (WooCommerce `data-product_variations`, Nuvemshop
    `data-variants`), decoded; bounded like page scripts."""
    out: list[tuple[str, Any]] = []
    total = 0
    for attr in doc.root.xpath(_DATA_ATTRS)[:50]:
        text = str(attr)
        total += len(text)
        if len(text) > 2_000_000 or total > 5_000_000:
            break
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict | list) and value:
            out.append((f"attribute:{attr.attrname}", value))
    return out


def _has_id(node: dict[str, Any]) -> bool:
    return any(_norm(k) in _ID_NAMES for k in node)


def _owned_price_object(node: dict[str, Any]) -> dict[str, Any] | None:
    """A price-bearing object nested (up to 3 levels, first list entries) in `node`
    that no other identified object owns."""
    stack: list[tuple[Any, int]] = [(v, 1) for v in node.values() if isinstance(v, dict | list)]
    while stack:
        value, depth = stack.pop(0)
        if isinstance(value, list):
            if value and depth <= 3:
                stack.append((value[0], depth))
            continue
        if not isinstance(value, dict) or depth > 3:
            continue
        if any(_norm(k) in _CURRENT and _norm(k) not in _NOT_CURRENT for k in value):
            return value
        if _has_id(value) and any(isinstance(v, dict | list) for v in value.values()):
            continue  # another item (a variant) owns what is below it
        stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
    return None


def _currency(node: dict[str, Any]) -> str | None:
    for key, value in node.items():
        if _norm(key) in _CURRENCY_NAMES:
            code = normalise_code(value)
            if code:
                return code
    return None


def _stock(node: dict[str, Any]) -> bool | None:
    for key, value in node.items():
        k = _norm(key)
        if k in _STOCK_BOOL and isinstance(value, bool):
            return value
        if k in _STOCK_NEG_BOOL and isinstance(value, bool):
            return not value
    for key, value in node.items():
        k = _norm(key)
        if k in _STOCK_STR and isinstance(value, str):
            word = re.sub(r"[^a-z]", "", value.lower())
            if word in ("instock", "available", "onsale", "active"):
                return True
            verdict = availability(value)
            if verdict is not None:
                return verdict
    for key, value in node.items():
        if _norm(key) in _STOCK_QTY and isinstance(value, int) and not isinstance(value, bool):
            return value > 0
    return None
