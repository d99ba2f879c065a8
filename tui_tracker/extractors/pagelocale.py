"""The currency a page's locale implies, to decide ambiguous symbols ($, ¥, kr).

"¥1,280" is yuan on a zh-CN page and yen on a ja-JP one; "$24" is Canadian on an
en-CA shop; "99 kr" is Swedish, Norwegian or Danish depending on the language. The
page says its locale in `<html lang>`, `og:locale`, a `content-language` meta, or
only in its address (`.ca`, `.com.au`) — the last is the weakest hint and is used
only when the page names no region.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tui_tracker.extractors.document import Document

_REGION_CURRENCY = {
    "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "MX": "MXN", "HK": "HKD",
    "SG": "SGD", "TW": "TWD", "AR": "ARS", "CL": "CLP", "CO": "COP", "UY": "UYU",
    "CN": "CNY", "JP": "JPY", "GB": "GBP", "UK": "GBP", "IE": "EUR", "CH": "CHF",
    "LI": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "IS": "ISK", "PL": "PLN",
    "CZ": "CZK", "HU": "HUF", "RO": "RON", "BG": "BGN", "RU": "RUB", "UA": "UAH",
    "TR": "TRY", "IN": "INR", "KR": "KRW", "BR": "BRL", "PE": "PEN", "ZA": "ZAR",
    "IL": "ILS", "AE": "AED", "SA": "SAR", "TH": "THB", "VN": "VND", "PH": "PHP",
    "ID": "IDR", "MY": "MYR", "EG": "EGP", "NG": "NGN", "KE": "KES", "MA": "MAD",
    "DE": "EUR", "AT": "EUR", "FR": "EUR", "BE": "EUR", "NL": "EUR", "LU": "EUR",
    "ES": "EUR", "PT": "EUR", "IT": "EUR", "FI": "EUR", "GR": "EUR", "SK": "EUR",
    "SI": "EUR", "EE": "EUR", "LV": "EUR", "LT": "EUR", "HR": "EUR", "MT": "EUR",
    "CY": "EUR",
    "DO": "DOP", "EC": "USD", "SV": "USD", "PR": "USD", "PA": "USD", "GT": "GTQ",
    "CR": "CRC", "PY": "PYG", "BO": "BOB", "HN": "HNL", "NI": "NIO", "JM": "JMD",
    "TT": "TTD", "BS": "BSD", "BB": "BBD", "BZ": "BZD", "FJ": "FJD", "NA": "NAD",
    "GY": "GYD", "KY": "KYD", "BN": "BND", "PK": "PKR", "BD": "BDT", "LK": "LKR",
    "NP": "NPR", "GH": "GHS", "QA": "QAR", "KW": "KWD", "RS": "RSD", "KZ": "KZT",
    "LR": "LRD",
}
"""Country -> currency, for the regions shops commonly localise to."""

_LANGUAGE_CURRENCY = {
    "ja": "JPY", "zh": "CNY", "sv": "SEK", "nb": "NOK", "nn": "NOK", "no": "NOK",
    "da": "DKK", "is": "ISK", "pl": "PLN", "cs": "CZK", "hu": "HUF", "ro": "RON",
    "bg": "BGN", "ru": "RUB", "uk": "UAH", "tr": "TRY", "ko": "KRW", "th": "THB",
    "vi": "VND", "id": "IDR", "he": "ILS", "de": "EUR", "fr": "EUR", "it": "EUR",
    "nl": "EUR", "fi": "EUR", "el": "EUR", "sk": "EUR", "sl": "EUR", "et": "EUR",
    "lv": "EUR", "lt": "EUR", "hr": "EUR", "hi": "INR",
}
"""Language alone -> currency, only where one currency dominates that language's shops
(not en, es, pt, ar: they span many currencies)."""

_TLD_CURRENCY = {
    "ca": "CAD", "au": "AUD", "nz": "NZD", "mx": "MXN", "hk": "HKD", "sg": "SGD",
    "tw": "TWD", "cn": "CNY", "jp": "JPY", "se": "SEK", "no": "NOK", "dk": "DKK",
    "is": "ISK", "uk": "GBP", "br": "BRL", "ar": "ARS", "cl": "CLP", "co": "COP",
    "in": "INR", "kr": "KRW", "ch": "CHF", "pl": "PLN", "cz": "CZK",
    "pk": "PKR", "lk": "LKR", "np": "NPR", "sa": "SAR", "ae": "AED", "qa": "QAR",
    "kw": "KWD", "eg": "EGP", "za": "ZAR", "my": "MYR", "ph": "PHP", "th": "THB",
    "vn": "VND", "id": "IDR", "tr": "TRY", "ng": "NGN", "ke": "KES", "bd": "BDT",
}

_TAG = re.compile(r"^\s*([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{4}))?(?:[-_]([a-zA-Z]{2}|\d{3}))?\b")


def _split(tag: str | None) -> tuple[str | None, str | None, str | None]:
    """("zh", "Hant", "TW") from "zh-Hant-TW"; Nones when absent or unreadable."""
    if not tag:
        return None, None, None
    m = _TAG.match(tag)
    if not m:
        return None, None, None
    region = m.group(3).upper() if m.group(3) and m.group(3).isalpha() else None
    return m.group(1).lower(), m.group(2), region


def locale_tags(doc: Document) -> list[str]:
    """The page's stated locales, strongest first: html lang, og:locale, content-language."""
    root = doc.root
    tags = [root.get("lang") or root.get("xml:lang") or ""]
    for meta in root.iter("meta"):
        prop = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").lower()
        if prop in ("og:locale", "content-language", "language"):
            tags.append(meta.get("content") or "")
    return [t for t in tags if t.strip()]


def locale_currency(doc: Document, url: str = "") -> str | None:
    """The currency the page's locale implies, or None when it does not say.

    A tag with a region decides ("en-CA" -> CAD); a language that maps to one currency
    comes next ("ja" -> JPY, "zh" -> CNY unless the region says HK/TW); the address's
    country TLD is the weakest hint.
    """
    strong, weak, _ = locale_parts(doc, url)
    return strong or weak


def locale_parts(doc: Document, url: str = "") -> tuple[str | None, str | None, str | None]:
    """(currency a region tag names, currency the language or TLD suggests, language).

    The first decides; the second is a guess that a currency the page writes out, or
    the country its text names, should beat (an "es" page naming Chile sells in CLP).
    """
    language: str | None = None
    for tag in locale_tags(doc):
        lang, script, region = _split(tag)
        if region and region in _REGION_CURRENCY:
            return _REGION_CURRENCY[region], None, lang
        if lang == "zh" and script and script.lower() == "hant":
            return "TWD", None, lang
        language = language or lang
    tld = _tld(url)
    if tld not in _TLD_CURRENCY:
        tld = _own_address_tld(doc) or tld
    if tld in _TLD_CURRENCY and language not in _LANGUAGE_CURRENCY:
        return _TLD_CURRENCY[tld], None, language
    if language in _LANGUAGE_CURRENCY:
        return None, _LANGUAGE_CURRENCY[language], language
    if tld in _TLD_CURRENCY:
        return None, _TLD_CURRENCY[tld], language
    if language == "en" and tld in ("com", "us", "", None):
        return None, "USD", language
    return None, None, language


def _own_address_tld(doc: Document) -> str | None:
    """The country TLD of the address the page gives for itself (canonical link,
    og:url), when it has one: a copy saved or served elsewhere still says where it is
    from."""
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        for href in doc.root.xpath(xpath)[:1]:
            tld = _tld(str(href).strip())
            if tld in _TLD_CURRENCY:
                return tld
    # The shop's own name written as its domain in the title or site name ("| Shop.pk").
    names = [str(t) for t in doc.root.xpath(
        '//title/text() | //meta[@property="og:site_name"]/@content')[:2]]
    for name in names:
        m = _DOMAIN_NAME.search(name[-120:])
        if m and m.group(1).lower() in _TLD_CURRENCY:
            return m.group(1).lower()
    return None


_DOMAIN_NAME = re.compile(r"\b[A-Za-z0-9][\w-]*(?:\.(?:com|co|net|org))?\.([A-Za-z]{2})\s*$")


def _tld(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    if not host or re.fullmatch(r"[\d.]+|\[.*\]|localhost", host):
        return None
    return host.rsplit(".", 1)[-1].lower()
