"""The words and names around an amount that say what kind of figure it is.

Class names and test hooks (`old-price`, `price-item--sale`, `data-price-type=
"finalPrice"`), labels before an amount ("Was", "UVP", "通常価格", "4 payments of",
"Subscribe & Save") and words after it ("/ oz", "com Pix", "c Ozon Картой") in the
languages shops use. `pricedom` scores amounts with these; nothing here reads a page.
"""

from __future__ import annotations

import re

import lxml.etree

from tui_tracker.extractors.document import hidden_by_markup

STYLE_HIDDEN = "data-tt-style-hidden"
"""Set by `stylehide` on elements the page's own stylesheet hides."""

PRICE_WORD = re.compile(
    r"price|amount|cost|preis|prix|precio|preco|preço|prezzo|prijs|cena|pris|hinta|fiyat|"
    r"money|currency", re.I)
SALE_MARK = re.compile(
    r"sale|special|current|final|\bnow\b|offer|promo|deal|actual|selling|our[-_]?price|"
    r"price[-_]?new|new[-_]?price|price-item--last|finalprice|primary|reduced|discounted",
    re.I)
HARD_STRUCK_MARK = re.compile(
    r"old[-_]{0,2}price|price[-_]{0,2}old|was[-_]{0,2}price|price[-_]{0,2}was|compare|strike|"
    r"crossed|"
    r"list[-_]?price|original[-_]?price|price[-_]?original|msrp|rrp|"
    r"non[-_]?sale|regular[-_]?price|oldprice|baseoldprice|\bwas\b|\bold\b|"
    r"price[-_]?before|before[-_]?price|retail[-_]?price|secondary[-_]?price|"
    r"priceregular|price--compare|line-through|preis[-_]?alt|alt[-_]?preis|streich|"
    r"prix[-_]?barre|ancien|precio[-_]?anterior|preco[-_]?de|origin[-_]?price|"
    r"price[-_]?origin", re.I)
SOFT_STRUCK_MARK = re.compile(r"regular|--regular|__regular|normal[-_]?price", re.I)
UNIT_MARK = re.compile(
    r"unit[-_]?price|price[-_]?per|per[-_]?unit|price[-_]?unit|base[-_]?price-?unit|"
    r"reference[-_]?price|grundpreis", re.I)
"""A per-measure price's class ("price-unit", "unitPrice"); some shops also call the price
of one item its unit price, so the words must say "per" too (see PER_MEASURE)."""
PER_MEASURE = re.compile(
    r"^\s*\)?\s*(?:/|per\b|pro\b|je\b|par\b|por\b|the\b|le\b|la\b)|"
    r"\b(?:kg|g|mg|l|ml|cl|m|m2|m²|lb|oz|fl\.?\s?oz|100\s?(?:g|ml)|st(?:ü|ue)ck|each|ea)\b",
    re.I)
"""Words after an amount that make it a price per measure ("/ 1 l", "per 100 g")."""
TRAP_MARK = re.compile(
    r"recycl|eco[-_]?(?:part|fee|tax)|"
    r"deposit|pfand|installment|instalment|"
    r"parcel|klarna|afterpay|affirm|sezzle|clearpay|subscription|subscribe|autoship|"
    r"member|loyalty|family[-_]?price|ikea[-_]?family|club[-_]?price|clubcard|nectar|\bpix\b|boleto|shipping|delivery|you[-_]?save|saving|\bsave\b|"
    r"rating|review|minicart|mini-cart|cart-drawer|cart[-_]?total|basket|"
    r"tier[-_]?price|payment|transfer|"
    r"cuota|parcela|economy|economia", re.I)
LIST_MARK = re.compile(
    r"related|recommend|upsell|up-sell|cross-?sell|also[-_]|recently|similar|carousel|"
    r"slider|swiper|slick|product[-_]?card|card[-_]?product|\bcard\b|product[-_]?tile|"
    r"product[-_]?item\b|products[-_]?grid|product[-_]?grid|product[-_]?list|search[-_]result|"
    r"listing|site[-_]header|site[-_]footer|mini-?cart|cart[-_]drawer|navbar|megamenu|"
    r"bundle|frequently|shelf|prateleira|vitrine|vitrina|showcase|you[-_]?may|"
    r"may[-_]?also|accessor(?:y|ies)|cross[-_]?selling|complete[-_]?the[-_]?look|"
    r"(?:other|more|all)[-_]?(?:offers|sellers|vendors)|marketplace[-_]?offers", re.I)
LIST_TAGS = frozenset({"nav", "header", "footer", "aside", "a"})
TAX_PLUS = re.compile(r"with[-_]?tax\b|incl|including|inkl|\bttc\b", re.I)
TAX_MINUS = re.compile(r"without[-_]?tax|excl|excluding|\bnetto\b|\bht\b|"
                        r"ex\.?\s*(?:vat|tax)|sin\s+impuestos|sem\s+impostos", re.I)

HARD_STRUCK_LABEL = re.compile(
    r"(?:\bwas|\bmsrp|\brrp|\buvp(?:\s+(?:des|der)\s+\w+)?|unverbindliche\s+preisempfehlung|\bempfohlener\s+verkaufspreis|\blist(?:en)?\s*price|listenpreis|\bcompare\s*at|"
    r"\boriginal(?:ly)?(?:\s*price)?|\bretail(?:\s*price)?|\breg\.|\bbefore|\bantes|"
    r"(?<!partir )\bde|\bstatt|\bvorher|prix\s+barr\w*|ancien\s+prix|prix\s+de\s+r[ée]f[ée]rence|"
    r"prezzo\s+(?:di\s+listino|consigliato|pieno)|precio\s+(?:anterior|de\s+lista|original)|"
    r"pre[çc]o\s+(?:original|antigo)|通常価格|定価|参考価格|希望小売価格|原价|市场价|参考价|"
    r"\btypical(?:\s*price)?|\blist|\bvalued\s+at|\bvalue|\bstreichpreis|"
    r"niedrigster\s+preis.{0,25}|lowest\s+price.{0,25}|prix\s+le\s+plus\s+bas.{0,25}|"
    r"prezzo\s+pi[uù]\s+basso.{0,25}|precio\s+m[aá]s\s+bajo.{0,25}|laagste\s+prijs.{0,25}|"
    r"najni[żz]sza\s+cena.{0,25}|\bprix\s+conseill[ée]|\bempf\.?\s*vk|"
    r"originalpreis|urspr[üu]nglich\w*(?:\s+preis)?|vorheriger\s+preis|\bbisher|"
    r"alter\s+preis|\bm\.?r\.?p\.?(?:\s*\(incl\.?\s+of\s+all\s+taxes\))?|"
    r"정가|원가|\bбыло|старая\s+цена|cena\s+regularna|poprzednia\s+cena|\beski\s+fiyat|"
    r"市場価格|メーカー希望小売価格|\bprix\s+initial|\bprecio\s+(?:regular|normal|antes)|"
    r"\bførpris|\bfør|\bförr|\bf[öo]re|\bennen|\baiemmin|\bprzed|\bprima|\bpreviously|\bformerly|\bvan|\btidligere\s+pris|"
    r"\bveil\.?\s*pris|\bvejl\.?\s*pris|\bovh\.?\s*pris|\bau\s+lieu\s+de|\ben\s+lugar\s+de|"
    r"\binvece\s+di|\bzamiast|\bвместо|\bconsumer\s+price|소비자가|시중가|"
    r"السعر\s+(?:الأصلي|الاصلي|الأساسي|قبل\s+الخصم|السابق)|كان|"
    r"מחיר\s+(?:קודם|מקורי))\s*[:：]?\s*$", re.I)
SOFT_STRUCK_LABEL = re.compile(
    r"(?:regular\s*price|\bregular|normal\s*price|ordinary\s*price|non[-\s]?member\s*price|\bnormalpreis|prix\s+normal|"
    r"\bordinarie\s+pris|\bord\.?\s*pris|\bordin[æa]r\s+pris|\bnormalpris|"
    r"precio\s+normal|pre[çc]o\s+normal)\s*[:：]?\s*$", re.I)
NOW_LABEL = re.compile(
    r"(?:\bnow|\bsale(?:\s*price)?|special\s*price|\bour\s*price|\bdeal(?:\s*price)?|"
    r"current\s*price(?:\s*is)?|your\s*price|\boffer(?:\s*price)?|\bjetzt|\bnur|\bnu|"
    r"\bahora|\bagora|\bpor|\bmaintenant|\bpromo\w*|販売価格|セール価格|特価|価格|"
    r"售价|现价|促销价|优惠价|到手价|final\s*price|\bprice|\bpreis|\bprix|\bprecio|"
    r"\bpre[çc]o|\bprezzo|\bcena|\bpris|\bprijs|\bhinta|\bfiyat)\s*[:：]?\s*$", re.I)
_AFTER_SAVINGS = (r"(?:price|total)\s+after\s+(?:instant\s+|online\s+)?(?:savings?|discounts?)|"
                  r"\bafter\s+(?:instant\s+|online\s+)?savings")
AFTER_SAVINGS = re.compile(rf"(?:{_AFTER_SAVINGS})\s*[:：]?\s*$", re.I)
""""Price After Savings": what the buyer pays once the shown saving is taken off, though
its label names a saving (which otherwise marks a figure that is not the price)."""
SALE_LABEL = re.compile(
    r"(?:\bnow|\bsale(?:\s*price)?|special\s*price|\bour\s*price|\bdeal|current\s*price"
    r"(?:\s*is)?|\bjetzt|\bnur|\bahora|\bagora|\bpor|\bmaintenant|販売価格|セール価格|特価|"
    r"现价|促销价|优惠价|到手价|판매가|할인가|special\s+price|deal\s+price|"
    r"angebotspreis|aktionspreis|sonderpreis|prix\s+promo|precio\s+oferta|"
    r"pre[çc]o\s+promocional|cena\s+promocyjna|indirimli\s+fiyat|"
    rf"{_AFTER_SAVINGS})\s*[:：]?\s*$", re.I)
TRAP_LABEL = re.compile(
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
    r"\d+\s*個以上で.{0,10}|\bzzgl\.?|\bzuzüglich|\bplus|\+|あたり|当たり|単価|"
    r"每|单价|\bje\b|\bpro\s+st(?:ü|ue)ck|\bprix\s+au|"
    r"\bz\s+kurierem|\bkurier\w*|\bwith\s+delivery|"
    r"회원.{0,10}|적립.{0,10}|최대.{0,10}|medlemspris|klubbpris|clubpris|mitgliederpreis|"
    r"prix\s+adh[ée]rent|precio\s+socio|"
    r"와우.{0,10}|쿠폰.{0,10}|당\s*|"
    r"\binhalt\b.{0,30}|\bcontenu\b.{0,30}|\bcontenido\b.{0,30}|\bgrundpreis.{0,20}|"
    r"\bbank\s+offer.{0,30}|\bcashback.{0,20}|\bwith\s+coupon.{0,10}|\bcoupon.{0,10}|"
    r"\bkupon\w*.{0,20}|"
    # Arabic: "up to" (a discount's cap), discount, save, instalments, shipping.
    r"حتى|بحد\s+أقصى|خصم.{0,20}|وفر.{0,10}|توفير.{0,10}|دفعات.{0,30}|أقساط.{0,30}|"
    r"قسط.{0,30}|شحن.{0,20}|توصيل.{0,20}|\bcup[óo]n\w*.{0,20}|\bcupom.{0,20}|\bmin(?:imum)?\.?|"
    r"\bemi\b.{0,20}|\bno\s+cost\s+emi.{0,20}|\bexchange.{0,20}|"
    r"\bpreço\s+no\s+pix|\bpre[çc]o\s+[àa]\s+vista|"
    r"\bfamily[-\s]?(?:pris|price|preis|prix|precio|prijs|hinta|cena|hind)|ikea\s+family.{0,25}|"
    r"\b(?:clubcard|nectar|circle|perks|insider|plus|vip|card\s*holder)\s+(?:member\s+)?"
    r"(?:price|pris|preis|prix|precio|deal)|\bwith\s+(?:clubcard|nectar|circle|(?:store\s+)?card)|"
    # A store or loyalty card's price ("Advantage Card Price", "Precio con tarjeta CMR",
    # 會員價): only card holders pay it.
    r"\b[^\W\d_]*\s*card\s+(?:holder\s+)?(?:price|pris|preis|prix|precio|deal)|"
    r"\bprecio\s+(?:con\s+|exclusivo\s+)?tarjeta.{0,20}|\bpre[çc]o\s+(?:com\s+)?cart[ãa]o.{0,20}|"
    r"\bcon\s+tarjeta.{0,20}|會員價?.{0,10}|"
    r"\bapp[-\s]?(?:price|pris|preis|prix|precio|exclusive)|"
    r"\bprecio\s+sin\s+impuestos(?:\s+nacionales)?|\bsin\s+impuestos\s+nacionales|"
    r"\bspar(?:a|ar|er|e)?\b.{0,10}|\bdu\s+sparar.{0,10}|\bs[äa][äa]st[äa]\w*.{0,10}|"
    r"\b(?:u\s+|je\s+)?bespaar\w*.{0,10}|\brisparmi\w*.{0,10}|\boszcz[ęe]dz\w*.{0,10}|"
    r"\bu[šs]et[řr][íi]te.{0,10}|\btasarruf.{0,10}|\bэкономи\w*.{0,10}|节省.{0,6}|立省.{0,6}|"
    r"お得.{0,6}|\bv?rg\b|\bvrb\b|\btar\b|recycl\w*(?:\s+\w+){0,2}|\bentsorgung\w*(?:\s+\w+)?|"
    r"[ée]co-?(?:participation|contribution|part|taxe?|fee)\w*(?:\s+\w+){0,2}|"
    r"\bweee\b.{0,15}|\bpfand\w*|\bd[ée]p[oó]sit\w*(?:\s+\w+)?|\bbottle\s+deposit|"
    r"\bcontainer\s+(?:fee|deposit)|\benvironmental\s+(?:fee|levy)\w*|\blevy|\bless\s*[:：]?\s*-|"
    # Other sellers' offers for the same product ("5 offres neuves à partir de 194€90",
    # "New & Used (12) from $89.00", "andere verkopers vanaf"): not what this page sells at.
    r"\boffres?\b(?:\s+[^\W\d_]+){0,3}\s+(?:[àa]\s+partir\s+de|d[èe]s)|"
    r"\b(?:new|used|refurbished|renewed)(?:\s*(?:&|and)\s*(?:new|used))?(?:\s*\(\d+\))?"
    r"\s+(?:offers?\s+)?from|\b\d+\s+(?:new|used|offers?)\s+from|"
    r"\b(?:other|more)\s+(?:sellers?|offers?|buying\s+choices)\b.{0,30}|"
    r"\b(?:autres?|d'autres)\s+(?:vendeurs?|offres?)\b.{0,30}|"
    r"\b(?:andere|weitere)\s+(?:anbieter|verk[äa]ufer|angebote|verkopers)\b.{0,30}|"
    r"\b(?:gebraucht|neu)\s+ab|\bd'occasion\b.{0,20}|\bmarketplace\b.{0,20}|"
    r"\botros\s+vendedores\b.{0,30}|\b\d+\s+ofertas?\s+desde|"
    # Fees charged beside the price ("(frais 0€99)", "handling fee", "Gebühr").
    # Multi-buy deals ("Buy any 2 for £4.00", "3 für 10 €"): a price for several.
    r"\b(?:buy\s+)?(?:any\s+)?[2-9]\d*\s+(?:for|f[üu]r|pour|por|voor|per)|"
    # Spend thresholds and amounts taken off in Chinese ("滿 NT$2,000 折 NT$200", "立減").
    r"[滿满]|[現现]?折|折抵|[減减]|立[減减]|省下?|"
    r"\bfrais\b.{0,20}|\b(?:service|handling|processing|booking|card)?\s*fees?\b.{0,10}|"
    r"\bgeb[üu]hr\w*.{0,10}|\bcomisi[óo]n\b.{0,10}|\btarifa\b.{0,10})"
    r"\s*[:：]?\s*$", re.I)
_PACK = (r"(?:bo[îi]te|box|pack|paquet|carton|caja|packung|karton|rolle?|rouleau|roll|"
         r"lot|set|colis|palette|pallet)\b")
"""The pack a price is for ("50,33 € / boîte de 1,44 m²"): what one buys, not a measure."""
TRAP_AFTER = re.compile(
    r"^\s*[*¹²³†]*\s*(?:[сc]\s+\w*\s*карт|по\s+карте|with\s+(?:\w+\s+)?card|"
    r"mit\s+\w*\s*karte|z\s+dostaw|with\s+delivery|incl\.?\s+(?:shipping|delivery)|"
    r"inkl\.?\s+versand|con\s+env[íi]o|com\s+frete|\w*versand\w*|shipping|delivery|"
    r"frete|env[íi]o|livraison|porto\b|送料|"
    rf"/\s*(?!{_PACK})(?:\d+\s*)?[^\W\d_]{{1,6}}\b|per\s|a\s+month|each\s+month|mensal|"
    r"x\s*\d|com\s+(?:desconto\s+)?(?:no\s+)?pix|no\s+pix|via\s+pix|[àa]\s+vista|"
    r"com\s+pix|no\s+boleto|off\b|%(?!\s?\d)|with\s+(?:subscri|auto|prime|member)|for\s+members|"
    r"member|in\s+rewards|cashback|sem\s+juros|interest[-\s]free|/mo\b|mo\.|monthly|"
    r"\(\s*\d+\s*x|em\s+\d+x|en\s+\d+\s+cuotas|a\s+mes|al\s+mes|per\s+100|/\s*100|"
    r"pro\s+(?:kg|l|liter|stück|100)|the\s+kg|le\s+kg|\bkg\b|\bp/|"
    r"(?:con|com|with|by|via|en|in|no|na|pagando\s+con|paying\s+by)\s+"
    r"(?:transfer\w*|pix|boleto|efectivo|dinheiro|d[ée]bito|bank\s+transfer|cash|"
    r"dep[óo]sito)|v?rg\b|recycl|[ée]co-?part|pfand|deposit|levy|"
    # A coupon's code named right after the amount ("Best Price: Rs. 1259 Coupon code:
    # X"): the price once that coupon is applied, not today's price.
    r"(?:coupon|kupon|cupom|cup[óo]n|gutschein|voucher)\b\s*[:：]?\s*(?:\w+\s+)?"
    r"(?:code|kodu|c[óo]digo|kod|kód)\b)", re.I)
OWN_TRAP_AFTER = re.compile(
    r"^\s*[*¹²³†]*\s*(?:\w*(?:와우|회원|멤버십|쿠폰)|(?:coupon|kupon|cupom|cup[óo]n)\b|会员|会員|メンバー|プライム|medlemspris|"
    r"klubbpris|clubpris|mitglieder\w*|prix\s+adh[ée]rent|precio\s+socio|pre[çc]o\s+s[óo]cio|"
    r"(?:for|with)\s+(?:\w+\s+)?(?:members?|membership|club|loyalty|card)|members?\s+only|"
    r"club\s+price|with\s+coupon|coupon\s+price|[^\W\d_]*\s*card\s+(?:holder\s+)?price|"
    r"(?:clubcard|nectar)\b|precio\s+(?:con\s+|exclusivo\s+)?tarjeta|con\s+tarjeta|"
    r"pre[çc]o\s+(?:com\s+)?cart[ãa]o|會員)", re.I)
"""Words after an amount inside its own block that make it a member or coupon price
("79,900원 와우할인가"); only its own block's, since the words after a price's block
are often the next price's label."""
_QTY_UNIT = (r"(?:pcs?\.?|pieces?|units?|items?|st(?:ü|ue)ck|stk\.?|st\.|pi[eè]ces?|"
             r"unit[ée]s?|unidad(?:es)?|unid\.?|piezas?|pe[çc]as?|pezzi|stuks?|szt\.?|"
             r"kpl|stk|шт\.?|個|点|件|개)")
_TIER = re.compile(
    r"(?:(?<![^\W\d_])(?:bis|up\s+to|until|jusqu'?\s*[àa]|hasta|at[ée]|fino\s+a|tot|till|"
    r"do|до)\s*(?P<upto>\d+)"
    r"|(?<![^\W\d_])(?:ab|from|vanaf|fra|från|od|desde|a\s+partir\s+de|[àa]\s+partir\s+de|"
    r"buy|kaufe|achetez|compra|compre|qty|quantity|menge|anzahl|min\.?)\s*[:：]?\s*"
    r"(?P<start>\d+)"
    r"|(?P<low>\d+)\s*(?:[-–—~]|to|bis|à|a|até)\s*\d+"
    rf"|(?P<plus>\d+)\s*(?:{_QTY_UNIT}\s*)?(?:\+|or\s+more|and\s+(?:up|above|more)|oder\s+mehr|und\s+mehr|"
    r"ou\s+plus|o\s+m[aá]s|ou\s+mais|以上|개\s*이상)"
    rf"|(?P<count>\d+)\s*(?={_QTY_UNIT}))"
    rf"\s*{_QTY_UNIT}?\s*[:：]?\s*$", re.I)
_QTY_CONTEXT = re.compile(
    r"quantit|\bqty\b|menge|anzahl|st(?:ü|ue)ckzahl|staffel|cantidad|quantidade|aantal|"
    r"\bantal\b|ilość|数量|수량|\btier|\bbulk|volume|wholesale|block|\bpcs\b|st(?:ü|ue)ck|"
    r"pieces|units|unidades|piezas|\bbuy\b|\bab\s+\d|\bbis\s+\d|\bfrom\s+\d", re.I)


def tier_start(label: str, context: str) -> tuple[int, str] | None:
    """(the smallest quantity a tier price applies to, the label without it) when the
    words before an amount name a quantity tier ("Bis 9", "Ab 10", "1-9 pcs", "Buy 3+"),
    else None.

    A bare range or count ("10-49") counts only where the block speaks of quantities
    (a "Quantity" column), so "Size 2-3" before a price is not a tier.
    """
    m = _TIER.search(label[-40:])
    if m is None:
        return None
    word = m.group("upto") and "1"
    start = word or m.group("start") or m.group("low") or m.group("plus") or m.group("count")
    if start is None:
        return None
    unit = re.search(rf"{_QTY_UNIT}\s*[:：]?\s*$", m.group(0), re.I)
    if (m.group("low") or m.group("count")) and not unit and not _QTY_CONTEXT.search(context):
        return None
    if m.group("count") and not unit:
        return None
    rest = label[:len(label) - len(label[-40:])] + label[-40:][:m.start()]
    return max(1, int(start)), rest


RANGE_JOIN = re.compile(r"^\s*(?:[-–—~〜～－]|to|bis|à|a|até|hasta|から)\s*$", re.I)
STRUCK_STYLE = re.compile(r"line-through", re.I)
QTY_MARK = re.compile(r"qty|quantity|count|badge|rating|review|star|cart", re.I)

_STATE_CLASS = re.compile(r"(?<!\S)(?:with|has|is|show|hide)[-_]\S*")


def marker(el: lxml.etree._Element) -> str:
    """The names an element carries (class, id, itemprop, test hooks), without state
    flags like `with-list-price` that describe the block rather than name it."""
    parts = [el.get("class"), el.get("id"), el.get("itemprop"), el.get("data-hook"),
             el.get("data-testid"), el.get("data-test"), el.get("data-price-type"),
             el.get("data-qa"), el.get("data-automation")]
    return _STATE_CLASS.sub(" ", " ".join(p for p in parts if p))


_HIDING = frozenset({"hidden", "unvisible", "invisible", "is-hidden", "hide", "display-none",
                     "d-none", "js-hidden", "u-hidden"})
_SHOWN_AT = re.compile(r"^d-\w+-(?:block|flex|inline|inline-block|grid|table)$")


def hidden(el: lxml.etree._Element) -> bool:
    """Not shown: `hidden`, an inline display:none, or a class whose whole job is hiding
    it (`hidden`, `d-none` without a breakpoint that shows it again, PrestaShop's
    `unvisible`). Screen-reader-only copies are left to the callers that skip them."""
    if hidden_by_markup(el) or el.get(STYLE_HIDDEN) is not None:
        return True
    classes = el.get("class")
    if not classes:
        return False
    tokens = set(classes.split())
    found = tokens & _HIDING
    return bool(found) and not ("d-none" in found and any(_SHOWN_AT.match(t) for t in tokens))

