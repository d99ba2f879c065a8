"""Sanity-check the price corpus without the extractor: fields, codes, and that each
expected price is really written somewhere in its page (or the API files its script
fetches), so a typo in an expectation shows up here rather than as a bogus miss.

Run: `python tests/corpus/check_prices.py` (exit 1 and one line per problem if any).
Prints page counts per platform and per locale.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "prices"

# ISO 4217 codes a page in this corpus may plausibly mean (a typo like "YEN" fails).
_CODES = (
    "AED ARS AUD BGN BRL CAD CHF CLP CNY COP CZK DKK EGP EUR GBP HKD HUF IDR ILS INR "
    "ISK JPY KRW KZT MXN MYR NGN NOK NZD PEN PHP PKR PLN RON RUB SAR SEK SGD THB TRY "
    "TWD UAH USD VND ZAR"
)
ISO_CODES = frozenset(_CODES.split(" "))
FETCHES = {"http", "browser"}
STOCK_VALUES = {True, False, None}
KNOWN_KEYS = {
    "models", "kind", "fetch", "query", "locale", "holdout", "price", "currency",
    "in_stock", "title_contains", "expect",
}
LOCALE_RE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
TAG_RE = re.compile(r"<[^>]+>")
# A run of digits with the separators locales put inside one amount.
NUMBER_RE = re.compile(r"\d(?:[\d.,'\u2019\u00a0\u2009\u202f ]*\d)?")
ENTITY_SPACES = {
    "&nbsp;": "\u00a0", "&#8239;": "\u202f", "&thinsp;": "\u2009", "&#x202F;": "\u202f",
}


def _texts(html_path: Path) -> list[str]:
    """The page, its tag-stripped text both ways, and any API files beside it."""
    raw = html_path.read_text(encoding="utf-8")
    for entity, char in ENTITY_SPACES.items():
        raw = raw.replace(entity, char)
    texts = [raw, TAG_RE.sub("", raw), TAG_RE.sub(" ", raw)]
    api_dir = html_path.with_suffix(".api")
    if api_dir.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(api_dir.rglob("*")) if p.is_file()]
    return texts


def _digit_runs(texts: list[str]) -> set[str]:
    """Every number in the texts reduced to its digits ('1 299,00' -> '129900')."""
    runs: set[str] = set()
    for text in texts:
        for match in NUMBER_RE.finditer(text):
            chunk = match.group()
            runs.add(re.sub(r"\D", "", chunk))
            # also each space-separated piece, so '39.00 52.00' still yields '3900'
            for piece in re.split(r"[ \u00a0\u2009\u202f]+", chunk):
                runs.add(re.sub(r"\D", "", piece))
    return runs


def _price_forms(price: float) -> set[str]:
    """The digit strings a price may be written as: 1299.0 -> 129900, 12990, 1299."""
    cents = round(price * 100)
    forms = {str(cents)}
    if cents % 10 == 0:
        forms.add(str(cents // 10))
    if cents % 100 == 0:
        forms.add(str(cents // 100))
    return forms


def check_case(spec_path: Path) -> list[str]:
    """Problems with one expectation file and its page, as sentences."""
    name = f"{spec_path.parent.name}/{spec_path.stem}"
    problems: list[str] = []
    try:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"{name}: not valid JSON ({exc})"]
    html_path = spec_path.with_suffix(".html")
    if not html_path.is_file():
        return [f"{name}: no {html_path.name} beside it"]
    unknown = set(spec) - KNOWN_KEYS
    if unknown:
        problems.append(f"{name}: unknown keys {sorted(unknown)}")
    if not isinstance(spec.get("models"), str) or len(spec["models"]) < 20:
        problems.append(f"{name}: 'models' must say what the page models")
    if spec.get("kind") != "price":
        problems.append(f"{name}: kind must be 'price'")
    if spec.get("fetch") not in FETCHES:
        problems.append(f"{name}: fetch must be http or browser")
    query = spec.get("query")
    if not isinstance(query, str) or (query and not query.startswith("?")):
        problems.append(f"{name}: query must be '' or start with '?'")
    if not isinstance(spec.get("locale"), str) or not LOCALE_RE.match(spec["locale"]):
        problems.append(f"{name}: locale must look like en-US")
    if not isinstance(spec.get("holdout"), bool):
        problems.append(f"{name}: holdout must be true or false")
    if "in_stock" not in spec or spec["in_stock"] not in STOCK_VALUES:
        problems.append(f"{name}: in_stock must be true, false or null")
    texts = _texts(html_path)
    if spec.get("expect") == "ambiguous":
        if "price" in spec:
            problems.append(f"{name}: an ambiguous page has no 'price'")
    else:
        if "expect" in spec:
            problems.append(f"{name}: expect may only be 'ambiguous'")
        price = spec.get("price")
        if not isinstance(price, (int, float)) or isinstance(price, bool) or price <= 0:
            problems.append(f"{name}: price must be a positive number")
        elif not _price_forms(price) & _digit_runs(texts):
            problems.append(f"{name}: price {price} is written nowhere in the page or its APIs")
    currency = spec.get("currency")
    if (currency is not None or spec.get("expect") != "ambiguous") and currency not in ISO_CODES:
        problems.append(f"{name}: currency {currency!r} is not an ISO 4217 code we expect")
    title = spec.get("title_contains")
    if title is not None and not any(title.lower() in t.lower() for t in texts):
        problems.append(f"{name}: title_contains {title!r} is not in the page")
    page = texts[0]
    if spec.get("fetch") == "browser" and "<script" not in page:
        problems.append(f"{name}: a browser page must have a script that builds it")
    for ref in re.findall(r"""["'(]([\w.-]+\.api/[\w./-]+)""", page):
        if not (html_path.parent / ref).is_file():
            problems.append(f"{name}: the page fetches {ref}, which does not exist")
    if re.search(r"""<script[^>]+src=["']?(?:https?:)?//(?!127\.0\.0\.1)""", page):
        problems.append(f"{name}: loads a script from outside 127.0.0.1")
    return problems


def main() -> int:
    """Check every case, print the counts, exit 1 on any problem."""
    specs = sorted(ROOT.glob("*/*.json"))
    problems = [p for spec in specs for p in check_case(spec)]
    platforms: Counter[str] = Counter()
    locales: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for spec_path in specs:
        try:
            spec = json.loads(spec_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            continue
        platforms[spec_path.parent.name] += 1
        locales[str(spec.get("locale"))] += 1
        totals["pages"] += 1
        totals["holdout"] += bool(spec.get("holdout"))
        totals["browser"] += spec.get("fetch") == "browser"
        totals["ambiguous"] += spec.get("expect") == "ambiguous"
        totals["variant query"] += bool(spec.get("query"))
        totals["in_stock false"] += spec.get("in_stock") is False
        totals["in_stock null"] += spec.get("in_stock") is None
    print(f"{totals['pages']} pages, {len(platforms)} platforms, {len(locales)} locales")
    print("  " + ", ".join(f"{k}: {totals[k]}" for k in (
        "holdout", "browser", "ambiguous", "variant query", "in_stock false", "in_stock null")))
    print("per platform:")
    for name, count in sorted(platforms.items()):
        print(f"  {name:<18} {count}")
    print("per locale:")
    for name, count in sorted(locales.items()):
        print(f"  {name:<8} {count}")
    for problem in problems:
        print("PROBLEM:", problem)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
