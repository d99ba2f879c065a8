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
    r"нет в наличии|распродано|закончил\w*|предзаказ\w*|передзамовлення|przedsprzedaż\w*|"
    r"předobjednávk\w*|ön sipariş\w*|"
    r"not in stock|no stock|none left|not-in-stock|"
    r"powiadom mnie|gdy (?:produkt )?będzie dostępn\w*|benachrichtig\w* (?:mich|sie)|"
    r"wenn (?:wieder |der artikel )?(?:verfügbar|lieferbar)|pr[ée]venez-moi|m'avertir|"
    r"(?:quand|lorsque) (?:le produit |il |cet article )?(?:est |sera )?"
    r"(?:de nouveau |à nouveau )?disponible|"
    r"av[íi]same|avisarme|cuando (?:est[ée] |vuelva a estar )?disponible|avise-me|"
    r"quando (?:estiver |ficar |voltar a ficar )?dispon[íi]vel|avvisami|"
    r"quando (?:sar[àa] |torna )?disponibile|"
    r"wanneer (?:weer |het product weer )?(?:beschikbaar|op voorraad)|houd me op de hoogte|"
    r"när (?:den |varan )?(?:är |blir )?(?:tillgänglig|i lager)|bevaka|"
    r"stok habis|habis|tidak tersedia|hết hàng|tạm hết|สินค้าหมด|หมดแล้ว|"
    r"out of print|no longer (?:sold|stocked|carried)|no disponible en (?:este momento|línea)|"
    r"momentan nicht (?:verfügbar|lieferbar|erhältlich)|aktuell nicht (?:verfügbar|lieferbar)|"
    r"nicht mehr lieferbar|nicht erhältlich|plus disponible|temporairement indisponible|"
    r"non disponible|produit [ée]puis[ée]|sin unidades|fuera de stock|no hay stock|"
    r"sem estoque|produto esgotado|indispon[íi]vel no momento|tijdelijk uitverkocht|"
    r"tillfälligt slutsåld|midlertidig udsolgt|midlertidig utsolgt|loppuunmyyty|tilapäisesti loppu|"
    r"ei varastossa|nedostupn\w*|není k dispozici|chwilowo niedostępn\w*|"
    r"stoc epuizat|indisponibil|nu (?:este|mai este) (?:în|in) stoc|"
    r"немає в наявності|закінчився|нема в наявності|нет в продаже|"
    r"nincs raktáron|elfogyott|изчерпан\w*|няма наличност|nema na stanju|rasprodan\w*|"
    r"εξαντλήθηκε|μη διαθέσιμο|غير متوفر|نفدت الكمية|אזל מהמלאי|לא במלאי)"
    r"|在庫切れ|売り切れ|品切れ|完売|在庫なし|入荷待ち|予約受付中|販売終了|"
    r"缺货|售罄|已售完|无货|暂时缺货|预售|품절|일시품절|재고 ?없음|판매 ?종료", re.I)
ALMOST_GONE = re.compile(
    r"\b(?:almost|nearly|about\s+to\s+be|soon\s+to\s+be)\s+sold[ -]?out|selling\s+out(?:\s+fast)?|"
    r"\b(?:fast|bald|beinahe|nahezu)\s+ausverkauft|\bpresque\s+[ée]puis[ée]e?s?|"
    r"\bbient[ôo]t\s+[ée]puis[ée]e?s?|\bcasi\s+agotad[oa]s?|\bquase\s+esgotad[oa]s?|"
    r"\bquasi\s+esaurit[oa]|\bbijna\s+uitverkocht|\bn[äa]stan\s+sluts[åa]ld|"
    r"\bnesten\s+utsolgt|\bnæsten\s+udsolgt|\bprawie\s+wyprzedan\w*|"
    r"\bпочти\s+распродан\w*|\bkurz\s+vor\s+dem\s+ausverkauf|"
    r"品切れ間近|売り切れ間近|完売間近|在庫僅少|即将售罄|快要售罄|即将卖完|"
    r"품절\s?임박|매진\s?임박|품절\s?직전", re.I)
"""Words that say the product is nearly gone, so still in stock ("품절임박", "Almost
sold out"): read before the sold-out words they contain."""
_NO_COUNT = re.compile(r"(?<![\d.,])0+\s+(?:in stock|available|left|verfügbar|disponibles?|"
                       r"auf lager|på lager|i lager|op voorraad|em estoque|en stock)\b|"
                       r"\b(?:stock|bestand|lagerbestand|existencias|estoque|disponibilit[ée])\s*:\s*0\b",
                       re.I)
"""A count of zero said with in-stock words ("0 available", "Stock: 0"): out of stock."""
_LABEL = re.compile(
    r"^(?:(?:current\s+)?(?:stock|inventory|stock\s+level|quantity\s+available|"
    r"lagerbestand|lieferstatus|existencias|estoque|voorraad|saldo|stan|stok|tồn kho|"
    r"在庫|库存|재고)\s*[:：]|(?:availability|verfügbarkeit|disponibilit[ée]|disponibilidad|"
    r"disponibilidade|disponibilità|lagerstatus|dostępność|ketersediaan|tình trạng|สถานะ)"
    r"\s*[:：]?)$", re.I)
"""A stock label on a line of its own, its value on the next ("Current Stock:" | "12")."""
_NEGATED = re.compile(
    r"\b(?:not|no\s+longer|nicht|kein\w*|nie|pas|plus|non|niet|ikke|inte|ej|não|nao|no|"
    r"sin|не|ei|není|tidak|không)(?:\s+[^\W\d_]{1,10}){0,2}\s+"
    r"(?:in\s+stock|available(?!\s+in\s+(?:stores?|shops?))|auf\s+lager|an\s+lager|lieferbar|verfügbar|vorrätig|"
    r"w\s+magazynie|dostępn\w*|en\s+stock|disponible|op\s+voorraad|på\s+lager|"
    r"i\s+lager|em\s+estoque|disponível|disponibile|в\s+наличии|skladem|tersedia|còn\s+hàng)",
    re.I)
"""Stock words under a negation ("not in stock", "nie występuje już w magazynie"): out."""
POSITIVE = re.compile(
    r"\b(in stock|\d+\s+(?:in stock|available|left)|more than \d+ available|"
    r"only \d+ left|only a few left|only \d+ (?:items?|pieces?|pcs|units?) left|"
    r"\d+ (?:items?|pieces?|pcs) left|(?:a )?few left|low (?:in )?stock|limited stock|"
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
    r"в наличии|осталось \d+|available now|available for (?:delivery|pickup|collection)|"
    r"(?:usually )?ships (?:in|within) \d+|ready for (?:pickup|collection|dispatch)|"
    r"(?:sofort |direkt |)verfügbar|sofort versandfertig|versandfertig in|lagernd|"
    r"(?:noch )?\d+ (?:stück|stk\.?) (?:auf lager|verfügbar|vorrätig)|"
    r"entrega inmediata|env[íi]o inmediato|unidades disponibles|quedan pocas|"
    r"pronta consegna|ultimi \d+ pezzi|morgen in huis|nog \d+ (?:op voorraad|beschikbaar)|"
    r"en existencia|em stock|dispon[íi]vel para entrega|levering (?:i morgen|innen)|"
    r"leveranstid \d|skickas inom|sendes innen|sendes inden|"
    r"(?:current\s+)?stock\s*(?:level)?\s*[:：]?\s*[1-9]\d*|(?:in\s+)?stock\s*[:：]\s*(?:yes|available)|"
    r"availability\s*[:：]\s*(?:in\s+stock|available)|inventory\s*[:：]?\s*[1-9]\d*|"
    r"lagerbestand\s*[:：]?\s*[1-9]\d*|stok\s*[:：]?\s*(?:tersedia\s*)?[1-9]\d*|stok tersedia|"
    r"sisa\s+(?:stok\s+)?[1-9]\d*|tersedia|dalam stok|còn hàng|còn\s+[1-9]\d*\s+sản phẩm|"
    r"มีสินค้า|พร้อมส่ง|เหลือ\s*[1-9]\d*\s*ชิ้น|"
    r"(?:only\s+)?(?:a\s+)?few\s+units?\s+left|\d+\s+units?\s+left|"
    r"(?:în|in) stoc|stoc limitat|ultimele \d+ (?:bucăți|produse)|"
    r"(?:є )?в наявності|закінчується|raktáron|készleten|в наличност|наличен|na stanju|"
    r"διαθέσιμο|άμεσα διαθέσιμο|varastossa|متوفر|متبقي\s+\d+|(?:بقي|تبقى)\s+\d+|במלאי)\b"
    r"|在庫あり|在庫有り|残りわずか|在庫残少|在庫僅少|残り(?:あと)?\d+(?:個|点)|即納|在庫\s*[:：]?\s*\d+|"
    r"当日発送|翌日発送|\d+日以内に発送|남은\s?수량\s?\d+|재고\s?\d+|오늘\s?출발|"
    r"有货|现货|有库存|库存\s*\d+|仅剩|剩余\s*\d+|有貨|現貨|有庫存|庫存(?:剩|剩餘)?\s*\d+|僅剩|剩餘\s*\d+|剩\s*\d+\s*件|"
    r"재고 ?있음|\d+개 ?남음|구매 ?가능", re.I)
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
            if buf and buf[-1][-1:].isalpha() and el.text[:1].isdigit():
                buf.append(" ")  # "M" + "<span>3 left</span>": a size and its count
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
    label = ""
    for line in visible_lines(root, STOCK_TEXT_LIMIT, skip_listings=skip_listings):
        if len(line) > MAX_LINE:
            continue
        if label:  # "Current Stock:" | "12" in two cells: one statement
            line, label = f"{label} {line}", ""
        elif _LABEL.match(line):
            label = line
            continue
        neg = NEGATIVE.search(line)
        pos = None if neg else POSITIVE.search(line)
        if neg and ALMOST_GONE.search(line):  # "품절임박" holds a sold-out word
            positive = True
            line = ALMOST_GONE.sub(" ", line)
            neg = NEGATIVE.search(line)
            pos = None if neg else POSITIVE.search(line)
        if not neg and (("0" in line and _NO_COUNT.search(line)) or (
                pos and _NEGATED.search(line))):
            neg, pos = True, None  # "0 available", "not in stock": stock words said no
        if neg:
            negative = True
        elif pos:
            positive = True
    if negative:
        # "Sold out" beside "In stock" and an enabled buy button is a variant swatch's.
        return positive and _can_add_to_cart(root)
    if positive:
        return True
    return None  # a buy button alone does not say the shop has it


def _can_add_to_cart(root: lxml.etree._Element) -> bool:
    for b in root.xpath(_BUTTONS)[:50]:
        if "disabled" in (b.get("class") or "") or b.get("aria-disabled") == "true" or any(
                hidden(e) for e in (b, *b.iterancestors())):
            continue
        label = clean_text(node_text(b, limit=200) + " " + (b.get("value") or ""))
        if _BUY.search(label) and not NEGATIVE.search(label):
            return True
    return False
