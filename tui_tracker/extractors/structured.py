"""Prices a shop states for machines: JSON-LD, microdata, OpenGraph product meta.

These beat any text heuristic because the shop itself says which number is the
price. The JSON-LD of a page is parsed once (`JsonLd`) into products, each with its
offers (one per variant when the shop lists them) so the caller can pick the main
product (not the items of a category ItemList or a "related" list) and the variant
the address names. A broken block is skipped (shops ship trailing commas and
unescaped quotes) and the next source gets its turn.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import lxml.etree

from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import Document, is_struck, node_text
from tui_tracker.extractors.money import Money, normalise_code, parse_price

MAX_JSON_NODES = 50_000
"""Stop walking a JSON-LD document after this many objects (bounds hostile input)."""

_IN_STOCK = frozenset({
    "instock", "instoreonly", "onlineonly", "limitedavailability", "madetoorder",
    "available", "availablefororder", "true",
})
"""Availability values that mean "a buyer can have it now"."""
_OUT_OF_STOCK = frozenset({
    "outofstock", "soldout", "discontinued", "oos", "unavailable", "notavailable",
    "outofstockonline", "backorder", "preorder", "presale", "false", "reserved",
})
"""Values that mean "not buyable now": back-orders and pre-orders included (DESIGN)."""
_NOT_A_SALE_PRICE = frozenset({"strikethroughprice", "listprice", "msrp", "srp",
                               "invoiceprice", "minimumadvertisedprice"})
_LISTING_KEYS = frozenset({"itemlistelement", "isrelatedto", "issimilarto",
                           "isaccessoryorsparepartfor", "isconsumablefor", "related",
                           "relatedproducts"})
"""Keys under which schema.org puts other products than the page's own."""
_ID_KEYS = ("sku", "gtin", "gtin8", "gtin12", "gtin13", "gtin14", "mpn", "productID",
            "@id", "url", "identifier")


@dataclass(frozen=True, slots=True)
class Found:
    """A price from structured data, with what else the same source said."""

    money: Money
    source: str
    name: str | None = None
    in_stock: bool | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """One stated price of a product (often one variant), with its identifiers."""

    money: Money
    in_stock: bool | None
    keys: frozenset[str]
    """Lower-cased identifiers (sku, gtin, @id, url and the url's query values)."""


@dataclass(slots=True)
class Product:
    """A schema.org thing with offers (Product, ProductGroup, ...), in page order."""

    name: str | None
    urls: list[str]
    offers: list[Offer] = field(default_factory=list)
    listed: bool = False
    """Reached through an ItemList or a related-items property: not the page's product."""
    is_product: bool = False
    range_low: bool = False
    """Its price is an AggregateOffer's lowPrice (the low end of a range)."""


def availability(value: object) -> bool | None:
    """schema.org/OpenGraph availability (URL, `schema:` name or bare word) as a bool."""
    if isinstance(value, bool):
        return value
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


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str):
        return clean_text(value) or None
    return None


def id_keys(value: Any) -> set[str]:
    """An identifier as match keys: itself, and for a URL its query values and last path part."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        return set()
    v = value.strip()
    keys = {v.lower()}
    if "/" in v or "?" in v:
        try:
            parts = urlsplit(v)
        except ValueError:
            return keys
        keys.update(val.lower() for _k, val in parse_qsl(parts.query) if val)
        if parts.fragment:
            keys.add(parts.fragment.lower())
    return keys


# ---------------------------------------------------------------- JSON-LD


def _json_ld_documents(doc: Document) -> Iterator[Any]:
    for script in doc.root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = (script.text or "").strip()
        # Some CMSs wrap the block in an HTML comment or CDATA.
        text = re.sub(r"^(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)$", "", text).strip()
        try:
            yield json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue  # a broken block: skip it, the next source may still work


class JsonLd:
    """All JSON-LD objects of a page, parsed once, with an `@id` index and listing flags."""

    def __init__(self, doc: Document) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.listed: set[int] = set()
        self.variant_of: dict[int, dict[str, Any]] = {}
        """id(variant node) -> its ProductGroup node."""
        for d in _json_ld_documents(doc):
            self._walk(d)
        self.by_id: dict[str, dict[str, Any]] = {}
        for n in self.nodes:
            node_id = n.get("@id")
            # The fullest object with an id wins over bare {"@id": ...} references.
            if isinstance(node_id, str) and len(n) > len(self.by_id.get(node_id, {})):
                self.by_id[node_id] = n
        self._products: list[Product] | None = None

    def _walk(self, data: Any) -> None:
        """Every object in document order, iteratively and bounded, noting listed ones."""
        stack: list[tuple[Any, bool, dict[str, Any] | None]] = [(data, False, None)]
        while stack and len(self.nodes) < MAX_JSON_NODES:
            item, listed, group = stack.pop()
            if isinstance(item, dict):
                self.nodes.append(item)
                if listed:
                    self.listed.add(id(item))
                if group is not None:
                    self.variant_of[id(item)] = group
                children = []
                for key, value in item.items():
                    k = key.lower() if isinstance(key, str) else ""
                    child_group = item if k == "hasvariant" else None
                    children.append((value, listed or k in _LISTING_KEYS, child_group))
                stack.extend(reversed(children))
            elif isinstance(item, list):
                stack.extend((v, listed, group) for v in reversed(item))

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("@id"), str):
            return self.by_id.get(value["@id"], value)
        if isinstance(value, str) and value in self.by_id:
            return self.by_id[value]
        return value

    @property
    def name(self) -> str | None:
        """The first product's name, even when it carries no usable price."""
        for node in self.nodes:
            if id(node) in self.listed:
                continue
            if ("product" in _type_names(node) or "productgroup" in _type_names(node)
                    or "offers" in node):
                name = _text(node.get("name"))
                if name:
                    return name
        return None

    @property
    def stock(self) -> bool | None:
        """The first stated availability of a not-listed node."""
        for node in self.nodes:
            if id(node) not in self.listed and "availability" in node:
                value = availability(node.get("availability"))
                if value is not None:
                    return value
        return None

    def products(self) -> list[Product]:
        """Things with offers, in page order; a ProductGroup carries its variants' offers."""
        if self._products is not None:
            return self._products
        out: list[Product] = []
        groups: dict[int, Product] = {}
        for node in self.nodes:
            types = _type_names(node)
            group = self.variant_of.get(id(node))
            if group is not None and id(group) in groups:
                target = groups[id(group)]
                keys = _node_keys(node)
                for offer in _as_list(node.get("offers")):
                    target.offers.extend(self._offers(offer, None, keys))
                continue
            if "offers" not in node and "hasvariant" not in {k.lower() for k in node}:
                continue
            if types & {"offer", "aggregateoffer"}:
                continue  # nested offers are read through their product
            product = Product(
                name=_text(node.get("name")),
                urls=[u for u in (_text(node.get("url")), _text(node.get("@id"))) if u],
                listed=id(node) in self.listed,
                is_product=bool(types & {"product", "productgroup", "individualproduct",
                                         "productmodel", "vehicle", "book"}))
            keys = _node_keys(node)
            hint = normalise_code(node.get("priceCurrency"))
            for offer in _as_list(node.get("offers")):
                offer_node = self.resolve(offer)
                if isinstance(offer_node, dict) and "aggregateoffer" in _type_names(
                        offer_node) and offer_node.get("lowPrice") is not None:
                    product.range_low = True
                product.offers.extend(self._offers(offer, hint, keys))
            if "hasvariant" in {k.lower() for k in node}:
                groups[id(node)] = product
            out.append(product)
        if not any(p.offers for p in out):
            out.extend(self._loose_offers())
        self._products = out
        return out

    def _loose_offers(self) -> list[Product]:
        """Offers standing alone (`itemOffered` pointing at the product, or no product)."""
        out: list[Product] = []
        for node in self.nodes:
            if not _type_names(node) & {"offer", "aggregateoffer"} or id(node) in self.listed:
                continue
            item = self.resolve(node.get("itemOffered"))
            name = _text(item.get("name")) if isinstance(item, dict) else None
            offers = self._offers(node, None, _node_keys(item) if isinstance(item, dict)
                                  else frozenset())
            if offers:
                out.append(Product(name=name, urls=[], offers=offers, is_product=True))
                break
        return out

    def _offers(self, offer: Any, hint: str | None, keys: frozenset[str],
                depth: int = 0) -> list[Offer]:
        """Offers of one Offer/AggregateOffer node, following nested offers."""
        offer = self.resolve(offer)
        if not isinstance(offer, dict) or depth > 5:
            return []
        currency = normalise_code(offer.get("priceCurrency")) or hint
        stock = availability(offer.get("availability"))
        own = frozenset(keys | _node_keys(offer))
        raw = offer.get("lowPrice") if "aggregateoffer" in _type_names(offer) else None
        if raw is None:
            raw = offer.get("price")
        money = parse_price(raw, currency_hint=currency, allow_free=False) if raw not in (
            None, "") else None
        if money is None and offer.get("priceSpecification") is not None:
            money = self._spec_price(offer["priceSpecification"], currency)
        results: list[Offer] = []
        if money is not None and money.amount > 0:
            # Price 0 in structured data usually means "ask us", not "free".
            results.append(Offer(money, stock, own))
            if "aggregateoffer" not in _type_names(offer):
                return results
        # An AggregateOffer may list its offers (one per variant) after its lowPrice.
        for inner in _as_list(offer.get("offers")):
            results.extend(self._offers(inner, currency, keys, depth + 1))
        return results

    def _spec_price(self, spec_value: Any, hint: str | None) -> Money | None:
        """The sale price among priceSpecification entries; struck/list/unit prices skipped."""
        specs = [self.resolve(s) for s in _as_list(spec_value)]
        specs = [s for s in specs if isinstance(s, dict)]
        ranked: list[tuple[int, Money]] = []
        for spec in specs:
            ptype = spec.get("priceType")
            word = re.split(r"[/:#]", ptype)[-1].lower() if isinstance(ptype, str) else ""
            if word in _NOT_A_SALE_PRICE:
                continue
            if spec.get("referenceQuantity") is not None and len(specs) > 1:
                continue  # a unit price ("per 100 g") next to the real one
            if spec.get("eligibleQuantity") is not None and len(specs) > 1:
                continue  # a bulk tier
            money = parse_price(spec.get("price"), allow_free=False,
                                currency_hint=normalise_code(spec.get("priceCurrency")) or hint)
            if money is not None and money.amount > 0:
                ranked.append((0 if word == "saleprice" else 1, money))
        if not ranked:
            return None
        return min(ranked, key=lambda r: r[0])[1]


def _node_keys(node: dict[str, Any]) -> frozenset[str]:
    keys: set[str] = set()
    for name in _ID_KEYS:
        for value in _as_list(node.get(name)):
            keys |= id_keys(value)
    return frozenset(keys)


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


def _product_scope(el: lxml.etree._Element) -> lxml.etree._Element | None:
    """The nearest Product item around `el` (through its Offer), else the nearest item."""
    first = None
    for anc in el.iterancestors():
        if anc.get("itemscope") is not None:
            first = first if first is not None else anc
            if "product" in (anc.get("itemtype") or "").lower():
                return anc
    return first


def _struck_context(el: lxml.etree._Element) -> bool:
    return is_struck(el) or any(is_struck(a) for a in el.iterancestors())


def _norm(text: str | None) -> str:
    return re.sub(r"[\W_]+", "", (text or "").lower())


def names_match(name: str | None, wanted: list[str]) -> bool:
    """True when a product name and one of the page's names (h1, og:title) contain each other."""
    n = _norm(name)
    if len(n) < 3:
        return False
    return any(w and (n in w or w in n) for w in (_norm(x) for x in wanted) if len(w) >= 3)


def from_microdata(doc: Document, wanted: list[str] | None = None,
                   hint: str | None = None) -> Found | None:
    """`itemprop=price` (content attribute or text) with the closest `priceCurrency`.

    With several Product items (related products marked up too) the one whose name
    matches the page's heading wins, else the first.
    """
    found: list[tuple[bool, Found]] = []
    for sel in doc.sel.xpath(_itemprop("price")):
        el = sel.root
        if _struck_context(el):
            continue
        scope = _scope(el)
        product = _product_scope(el)
        cur = None
        holders = scope.xpath("." + _itemprop("priceCurrency")) if scope is not None else []
        holders = holders or doc.root.xpath(_itemprop("priceCurrency"))
        if holders:
            cur = normalise_code(_prop_value(holders[0]))
        money = parse_price(clean_text(_prop_value(el)), currency_hint=cur or hint)
        if money is None or (money.amount == 0 and el.get("content") is not None):
            continue
        name = _scope_name(product) if product is not None else None
        stock = _scope_availability(scope, product)
        matched = bool(wanted) and names_match(name, wanted or [])
        found.append((matched, Found(money, "microdata", name or microdata_name(doc),
                                     stock if stock is not None else
                                     microdata_availability(doc))))
        if matched or not wanted:
            break
    if not found:
        return None
    for matched, item in found:
        if matched:
            return item
    return found[0][1]


def _scope_name(scope: lxml.etree._Element) -> str | None:
    for el in scope.xpath("." + _itemprop("name")):
        if _scope(el) is scope:
            name = clean_text(_prop_value(el))
            if name:
                return name
    return None


def _scope_availability(*scopes: lxml.etree._Element | None) -> bool | None:
    for scope in scopes:
        if scope is None:
            continue
        for el in scope.xpath("." + _itemprop("availability")):
            value = availability(_prop_value(el))
            if value is not None:
                return value
    return None


def microdata_name(doc: Document) -> str | None:
    """The `name` property of the first schema.org Product item."""
    for scope in doc.root.xpath('//*[@itemscope][contains(@itemtype, "Product")]'):
        name = _scope_name(scope)
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


def meta(doc: Document, *names: str) -> str | None:
    """The first non-empty `<meta property|name=...>` content among `names`."""
    for name in names:
        values = doc.sel.xpath(
            f'//meta[@property="{name}" or @name="{name}"]/@content').getall()
        for v in values:
            if v.strip():
                return v
    return None


def from_opengraph(doc: Document, hint: str | None = None) -> Found | None:
    """`product:price:amount` + `product:price:currency` (a sale price wins when given)."""
    currency = normalise_code(meta(doc, "product:price:currency", "og:price:currency"))
    sale = meta(doc, "product:sale_price:amount", "og:sale_price:amount")
    regular = meta(doc, "product:price:amount", "og:price:amount")
    for raw, cur_names in ((sale, ("product:sale_price:currency",)), (regular, ())):
        if raw is None:
            continue
        own = normalise_code(meta(doc, *cur_names)) if cur_names else None
        money = parse_price(clean_text(raw), currency_hint=own or currency or hint,
                            allow_free=False)
        if money is not None and money.amount > 0:
            name = meta(doc, "og:title")
            return Found(money, "opengraph", clean_text(name) if name else None,
                         opengraph_availability(doc))
    return None


def opengraph_availability(doc: Document) -> bool | None:
    return availability(meta(doc, "product:availability", "og:availability"))


def page_currency(doc: Document) -> str | None:
    """A currency the page states anywhere in its metadata (a hint for bare symbols)."""
    raw = meta(doc, "product:price:currency", "og:price:currency")
    if raw:
        return normalise_code(raw)
    holders = doc.root.xpath(_itemprop("priceCurrency"))
    return normalise_code(_prop_value(holders[0])) if holders else None
