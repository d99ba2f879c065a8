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
from tui_tracker.extractors.document import (
    BLOCK_TAGS,
    SKIP_TAGS,
    Document,
    node_text,
    tag_of,
)
from tui_tracker.extractors.money import Money, parse_price

MAX_SPOTS = 300
"""Amounts kept from one page (a category page can show thousands)."""
MAX_OWNERS = 5000
"""Digit-bearing elements looked at on one page."""
SHORT = 60
"""An element whose text is longer than this is a sentence or a container, not a price."""

_SYM = (r"(?:US\$|C\$|CA\$|CAN\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|MX\$|NT\$|CN¥|JP¥|"
        r"[$€£¥￥₹₩₽₺₪฿₫₱₴₸]|"
        r"(?<![^\W\d_])(?:USD|EUR|GBP|CHF|JPY|CNY|CAD|AUD|NZD|HKD|SGD|SEK|NOK|DKK|PLN|CZK|"
        r"HUF|RON|BGN|BRL|MXN|ARS|CLP|COP|PEN|INR|KRW|RUB|UAH|TRY|ZAR|ILS|AED|SAR|THB|VND|"
        r"PHP|IDR|MYR|TWD|RMB|Rs\.?|Rp|RM|zł|kr\.?|Kč|Ft|lei|Fr\.|TL|S/\.?|лв\.?|руб\.?)"
        r"(?![^\W\d_]))")
_NUM = (r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?(?![\d])"
        r"|\d{1,3}(?:[.,'’\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?(?![\d])"
        r"|\d+(?:[.,]\d{1,2})?(?![\d])")
_POST = rf"(?P<post>{_SYM}|円|元|원|(?<![^\W\d_])(?:kr|zł|Kč|Ft|lei|TL)\b)"
AMOUNT = re.compile(
    rf"(?P<pre>{_SYM})?[\s\u00a0\u202f]?(?P<num>{_NUM})(?:[.,][-–]{{1,2}})?\*?"
    rf"(?:[\s\u00a0\u202f]?{_POST}(?![\s\u00a0\u202f]?\d))?")
"""An amount with its currency written before it ("$14.39 $12"): a trailing symbol
that starts the next amount is not this one's."""
AMOUNT_SUFFIX = re.compile(
    rf"(?P<pre>{_SYM})?[\s\u00a0\u202f]?(?P<num>{_NUM})(?:[.,][-–]{{1,2}})?\*?"
    rf"(?:[\s\u00a0\u202f]?{_POST})?")
"""An amount with its currency written after it ("1.499,00 € 1.299,00 €")."""
_FIRST = re.compile(rf"{_SYM}(?P<digit>[\s\u00a0\u202f]?\d)?")


def amounts(text: str) -> list[re.Match[str]]:
    """The amounts in a short text, reading its symbols the way the text places them."""
    first = _FIRST.search(text)
    prefix = first is not None and bool(first.group("digit")) and not (
        text[:first.start()].rstrip()[-1:].isdigit())
    pattern = AMOUNT if prefix else AMOUNT_SUFFIX
    return [m for m in pattern.finditer(text) if m.group("num")]


_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]{2,}")

_PRICE_WORD = re.compile(
    r"price|amount|cost|preis|prix|precio|preco|preço|prezzo|prijs|cena|pris|hinta|fiyat|"
    r"money|currency", re.I)
_SALE_MARK = re.compile(
    r"sale|special|current|final|\bnow\b|offer|promo|deal|actual|selling|our[-_]?price|"
    r"price[-_]?new|new[-_]?price|price-item--last|finalprice|primary|reduced|discounted",
    re.I)
_HARD_STRUCK_MARK = re.compile(
    r"old[-_]?price|price[-_]?old|was[-_]?price|price[-_]?was|compare|strike|crossed|"
    r"list[-_]?price|price[-_]?list|original[-_]?price|price[-_]?original|msrp|rrp|"
    r"non[-_]?sale|regular[-_]?price|oldprice|baseoldprice|\bwas\b|\bold\b|"
    r"price[-_]?before|before[-_]?price|retail[-_]?price|secondary[-_]?price|"
    r"priceregular|price--compare|line-through|preis[-_]?alt|alt[-_]?preis|streich|"
    r"prix[-_]?barre|ancien|precio[-_]?anterior|preco[-_]?de", re.I)
_SOFT_STRUCK_MARK = re.compile(r"regular|--regular|__regular|normal[-_]?price", re.I)
_TRAP_MARK = re.compile(
    r"unit[-_]?price|price[-_]?per|per[-_]?unit|base[-_]?price-?unit|installment|instalment|"
    r"parcel|klarna|afterpay|affirm|sezzle|clearpay|subscription|subscribe|autoship|"
    r"member|loyalty|\bpix\b|boleto|shipping|delivery|you[-_]?save|saving|\bsave\b|"
    r"rating|review|minicart|mini-cart|cart-drawer|cart[-_]?total|basket|"
    r"price[-_]?per[-_]?unit|reference[-_]?price|tier[-_]?price|payment|transfer|"
    r"cuota|parcela|economy|economia", re.I)
_LIST_MARK = re.compile(
    r"related|recommend|upsell|up-sell|cross-?sell|also[-_]|recently|similar|carousel|"
    r"slider|swiper|slick|product[-_]?card|card[-_]?product|\bcard\b|product[-_]?tile|"
    r"product[-_]?item\b|products[-_]?grid|product[-_]?grid|product[-_]?list|search[-_]result|"
    r"listing|site[-_]header|site[-_]footer|mini-?cart|cart[-_]drawer|navbar|megamenu|"
    r"bundle|frequently|shelf|prateleira|vitrine|vitrina|showcase|you[-_]?may|"
    r"may[-_]?also|accessor(?:y|ies)|cross[-_]?selling|complete[-_]?the[-_]?look", re.I)
_LIST_TAGS = frozenset({"nav", "header", "footer", "aside", "a"})
_TAX_PLUS = re.compile(r"with[-_]?tax\b|incl|including|inkl|\bttc\b", re.I)
_TAX_MINUS = re.compile(r"without[-_]?tax|excl|excluding|\bnetto\b|\bht\b|"
                        r"ex\.?\s*(?:vat|tax)|sin\s+impuestos|sem\s+impostos", re.I)

_HARD_STRUCK_LABEL = re.compile(
    r"(?:\bwas|\bmsrp|\brrp|\buvp|\blist(?:en)?\s*price|listenpreis|\bcompare\s*at|"
    r"\boriginal(?:ly)?(?:\s*price)?|\bretail(?:\s*price)?|\breg\.|\bbefore|\bantes|"
    r"(?<!partir )\bde|\bstatt|\bvorher|prix\s+barr\w*|ancien\s+prix|prix\s+de\s+r[ée]f[ée]rence|"
    r"prezzo\s+(?:di\s+listino|consigliato|pieno)|precio\s+(?:anterior|de\s+lista|original)|"
    r"pre[çc]o\s+(?:original|antigo)|通常価格|定価|参考価格|希望小売価格|原价|市场价|参考价|"
    r"\btypical(?:\s*price)?|\blist|\bvalued\s+at|\bvalue|\bstreichpreis|\bnormalpris|"
    r"niedrigster\s+preis.{0,25}|lowest\s+price.{0,25}|prix\s+le\s+plus\s+bas.{0,25}|"
    r"prezzo\s+pi[uù]\s+basso.{0,25}|precio\s+m[aá]s\s+bajo.{0,25}|laagste\s+prijs.{0,25}|"
    r"najni[żz]sza\s+cena.{0,25}|\bprix\s+conseill[ée]|\bempf\.?\s*vk|"
    r"originalpreis|urspr[üu]nglich\w*(?:\s+preis)?|vorheriger\s+preis|\bbisher|"
    r"alter\s+preis|\bm\.?r\.?p\.?(?:\s*\(incl\.?\s+of\s+all\s+taxes\))?|"
    r"정가|원가|\bбыло|старая\s+цена|cena\s+regularna|poprzednia\s+cena|\beski\s+fiyat|"
    r"市場価格|メーカー希望小売価格|\bprix\s+initial|\bprecio\s+(?:regular|normal|antes)|"
    r"\bordinarie\s+pris|\bførpris|\bvan|\bord\.?\s*pris|\btidligere\s+pris|"
    r"\bveil\.?\s*pris|\bvejl\.?\s*pris|\bovh\.?\s*pris|\bau\s+lieu\s+de|\ben\s+lugar\s+de|"
    r"\binvece\s+di|\bzamiast|\bвместо|\bconsumer\s+price|소비자가|시중가)\s*[:：]?\s*$", re.I)
_SOFT_STRUCK_LABEL = re.compile(
    r"(?:regular\s*price|\bregular|normal\s*price|\bnormalpreis|prix\s+normal|"
    r"precio\s+normal|pre[çc]o\s+normal)\s*[:：]?\s*$", re.I)
_NOW_LABEL = re.compile(
    r"(?:\bnow|\bsale(?:\s*price)?|special\s*price|\bour\s*price|\bdeal(?:\s*price)?|"
    r"current\s*price(?:\s*is)?|your\s*price|\boffer(?:\s*price)?|\bjetzt|\bnur|\bnu|"
    r"\bahora|\bagora|\bpor|\bmaintenant|\bpromo\w*|販売価格|セール価格|特価|価格|"
    r"售价|现价|促销价|优惠价|到手价|final\s*price|\bprice|\bpreis|\bprix|\bprecio|"
    r"\bpre[çc]o|\bprezzo|\bcena|\bpris|\bprijs|\bhinta|\bfiyat)\s*[:：]?\s*$", re.I)
_SALE_LABEL = re.compile(
    r"(?:\bnow|\bsale(?:\s*price)?|special\s*price|\bour\s*price|\bdeal|current\s*price"
    r"(?:\s*is)?|\bjetzt|\bnur|\bahora|\bagora|\bpor|\bmaintenant|販売価格|セール価格|特価|"
    r"现价|促销价|优惠价|到手价|판매가|할인가|special\s+price|deal\s+price|"
    r"angebotspreis|aktionspreis|sonderpreis|prix\s+promo|precio\s+oferta|"
    r"pre[çc]o\s+promocional|cena\s+promocyjna|indirimli\s+fiyat)\s*[:：]?\s*$", re.I)
_TRAP_LABEL = re.compile(
    r"(?:\d+\s*[x×]\s*(?:de\s*)?|\d+\s*(?:interest[-\s]free\s+)?(?:payments?|installments?|"
    r"instalments?|parcelas?|cuotas?|meses|rates?|mensualidades|Raten)\b[^$€£¥\d]{0,20}|"
    r"\bpay\s+in\b.{0,20}|\bor\s+\d.{0,30}|\bsubscri\w*.{0,30}|\bautoship.{0,20}|"
    r"\bmembers?\b.{0,20}|\bclub\b.{0,15}|\bprime\b.{0,15}|\bloyalty.{0,15}|"
    r"\bpix\b.{0,15}|\bboleto.{0,15}|[àa]\s+vista.{0,15}|\bsave\b.{0,10}|"
    r"you\s+save.{0,10}|\bsavings?\b.{0,10}|\bsparen\b.{0,10}|sie\s+sparen.{0,10}|"
    r"[ée]conomi[sz]\w*.{0,10}|\bahorra\w*.{0,10}|\becono\w*.{0,10}|\bshipping\b.{0,30}|"
    r"\bdelivery\b.{0,30}|\bversand\w*.{0,20}|\benv[íi]o.{0,20}|\bfrete.{0,20}|"
    r"\bfrakt.{0,20}|\bfragt.{0,20}|\btoimitus\w*.{0,20}|\blevering.{0,20}|"
    r"\bleverans.{0,20}|\bverzend\w*.{0,20}|\bspedizion\w*.{0,20}|\bwysyłk\w*.{0,20}|"
    r"\bdostaw\w*.{0,20}|доставк\w*.{0,20}|\bkargo.{0,20}|配送.{0,10}|送料.{0,10}|"
    r"运费.{0,10}|包邮.{0,10}|배송.{0,10}|\böver|\byli|"
    r"\borders?\s+(?:over|above|from).{0,10}|\bover|\bspend.{0,10}|\bdeposit.{0,10}|"
    r"\bunit\s*price.{0,10}|\bgrundpreis.{0,10}|prix\s+(?:unitaire|au\s+\w+).{0,10}|"
    r"\btax\s*[:：]|\bvat\s*[:：]|\bgift\s*card.{0,10}|\bcredit.{0,10}|\breward\w*.{0,10}|"
    r"\bearn.{0,10}|\bcashback.{0,10}|\bup\s+to|\bextra|\boff|\bbundle.{0,15}|"
    r"\bstarting\s+at\s+\$?\d.{0,20}|\bfrom\s+\d+\s*/\s*mo.{0,10}|会员价|会員価格|"
    r"\bsocio.{0,10}|\bfinance.{0,20}|\bper\s+month.{0,10}|superiores?\s+a|"
    r"mayores?\s+(?:a|de)|acima\s+de|compras\s+(?:de|desde)|"
    r"\bfor\s+orders|\badh[ée]rents?|\bdont\b|\blivraison.{0,30}|\bd[èe]s\b|"
    r"\bpoints?\b.{0,15}|\bpunkte\b.{0,15}|ポイント.{0,10}|"
    r"\d+\s*(?:or\s+more|\+|and\s+(?:up|above)|st(?:ü|ue)ck)|"
    r"\bab\s+\d+(?:\s*st(?:ü|ue)ck)?|\bfrom\s+\d+\s*(?:pcs|pieces|units|items)|"
    r"[àa]\s+partir\s+de\s+\d+\s*(?:pi[eè]ces|unit[ée]s|ex\.?)|"
    r"\bdesde\s+\d+\s*(?:unid\w*|piezas)|\d+\s*個以上で.{0,10}|"
    r"\bbuy\s+\d+|\bqty\s*\d+|\bzzgl\.?|\bzuzüglich|\bplus|\+|あたり|当たり|単価|"
    r"每|单价|\bje\b|\bpro\s+st(?:ü|ue)ck|\bprix\s+au|"
    r"\bz\s+kurierem|\bkurier\w*|\bwith\s+delivery|"
    r"회원.{0,10}|적립.{0,10}|최대.{0,10}|medlemspris|klubbpris|clubpris|mitgliederpreis|"
    r"prix\s+adh[ée]rent|precio\s+socio|"
    r"와우.{0,10}|쿠폰.{0,10}|당\s*|"
    r"\binhalt\b.{0,30}|\bcontenu\b.{0,30}|\bcontenido\b.{0,30}|\bgrundpreis.{0,20}|"
    r"\bbank\s+offer.{0,30}|\bcashback.{0,20}|\bwith\s+coupon.{0,10}|\bcoupon.{0,10}|"
    r"\bemi\b.{0,20}|\bno\s+cost\s+emi.{0,20}|\bexchange.{0,20}|"
    r"\bpreço\s+no\s+pix|\bpre[çc]o\s+[àa]\s+vista)"
    r"\s*[:：]?\s*$", re.I)
_TRAP_AFTER = re.compile(
    r"^\s*[*¹²³†]*\s*(?:[сc]\s+\w*\s*карт|по\s+карте|with\s+(?:\w+\s+)?card|"
    r"mit\s+\w*\s*karte|z\s+dostaw|with\s+delivery|incl\.?\s+(?:shipping|delivery)|"
    r"inkl\.?\s+versand|con\s+env[íi]o|com\s+frete|\w*versand\w*|shipping|delivery|"
    r"frete|env[íi]o|livraison|porto\b|送料|/\s*(?:\d+\s*)?[^\W\d_]{1,6}\b|per\s|a\s+month|each\s+month|mensal|"
    r"x\s*\d|com\s+(?:desconto\s+)?(?:no\s+)?pix|no\s+pix|via\s+pix|[àa]\s+vista|"
    r"com\s+pix|no\s+boleto|off\b|%|with\s+(?:subscri|auto|prime|member)|for\s+members|"
    r"member|in\s+rewards|cashback|sem\s+juros|interest[-\s]free|/mo\b|mo\.|monthly|"
    r"\(\s*\d+\s*x|em\s+\d+x|en\s+\d+\s+cuotas|a\s+mes|al\s+mes|per\s+100|/\s*100|"
    r"pro\s+(?:kg|l|liter|stück|100)|the\s+kg|le\s+kg|\bkg\b|\bp/|"
    r"(?:con|com|with|by|via|en|in|no|na|pagando\s+con|paying\s+by)\s+"
    r"(?:transfer\w*|pix|boleto|efectivo|dinheiro|d[ée]bito|bank\s+transfer|cash|"
    r"dep[óo]sito))", re.I)
_RANGE_JOIN = re.compile(r"^\s*(?:[-–—~〜]|to|bis|à|a|até|hasta)\s*$", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_STRUCK_STYLE = re.compile(r"line-through", re.I)
_QTY_MARK = re.compile(r"qty|quantity|count|badge|rating|review|star|cart", re.I)
_LISTED = "another product's price"
_STRUCK = ("struck through", "a former or list price")
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_CARD_LINK = ("boolean(.//a[@href][not(starts-with(normalize-space(@href), 'javascript'))]"
              "[normalize-space(@href) != '#'][.//img or .//picture or .//h2 or .//h3 or "
              ".//h4 or .//h5 or .//h6 or parent::h2 or parent::h3 or parent::h4 or "
              "parent::h5 or parent::h6])")
_SUB_HEADINGS = ".//h2 | .//h3 | .//h4 | .//h5 | .//h6"
_TITLE_MARK = re.compile(r"title|name|heading", re.I)


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


_STATE_CLASS = re.compile(r"(?<!\S)(?:with|has|is|show|hide)[-_]\S*")


def _marker(el: lxml.etree._Element) -> str:
    """The names an element carries (class, id, itemprop, test hooks), without state
    flags like `with-list-price` that describe the block rather than name it."""
    parts = [el.get("class"), el.get("id"), el.get("itemprop"), el.get("data-hook"),
             el.get("data-testid"), el.get("data-test"), el.get("data-price-type"),
             el.get("data-qa"), el.get("data-automation")]
    return _STATE_CLASS.sub(" ", " ".join(p for p in parts if p))


def _hidden(el: lxml.etree._Element) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and bool(_HIDDEN_STYLE.search(style))


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
        if not tag or (tag in SKIP_TAGS and el is not root) or tag == "input" or _hidden(el):
            continue
        own = el.text or ""
        has_digit = bool(_DIGIT.search(own)) or any(
            c.tail and _DIGIT.search(c.tail) for c in el)
        if has_digit or el is mark:
            yield el, path
        path.append(el)
        stack.extend((child, depth + 1) for child in reversed(el))


def visible_lines(root: lxml.etree._Element, limit: int = 200_000, *,
                  skip_listings: bool = False) -> Iterator[str]:
    """The text a person sees in `root`, one line per block; hidden parts left out
    (a "Sold out" notice with display:none is not said to the buyer), and with
    `skip_listings` the navigation and related-product blocks too."""
    buf: list[str] = []
    size = 0
    stack: list[tuple[lxml.etree._Element, bool]] = [(root, False)]
    while stack and size < limit:
        el, closing = stack.pop()
        tag = tag_of(el)
        if closing:
            if tag in BLOCK_TAGS and buf:
                line = clean_text("".join(buf), max_len=400)
                buf.clear()
                if line:
                    yield line
            if el is not root and el.tail:
                buf.append(el.tail)
                size += len(el.tail)
            continue
        if not tag or (tag in SKIP_TAGS and el is not root) or _hidden(el) or (
                skip_listings and el is not root and (
                    tag in ("nav", "header", "footer", "aside") or _LIST_MARK.search(
                        _marker(el)))):
            if el is not root and el.tail:
                buf.append(el.tail)
            continue
        if tag in BLOCK_TAGS and buf:
            line = clean_text("".join(buf), max_len=400)
            buf.clear()
            if line:
                yield line
        stack.append((el, True))
        if el.text:
            buf.append(el.text)
            size += len(el.text)
        stack.extend((child, False) for child in reversed(el))
    line = clean_text("".join(buf), max_len=400)
    if line:
        yield line


def _short_text(el: lxml.etree._Element) -> str:
    return clean_text(node_text(el, limit=SHORT * 4), max_len=SHORT * 4)


def _absorbable(extra: str) -> bool:
    """Text a price element may add around an amount: symbols, codes, punctuation."""
    words = _LETTERS.findall(extra)
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
        self._spots: list[Spot] | None = None

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
            text = _short_text(el)
            if not text or len(text) > SHORT * 2:
                continue
            holder, holder_text, depth = el, text, len(path)
            climbed = [el]
            # Climb to the element that is the whole price ("$" + "49" + ".99").
            while depth > 0:
                parent = path[depth - 1]
                if parent in self.heading_line or tag_of(parent) in ("body", "html"):
                    break
                ptext = _short_text(parent)
                if len(ptext) > SHORT:
                    break
                if ptext != holder_text:
                    if holder_text not in ptext:
                        break
                    extra = ptext.replace(holder_text, " ", 1)
                    if not _absorbable(extra) or _count(ptext) > max(1, _count(holder_text)) or (
                            _numbers(ptext) > max(1, _numbers(holder_text))):
                        break
                holder, holder_text, depth = parent, ptext, depth - 1
                climbed.append(holder)
            if holder in done:
                continue
            done.add(holder)
            ancestors = path[:depth]
            for spot in self._amounts(holder, holder_text, ancestors, order, climbed[:-1]):
                spot.before_heading = not seen_heading and heading is not None
                spots.append(spot)
                order += 1
        return spots

    def _amounts(self, holder: lxml.etree._Element, text: str,
                 ancestors: list[lxml.etree._Element], order: int,
                 inner: list[lxml.etree._Element]) -> list[Spot]:
        """The amounts inside one price element, each with its label and score."""
        marked = any(_PRICE_WORD.search(_marker(e)) for e in (holder, *ancestors[-3:]))
        group, gtext = self._group(holder, text, ancestors)
        pos = gtext.find(text)
        g_before = gtext[:pos] if pos >= 0 else ""
        g_after = gtext[pos + len(text):] if pos >= 0 else ""
        found: list[Spot] = []
        if len(_LETTERS.findall(text)) > (12 if marked else 6):
            return found  # a sentence that mentions money, not a price tag
        compact = _compact(text)
        if compact != text and _count(compact) < len(amounts(text)):
            text = compact  # "$ 14. 39" written as three spans is one amount
        matches = amounts(text)
        last_end = 0
        for i, m in enumerate(matches):
            has_symbol = bool(m.group("pre") or m.group("post"))
            bare = not has_symbol and marked and len(matches) == 1 and not _LETTERS.search(
                text.replace(m.group(0), "")) and (len(m.group("num")) >= 2) and not (
                _QTY_MARK.search(" ".join(_marker(e) for e in (holder, *ancestors[-2:]))))
            if not has_symbol and not bare:
                continue  # "2 or more $659": the 2 is part of the next amount's label
            money = parse_price(m.group(0).strip(), currency_hint=self.hint, allow_free=False)
            if money is None or money.amount == 0:
                last_end = m.end()
                continue
            before = text[last_end:m.start()]
            if i == 0 or not before.strip():
                before = _tail_words(g_before) + " " + before
            nxt = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            after = text[m.end():nxt]
            if i + 1 >= len(matches):
                after = after + " " + _head_words(g_after)
            spot = Spot(money, holder, clean_text(before, max_len=200)[-60:],
                        clean_text(after, max_len=200)[:60],
                        _context(gtext, text), order + len(found), group=group)
            joined = (found and _RANGE_JOIN.match(text[last_end:m.start()])) or (
                i == 0 and _RANGE_JOIN.match(_tail_words(g_before)) and _count(g_before))
            if joined:
                spot.range_high = True  # as plausible as the low end: nothing picked
            self._judge(spot, holder, ancestors, inner)
            found.append(spot)
            last_end = m.end()
        return found

    def _group(self, holder: lxml.etree._Element, text: str,
               ancestors: list[lxml.etree._Element]) -> tuple[lxml.etree._Element, str]:
        """The price block around a price: up to 3 levels while its text stays short."""
        group, gtext = holder, text
        for anc in reversed(ancestors[-3:]):
            if anc in self.heading_line:
                break
            atext = clean_text(node_text(anc, limit=400), max_len=400)
            if len(atext) > 160:
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
        near = [*inner, holder, *reversed(ancestors[-5:])]
        markers = " ".join(_marker(e) for e in near)
        score = 0
        if any(_PRICE_WORD.search(_marker(e)) for e in near[:4]):
            score += 1
        for e in near:
            if tag_of(e) in ("del", "s", "strike") or _STRUCK_STYLE.search(e.get("style") or ""):
                spot.excluded = spot.excluded or "struck through"
        if _HARD_STRUCK_MARK.search(markers):
            spot.excluded = spot.excluded or "a former or list price"
        if _TRAP_MARK.search(markers):
            spot.excluded = spot.excluded or "not a price to pay now"
        before, after = spot.before, spot.after
        if _TRAP_LABEL.search(before) or _TRAP_AFTER.match(after):
            spot.excluded = spot.excluded or "a unit, instalment, member or discount figure"
        elif _HARD_STRUCK_LABEL.search(before):
            spot.excluded = spot.excluded or "a former or list price"
        if _SOFT_STRUCK_LABEL.search(before):
            score -= 2
        elif _SALE_LABEL.search(before):
            score += 2
        elif _NOW_LABEL.search(before):
            score += 1
        if any(tag_of(e) == "ins" for e in near):
            score += 2
        if _SALE_MARK.search(markers):
            score += 2
        if _SOFT_STRUCK_MARK.search(markers):
            score -= 2
        label = before if len(before) <= 25 else ""  # "Incl. Tax:" labels this amount
        if _TAX_PLUS.search(markers + " " + label):
            score += 1
        if _TAX_MINUS.search(markers + " " + label):
            score -= 1
        if self._is_listed(ancestors, holder):
            spot.excluded = spot.excluded or _LISTED
        spot.score = score

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
            if _DIGIT.search(node_text(h, limit=200)):
                continue  # a heading that shows a price is not a section's title
            if _precedes(h, holder):
                return True
        return False

    def _listing_block(self, el: lxml.etree._Element) -> bool:
        tag = tag_of(el)
        if tag in _LIST_TAGS:
            return tag != "a" or bool(el.get("href"))
        if _LIST_MARK.search(_marker(el)):
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
            return Decision(None, None, self.ranked())
        best = ranked[0]
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
        name = clean_text(node_text(self.heading, limit=300))
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
                return len(clean_text(node_text(anc, limit=400), max_len=400)) <= 200
        return False


_PERCENT = re.compile(r"(\d{1,2}(?:[.,]\d)?)\s*%")


def _discounted(a: Spot, b: Spot, spots: list[Spot]) -> Spot | None:
    """The lower of two amounts when the page's own numbers say the higher was discounted
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


_COMPACT = re.compile(r"(?<=[\d$€£¥￥₹₩.,])\s+(?=[\d.,])|(?<=[$€£¥￥₹₩])\s+(?=\d)")


def _compact(text: str) -> str:
    """Spaces between an amount's own pieces removed ("$ 14. 39" -> "$14.39")."""
    return _COMPACT.sub("", text) if not _LETTERS.search(text) else text


def _count(text: str) -> int:
    """How many amounts with a currency a short text holds."""
    return sum(1 for m in amounts(_compact(text)) if m.group("pre") or m.group("post"))


def _numbers(text: str) -> int:
    """How many numbers (with or without a currency) a short text holds."""
    return len(amounts(_compact(text)))


def _tail_words(text: str) -> str:
    """The words after the last amount in `text` (a label that belongs to what follows)."""
    end = 0
    if _DIGIT.search(text):
        for m in amounts(text):
            if m.group("pre") or m.group("post"):
                end = m.end()
    return text[end:][-60:]


def _head_words(text: str) -> str:
    found = amounts(text)
    m = found[0] if found else None
    return (text[:m.start()] if m else text)[:60]


def _context(gtext: str, text: str) -> str:
    if len(gtext) <= 100:
        return gtext
    pos = max(gtext.find(text), 0)
    start = max(0, pos - 40)
    return clean_text(gtext[start:start + 100])


_SITE_MARK = re.compile(r"(?<![a-z])(?:site[-_]?|page[-_]?)?header(?![a-z_-])|(?<![a-z])logo|"
                        r"masthead|site[-_]?(?:title|name|brand)|navbar", re.I)


def _site_heading(el: lxml.etree._Element) -> bool:
    """An <h1> that is the shop's logo or masthead, not a product's name."""
    for node in (el, *el.iterancestors()):
        if tag_of(node) in ("header", "nav") or _SITE_MARK.search(_marker(node)):
            return True
    links = el.findall(".//a")
    return len(links) == 1 and (links[0].get("href") or "").strip() in ("/", "./", "#")


def main_heading(doc: Document, names: list[str]) -> lxml.etree._Element | None:
    """The product's heading: an <h1> named like the product (JSON-LD name, og:title,
    <title>), else an h2/h3 or title-classed element so named, else the first <h1> that
    is not the shop's logo."""
    from tui_tracker.extractors.structured import names_match

    h1s = [h for h in doc.root.iter("h1") if clean_text(node_text(h, limit=300))]
    own = [h for h in h1s if not _site_heading(h)]
    for h in own:
        if names and names_match(clean_text(node_text(h, limit=300)), names):
            return h
    if names:
        for el in doc.root.iter("h2", "h3", "div", "span", "p", "h1"):
            tag = tag_of(el)
            if tag in ("div", "span", "p") and not _TITLE_MARK.search(_marker(el)):
                continue
            if _site_heading(el):
                continue
            text = clean_text(node_text(el, limit=300))
            if text and len(text) <= 200 and names_match(text, names):
                return el
    if own:
        return own[0]
    return None


_CSS_SAFE = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")


def css_selector(doc: Document, el: lxml.etree._Element) -> str:
    """A CSS selector that selects `el` and nothing else on this page.

    Uniqueness is checked by walking the tree (translating CSS to XPath for every
    try costs far more than the walk on a normal page).
    """
    root = doc.root

    def unique_id(ident: str) -> bool:
        return len(root.xpath("//*[@id=$v]", v=ident)) == 1

    def unique_classes(tag: str, wanted: set[str]) -> bool:
        count = 0
        for node in root.iter(tag):
            if wanted <= set((node.get("class") or "").split()):
                count += 1
                if count > 1:
                    return False
        return count == 1

    ident = el.get("id")
    if ident and _CSS_SAFE.match(ident) and unique_id(ident):
        return f"#{ident}"
    tag = tag_of(el)
    classes = [c for c in (el.get("class") or "").split() if _CSS_SAFE.match(c)][:4]
    if classes and unique_classes(tag, set(classes)):
        return tag + "".join(f".{c}" for c in classes)
    steps: list[str] = []
    node: lxml.etree._Element | None = el
    while node is not None and tag_of(node) not in ("html", ""):
        t = tag_of(node)
        nid = node.get("id")
        if nid and _CSS_SAFE.match(nid) and node is not el and unique_id(nid):
            steps.append(f"#{nid}")
            break
        parent = node.getparent()
        if parent is None or t == "body":
            steps.append(t)
            break
        same = [c for c in parent if tag_of(c) == t]
        steps.append(t if len(same) == 1 else f"{t}:nth-of-type({same.index(node) + 1})")
        node = parent
    return " > ".join(reversed(steps)) or tag_of(el) or "html"
