"""Every amount a product page shows, and which of them is the price a buyer pays now.

Storefront themes differ in markup but agree in the cues they give a person: the
current price sits near the product's heading, a former price is struck through
or labelled "Was"/"Regular price"/"通常価格", a unit, instalment, member,
subscription or Pix price says so in the words around it, and other products'
prices sit in cards (image + link + price) or in sections named "related". This
module reads those cues, not one theme's classes: one walk over the page finds
each amount (`Spot`), its element, the words before and after it, and a score;
what can never be the current price is `excluded` with the reason.

`decide` returns the best spot, or says the page is ambiguous when the two best
differ in value, have the same score and sit in the same price block — the
caller then fails with the candidates instead of tossing a coin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.etree

from tui_tracker.core.text import clean_text
from tui_tracker.extractors import amounts as am
from tui_tracker.extractors import pricecues as cues
from tui_tracker.extractors.document import BLOCK_TAGS, SKIP_TAGS, Document, tag_of
from tui_tracker.extractors.money import Money, parse_price

MAX_SPOTS = 300
"""Amounts kept from one page (a category page can show thousands)."""
MAX_OWNERS = 5000
"""Digit-bearing elements looked at on one page."""
SHORT = 60
GROUP_TEXT = 160
"""A price block (label, amount, old price, badge) is at most this long."""
"""An element whose text is longer than this is a sentence or a container, not a price."""

_LISTED = "another product's price"
_STRUCK = ("struck through", "a former or list price")
_CARD_LINK = ("boolean(.//a[@href][not(starts-with(normalize-space(@href), 'javascript'))]"
              "[normalize-space(@href) != '#'][.//img or .//picture or .//h2 or .//h3 or "
              ".//h4 or .//h5 or .//h6 or parent::h2 or parent::h3 or parent::h4 or "
              "parent::h5 or parent::h6])")
_SUB_HEADINGS = ".//h2 | .//h3 | .//h4 | .//h5 | .//h6"


@dataclass(slots=True)
class Spot:
    """One amount shown on the page, with the cues around it."""

    money: Money
    element: lxml.etree._Element
    before: str
    """Words just before the amount (its label: "Was", "Sale price", "4 payments of")."""
    after: str
    context: str
    """The words around it, for a person choosing among candidates."""
    order: int
    score: int = 0
    excluded: str | None = None
    """Why it cannot be the current price ("struck", "unit price", "listed", ...)."""
    before_heading: bool = False
    group: lxml.etree._Element | None = None
    selector: str | None = field(default=None)
    own_after: str | None = None
    """Words after the amount in its own block (not the next block's label); None until
    asked when the amount ends its element."""
    inner_after: str = ""
    """Words after the amount inside its own element ("£4.25 Clubcard Price")."""
    range_high: bool = False
    """The high end of a range ("£110 – £135"): no variant is picked yet."""


@dataclass(slots=True)
class Decision:
    """The outcome of reading the DOM for the current price."""

    best: Spot | None
    rival: Spot | None = None
    """Set when the page is ambiguous: an equally plausible different amount."""
    spots: list[Spot] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return self.best is not None and self.rival is not None


def _texts(root: lxml.etree._Element, mark: lxml.etree._Element | None = None,
           ) -> Iterator[tuple[lxml.etree._Element, list]]:
    """(element, ancestors) of each visible element holding a digit in its own text.

    One iterative walk that prunes scripts, selects (other variants' prices), hidden
    subtrees and the like; the ancestors list is shared, so copy it if kept.
    """
    path: list[lxml.etree._Element] = []
    stack: list[tuple[lxml.etree._Element, int]] = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        del path[depth:]
        tag = tag_of(el)
        if not tag or (tag in SKIP_TAGS and el is not root) or tag == "input" or cues.hidden(el):
            continue
        own = el.text or ""
        has_digit = bool(am.DIGIT.search(own)) or any(
            c.tail and am.DIGIT.search(c.tail) for c in el)
        if has_digit and not len(el) and own and _is_cents(el):
            continue  # the cents of the amount before it, read with that amount
        if has_digit or el is mark:
            yield el, path
        path.append(el)
        stack.extend((child, depth + 1) for child in reversed(el))


def bounded_text(el: lxml.etree._Element, limit: int) -> str:
    """The readable text of `el`, cleaned, reading no more of the tree than `limit` needs.

    `node_text` queues every child of every node it enters; on a list of 10 000 cards
    that costs more than the whole extraction, so the short texts here walk lazily.
    """
    parts: list[str] = []
    size = 0
    walker = lxml.etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        tag = tag_of(node)
        if event == "start":
            if node is not el and (not tag or tag in SKIP_TAGS):
                walker.skip_subtree()  # also skips its end event: add the tail here
                if node.tail:
                    parts.append(node.tail)
                    size += len(node.tail)
            else:
                if tag in BLOCK_TAGS:
                    parts.append(" ")
                if node.text:
                    if tag in _CENTS_TAGS:
                        mark = am.cents_part(node, "".join(parts[-4:]))
                        if mark:
                            parts.append(mark)
                        elif mark is None and node.text[:1].isdigit() and parts and (
                                parts[-1][-1:].isdigit()):
                            parts.append(" ")  # "89.999" + "25% OFF": two numbers
                    parts.append(node.text)
                    size += len(node.text)
        else:
            if tag in BLOCK_TAGS:
                parts.append(" ")
            if node is not el and node.tail:
                parts.append(node.tail)
                size += len(node.tail)
        if size >= limit:
            break
    return clean_text("".join(parts)[:limit], max_len=limit)


_CENTS_TAGS = frozenset({"sup", "span", "small", "sub", "b", "strong", "em", "i"})
"""Elements a price's cents are written in (`24<sup>99</sup>`)."""


def _is_cents(el: lxml.etree._Element) -> bool:
    """A price's cents in their own element, read as part of the amount before them."""
    text = (el.text or "").strip()
    if tag_of(el) not in _CENTS_TAGS or len(text) != 2 or not text.isdigit():
        return False
    prev = el.getprevious()
    if prev is not None:
        before = "".join(prev.itertext())[-12:] + (prev.tail or "")
    else:
        parent = el.getparent()
        before = (parent.text or "") if parent is not None else ""
    return am.cents_part(el, before) is not None


def _short_text(el: lxml.etree._Element) -> str:
    return bounded_text(el, SHORT * 4)


def _absorbable(extra: str) -> bool:
    """Text a price element may add around an amount: symbols, codes, punctuation."""
    words = am.LETTERS.findall(extra)
    return sum(len(w) for w in words) <= 4


class Reader:
    """Reads the spots of one page; built once per extraction."""

    def __init__(self, doc: Document, hint: str | None, heading: lxml.etree._Element | None,
                 ) -> None:
        self.doc = doc
        self.hint = hint
        self.heading = heading
        self.heading_line: set[lxml.etree._Element] = set()
        if heading is not None:
            self.heading_line = {*heading.iterancestors(), heading}
        self._listed: dict[lxml.etree._Element, bool] = {}
        self._block_texts: dict[lxml.etree._Element, str] = {}
        self._spots: list[Spot] | None = None
        self._owned_label: str = ""
        """The label the previous amount claimed as its own ("$ 299.990 Precio con tarjeta
        CMR"): the next amount's block often starts right after it."""

    def _text(self, el: lxml.etree._Element) -> str:
        """An element's short text, the page currency's one-letter symbol as its code."""
        return am.local_symbols(_short_text(el), self.hint)

    # ------------------------------------------------------------ collection

    def spots(self) -> list[Spot]:
        if self._spots is None:
            self._spots = self._collect()
        return self._spots

    def _collect(self) -> list[Spot]:
        spots: list[Spot] = []
        done: set[lxml.etree._Element] = set()
        seen_heading = self.heading is None
        heading = self.heading
        order = 0
        for owners, (el, path) in enumerate(_texts(self.doc.root, heading)):
            if owners > MAX_OWNERS or len(spots) >= MAX_SPOTS:
                break
            if not seen_heading and heading is not None and (
                    el is heading or el in self.heading_line or any(
                        a is heading for a in path)):
                seen_heading = True
            text = self._text(el)
            if not text or len(text) > SHORT * 2:
                continue
            holder, holder_text, depth = el, text, len(path)
            climbed = [el]
            # Climb to the element that is the whole price ("$" + "49" + ".99").
            while depth > 0:
                parent = path[depth - 1]
                if parent in self.heading_line or tag_of(parent) in ("body", "html"):
                    break
                ptext = self._text(parent)
                if len(ptext) > SHORT:
                    break
                if ptext != holder_text:
                    if holder_text not in ptext:
                        break
                    extra = ptext.replace(holder_text, " ", 1)
                    # "199<sup>€99</sup>": the parent is one amount, not two.
                    marked_ptext = am.symbol_as_mark(ptext)
                    more_money = am.count_money(marked_ptext) > max(
                        1, am.count_money(holder_text))
                    more_numbers = am.count_numbers(marked_ptext) > max(
                        1, am.count_numbers(holder_text))
                    if not _absorbable(extra) or more_money or more_numbers or _merges(
                            holder_text, ptext):
                        break
                holder, holder_text, depth = parent, ptext, depth - 1
                climbed.append(holder)
            if holder in done:
                continue
            done.add(holder)
            decimals = _decimal_sibling(holder, holder_text)
            if decimals is not None:
                # "<span>50</span><span>,33 €</span>": one amount in two elements.
                done.add(decimals)
                holder_text = holder_text + self._text(decimals)
            ancestors = path[:depth]
            for spot in self._amounts(holder, holder_text, ancestors, order, climbed[:-1]):
                spot.before_heading = not seen_heading and heading is not None
                spots.append(spot)
                order += 1
        return spots

    def _amounts(self, holder: lxml.etree._Element, text: str,
                 ancestors: list[lxml.etree._Element], order: int,
                 inner: list[lxml.etree._Element]) -> list[Spot]:
        """The am.amounts inside one price element, each with its label and score."""
        marked = any(cues.PRICE_WORD.search(cues.marker(e)) for e in (holder, *ancestors[-3:]))
        group, gtext = self._group(holder, text, ancestors)
        pos = gtext.find(text)
        g_before = gtext[:pos] if pos >= 0 else ""
        g_after = gtext[pos + len(text):] if pos >= 0 else ""
        found: list[Spot] = []
        if len(am.LETTERS.findall(text)) > (12 if marked else 6):
            return found  # a sentence that mentions money, not a price tag
        compact = am.compact(text)
        if compact != text and am.count_money(compact) < len(am.amounts(text)):
            text = compact  # "$ 14. 39" written as three spans is one amount
        text = am.symbol_as_mark(text)
        matches = am.amounts(text)
        last_end = 0
        for i, m in enumerate(matches):
            has_symbol = am.is_money(m)
            if not has_symbol and (text[:m.start()].rstrip().endswith("%")
                                   or text[m.end():].lstrip().startswith("%")):
                continue  # "%20" (Turkish, Arabic) or "20 %": a percentage, not money
            bare = not has_symbol and marked and len(matches) == 1 and not am.LETTERS.search(
                text.replace(m.group(0), "")) and (len(m.group("num")) >= 2) and not (
                cues.QTY_MARK.search(" ".join(cues.marker(e) for e in (holder, *ancestors[-2:]))))
            if not has_symbol and not bare:
                continue  # "2 or more $659": the 2 is part of the next amount's label
            money = parse_price(m.group(0).strip(), currency_hint=self.hint, allow_free=False)
            if money is None or money.amount == 0:
                last_end = m.end()
                continue
            before = text[last_end:m.start()]
            if i == 0 or not before.strip():
                before = am.tail_words(g_before) + " " + before
            if not has_symbol and (code := am.SYMBOL_AT_END.search(before)) is not None:
                # "Now: <span>AED</span> <span>149.00</span>": the label's currency is its.
                money = parse_price(f"{code.group(1)} {m.group('num')}",
                                    currency_hint=self.hint, allow_free=False) or money
            # The words after reach to the next amount of money: "(4,97 € / 1 Stück)"
            # keeps its "/ 1 Stück", a bare count is part of this amount's unit.
            nxt = next((x.start() for x in matches[i + 1:] if am.is_money(x)), len(text))
            after = text[m.end():nxt]
            if nxt >= len(text):
                after = after + " " + am.head_words(g_after)
            own_after = text[m.end():nxt]
            spot = Spot(money, holder, clean_text(before, max_len=200)[-60:],
                        clean_text(after, max_len=200)[:60],
                        _context(gtext, text), order + len(found), group=group,
                        own_after=own_after if nxt < len(text) else None,
                        inner_after=own_after)
            joined = (found and cues.RANGE_JOIN.match(text[last_end:m.start()])) or (
                i == 0 and cues.RANGE_JOIN.match(am.tail_words(g_before))
                and am.count_money(g_before))
            if joined:
                spot.range_high = True  # as plausible as the low end: nothing picked
            self._judge(spot, holder, ancestors, inner)
            if _MINUS_BEFORE.search(text[:m.start()]):
                # "-200 zł" beside "1 299,00 zł": an amount taken off, not one to pay.
                spot.range_high = False
                spot.excluded = spot.excluded or "a unit, instalment, member or discount figure"
            found.append(spot)
            last_end = m.end()
        return found

    @staticmethod
    def _own_after(spot: Spot) -> str:
        """The words right after the amount in its own element, or when it ends its
        element, up to the next sibling that shows a number: its own label ("79,900원
        와우할인가"), never the next price's."""
        if spot.own_after is not None:
            return spot.own_after
        holder = spot.element
        parts = [spot.inner_after + " " + (holder.tail or "")]
        size = len(parts[0])
        for sib in holder.itersiblings():
            text = bounded_text(sib, 80) if tag_of(sib) else ""
            if am.DIGIT.search(text):
                break
            parts.append(" " + text + " " + (sib.tail or ""))
            size += len(parts[-1])
            if size > 60:
                break
        spot.own_after = clean_text("".join(parts), max_len=200)[:60]
        return spot.own_after

    def _group(self, holder: lxml.etree._Element, text: str,
               ancestors: list[lxml.etree._Element]) -> tuple[lxml.etree._Element, str]:
        """The price block around a price: up to 3 levels while its text stays short."""
        group, gtext = holder, text
        for anc in reversed(ancestors[-3:]):
            if anc in self.heading_line:
                break
            atext = self._block_texts.get(anc)
            if atext is None:
                atext = self._block_texts[anc] = am.local_symbols(
                    bounded_text(anc, GROUP_TEXT + 1), self.hint)
            if len(atext) > GROUP_TEXT:
                break
            group, gtext = anc, atext
        return group, gtext

    # ------------------------------------------------------------ judging

    def _judge(self, spot: Spot, holder: lxml.etree._Element,
               ancestors: list[lxml.etree._Element],
               inner: list[lxml.etree._Element]) -> None:
        """Score a spot and exclude it when it cannot be the current price.

        `inner` are the elements between the text and the price element (a <s> inside
        a wrapper span), which speak for this amount alone.
        """
        # Up to the block that holds the product's heading, not into it: that block's
        # classes describe the whole product (WooCommerce's "shipping-taxable"), not
        # this amount.
        near = [*inner, holder]
        for anc in reversed(ancestors[-5:]):
            if anc in self.heading_line:
                break
            near.append(anc)
        markers = " ".join(cues.marker(e) for e in near)
        score = 0
        if any(cues.PRICE_WORD.search(cues.marker(e)) for e in near[:4]):
            score += 1
        for e in near:
            if tag_of(e) in ("del", "s", "strike") or cues.STRUCK_STYLE.search(
                    e.get("style") or ""):
                spot.excluded = spot.excluded or "struck through"
        if cues.HARD_STRUCK_MARK.search(markers):
            spot.excluded = spot.excluded or "a former or list price"
        if cues.TRAP_MARK.search(markers) or (cues.UNIT_MARK.search(markers) and (
                cues.PER_MEASURE.search(spot.after)
                or cues.PER_MEASURE.match(self._own_after(spot)))):
            spot.excluded = spot.excluded or "not a price to pay now"
        before, after = spot.before, spot.after
        tier = cues.tier_start(before, spot.context) or _column_tier(holder, ancestors, before)
        if tier is not None:
            start, before = tier
            if start > 1:
                spot.excluded = spot.excluded or "a price for buying several"
            else:
                score += 1  # the single-unit row of a tier table is what one costs now
        if cues.AFTER_SAVINGS.search(before):
            pass  # "Price After Savings $749.99" is the price, though it names a saving
        elif (cues.TRAP_LABEL.search(before) and not self._claimed(before)) or (
                cues.TRAP_AFTER.match(after)):
            spot.excluded = spot.excluded or "a unit, instalment, member or discount figure"
        elif spot.excluded is None and cues.OWN_TRAP_AFTER.match(self._own_after(spot)):
            spot.excluded = "a unit, instalment, member or discount figure"
            self._owned_label = clean_text(self._own_after(spot))
        elif cues.HARD_STRUCK_LABEL.search(before):
            spot.excluded = spot.excluded or "a former or list price"
        if cues.SOFT_STRUCK_LABEL.search(before):
            score -= 2
        elif cues.SALE_LABEL.search(before):
            score += 2
        elif cues.NOW_LABEL.search(before):
            score += 1
        if any(tag_of(e) == "ins" for e in near):
            score += 2
        if cues.SALE_MARK.search(markers):
            score += 2
        if cues.SOFT_STRUCK_MARK.search(markers):
            score -= 2
        label = before if len(before) <= 25 else ""  # "Incl. Tax:" labels this amount
        if cues.TAX_PLUS.search(markers + " " + label):
            score += 1
        if cues.TAX_MINUS.search(markers + " " + label):
            score -= 1
        if self._is_listed(ancestors, holder):
            spot.excluded = spot.excluded or _LISTED
        if _unchosen_option([*inner, holder, *reversed(ancestors[-4:])]):
            spot.excluded = spot.excluded or "an option not chosen"
        spot.score = score

    def _claimed(self, before: str) -> bool:
        """The label before this amount is the one the previous amount ended with ("$ 299.990
        Precio con tarjeta CMR $ 349.990 Precio Internet"): the member label is that one's."""
        label = self._owned_label
        if not label:
            return False
        rest = clean_text(before)
        at = rest.rfind(label[:40])
        return at >= 0 and not cues.TRAP_LABEL.search(rest[at + len(label):] or " ")

    def _is_listed(self, ancestors: list[lxml.etree._Element],
                   holder: lxml.etree._Element) -> bool:
        """Inside a related/listing block or a product card below the main heading's line.

        Climbing from the price towards the block that holds the product's heading, a
        block that is a listing (by name, tag, a card's link, or a heading of its own
        above the price, "Customers also bought") makes it another product's price.
        """
        chain = [holder, *reversed(ancestors)]
        below: list[lxml.etree._Element] = []
        for el in chain:
            if el in self.heading_line:
                return False  # reached the block that holds the product's own heading
            verdict = self._listed.get(el)
            if verdict is None:
                verdict = self._listing_block(el)
                self._listed[el] = verdict
            if verdict or (self.heading is not None and self._own_heading(el, below, holder)):
                return True
            below.append(el)
        return False

    @staticmethod
    def _own_heading(el: lxml.etree._Element, below: list[lxml.etree._Element],
                     holder: lxml.etree._Element) -> bool:
        """`el` has a sub-heading (h2-h6) before the price that is not the price itself."""
        if tag_of(el) in ("span", "p", "small", "strong", "b", "em", "del", "ins", "s"):
            return False
        mine = {*below, holder}
        for h in el.xpath(_SUB_HEADINGS)[:20]:
            if h in mine or any(a in mine for a in h.iterancestors()):
                continue
            if any(d is holder for d in h.iterdescendants()):
                continue
            if am.DIGIT.search(bounded_text(h, 200)):
                continue  # a heading that shows a price is not a section's title
            if _precedes(h, holder):
                return True
        return False

    def _listing_block(self, el: lxml.etree._Element) -> bool:
        tag = tag_of(el)
        if tag in cues.LIST_TAGS:
            return tag != "a" or bool(el.get("href"))
        if cues.LIST_MARK.search(cues.marker(el)):
            return True
        if self.heading is None or tag in ("span", "p", "small", "strong", "b", "em"):
            return False
        # A card: another product's link around an image or a heading, or in a heading.
        return bool(el.xpath(_CARD_LINK))

    # ------------------------------------------------------------ deciding

    def decide(self) -> Decision:
        spots = self.spots()
        self._copies_share_verdicts(spots)
        viable = [s for s in spots if s.excluded is None]
        ranked = sorted(viable, key=lambda s: (-s.score, s.before_heading, s.order))
        if not ranked:
            ordinary = _ordinary_beside_member(spots)
            return Decision(ordinary, None, self.ranked())
        best = ranked[0]
        high = next((s for s in viable if s.range_high and s.element is best.element
                     and s.order == best.order + 1), None)
        if high is not None and _differs(high, best):
            return Decision(best, high, self.ranked())  # "$119 - $179": no variant picked
        rival = next((s for s in ranked[1:] if _differs(s, best)), None)
        if rival is not None and rival.score == best.score and rival.before_heading == (
                best.before_heading) and (self._same_block(best, rival)
                                          or self._names_product(rival)):
            low = _discounted(best, rival, spots)
            if low is not None:
                return Decision(low, None, self.ranked())
            return Decision(best, rival, self.ranked())
        return Decision(best, None, self.ranked())

    def _names_product(self, spot: Spot) -> bool:
        """The spot's own block repeats the product's name (a sticky buy bar, a summary):
        a second statement of this product's price, as plausible as the first."""
        if self.heading is None:
            return False
        name = bounded_text(self.heading, 300)
        return len(name) >= 4 and name.lower() in spot.context.lower() and (
            self.heading not in set(spot.element.iterancestors()))

    @staticmethod
    def _copies_share_verdicts(spots: list[Spot]) -> None:
        """A second copy of a struck amount is struck too (screen-reader and visual
        copies of one price: Amazon's a-offscreen, WooCommerce's sr text)."""
        for spot in spots:
            if spot.excluded is not None or spot.group is None:
                continue
            for other in spots:
                if (other.excluded is not None and other.group is spot.group
                        and not _differs(other, spot) and other.excluded in _STRUCK):
                    spot.excluded = other.excluded
                    break

    def ranked(self) -> list[Spot]:
        """All spots, best first: viable ones by score, then excluded ones in page order."""
        spots = self.spots()
        return sorted(spots, key=lambda s: (s.excluded is not None, -s.score,
                                            s.before_heading, s.order))

    @staticmethod
    def _same_block(a: Spot, b: Spot) -> bool:
        if a.element is b.element or (a.group is not None and a.group is b.group):
            return True
        anc_a = set(a.element.iterancestors())
        for anc in b.element.iterancestors():
            if anc in anc_a:
                return len(bounded_text(anc, 400)) <= 200
        return False


_CHOICE_ROLES = frozenset({"radio", "option", "tab", "menuitemradio"})


def _unchosen_option(chain: list[lxml.etree._Element]) -> bool:
    """Inside a choice the page marks as not chosen (a format or edition list's
    `role="radio" aria-checked="false"`): that option's price, not the one selected."""
    for el in chain:
        if (el.get("role") or "").strip().lower() in _CHOICE_ROLES:
            state = (el.get("aria-checked") or el.get("aria-selected") or "").strip().lower()
            return state == "false"
    return False


_MINUS_BEFORE = re.compile(r"(?:^|[\s(])[-−–]$")
"""A minus sign written onto an amount ("-200 zł", "(-€15)"): a discount, not a price.
A range's dash stands apart ("£110 – £135") and is read as a range."""

_PERCENT = re.compile(r"(\d{1,2}(?:[.,]\d)?)\s*%")


def _discounted(a: Spot, b: Spot, spots: list[Spot]) -> Spot | None:
    """The lower of two am.amounts when the page's own numbers say the higher was discounted
    to it: a percentage beside them ("30% off", "-30 %") or a stated saving equal to the
    difference. None when the arithmetic does not tie them."""
    low, high = (a, b) if a.money.amount < b.money.amount else (b, a)
    lo, hi = low.money.amount, high.money.amount
    text = " ".join({a.context, b.context, a.after, b.after})
    for m in _PERCENT.finditer(text):
        pct = float(m.group(1).replace(",", "."))
        if 0 < pct < 100 and abs(lo - hi * (1 - pct / 100)) <= 0.015 * hi + 0.01:
            return low
    for s in spots:
        if s.excluded and s is not low and s is not high and abs(
                s.money.amount - (hi - lo)) <= 0.01 + 0.005 * hi:
            return low
    return None


_MEMBER = re.compile(r"member|family|club|loyalty|prime|insider|회원|와우|会员|会員|medlem|"
                     r"mitglied|adh[ée]rent|socio|s[óo]cio|card", re.I)


def _ordinary_beside_member(spots: list[Spot]) -> Spot | None:
    """The ordinary price shown (often struck) under a members-only price: what everyone
    else pays, when nothing else on the page is a price to pay now (IKEA Family)."""
    member = any(s.excluded is not None and s.excluded not in _STRUCK and _MEMBER.search(
        f"{s.before} {s.context} {cues.marker(s.element)}") for s in spots)
    if not member:
        return None
    for s in spots:
        if s.excluded not in _STRUCK:
            continue
        names = " ".join(cues.marker(e) for e in (s.element, *list(s.element.iterancestors())[:2]))
        if cues.SOFT_STRUCK_LABEL.search(s.before) or _ORDINARY.search(names):
            return s
    return None


_ORDINARY = re.compile(r"ordinar|regular|normal|standard|non[-_]?member", re.I)


_DECIMALS = re.compile(r"^[.,]\d{1,2}(?!\d)")


def _decimal_sibling(holder: lxml.etree._Element, text: str) -> lxml.etree._Element | None:
    """The next element when it holds the decimals of the whole number `holder` shows
    ("50" then ",33 €"), with nothing between them; else None."""
    if not re.fullmatch(r"(?:\D{0,4}\s?)?\d[\d.\s\u00a0\u202f]*", text) or (
            holder.tail or "").strip():
        return None
    nxt = holder.getnext()
    if nxt is None or not isinstance(nxt.tag, str) or len(nxt):
        return None
    return nxt if _DECIMALS.match((nxt.text or "").strip()) else None


def _merges(inner: str, outer: str) -> bool:
    """The outer text reads a number of the inner one as part of a longer one: "bis 4"
    beside "149,00 €" would read "4 149,00 €" (space as thousands mark)."""
    mine = {m.group("num") for m in am.amounts(am.compact(inner))}
    theirs = {m.group("num") for m in am.amounts(am.compact(outer))}
    return any(n not in theirs and any(
        len(t) > len(n) and t.endswith(n) and t[-len(n) - 1] in " \u00a0\u202f"
        for t in theirs) for n in mine)



def _column_tier(holder: lxml.etree._Element, ancestors: list[lxml.etree._Element],
                 before: str) -> tuple[int, str] | None:
    """The tier a table's column header gives a price cell ("Menge: 1-9 | 10-49 | 50+"
    across the top, the prices in the row below), or None."""
    cell = next((e for e in (holder, *reversed(ancestors[-3:])) if tag_of(e) in ("td", "th")),
                None)
    row = cell.getparent() if cell is not None else None
    if row is None or tag_of(row) != "tr":
        return None
    table = next((a for a in row.iterancestors() if tag_of(a) == "table"), None)
    if table is None:
        return None
    first = next(iter(table.iter("tr")), None)
    if first is None or first is row:
        return None
    cells = [c for c in row if tag_of(c) in ("td", "th")]
    heads = [c for c in first if tag_of(c) in ("td", "th")]
    index = cells.index(cell)
    if index >= len(heads) or len(heads) != len(cells):
        return None
    head = bounded_text(heads[index], 80)
    context = bounded_text(heads[0], 80) + " " + bounded_text(cells[0], 80)
    found = cues.tier_start(head, context)
    return (found[0], before) if found is not None else None


def _precedes(a: lxml.etree._Element, b: lxml.etree._Element) -> bool:
    """True when `a` comes before `b` in document order (neither contains the other)."""
    anc_b = [b, *b.iterancestors()]
    anc_set = set(anc_b)
    chain_a = [a, *a.iterancestors()]
    common = next((x for x in chain_a if x in anc_set), None)
    if common is None:
        return False
    child_a = chain_a[chain_a.index(common) - 1] if chain_a.index(common) > 0 else None
    child_b = anc_b[anc_b.index(common) - 1] if anc_b.index(common) > 0 else None
    if child_a is None or child_b is None:
        return False
    return common.index(child_a) < common.index(child_b)


def _differs(a: Spot, b: Spot) -> bool:
    return round(a.money.amount, 2) != round(b.money.amount, 2)


def _context(gtext: str, text: str) -> str:
    if len(gtext) <= 100:
        return gtext
    pos = max(gtext.find(text), 0)
    start = max(0, pos - 40)
    return clean_text(gtext[start:start + 100])


