"""Prices a shop states for machines: JSON-LD, microdata, OpenGraph product meta.

These beat any text heuristic because the shop itself says which number is the
price. Sources are tried in that order; a broken JSON-LD block is skipped (shops
ship trailing commas and unescaped quotes) and the next source gets its turn.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.etree

from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import Document, is_struck, node_text
from tui_tracker.extractors.money import Money, normalise_code, parse_price

MAX_JSON_NODES = 50_000
"""Stop walking a JSON-LD document after this many objects (bounds hostile input)."""

_IN_STOCK = frozenset({
    "instock", "instoreonly", "onlineonly", "limitedavailability", "preorder", "presale",
    "backorder", "madetoorder", "available", "availablefororder", "inStock".lower(),
})
"""Availability values that mean "can be ordered now" (pre-orders and back-orders
included: the shopper can buy, which is what a back-in-stock alert is about)."""
_OUT_OF_STOCK = frozenset({"outofstock", "soldout", "discontinued", "oos", "unavailable",
                           "notavailable", "outofstockonline"})
_NOT_A_SALE_PRICE = frozenset({"strikethroughprice", "listprice", "msrp", "srp",
                               "invoiceprice", "minimumadvertisedprice"})


@dataclass(frozen=True, slots=True)
class Found:
    """A price from structured data, with what else the same source said."""

    money: Money
    source: str
    name: str | None = None
    in_stock: bool | None = None


def availability(value: object) -> bool | None:
    """schema.org/OpenGraph availability (URL, `schema:` name or bare word) as a bool."""
    if not isinstance(value, str):
        return None
    word = re.split(r"[/:#]", value.strip())[-1]
    word = re.sub(r"[^a-z]", "", word.lower())
    if word in _IN_STOCK:
        return True
    if word in _OUT_OF_STOCK:
        return False
    return None


def _type_names(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {re.split(r"[/:#]", n)[-1].lower() for n in names if isinstance(n, str)}


# ---------------------------------------------------------------- JSON-LD


def _json_ld_documents(doc: Document) -> Iterator[Any]:
    scripts = doc.sel.xpath(
        '//script[contains(translate(@type, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", '
        '"abcdefghijklmnopqrstuvwxyz"), "ld+json")]/text()'
    ).getall()
    for raw in scripts:
        text = raw.strip()
        # Some CMSs wrap the block in an HTML comment or CDATA.
        text = re.sub(r"^(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)$", "", text).strip()
        try:
            yield json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue  # a broken block: skip it, the next source may still work


def _walk(data: Any) -> list[dict[str, Any]]:
    """Every JSON object in document order, iteratively and bounded."""
    out: list[dict[str, Any]] = []
    stack: list[Any] = [data]
    while stack and len(out) < MAX_JSON_NODES:
        item = stack.pop()
        if isinstance(item, dict):
            out.append(item)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return out


class _Graph:
    """All JSON-LD objects of a page, with an `@id` index to resolve references."""

    def __init__(self, docs: list[Any]) -> None:
        self.nodes: list[dict[str, Any]] = []
        for d in docs:
            self.nodes.extend(_walk(d))
        self.by_id: dict[str, dict[str, Any]] = {}
        for n in self.nodes:
            node_id = n.get("@id")
            # The fullest object with an id wins over bare {"@id": ...} references.
            if isinstance(node_id, str) and len(n) > len(self.by_id.get(node_id, {})):
                self.by_id[node_id] = n

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("@id"), str):
            return self.by_id.get(value["@id"], value)
        if isinstance(value, str) and value in self.by_id:
            return self.by_id[value]
        return value


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _spec_price(spec_value: Any, graph: _Graph, hint: str | None) -> Money | None:
    """The sale price among priceSpecification entries; struck/list prices are skipped."""
    specs = [graph.resolve(s) for s in _as_list(spec_value)]
    specs = [s for s in specs if isinstance(s, dict)]
    ranked: list[tuple[int, Money]] = []
    for spec in specs:
        ptype = spec.get("priceType")
        word = re.split(r"[/:#]", ptype)[-1].lower() if isinstance(ptype, str) else ""
        if word in _NOT_A_SALE_PRICE:
            continue
        if spec.get("referenceQuantity") is not None and len(specs) > 1:
            continue  # a unit price ("per 100 g") next to the real one
        money = parse_price(spec.get("price"), allow_free=False,
                            currency_hint=normalise_code(spec.get("priceCurrency")) or hint)
        if money is not None and money.amount > 0:
            ranked.append((0 if word == "saleprice" else 1, money))
    if not ranked:
        return None
    return min(ranked, key=lambda r: r[0])[1]


def _offer_prices(offer: Any, graph: _Graph, hint: str | None,
                  depth: int = 0) -> list[tuple[Money, bool | None]]:
    """(price, in_stock) for one Offer/AggregateOffer, following nested offers."""
    offer = graph.resolve(offer)
    if not isinstance(offer, dict) or depth > 5:
        return []
    currency = normalise_code(offer.get("priceCurrency")) or hint
    stock = availability(offer.get("availability"))
    types = _type_names(offer)
    results: list[tuple[Money, bool | None]] = []
    raw = offer.get("lowPrice") if "aggregateoffer" in types else None
    if raw is None:
        raw = offer.get("price")
    money = parse_price(raw, currency_hint=currency, allow_free=False) if raw not in (
        None, "") else None
    if money is None and offer.get("priceSpecification") is not None:
        money = _spec_price(offer["priceSpecification"], graph, currency)
    if money is not None and money.amount > 0:
        # Price 0 in structured data usually means "ask us", not "free".
        results.append((money, stock))
    if not results:
        for inner in _as_list(offer.get("offers")):
            results.extend(_offer_prices(inner, graph, currency, depth + 1))
    return results


def _choose(prices: list[tuple[Money, bool | None]]) -> tuple[Money, bool | None]:
    """Lowest in-stock offer (variants), else the lowest; in_stock if any offer is."""
    stocks = [s for _, s in prices]
    in_stock = True if True in stocks else (False if stocks and all(
        s is False for s in stocks) else None)
    pool = [p for p in prices if p[1] is True] or prices
    return min(pool, key=lambda p: p[0].amount)[0], in_stock


def from_json_ld(doc: Document) -> Found | None:
    """The price of the first Product (or other thing with offers) in the page's JSON-LD."""
    graph = _Graph(list(_json_ld_documents(doc)))
    if not graph.nodes:
        return None
    first_name: str | None = None
    for node in graph.nodes:
        if "offers" not in node:
            continue
        name = clean_text(node.get("name")) if isinstance(node.get("name"), str) else None
        first_name = first_name or name
        hint = normalise_code(node.get("priceCurrency"))
        prices: list[tuple[Money, bool | None]] = []
        for offer in _as_list(node.get("offers")):
            prices.extend(_offer_prices(offer, graph, hint))
        if prices:
            money, in_stock = _choose(prices)
            return Found(money, "json-ld", name or None, in_stock)
    # Offers on their own (no product object around them).
    for node in graph.nodes:
        if _type_names(node) & {"offer", "aggregateoffer"}:
            prices = _offer_prices(node, graph, None)
            if prices:
                money, in_stock = _choose(prices)
                return Found(money, "json-ld", first_name, in_stock)
    return None


def json_ld_facts(doc: Document) -> tuple[str | None, bool | None]:
    """(product name, availability) from JSON-LD even when it carries no usable price."""
    graph = _Graph(list(_json_ld_documents(doc)))
    name: str | None = None
    stock: bool | None = None
    for node in graph.nodes:
        types = _type_names(node)
        if name is None and ("product" in types or "offers" in node):
            raw = node.get("name")
            name = clean_text(raw) if isinstance(raw, str) and raw.strip() else None
        if stock is None and "availability" in node:
            stock = availability(node.get("availability"))
    return name, stock


# ---------------------------------------------------------------- microdata


def _itemprop(name: str) -> str:
    return (f'//*[contains(concat(" ", normalize-space(@itemprop), " "), " {name} ")]')


def _prop_value(el: lxml.etree._Element) -> str:
    for attr in ("content", "href", "value"):
        value = el.get(attr)
        if value is not None and (attr != "href" or el.get("itemprop")):
            return value
    return node_text(el, limit=2000)


def _scope(el: lxml.etree._Element) -> lxml.etree._Element | None:
    for anc in el.iterancestors():
        if anc.get("itemscope") is not None:
            return anc
    return None


def _struck_context(el: lxml.etree._Element) -> bool:
    return is_struck(el) or any(is_struck(a) for a in el.iterancestors())


def from_microdata(doc: Document) -> Found | None:
    """`itemprop=price` (content attribute or text) with the closest `priceCurrency`."""
    for sel in doc.sel.xpath(_itemprop("price")):
        el = sel.root
        if _struck_context(el):
            continue
        scope = _scope(el)
        hint = None
        holders = scope.xpath("." + _itemprop("priceCurrency")) if scope is not None else []
        holders = holders or doc.root.xpath(_itemprop("priceCurrency"))
        if holders:
            hint = normalise_code(_prop_value(holders[0]))
        money = parse_price(clean_text(_prop_value(el)), currency_hint=hint)
        if money is None or (money.amount == 0 and el.get("content") is not None):
            continue
        return Found(money, "microdata", microdata_name(doc), microdata_availability(doc))
    return None


def microdata_name(doc: Document) -> str | None:
    """The `name` property of the first schema.org Product item."""
    for scope in doc.root.xpath('//*[@itemscope][contains(@itemtype, "Product")]'):
        for el in scope.xpath("." + _itemprop("name")):
            if _scope(el) is scope:
                name = clean_text(_prop_value(el))
                if name:
                    return name
    return None


def microdata_availability(doc: Document) -> bool | None:
    for el in doc.root.xpath(_itemprop("availability")):
        value = availability(_prop_value(el))
        if value is not None:
            return value
    return None


# ---------------------------------------------------------------- OpenGraph


def _meta(doc: Document, *names: str) -> str | None:
    for name in names:
        values = doc.sel.xpath(
            f'//meta[@property="{name}" or @name="{name}"]/@content').getall()
        for v in values:
            if v.strip():
                return v
    return None


def from_opengraph(doc: Document) -> Found | None:
    """`product:price:amount` + `product:price:currency` (a sale price wins when given)."""
    currency = normalise_code(_meta(doc, "product:price:currency", "og:price:currency"))
    sale = _meta(doc, "product:sale_price:amount", "og:sale_price:amount")
    regular = _meta(doc, "product:price:amount", "og:price:amount")
    for raw, cur_names in ((sale, ("product:sale_price:currency",)), (regular, ())):
        if raw is None:
            continue
        hint = normalise_code(_meta(doc, *cur_names)) if cur_names else None
        money = parse_price(clean_text(raw), currency_hint=hint or currency, allow_free=False)
        if money is not None and money.amount > 0:
            name = _meta(doc, "og:title")
            return Found(money, "opengraph", clean_text(name) if name else None,
                         opengraph_availability(doc))
    return None


def opengraph_availability(doc: Document) -> bool | None:
    return availability(_meta(doc, "product:availability", "og:availability"))


def page_currency(doc: Document) -> str | None:
    """A currency the page states anywhere in its metadata (a hint for bare symbols)."""
    raw = _meta(doc, "product:price:currency", "og:price:currency")
    if raw:
        return normalise_code(raw)
    holders = doc.root.xpath(_itemprop("priceCurrency"))
    return normalise_code(_prop_value(holders[0])) if holders else None
