"""The country a page's own words name, for the currency a bare "$" means there.

A Spanish page without a region in its `lang` sells in the peso of the country it
ships to: "Despacho gratis a todo Chile" says CLP, "Envíos a todo México" MXN. The
locale tag is the page's statement; these words are the next best, used only when
the tag names no region and the page writes no currency code. English pages are
judged more strictly: a US shop often names Canada in a shipping note, so only a line
that both names one country and speaks of delivering there counts.
"""

from __future__ import annotations

import re

import lxml.etree

from tui_tracker.extractors.document import lines

TEXT_LIMIT = 30_000
"""Characters of visible text searched (the shipping banner and footer come early or
are short; a long description adds only noise)."""

_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "es": (("CLP", r"chile|santiago de chile|regi[oó]n metropolitana|valpara[ií]so|vi[nñ]a del mar|"
                   r"chilexpress|starken|\+56"),
           ("COP", r"colombia|bogot[aá]|medell[ií]n|barranquilla|servientrega|"
                   r"coordinadora|\+57"),
           ("ARS", r"argentina|buenos aires|caba|impuestos nacionales|afip|"
                   r"cuit|andreani|\+54"),
           ("MXN", r"m[eé]xico|cdmx|guadalajara|monterrey|meses sin intereses|estafeta|oxxo|"
                   r"\+52"),
           ("UYU", r"uruguay|montevideo|\+598"), ("PEN", r"per[uú]|\+51"),
           ("DOP", r"rep[uú]blica dominicana"), ("GTQ", r"guatemala"),
           ("CRC", r"costa rica"), ("PYG", r"paraguay"), ("BOB", r"bolivia"),
           ("HNL", r"honduras"),
           ("USD", r"ecuador|el salvador|puerto rico|panam[aá]|estados unidos|ee\.?\s?uu"),
           ("EUR", r"españa")),
    "pt": (("BRL", r"brasil|s[aã]o paulo|rio de janeiro|cnpj|boleto|\bpix|\+55"),
           ("EUR", r"portugal|lisboa|\+351")),
    "fr": (("CAD", r"canada|qu[ée]bec|montr[ée]al|postes canada|tps|tvq|tvh"),
           ("CHF", r"suisse|gen[eè]ve|lausanne"), ("EUR", r"france|belgique|luxembourg")),
    "en": (("CAD", r"canada"), ("AUD", r"australia"), ("NZD", r"new zealand|aotearoa"),
           ("SGD", r"singapore"), ("HKD", r"hong kong"), ("GBP", r"united kingdom|uk"),
           ("EUR", r"ireland"), ("INR", r"india"), ("ZAR", r"south africa"),
           ("PHP", r"philippines"), ("MYR", r"malaysia"), ("JMD", r"jamaica"),
           ("TTD", r"trinidad"), ("NGN", r"nigeria"), ("KES", r"kenya"),
           ("USD", r"united states|usa|u\.s\.a?\.?|contiguous u\.?s\.?|lower 48")),
}
_PATTERNS = {lang: [(code, re.compile(rf"(?<![^\W\d_])(?:{names})(?![^\W\d_])", re.I))
                    for code, names in table] for lang, table in _NAMES.items()}
_EN_SERVICES = ((("AUD", r"australia post|abn|\+61"), ("NZD", r"nz post|nzbn|\+64"),
                 ("CAD", r"canada post|gst/hst|hst|\+1 ?\(?[2-9]\d\d\)? ?\d{3}[- ]\d{4} canada"),
                 ("GBP", r"royal mail|vat reg\w*|\+44"), ("SGD", r"\+65"), ("HKD", r"\+852")))
"""Names only one country's shops write (its postal service, business number, phone
prefix): they count on an English page without a delivery word beside them."""
_SERVICE_PATTERNS = [(code, re.compile(rf"(?<![^\W\d_])(?:{names})(?![^\W\d_])", re.I))
                     for code, names in _EN_SERVICES]
_ANY = {lang: re.compile(r"(?<![^\W\d_])(?:" + "|".join(
    [f"(?:{names})" for _code, names in table]
    + ([f"(?:{names})" for _code, names in _EN_SERVICES] if lang == "en" else []))
    + r")(?![^\W\d_])", re.I) for lang, table in _NAMES.items()}
"""Any name a language's table knows, to skip the line walk on pages that name none."""
_DELIVERY = re.compile(
    r"ship|deliver|dispatch|postage|post\b|nationwide|\w+-wide|across|anywhere in|"
    r"throughout|within|livraison|livr[ée]|exp[ée]di|partout|au pays", re.I)
_FR_CANADA = re.compile(r"(?<![^\W\d_])(?:postes canada|tps|tvq|tvh)(?![^\W\d_])", re.I)
"""Canadian sales taxes and post a French page names without a delivery word."""
_ABROAD = re.compile(r"international|worldwide|overseas|outside", re.I)


def country_currency(root: lxml.etree._Element, language: str | None) -> str | None:
    """The currency of the one country the page's text names most, or None.

    Only for languages spoken in many currencies (es, pt, en, and fr for Canada and
    Switzerland); a tie says nothing.
    """
    patterns = _PATTERNS.get(language or "")
    if not patterns:
        return None
    # One pass in C over the raw text first: most pages name no country at all.
    raw = root.text_content()[:TEXT_LIMIT * 4] if hasattr(root, "text_content") else ""
    if raw and not _ANY[language or ""].search(raw):
        return None
    counts: dict[str, int] = {}
    size = 0
    for line, _block in lines(root, limit=TEXT_LIMIT):
        size += len(line)
        if size > TEXT_LIMIT:
            break
        if len(line) > 300:
            continue
        if language in ("en", "fr") and (not _DELIVERY.search(line) or _ABROAD.search(line)):
            named = {code for code, pattern in _SERVICE_PATTERNS if pattern.search(line)} if (
                language == "en") else ({"CAD"} if _FR_CANADA.search(line) else set())
        else:
            named = {code for code, pattern in patterns if pattern.search(line)}
        if len(named) != 1:
            continue  # "Ships to the US, Canada and Mexico" names no one country
        code = named.pop()
        counts[code] = counts.get(code, 0) + 1
    if not counts:
        return None
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] == ranked[1]:
        return None
    return max(counts, key=lambda c: counts[c])
