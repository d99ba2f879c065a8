"""The price of a product page: structured data, a user selector, then careful text.

Order and why: a user selector wins when given (the user chose it, usually because
the structured data is wrong); otherwise structured data (the shop's own statement),
then text heuristics that only look at price-labelled elements and refuse the
numbers that merely sit near a price ("Save $20", "4.5 stars", "Free shipping over
$35"). Ranges give their low end; "Free" gives 0.0 only when the price element
literally says so; "Call for price" is an error naming what the page shows.
"""

from __future__ import annotations

import re

import lxml.etree

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Extraction, Kind, Reading
from tui_tracker.core.text import clean_text
from tui_tracker.extractors import structured
from tui_tracker.extractors.document import Document, is_struck, lines, node_text, page_title
from tui_tracker.extractors.money import Money, parse_price
from tui_tracker.extractors.selectors import apply_regex, compile_regex, select, shown

MAX_CANDIDATES = 400

_PRICE_ATTR = (
    "contains(translate(@class, 'PRICE', 'price'), 'price') or "
    "contains(translate(@id, 'PRICE', 'price'), 'price') or "
    "contains(@itemprop, 'price') or @data-price or "
    "contains(translate(@data-testid, 'PRICE', 'price'), 'price')"
)
_TRAP_CLASS = re.compile(
    r"sav(e|ing)|discount|shipping|delivery|rating|star|review|badge|unit[-_]?price|"
    r"per[-_]?unit|install?ment|klarna|afterpay|cart|basket|minicart|bundle|tax",
    re.IGNORECASE,
)
"""Class/id fragments of elements whose numbers are not the product's price."""

_MONEY_WORD = r"(?:[^\s\d]{0,4}\s*)?\d[\d.,'’ ]*(?:\s*(?:[€£¥$₹₩₽₺₪฿₫₱円]|zł|kr|Kč))?"
_TRAP_BEFORE = re.compile(
    r"\b(?:you\s+save|save|was|now\s+only\s+was|list\s+price|reg(?:ular)?\.?\s*price|"
    r"msrp|rrp|uvp|compare\s+at|shipping[^\d$€£¥]{0,30}|orders?\s+over|over|"
    r"or\s+\d+\s+(?:payments|installments)\s+of)\s*:?\s*" + _MONEY_WORD,
    re.IGNORECASE,
)
_TRAP_AFTER = re.compile(
    r"\d[\d.,]*\s*(?:%|percent|stars?|out\s+of\s+\d+|reviews?|ratings?|items?|"
    r"in\s+stock|left|sold|pcs|units?)\b\s*(?:off\b)?",
    re.IGNORECASE,
)
_MONEY_IN_LINE = re.compile(
    r"(?:[$€£¥₹₩₽₺₪฿₫₱]|\b(?:USD|EUR|GBP|CHF|JPY|CAD|AUD|PLN|SEK|NOK|DKK|CZK)\b)\s*\d"
    r"|\d[\d.,'’ ]*\s*(?:[€£¥₹₩₽₺₪฿₫₱円]|(?<![a-z])(?:zł|kr|Kč)|\b(?:EUR|USD|CHF|GBP|PLN|SEK)\b)"
)
_SENTENCE_AMOUNT = re.compile(r"\d\s*(?:million|billion|bn|mn|m|k)\b", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\W{0,3}\d[\d.,'’ ]*\W{0,3}$")

_NEGATIVE_STOCK = re.compile(
    r"\b(out of stock|sold out|currently unavailable|no longer available|"
    r"notify me when (?:it'?s )?(?:back|available)|back in stock)\b",
    re.IGNORECASE,
)
_POSITIVE_STOCK = re.compile(r"\b(in stock|add to (?:cart|bag|basket|trolley)|buy now|"
                             r"available to ship|ships today)\b", re.IGNORECASE)


def strip_traps(text: str) -> str:
    """Remove amounts that only sit near a price: "Save $20", "4.5 stars", "over $35"."""
    text = _TRAP_BEFORE.sub(" ", text)
    return _TRAP_AFTER.sub(" ", text)


def _in_trap(el: lxml.etree._Element) -> bool:
    for node in (el, *el.iterancestors()):
        if is_struck(node):
            return True
        marker = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marker.strip() and _TRAP_CLASS.search(marker):
            return True
    return False


def _candidate_money(text: str, hint: str | None) -> Money | None:
    """A price from a price-labelled element's text, or None."""
    text = clean_text(text, max_len=500)
    if not text or len(text) > 160:
        return None  # a container of many things, not one price
    cleaned = strip_traps(text)
    money = parse_price(cleaned, currency_hint=hint)
    if money is None:
        return None
    if money.amount == 0:
        # "$0.00" in an empty mini-cart is not a price; a literal "Free" is.
        return money if re.fullmatch(r"\W*free\W*", cleaned.strip(), re.I) else None
    if money.currency is None and not _BARE_NUMBER.match(cleaned.strip()):
        return None  # a number with no currency in a sentence: too weak
    return money


def _by_elements(doc: Document, hint: str | None) -> tuple[Money | None, str | None]:
    """First price-labelled element with a readable price, preferring those after <h1>.

    Returns (money, the text of the first unreadable candidate, for the error).
    """
    h1 = doc.root.xpath("//h1")
    pools = []
    if h1:
        pools.append(h1[0].xpath(f"following::*[{_PRICE_ATTR}]")[:MAX_CANDIDATES])
    pools.append(doc.root.xpath(f"//*[{_PRICE_ATTR}]")[:MAX_CANDIDATES])
    unreadable: str | None = None
    for pool in pools:
        for el in pool:
            if _in_trap(el):
                continue
            raw = el.get("content") if el.tag == "meta" else node_text(
                el, skip_struck=True, limit=2000)
            money = _candidate_money(raw or "", hint)
            if money is not None:
                return money, None
            text = clean_text(raw, max_len=60)
            if unreadable is None and text and not re.search(r"\d", text):
                unreadable = text
    return None, unreadable


def _by_lines(doc: Document, hint: str | None) -> Money | None:
    """A short line with a currency amount, preferring the first after the <h1>."""
    first: Money | None = None
    seen_h1 = False
    for line, tag in lines(doc.root):
        if tag == "h1":
            seen_h1 = True
            continue
        if len(line) > 80 or not _MONEY_IN_LINE.search(line):
            continue
        cleaned = strip_traps(line)
        if not _MONEY_IN_LINE.search(cleaned) or _SENTENCE_AMOUNT.search(cleaned):
            continue
        if len(re.findall(r"[^\W\d_]{2,}", cleaned)) > 5:
            continue  # a sentence that mentions money ("approved a $5 budget"), not a price tag
        money = parse_price(cleaned, currency_hint=hint, allow_free=False)
        if money is None or money.amount == 0:
            continue
        if seen_h1:
            return money
        first = first or money
    return first


def text_in_stock(doc: Document) -> bool | None:
    """Stock from unambiguous text cues; None when the page says both or neither."""
    negative = positive = False
    for line, _tag in lines(doc.root):
        if len(line) > 200:
            continue
        if _NEGATIVE_STOCK.search(line):
            negative = True
        elif _POSITIVE_STOCK.search(line):
            positive = True
    if positive:
        # A disabled "Add to cart" next to "Sold out" is not a positive cue.
        enabled = doc.root.xpath("//button[not(@disabled)] | //input[@type='submit']"
                                 "[not(@disabled)]")
        positive = any(_POSITIVE_STOCK.search(node_text(b, limit=200) + " " + (
            b.get("value") or "")) for b in enabled) or any(
            re.search(r"(?<!of )(?<!back )\bin stock\b", line, re.I)
            for line, _ in lines(doc.root) if len(line) <= 200)
    if negative and not positive:
        return False
    if positive and not negative:
        return True
    return None


class PriceFacts:
    """Title/stock/currency facts about a page, computed once per extraction."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.ld_name, self.ld_stock = structured.json_ld_facts(doc)
        self.currency = structured.page_currency(doc)

    def title(self, found: structured.Found | None = None) -> str | None:
        return (self.ld_name or (found.name if found else None)
                or structured.microdata_name(self.doc) or page_title(self.doc))

    def in_stock(self, found: structured.Found | None = None) -> bool | None:
        for value in (found.in_stock if found else None, self.ld_stock,
                      structured.microdata_availability(self.doc),
                      structured.opengraph_availability(self.doc)):
            if value is not None:
                return value
        return text_in_stock(self.doc)


def _result(money: Money, source: str, facts: PriceFacts,
            found: structured.Found | None = None) -> Extraction:
    title = facts.title(found)
    label = clean_text(title or "Price")
    return Extraction(kind=Kind.PRICE,
                      readings=[Reading("price", label, money.amount, money.currency)],
                      source=source, title=title, in_stock=facts.in_stock(found))


def from_structured(doc: Document, facts: PriceFacts | None = None) -> Extraction | None:
    """A price stated in JSON-LD, microdata or OpenGraph, or None."""
    for reader in (structured.from_json_ld, structured.from_microdata,
                   structured.from_opengraph):
        found = reader(doc)
        if found is not None:
            return _result(found.money, found.source, facts or PriceFacts(doc), found)
    return None


def from_text(doc: Document, facts: PriceFacts | None = None) -> Extraction | None:
    """A price found by text heuristics, or None."""
    facts = facts or PriceFacts(doc)
    money, _ = _by_elements(doc, facts.currency)
    money = money or _by_lines(doc, facts.currency)
    return _result(money, "text-pattern", facts) if money is not None else None


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
            return _result(money, source, facts)
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
    _, unreadable = _by_elements(doc, facts.currency)
    if unreadable:
        raise ExtractionError(f"the page shows no price ('{unreadable}').")
    if doc.too_deep:
        raise ExtractionError("no price found on the page (the page is too complex: "
                              "nested deeper than 2000 levels).")
    raise ExtractionError("no price found on the page.")
