"""Amounts of money as pages write them: "$14.39", "1.299,00 €", "12 345,67 zł",
"₹1,23,456", "CHF 99.–", "1,280円", "$ 14. 39" split over spans.

`amounts` finds each amount in a short text, reading its currency symbol on the side
the text puts it: "1.499,00 € 1.299,00 €" is two suffixed amounts, "$14.39 $12" two
prefixed ones, so a symbol between two numbers is not given to the wrong one.
"""

from __future__ import annotations

import re

import lxml.etree

SYM = (r"(?:US\$|RD\$|TT\$|BZ\$|FJ\$|J\$|N\$|"
       r"C\$|CA\$|CAN\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|MX\$|NT\$|CN¥|JP¥|"
       r"[$€£¥￥₹₩₽₺₪฿₫₱₴₸₡₲₦]|"
       r"(?<![^\W\d_])(?:USD|EUR|GBP|CHF|JPY|CNY|CAD|AUD|NZD|HKD|SGD|SEK|NOK|DKK|PLN|CZK|"
       r"HUF|RON|BGN|BRL|MXN|ARS|CLP|COP|PEN|INR|KRW|RUB|UAH|TRY|ZAR|ILS|AED|SAR|THB|VND|"
       r"PHP|IDR|MYR|TWD|RMB|KSh|Rs\.?|Rp|RM|zł|[kK]r\.?|Kč|Ft|[lL]ei|Fr\.|TL|S/\.?|лв\.?|руб\.?|"
       r"ر\.س|ر\.ق|د\.إ|د\.ك)"
       r"(?![^\W\d_]))")
NUM = (r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?(?![\d])"
       r"|\d{1,3}(?:[.,'’\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?(?![\d])"
       r"|\d+(?:[.,]\d{1,2})?(?![\d])")
POST = rf"(?P<post>{SYM}|円|元|원|(?<![^\W\d_])(?:[kK]r|zł|Kč|Ft|[lL]ei|TL)\b)"
AMOUNT = re.compile(
    rf"(?P<pre>{SYM})?[\s\u00a0\u202f]?(?P<num>{NUM})(?P<dash>[.,:][-–—‒]{{1,2}})?\*?"
    rf"(?:[\s\u00a0\u202f]?{POST}(?![\s\u00a0\u202f]?\d))?")
"""An amount with its currency written before it ("$14.39 $12"): a trailing symbol
that starts the next amount is not this one's."""
AMOUNT_SUFFIX = re.compile(
    rf"(?P<pre>{SYM})?[\s\u00a0\u202f]?(?P<num>{NUM})(?P<dash>[.,:][-–—‒]{{1,2}})?\*?"
    rf"(?:[\s\u00a0\u202f]?{POST})?")
"""An amount with its currency written after it ("1.499,00 € 1.299,00 €")."""
SYMBOL_AT_END = re.compile(rf"({SYM})[\s\u00a0\u202f]*$")
"""A currency symbol or code ending a label, its amount in the next element."""
_FIRST = re.compile(rf"{SYM}(?P<digit>[\s\u00a0\u202f]?\d)?")


def amounts(text: str) -> list[re.Match[str]]:
    """The amounts in a short text, reading its symbols the way the text places them."""
    first = _FIRST.search(text)
    prefix = first is not None and bool(first.group("digit")) and not (
        text[:first.start()].rstrip()[-1:].isdigit())
    pattern = AMOUNT if prefix else AMOUNT_SUFFIX
    return [m for m in pattern.finditer(text) if m.group("num")]


_LOCAL_SYMBOLS: dict[str, re.Pattern[str]] = {
    "ZAR": re.compile(r"(?<![^\W\d_])R(?=[\s\u00a0\u202f]?\d)"),
    "BWP": re.compile(r"(?<![^\W\d_])P(?=[\s\u00a0\u202f]?\d)"),
    "GTQ": re.compile(r"(?<![^\W\d_])Q(?=[\s\u00a0\u202f]?\d)"),
}
"""One-letter symbols ("R 6,499" for the rand): too common as letters to read on every
page, so only where the page's own currency is theirs."""


def local_symbols(text: str, currency: str | None) -> str:
    """`text` with the page currency's one-letter symbol written as its code
    ("R 6,499" -> "ZAR 6,499" on a South African page), so it reads as money."""
    pattern = _LOCAL_SYMBOLS.get(currency or "")
    return pattern.sub(currency or "", text) if pattern is not None else text


DIGIT = re.compile(r"\d")
LETTERS = re.compile(r"[^\W\d_]{2,}")


_COMPACT = re.compile(r"(?<=[\d$€£¥￥₹₩.,])\s+(?=[\d.,])|(?<=[$€£¥￥₹₩])\s+(?=\d)")


_SYMBOL_AS_MARK = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.\s\u00a0]\d{3})*|\d+)\s?€\s?(\d{2})(?!\d)")


def symbol_as_mark(text: str) -> str:
    """The French "199€99" (the euro sign where the decimal comma goes) as "199,99 €"."""
    return _SYMBOL_AS_MARK.sub(r"\1,\2 €", text) if "€" in text else text


_CENTS_MARK = re.compile(r"cent|decimal|fraction|minor|subunit|sub-unit|\bsup\b|small", re.I)
_NUMBER_END = re.compile(r"\d[\d.,'’\u00a0\u202f]*$")


def cents_part(node: lxml.etree._Element, before: str) -> str | None:
    """The decimal mark to put before a price's cents written as their own element
    (`24<sup>99</sup>`, MercadoLibre's `__cents` span after `14.999`), or None.

    `before` is the text read just before the element. "" when the cents follow a
    currency symbol that stands for the mark ("199€<sup>99</sup>").
    """
    text = (node.text or "").strip()
    if len(text) != 2 or not text.isdigit() or len(node):
        return None
    tail = before.rstrip()
    if tail.endswith("€") and tail[:-1].rstrip()[-1:].isdigit():
        return ""
    if tail != before or not (node.tag == "sup" or _CENTS_MARK.search(node.get("class") or "")):
        return None  # "24 99" with a space between, or no sign of cents: two numbers
    m = _NUMBER_END.search(tail)
    if m is None or re.search(r"[.,]\d{1,2}$", m.group(0)):
        return None  # no number before it, or one that has its cents already
    if m.group(0)[-1] in ".,":
        return ""  # the mark is written already ("39," + "99")
    return "," if re.search(r"\.\d{3}$", m.group(0)) else "."


def compact(text: str) -> str:
    """Spaces between an amount's own pieces removed ("$ 14. 39" -> "$14.39")."""
    return _COMPACT.sub("", text) if not LETTERS.search(text) else text


def is_money(m: re.Match[str]) -> bool:
    """The amount says it is money: a currency beside it, or the "49.–" / "29,-" notation
    that only prices use."""
    return bool(m.group("pre") or m.group("post") or m.group("dash"))


def count_money(text: str) -> int:
    """How many amounts with a currency a short text holds."""
    return sum(1 for m in amounts(compact(text)) if is_money(m))


def count_numbers(text: str) -> int:
    """How many numbers (with or without a currency) a short text holds."""
    return len(amounts(compact(text)))


def tail_words(text: str) -> str:
    """The words after the last amount in `text` (a label that belongs to what follows)."""
    end = 0
    if DIGIT.search(text):
        for m in amounts(text):
            if is_money(m):
                end = m.end()
    return text[end:][-60:]


def head_words(text: str) -> str:
    """The words before the first amount in `text`; a percentage written before its
    number ("%20") stays whole, so it is not read as a bare "%" after a price."""
    found = [m for m in amounts(text) if not text[:m.start()].rstrip().endswith("%")]
    m = found[0] if found else None
    return (text[:m.start()] if m else text)[:60]
