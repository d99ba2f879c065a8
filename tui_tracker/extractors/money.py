"""Price strings to (amount, ISO 4217 code): locale-aware, and strict about junk.

`price_parser` does the hard part (which of `,`/`.` is the decimal mark in
"1.299,00 €" vs "$1,299.99"); this module adds what it leaves to callers:
mapping symbols to ISO codes, and refusing what is not a price. Measured traps
of price_parser 0.5.1 handled here: "1e999" parses as 1, "Free" as 0, "-$5" as 5,
"CHF 1’299.00" as 1 (typographic apostrophe as thousands mark).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from price_parser import Price

MAX_PRICE = 1e9
"""Larger amounts are treated as junk (IDs, phone numbers), not a price."""

_CODE_LIST = (
    "USD EUR GBP JPY CNY CHF CAD AUD NZD HKD SGD SEK NOK DKK ISK PLN CZK HUF RON BGN "
    "RUB UAH TRY INR KRW BRL MXN ARS CLP COP PEN ZAR ILS AED SAR THB VND PHP IDR MYR TWD "
    "EGP NGN KES MAD QAR KWD UYU HRK RSD KZT DOP GTQ CRC PYG BOB HNL NIO JMD TTD BSD BBD "
    "BZD FJD NAD GYD KYD BND PKR BDT LKR NPR GHS LRD"
)
_SCALAR_CODES = frozenset(_CODE_LIST.split())
"""ISO 4217 codes we accept verbatim when a page writes them out."""

# Longest spellings first so "US$" wins over "$".
_SYMBOLS: dict[str, str] = {
    "US$": "USD", "C$": "CAD", "CA$": "CAD", "CAN$": "CAD", "A$": "AUD", "AU$": "AUD",
    "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "R$": "BRL", "MX$": "MXN", "NT$": "TWD",
    "CN¥": "CNY", "RMB": "CNY", "元": "CNY", "JP¥": "JPY",
    "€": "EUR", "£": "GBP", "円": "JPY",
    "CHF": "CHF", "FR.": "CHF", "SFR.": "CHF",
    "ZŁ": "PLN", "KČ": "CZK", "FT": "HUF", "LEI": "RON",
    "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS",
    "฿": "THB", "₫": "VND", "₱": "PHP", "₴": "UAH", "RP": "IDR", "RM": "MYR", "S/": "PEN",
    "S/.": "PEN", "TL": "TRY", "ЛВ": "BGN", "ЛВ.": "BGN", "РУБ": "RUB", "РУБ.": "RUB",
    "₸": "KZT", "원": "KRW", "RD$": "DOP", "J$": "JMD", "TT$": "TTD", "N$": "NAD",
    "BZ$": "BZD", "FJ$": "FJD", "₡": "CRC", "₲": "PYG", "₦": "NGN", "KSH": "KES",
    "DKK.": "DKK", "SEK.": "SEK", "NOK.": "NOK",
    "ر.س": "SAR", "ر.س.": "SAR", "ر.ق": "QAR", "د.إ": "AED", "د.ك": "KWD",
}
_DOLLARS = {"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN", "TWD", "ARS", "CLP", "COP",
            "UYU", "DOP", "JMD", "TTD", "BSD", "BBD", "BZD", "FJD", "NAD", "GYD", "KYD",
            "BND", "LRD"}
_AMBIGUOUS = {"$": ("USD", _DOLLARS),
              "KR": ("SEK", {"SEK", "NOK", "DKK", "ISK"}),
              "KR.": ("DKK", {"SEK", "NOK", "DKK", "ISK"}),
              "RS": ("INR", {"INR", "PKR", "LKR", "NPR"}),
              "RS.": ("INR", {"INR", "PKR", "LKR", "NPR"}),
              "¥": ("JPY", {"JPY", "CNY"}),
              "￥": ("JPY", {"JPY", "CNY"})}
"""Symbol -> (default code, codes a page-level hint may pick instead)."""

_EXPONENT = re.compile(r"\d\s*[eE]\s*[+-]?\d")
_NON_FINITE = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)
_FREE = re.compile(r"^\W*(free|gratis|kostenlos|gratuit)\W*$", re.IGNORECASE)
_APOSTROPHE_THOUSANDS = re.compile(r"(?<=\d)['’ʼ](?=\d{3})")
_LEADING_MINUS = re.compile(r"^\s*[-−–]\s*(?:\D{0,4}\s*)?\d")
_EXTRA_SYMBOL = re.compile(r"S/\.?|원|(?<![A-Za-z])(?:Rp|RM|TL|KSh|лв\.?|руб\.?)(?![A-Za-z])|"
                           r"ر\.س|ر\.ق|د\.إ|د\.ك")
_PLAIN_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


@dataclass(frozen=True, slots=True)
class Money:
    """A parsed price. `currency` is an ISO 4217 code or None when the page never says."""

    amount: float
    currency: str | None


def currency_code(symbol: str | None, hint: str | None = None) -> str | None:
    """Map a currency symbol or code as written on a page to an ISO 4217 code.

    Args:
        symbol: what the page wrote ("$", "C$", "zł", "EUR", ...).
        hint: an ISO code the page states elsewhere (priceCurrency); it decides
            ambiguous symbols like "$" or "kr" and is the answer when `symbol` is None.
    """
    hint = normalise_code(hint)
    if not symbol:
        return hint
    s = symbol.strip().upper()
    if s in _AMBIGUOUS:
        default, allowed = _AMBIGUOUS[s]
        return hint if hint in allowed else default
    if s in _SYMBOLS:
        return _SYMBOLS[s]
    if s in _SCALAR_CODES:
        return s
    return hint


def normalise_code(code: object) -> str | None:
    """A currency code from structured data, upper-cased, or None if it is not one we know."""
    if not isinstance(code, str):
        return None
    c = code.strip().upper()
    if c in _SCALAR_CODES:
        return c
    return _SYMBOLS.get(c) or (_AMBIGUOUS[c][0] if c in _AMBIGUOUS else None)


def valid_amount(value: object) -> float | None:
    """A finite, non-negative, plausible amount as float; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        f = float(value)
    except (OverflowError, ValueError):  # int beyond float range
        return None
    if not math.isfinite(f) or f < 0 or f > MAX_PRICE:
        return None
    return f


def parse_price(text: object, *, currency_hint: str | None = None,
                allow_free: bool = True) -> Money | None:
    """Parse one price string, or return None when it is not a usable price.

    Ranges ("12.50 – 15.00", "$12.50 - $15.00") give their first (low) end.
    "Free" gives 0.0 only when it is the whole text (and `allow_free`); "Call for
    price", "—", exponents ("1e999"), NaN/Infinity, negatives and absurd amounts
    give None, never a silently wrong number.

    Args:
        text: the price text as shown (already taken out of the page).
        currency_hint: the page's stated ISO code, used when the text has no symbol or
            an ambiguous one.
        allow_free: accept a bare "Free" as 0.0.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        amount = valid_amount(text)
        return Money(amount, normalise_code(currency_hint)) if amount is not None else None
    if not isinstance(text, str):
        return None
    s = text.strip()
    if not s or len(s) > 200:
        return None
    if _FREE.match(s):
        return Money(0.0, normalise_code(currency_hint)) if allow_free else None
    if _EXPONENT.search(s) or _NON_FINITE.search(s) or _LEADING_MINUS.match(s):
        return None
    if _PLAIN_NUMBER.match(s):
        # Structured data writes "1.299" meaning 1.299 (schema.org uses a dot);
        # price_parser would read it as 1299.
        amount = valid_amount(float(s))
        return Money(amount, normalise_code(currency_hint)) if amount is not None else None
    s = _APOSTROPHE_THOUSANDS.sub("", s)
    parsed = Price.fromstring(s)
    if parsed.amount is None:
        return None
    amount = valid_amount(float(parsed.amount))
    if amount is None:
        return None
    if amount == 0 and not re.search(r"\d", s):
        return None  # price_parser turns words like "Free shipping" into 0
    symbol = parsed.currency
    if symbol is None:
        # Symbols price_parser does not know ("S/ 89.90", "RM 59.90").
        m = _EXTRA_SYMBOL.search(s)
        symbol = m.group(0) if m else None
    return Money(amount, currency_code(symbol, currency_hint))
