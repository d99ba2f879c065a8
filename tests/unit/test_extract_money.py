"""Price-string parsing: locale formats, currency mapping, and the traps."""

from __future__ import annotations

import pytest

from tui_tracker.extractors.money import Money, currency_code, parse_price

PARSES = [
    ("$1,299.99", 1299.99, "USD"),
    ("1.299,00 €", 1299.0, "EUR"),
    ("24,50 €", 24.5, "EUR"),
    ("¥1,980", 1980.0, "JPY"),
    ("￥1,980", 1980.0, "JPY"),
    ("1980円", 1980.0, "JPY"),
    ("CHF 149.00", 149.0, "CHF"),
    ("CHF 1’299.00", 1299.0, "CHF"),
    ("1'299.00 CHF", 1299.0, "CHF"),
    ("£12", 12.0, "GBP"),
    ("1 299,00 zł", 1299.0, "PLN"),
    ("C$ 19.99", 19.99, "CAD"),
    ("A$5", 5.0, "AUD"),
    ("US$ 3.50", 3.5, "USD"),
    ("99 kr", 99.0, "SEK"),
    ("19.99 USD", 19.99, "USD"),
    ("EUR 12,50", 12.5, "EUR"),
    ("R$ 10,00", 10.0, "BRL"),
    ("₹1,23,456.00", 123456.0, "INR"),
    ("$ 1 234", 1234.0, "USD"),
    ("1.234,56 €", 1234.56, "EUR"),
    ("1,234.56", 1234.56, None),
    ("€ 1.234.567,89", 1234567.89, "EUR"),
    ("$.99", 0.99, "USD"),
    ("49.99", 49.99, None),
    ("1.299", 1.299, None),  # a bare dotted number is schema.org style: dot = decimal
    # Ranges give the low end.
    ("12.50 – 15.00", 12.5, None),
    ("$12.50 - $15.00", 12.5, "USD"),
    ("Free", 0.0, None),
    ("FREE!", 0.0, None),
]


@pytest.mark.parametrize(("text", "amount", "currency"), PARSES)
def test_parses(text: str, amount: float, currency: str | None) -> None:
    assert parse_price(text) == Money(amount, currency)


REJECTED = ["Call for price", "—", "", "   ", "NaN", "nan", "Infinity", "-Infinity",
            "inf", "1e999", "-1e308", "1E5", "$1e3", "-$5", "−12,00 €", "price on request",
            "$" + "9" * 12, "Free shipping", "x" * 300]


@pytest.mark.parametrize("text", REJECTED)
def test_rejects(text: str) -> None:
    assert parse_price(text) is None


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, 1e308, 10**400, True])
def test_rejects_non_finite_and_absurd_numbers(value: object) -> None:
    assert parse_price(value) is None


def test_numbers_pass_through_with_hint() -> None:
    assert parse_price(34.5, currency_hint="cad") == Money(34.5, "CAD")


def test_free_can_be_refused() -> None:
    assert parse_price("Free", allow_free=False) is None


@pytest.mark.parametrize(("symbol", "hint", "code"), [
    ("$", None, "USD"), ("$", "CAD", "CAD"), ("$", "EUR", "USD"), ("kr", "NOK", "NOK"),
    ("kr", None, "SEK"), ("¥", "CNY", "CNY"), ("zł", None, "PLN"), ("€", "USD", "EUR"),
    (None, "gbp", "GBP"), ("???", None, None), ("Kč", None, "CZK"),
])
def test_currency_codes(symbol: str | None, hint: str | None, code: str | None) -> None:
    assert currency_code(symbol, hint) == code


def test_hint_decides_bare_dollar_in_text() -> None:
    assert parse_price("$24.00", currency_hint="AUD") == Money(24.0, "AUD")


LOCALE_FORMATS = [
    ("1.299,00 €", 1299.0, "EUR"),
    ("CHF 1'234.50", 1234.5, "CHF"),
    ("12 345,67 zł", 12345.67, "PLN"),
    ("12\u00a0345,67\u00a0zł", 12345.67, "PLN"),
    ("₹1,23,456.00", 123456.0, "INR"),
    ("1 299 kr", 1299.0, "SEK"),
    ("R$ 1.299,90", 1299.9, "BRL"),
    ("￥128.00", 128.0, "JPY"),
    ("1,280円", 1280.0, "JPY"),
    ("Rp 1.250.000", 1250000.0, "IDR"),
    ("RM 59.90", 59.9, "MYR"),
    ("S/ 89.90", 89.9, "PEN"),
    ("1.234 Ft", 1234.0, "HUF"),
]


@pytest.mark.parametrize(("text", "amount", "currency"), LOCALE_FORMATS)
def test_locale_formats(text: str, amount: float, currency: str) -> None:
    assert parse_price(text) == Money(amount, currency)


@pytest.mark.parametrize(("text", "hint", "code"), [
    ("￥128", "CNY", "CNY"), ("¥1,280", "JPY", "JPY"), ("$24", "MXN", "MXN"),
    ("$24.990", "ARS", "ARS"), ("99 kr", "DKK", "DKK"), ("99 kr", "NOK", "NOK"),
    ("$24", "EUR", "USD"),
])
def test_page_hint_decides_ambiguous_symbols(text: str, hint: str, code: str) -> None:
    parsed = parse_price(text, currency_hint=hint)
    assert parsed is not None and parsed.currency == code
