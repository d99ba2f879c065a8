"""The price a buyer pays now for this product: the order of sources and the decisions.

Order and why: a user selector wins when given (the user chose it, usually because
the structured data is wrong); otherwise structured data (the shop's own statement)
for the page's main product and the variant the address names, then the DOM read
as a person reads it (`pricedom`), then the JSON the page carries or fetched
(`pricejson`) where the DOM does not decide. When two amounts are equally plausible
and nothing decides, the check fails with a sentence naming them and carries the
candidates, instead of tossing a coin. "Free" gives 0.0 only when the price element
literally says so; "Call for price" is an error naming what the page shows.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import lxml.etree

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Candidate, Extraction, Kind, Reading
from tui_tracker.core.text import clean_text
from tui_tracker.extractors import structured
from tui_tracker.extractors.countrytext import country_currency
from tui_tracker.extractors.document import Document, node_text, page_title
from tui_tracker.extractors.heading import heading_text as shown_heading
from tui_tracker.extractors.heading import main_heading
from tui_tracker.extractors.money import Money, normalise_code, parse_price
from tui_tracker.extractors.pagelocale import locale_parts
from tui_tracker.extractors.pricedom import Decision, Reader, Spot
from tui_tracker.extractors.pricejson import Item, JsonPrices
from tui_tracker.extractors.selectors import apply_regex, compile_regex, select, shown
from tui_tracker.extractors.shell import looks_script_rendered_doc
from tui_tracker.extractors.stocktext import in_stock_from_text
from tui_tracker.extractors.stylehide import mark_style_hidden
from tui_tracker.extractors.uniqueselector import Selectors

MAX_CANDIDATES = 400
"""Elements a user selector's matches are read from."""
SHOWN_CANDIDATES = 12
"""Candidates listed in a result (each costs a selector search)."""

_VARIANT_PARAMS = ("variant", "variant_id", "variantid", "sku", "skuid", "sku_id", "vid",
                   "variation_id", "variationid", "itemid", "item", "pid", "id", "v",
                   "option", "code", "article", "selected", "size", "color", "colour")
_IGNORED_PARAMS = re.compile(r"^(utm_|page$|sort|ref$|q$|lang$|currency$|fbclid|gclid)")
_PRICE_ATTR = (
    "contains(translate(@class, 'PRICE', 'price'), 'price') or "
    "contains(translate(@id, 'PRICE', 'price'), 'price') or "
    "contains(@itemprop, 'price') or @data-price or "
    "contains(translate(@data-testid, 'PRICE', 'price'), 'price')"
)
_FREE = re.compile(r"^\W*(free|gratis|kostenlos|gratuit)\W*$", re.I)

def url_variant_values(url: str) -> list[str]:
    """The values of the address's query that may name a variant, likeliest first."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return []
    pairs = [(k.lower(), v.strip()) for k, v in parse_qsl(parts.query) if v.strip()]
    pairs += [(k.lower(), v.strip()) for k, v in parse_qsl(parts.fragment) if v.strip()]
    known = [v for k, v in pairs if k in _VARIANT_PARAMS]
    other = [v for k, v in pairs if k not in _VARIANT_PARAMS and not _IGNORED_PARAMS.match(k)]
    return [v for v in (*known, *other) if len(v) <= 200]


class PriceFacts:
    """What one extraction knows about the page, each computed at most once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        mark_style_hidden(doc)  # what the page's stylesheet hides is not shown
        self.jsonld = structured.JsonLd(doc)
        stated = structured.page_currency(doc)
        if stated is None:
            stated = next((o.money.currency for p in self.jsonld.products() if not p.listed
                           for o in p.offers if o.money.currency), None)
        strong, weak, language = locale_parts(doc, doc.url)
        self.currency = stated or strong or written_code(doc) or country_currency(
            doc.root, language) or weak
        og = structured.meta(doc, "og:title")
        titles = doc.root.xpath("//title")
        title = clean_text(node_text(titles[0], limit=300)) if titles else None
        names = [n for n in (self.jsonld.name, clean_text(og) if og else None, title) if n]
        self.heading = main_heading(doc, names)
        heading_text = shown_heading(self.heading) if self.heading is not None else None
        self.names = [n for n in (heading_text, *names) if n]
        self.shown_names = [n for n in (heading_text, clean_text(og) if og else None, title)
                            if n]
        """What the page itself calls the product (heading, og:title, <title>)."""
        self.wanted = url_variant_values(doc.url)
        self._reader: Reader | None = None
        self._decision: Decision | None = None
        self._json: JsonPrices | None = None
        self._selectors: Selectors | None = None

    @property
    def selectors(self) -> Selectors:
        if self._selectors is None:
            self._selectors = Selectors(self.doc)
        return self._selectors

    @property
    def ld_name(self) -> str | None:
        return self.jsonld.name

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = Reader(self.doc, self.currency, self.heading)
        return self._reader

    def decision(self) -> Decision:
        if self._decision is None:
            self._decision = self.reader.decide()
        return self._decision

    def json_prices(self) -> JsonPrices:
        if self._json is None:
            amounts = {round(s.money.amount, 2) for s in self.reader.spots()}
            self._json = JsonPrices(self.doc, self.doc.data, self.currency, amounts)
        return self._json

    def dom_values(self) -> list[float]:
        """Amounts the DOM could show as the current price, best first."""
        return [round(s.money.amount, 2) for s in self.decision().spots if s.excluded is None]

    def title(self, name: str | None = None) -> str | None:
        return (name or self.jsonld.name or structured.microdata_name(self.doc)
                or (self.names[0] if self.heading is not None and self.names else None)
                or page_title(self.doc))

    def in_stock(self, *first: bool | None, amount: float | None = None) -> bool | None:
        """Stock: what the source of the price said, other structured data, the visible
        words, then the page JSON's object with this price."""
        for value in (*first, self.jsonld.stock, structured.microdata_availability(self.doc),
                      structured.opengraph_availability(self.doc)):
            if value is not None:
                return value
        region = self.region()
        found = text_in_stock(self.doc, region)
        body = self.doc.root.find("body")
        if found is None and body is not None and region is not body:
            found = text_in_stock(self.doc, body, skip_listings=True)
        if found is None and amount is not None:
            item = self.json_prices().main(self.names, amount)
            if item is not None and _stated_stock(item) is not None and (
                    round(item.money.amount, 2) == round(amount, 2) or (
                    structured.names_match(item.name, self.shown_names[:1]))):
                found = _stated_stock(item)
        return found

    def region(self) -> lxml.etree._Element:
        """The block holding the product's heading and its price (where its stock is said)."""
        body = self.doc.root.find("body")
        body = body if body is not None else self.doc.root
        best = self.decision().best
        if self.heading is None or best is None:
            return body
        mine = set(best.element.iterancestors())
        for anc in self.heading.iterancestors():
            if anc in mine:
                return anc
        return body

    def candidates(self) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[tuple[float, str]] = set()
        for spot in self.decision().spots:
            if len(out) >= SHOWN_CANDIDATES:
                break
            if spot.selector is None:
                spot.selector = self.selectors.of(spot.element)
            key = (round(spot.money.amount, 2), spot.selector)
            if key in seen:
                continue
            seen.add(key)
            out.append(Candidate(spot.money.amount, spot.money.currency or self.currency,
                                 clean_text(spot.context, max_len=120), spot.selector))
        return out


_CODES = (r"(USD|CAD|AUD|NZD|MXN|ARS|CLP|COP|UYU|HKD|SGD|TWD|SEK|NOK|DKK|ISK|JPY|CNY|RMB|BRL|PEN|"
          r"DOP|GTQ|CRC|PYG|BOB|JMD|TTD|CHF|EUR|GBP)")
_WRITTEN_CODE = re.compile(
    rf"\d[\d.,]*\s?{_CODES}\b|\b{_CODES}\s?[$¥kr]*\s?\d|"
    rf"[\"']?(?:currency|currencyCode|currency_code|currencyIso|priceCurrency)[\"']?\s*[:=]\s*"
    rf"[\"']{_CODES}[\"']")


_CODE_NAMES = tuple(_CODES.strip("()").split("|"))


def written_code(doc: Document) -> str | None:
    """The ISO code a page writes next to its amounts ("$24.990,00 ARS"), most often first.

    Only asked when neither structured data nor a region in the locale says: it decides
    what a bare "$" or "kr" means on a page whose `lang` names no region, before the
    country its text names (`countrytext`) and the language's usual currency.
    """
    text = lxml.etree.tostring(doc.root, encoding="unicode", method="html")[:2_000_000]
    counts: dict[str, int] = {}
    # Each code the page contains at all (a cheap substring test), then the words
    # around each of its places: a regex over megabytes of digits costs too much.
    for written in _CODE_NAMES:
        at = text.find(written)
        seen = 0
        while at >= 0 and seen < 200:
            seen += 1
            window = text[max(0, at - 40):at + 45]
            for m in _WRITTEN_CODE.finditer(window):
                found = m.group(1) or m.group(2) or m.group(3)
                if found == written:
                    code = normalise_code(found)
                    if code:
                        counts[code] = counts.get(code, 0) + 1
                    break
            at = text.find(written, at + 3)
    return max(counts, key=lambda c: counts[c]) if counts else None


def text_in_stock(doc: Document, region: lxml.etree._Element | None = None, *,
                  skip_listings: bool = False) -> bool | None:
    """Stock from the visible words of the product's block (see `stocktext`)."""
    return in_stock_from_text(region if region is not None else doc.root,
                              skip_listings=skip_listings)


def _money(money: Money, facts: PriceFacts) -> Money:
    return money if money.currency else Money(money.amount, facts.currency)


def _result(money: Money, source: str, facts: PriceFacts, *, name: str | None = None,
            stock: bool | None = None) -> Extraction:
    title = facts.title(name)
    label = clean_text(title or "Price")
    return Extraction(kind=Kind.PRICE,
                      readings=[Reading("price", label, money.amount,
                                        _money(money, facts).currency)],
                      source=source, title=title,
                      in_stock=facts.in_stock(stock, amount=money.amount),
                      candidates=facts.candidates())


# ---------------------------------------------------------------- structured data


def _main_product(facts: PriceFacts) -> structured.Product | None:
    """The page's own product among JSON-LD products: not listed, named like the heading."""
    pool = [p for p in facts.jsonld.products() if p.offers and not p.listed]
    if not pool:
        return None
    page_paths = {_path(facts.doc.url)} | {_path(h) for h in facts.doc.root.xpath(
        '//link[@rel="canonical"]/@href')}
    page_paths.discard("")
    wanted = {w.lower() for w in facts.wanted}

    def score(p: structured.Product) -> int:
        s = 3 if structured.names_match(p.name, facts.shown_names[:1]) else (
            2 if structured.names_match(p.name, facts.shown_names) else 0)
        s += 2 if page_paths & {_path(u) for u in p.urls} else 0
        s += 1 if p.is_product else 0
        s += 4 if wanted and any(o.keys & wanted for o in p.offers) else 0
        return s

    best = max(pool, key=lambda p: (score(p), -pool.index(p)))
    # One Product block per variant, same name: their offers are one product's offers.
    twins = [p for p in pool if p is not best and p.name and p.name == best.name]
    if twins:
        return structured.Product(name=best.name, urls=best.urls, is_product=True,
                                  offers=[o for p in (best, *twins) for o in p.offers])
    return best


def _path(url: str) -> str:
    try:
        return urlsplit(url).path.rstrip("/").lower()
    except ValueError:
        return ""


def _pick_offer(product: structured.Product, facts: PriceFacts) -> structured.Offer:
    """The linked variant's offer, else the one the page shows, else the default one."""
    offers = product.offers
    wanted = {w.lower() for w in facts.wanted}
    if wanted:
        for offer in offers:
            if offer.keys & wanted:
                return offer
    default = next((o for o in offers if o.in_stock is not False), offers[0])
    if len({round(o.money.amount, 2) for o in offers}) == 1:
        return default
    for value in facts.dom_values():
        matching = [o for o in offers if round(o.money.amount, 2) == value]
        if matching:
            return next((o for o in matching if o.in_stock is not False), matching[0])
    return default


def _scaled(money: Money, facts: PriceFacts) -> Money:
    """A structured price written in the wrong unit, put right by what the page shows:
    "1.299" meaning 1 299 (a thousands dot), or 4999 meaning 49.99 (cents)."""
    shown = facts.dom_values()
    value = round(money.amount, 2)
    if not shown or value in shown:
        return money
    for factor in (1000.0, 0.01):
        scaled = round(money.amount * factor, 2)
        if scaled in shown:
            return Money(scaled, money.currency)
    return money


def _linked_variant(facts: PriceFacts) -> Extraction | None:
    """A price for the variant the address names, from JSON-LD or the page's JSON."""
    wanted = {w.lower() for w in facts.wanted}
    for product in facts.jsonld.products():
        for offer in product.offers:
            if offer.keys & wanted:
                return _result(offer.money, "json-ld", facts, name=product.name,
                               stock=offer.in_stock)
    item = facts.json_prices().for_variant(facts.wanted)
    if item is not None:
        return _json_result(item, facts)
    return None


def _json_result(item: Item, facts: PriceFacts) -> Extraction:
    name = item.name if item.name and structured.names_match(item.name, facts.names) else None
    return _result(item.money, "page-json", facts, name=name, stock=_stated_stock(item))


def _stated_stock(item: Item) -> bool | None:
    """The item's stock when the page itself carries it (embedded state such as VTEX's
    skuJson); an API answer the browser recorded is not what the page shows: None."""
    return None if item.source.startswith("response:") else item.in_stock


def from_structured(doc: Document, facts: PriceFacts | None = None) -> Extraction | None:
    """A price stated in JSON-LD, microdata or OpenGraph (or page JSON for a linked
    variant the structured data does not list), or None."""
    facts = facts or PriceFacts(doc)
    if facts.wanted:
        linked = _linked_variant(facts)
        if linked is not None:
            return linked
    product = _main_product(facts)
    if product is not None:
        offer = _pick_offer(product, facts)
        stock = offer.in_stock
        if stock is None and len(product.offers) > 1:
            stocks = {o.in_stock for o in product.offers}
            stock = True if True in stocks else None
        return _result(_scaled(offer.money, facts), "json-ld", facts, name=product.name,
                       stock=stock)
    found = structured.from_microdata(doc, facts.names, facts.currency)
    found = found or structured.from_opengraph(doc, facts.currency)
    if found is not None:
        return _result(found.money, found.source, facts, name=found.name,
                       stock=found.in_stock)
    return None


# ---------------------------------------------------------------- the page as shown


def _spot_words(spot: Spot, facts: PriceFacts) -> str:
    money = _money(spot.money, facts)
    amount = f"{money.amount:,.2f}".rstrip("0").rstrip(".") if money.amount % 1 else (
        f"{money.amount:,.0f}")
    where = clean_text(spot.context, max_len=50)
    return f"{amount} {money.currency or ''}".strip() + (f" ('{where}')" if where else "")


def _ambiguous(decision: Decision, facts: PriceFacts) -> ExtractionError:
    assert decision.best is not None and decision.rival is not None
    return ExtractionError(
        f"the page shows two amounts that could each be the price, "
        f"{_spot_words(decision.best, facts)} and {_spot_words(decision.rival, facts)}, "
        "and nothing says which is current; pick one with a selector "
        "(probe --json lists the candidates).", candidates=facts.candidates())


def from_text(doc: Document, facts: PriceFacts | None = None) -> Extraction | None:
    """The price as the page shows it (or its JSON says, where the DOM does not decide).

    Raises:
        ExtractionError: two amounts are equally plausible and nothing decides.
    """
    facts = facts or PriceFacts(doc)
    decision = facts.decision()
    if facts.heading is None and looks_script_rendered_doc(doc):
        # An app shell names no product yet: a stray amount in it ("Cart 2",
        # a shipping banner) is not its price; the browser will build the page.
        decision = Decision(None, None, decision.spots)
    if decision.best is not None and not decision.ambiguous:
        return _result(decision.best.money, "text-pattern", facts)
    item = facts.json_prices().main(facts.names, None)
    if decision.ambiguous:
        assert decision.best is not None and decision.rival is not None
        if item is not None and round(item.money.amount, 2) in (
                round(decision.best.money.amount, 2), round(decision.rival.money.amount, 2)):
            return _json_result(item, facts)
        raise _ambiguous(decision, facts)
    if item is not None:
        return _json_result(item, facts)
    return None


def _priceless(doc: Document, facts: PriceFacts) -> tuple[bool, str | None]:
    """(the price element says "Free", else the words a price element shows instead)."""
    pools = []
    if facts.heading is not None:
        pools.append(facts.heading.xpath(f"following::*[{_PRICE_ATTR}]")[:MAX_CANDIDATES])
    pools.append(doc.root.xpath(f"//*[{_PRICE_ATTR}]")[:MAX_CANDIDATES])
    unreadable: str | None = None
    for pool in pools:
        for el in pool:
            if el.tag in ("script", "style", "meta", "link", "input"):
                continue
            text = clean_text(node_text(el, skip_struck=True, limit=300), max_len=60)
            if not text or re.search(r"\d", text):
                continue
            if _FREE.match(text):
                return True, None
            unreadable = unreadable or text
    return False, unreadable


def from_selector(doc: Document, selector: str | None, regex: str | None,
                  facts: PriceFacts, *, need_currency: bool = False) -> Extraction:
    """The price inside what the user's selector (and/or regex) picks; errors if none.

    `need_currency` (auto kind) refuses bare numbers, so "Seats Open: 3 of 150" under
    a selector is left for the seats reader instead of becoming a price of 3.
    """
    pattern = compile_regex(regex) if regex else None
    if selector:
        nodes = select(doc.sel, selector)
        if not nodes:
            raise ExtractionError(_nothing(selector, doc))
        texts = [node_text(n, skip_struck=True) for n in nodes[:MAX_CANDIDATES]]
        source = "selector"
    else:
        texts = [node_text(doc.root)]
        source = "regex"
    seen: str | None = None
    for text in texts:
        if pattern is not None:
            picked = apply_regex(pattern, text)
            if picked is None:
                continue
            text = picked
        cleaned = clean_text(text, max_len=500)
        money = parse_price(cleaned, currency_hint=None if need_currency else facts.currency)
        if money is not None and need_currency and money.currency is None:
            money = None
        if money is not None:
            title = facts.title()
            return Extraction(kind=Kind.PRICE,
                              readings=[Reading("price", clean_text(title or "Price"),
                                                money.amount, money.currency)],
                              source=source, title=title, in_stock=facts.in_stock())
        seen = seen or clean_text(text, max_len=60)
    if seen is None:
        where = f"the text selected by '{shown(selector)}'" if selector else "the page text"
        raise ExtractionError(f"the regex '{shown(regex or '')}' did not match {where}.")
    what = f"selector '{shown(selector)}'" if selector else f"regex '{shown(regex or '')}'"
    raise ExtractionError(f"the {what} found '{seen}', which is not a price.")


def _nothing(selector: str, doc: Document) -> str:
    if doc.too_deep:
        return (f"selector '{shown(selector)}' matched nothing "
                "(the page is too complex: nested deeper than 2000 levels).")
    return f"selector '{shown(selector)}' matched nothing."


def extract_price(doc: Document, selector: str | None = None, regex: str | None = None,
                  *, need_currency: bool = False) -> Extraction:
    """The price of the page (see module docstring for the order of sources)."""
    facts = PriceFacts(doc)
    if selector or regex:
        return from_selector(doc, selector, regex, facts, need_currency=need_currency)
    result = from_structured(doc, facts) or from_text(doc, facts)
    if result is not None:
        return result
    free, unreadable = _priceless(doc, facts)
    if free:
        return _result(Money(0.0, facts.currency), "text-pattern", facts)
    if unreadable:
        raise ExtractionError(f"the page shows no price ('{unreadable}').",
                              candidates=facts.candidates())
    if doc.too_deep:
        raise ExtractionError("no price found on the page (the page is too complex: "
                              "nested deeper than 2000 levels).")
    raise ExtractionError("no price found on the page.", candidates=facts.candidates())
