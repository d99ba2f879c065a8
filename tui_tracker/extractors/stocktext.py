"""Whether a product is in stock, from the words its page shows a buyer.

Used when no structured data says. Shops word it in their language ("Sold out",
"Ausverkauft", "Esgotado", "在庫切れ", "품절"; "In stock", "Only 3 left", "Zostało 14
sztuk", "残りあと8個"). A notice the page hides is not said; a "Sold out" next to
an enabled "Add to cart" is a variant's, not the product's; an enabled "Add to
cart" alone says nothing (DESIGN: stock is what the page says).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.etree

from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import BLOCK_TAGS, SKIP_TAGS, node_text, tag_of
from tui_tracker.extractors.pricecues import LIST_MARK, hidden, marker

STOCK_TEXT_LIMIT = 30_000
"""Characters of a block read for stock words (a notice sits near the product)."""
MAX_LINE = 120
"""Longer lines are descriptions, not stock notices."""

NEGATIVE = re.compile(
    r"\b(out[ -]of[ -]stock|sold[ -]?out|currently unavailable|no longer available|"
    r"temporarily (?:unavailable|out of stock)|unavailable|not available(?! in (?:stores?|shops?))|"
    r"notify me when (?:it'?s )?(?:back|available)|email me when (?:it'?s )?(?:back|available)|"
    r"back in stock soon|coming soon|pre-?order(?: now)?|back-?order(?:ed)?|discontinued|"
    r"ausverkauft|vergriffen|nicht (?:auf lager|verfügbar|lieferbar|vorrätig)|"
    r"derzeit nicht (?:verfügbar|lieferbar)|vorbestell\w*|nicht (?:mehr )?an lager|"
    r"nicht mehr verfügbar|steht (?:derzeit )?nicht zur verfügung|"
    r"épuisé|en rupture de stock|rupture de stock|indisponible|bientôt disponible|"
    r"pr[ée]-?commande|agotado|sin stock|sin existencias|no disponible|preventa|"
    r"esgotado|indisponível|sem estoque|avise-me|pré-venda|"
    r"esaurito|non disponibile|preordina|uitverkocht|niet (?:op voorraad|leverbaar)|"
    r"slutsåld|slut i lager|tillfälligt slut|ej i lager|utsolgt|ikke på lager|udsolgt|"
    r"wyprzedan\w*|niedostępn\w*|brak w magazynie|brak towaru|oferta zakończona|"
    r"vyprodáno|není skladem|tükendi|stokta yok|"
    r"нет в наличии|распродано|закончил\w*)"
    r"|在庫切れ|売り切れ|品切れ|完売|在庫なし|入荷待ち|予約受付中|販売終了|"
    r"缺货|售罄|已售完|无货|暂时缺货|预售|품절|일시품절|재고 ?없음|판매 ?종료", re.I)
POSITIVE = re.compile(
    r"\b(in stock|\d+\s+(?:in stock|available|left)|more than \d+ available|"
    r"only \d+ left|only a few left|(?:a )?few left|low (?:in )?stock|limited stock|"
    r"last \d+ (?:items?|left)|almost gone|selling fast|ready to ship|ships today|"
    r"available to ship|(?:usually )?(?:ships|dispatched) (?:with)?in \d+|"
    r"auf lager|an lager|ab lager|(?:sofort )?lieferbar|vorrätig|nur noch (?:\d+|wenige)|"
    r"wenige verfügbar|"
    r"en stock|disponible|plus que \d+|derni[eè]res? pi[eè]ces?|exp[ée]di[ée] sous|"
    r"quedan \d+|solo quedan|últimas unidades|stock disponible|hay existencias|"
    r"em estoque|disponível|restam \d+|pronta entrega|"
    r"disponibile|disponibilità immediata|op voorraad|in voorraad|direct leverbaar|"
    r"i lager|finns i lager|få kvar|på lager|få igjen|få tilbage|"
    r"dostępn\w*|w magazynie|zostało \d+|ostatnie sztuki|skladem|stokta|son \d+ ürün|"
    r"в наличии|осталось \d+)\b"
    r"|在庫あり|在庫有り|残りわずか|残り(?:あと)?\d+(?:個|点)|即納|"
    r"有货|现货|有库存|库存\s*\d+|仅剩|剩余\s*\d+|재고 ?있음|\d+개 ?남음|구매 ?가능", re.I)
_BUY = re.compile(
    r"\b(add to (?:cart|bag|basket|trolley)|buy (?:it )?now|in den warenkorb|"
    r"ajouter au panier|añadir al carrito|agregar al carrito|comprar|adicionar ao carrinho|"
    r"aggiungi al carrello|in winkelwagen|lägg i varukorgen|legg i handlekurven|"
    r"læg i kurv|dodaj do koszyka|do košíku|sepete ekle|в корзину)"
    r"|カートに入れる|カゴに入れる|加入购物车|장바구니", re.I)
_BUTTONS = (".//button[not(@disabled)] | .//input[@type='submit'][not(@disabled)]"
            " | .//a[contains(@class, 'buy') or contains(@class, 'cart')]")


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
        if not tag or (tag in SKIP_TAGS and el is not root) or hidden(el) or (
                skip_listings and el is not root and (
                    tag in ("nav", "header", "footer", "aside") or LIST_MARK.search(
                        marker(el)))):
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


def in_stock_from_text(root: lxml.etree._Element, *,
                       skip_listings: bool = False) -> bool | None:
    """True/False from the visible words in `root`; None when they say neither."""
    negative = positive = False
    for line in visible_lines(root, STOCK_TEXT_LIMIT, skip_listings=skip_listings):
        if len(line) > MAX_LINE:
            continue
        if NEGATIVE.search(line):
            negative = True
        elif POSITIVE.search(line):
            positive = True
    if negative:
        # "Sold out" beside "In stock" and an enabled buy button is a variant swatch's.
        return positive and _can_add_to_cart(root)
    if positive:
        return True
    return None  # a buy button alone does not say the shop has it


def _can_add_to_cart(root: lxml.etree._Element) -> bool:
    for b in root.xpath(_BUTTONS)[:50]:
        if "disabled" in (b.get("class") or "") or b.get("aria-disabled") == "true":
            continue
        label = clean_text(node_text(b, limit=200) + " " + (b.get("value") or ""))
        if _BUY.search(label) and not NEGATIVE.search(label):
            return True
    return False
