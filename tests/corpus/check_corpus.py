"""Validate the extraction corpus's expectation files without the extractor.

Why: a corpus with a typo in an expectation measures nothing. This checks every
`<case>.json` under tests/corpus/ against the format in README.md (required fields,
allowed values, a page beside it, seat ids that really appear in what the page shows or
fetches, API files the page asks for that exist) and prints counts per family.

Run: `python tests/corpus/check_corpus.py [seats|prices]`; exit 1 when anything is wrong.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent
STATUSES = {"open", "full", "waitlist", "closed"}
COMMON = {"models": str, "kind": str, "fetch": str, "query": str, "locale": str, "holdout": bool}
API_REF = re.compile(r"""["'`]([\w.-]+\.api/[^"'`?\s]+)""")


class _Text(HTMLParser):
    """Collects the text and attribute values of a page (scripts included: a JS page's
    script may hold inline data)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.extend(v for _, v in attrs if v)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def _check_seats(spec: dict, haystack: str, problems: list[str]) -> None:
    sections = spec.get("sections")
    if not isinstance(sections, list) or not sections:
        problems.append("seats page needs a non-empty 'sections' list")
        return
    seen: set[str] = set()
    norm = _norm(haystack)
    for i, sec in enumerate(sections):
        where = f"sections[{i}]"
        if not isinstance(sec, dict) or set(sec) != {"id", "value", "status"}:
            problems.append(f"{where} must have exactly id, value, status")
            continue
        ident, value, status = sec["id"], sec["value"], sec["status"]
        if not isinstance(ident, str) or not _norm(ident):
            problems.append(f"{where}: id must be a non-empty string")
            continue
        if ident in seen:
            problems.append(f"{where}: id {ident!r} repeats")
        seen.add(ident)
        if _norm(ident) not in norm:
            problems.append(f"{where}: id {ident!r} does not appear in the page or its API files")
        if status not in STATUSES:
            problems.append(f"{where}: status {status!r} not one of {sorted(STATUSES)}")
        if value is None:
            if status != "open":
                problems.append(f"{where}: value null is only for a section shown just as open")
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems.append(f"{where}: value must be a whole number >= 0 or null")
        elif value > 0 and status in ("full", "waitlist"):
            problems.append(f"{where}: {status} section with {value} seats")
        elif value == 0 and status == "open":
            problems.append(f"{where}: open section with 0 seats")


def _check_price(spec: dict, problems: list[str]) -> None:
    if spec.get("expect") == "ambiguous":
        return
    price = spec.get("price")
    if not isinstance(price, (int, float)) or isinstance(price, bool) or price < 0:
        problems.append('price page needs a \'price\' number (or "expect": "ambiguous")')
    currency = spec.get("currency")
    if not (isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency)):
        problems.append("price page needs an ISO 4217 'currency'")
    if spec.get("in_stock") not in (True, False, None):
        problems.append("in_stock must be true, false or null")


def check_case(json_path: Path) -> list[str]:
    """The problems with one expectation file (empty when it is fine)."""
    problems: list[str] = []
    try:
        spec = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"not readable JSON: {exc}"]
    if not isinstance(spec, dict):
        return ["top level must be an object"]
    for key, typ in COMMON.items():
        if not isinstance(spec.get(key), typ):
            problems.append(f"'{key}' missing or not {typ.__name__}")
    if spec.get("fetch") not in ("http", "browser"):
        problems.append("'fetch' must be http or browser")
    html_path = json_path.with_suffix(".html")
    if not html_path.is_file():
        return [*problems, "no .html page beside it"]
    html = html_path.read_text(encoding="utf-8")
    haystack = _page_text(html)
    api_dir = json_path.with_name(json_path.stem + ".api")
    refs = API_REF.findall(html)
    for ref in refs:
        if not (json_path.parent / ref).is_file():
            problems.append(f"page fetches {ref} which does not exist")
    if api_dir.is_dir():
        if spec.get("fetch") != "browser":
            problems.append("has an .api folder but 'fetch' is not browser")
        for f in sorted(api_dir.iterdir()):
            text = f.read_text(encoding="utf-8")
            if f.suffix == ".json":
                try:
                    json.loads(text)
                except ValueError as exc:
                    problems.append(f"{f.name} is not valid JSON: {exc}")
            haystack += " " + text
    if spec.get("fetch") == "browser" and "<script" not in html.lower():
        problems.append("'fetch' is browser but the page has no script")
    kind = spec.get("kind")
    if kind == "seats":
        _check_seats(spec, haystack, problems)
    elif kind == "price":
        _check_price(spec, problems)
    else:
        problems.append("'kind' must be seats or price")
    return problems


def main(argv: list[str]) -> int:
    kinds = argv[1:] or ["seats", "prices"]
    bad = 0
    for kind in kinds:
        base = ROOT / kind
        if not base.is_dir():
            continue
        pages: Counter[str] = Counter()
        browser: Counter[str] = Counter()
        holdout: Counter[str] = Counter()
        sections = 0
        for json_path in sorted(base.glob("*/*.json")):
            family = json_path.parent.name
            pages[family] += 1
            for problem in check_case(json_path):
                bad += 1
                print(f"{json_path.relative_to(ROOT)}: {problem}")
            try:
                spec = json.loads(json_path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            browser[family] += spec.get("fetch") == "browser"
            holdout[family] += spec.get("holdout") is True
            sections += len(spec.get("sections") or [])
        print(
            f"\n{kind}: {sum(pages.values())} pages in {len(pages)} families "
            f"({sum(browser.values())} browser, {sum(holdout.values())} holdout"
            + (f", {sections} sections" if kind == "seats" else "")
            + ")"
        )
        print(f"  {'family':28} pages browser holdout")
        for family in sorted(pages):
            print(f"  {family:28} {pages[family]:5} {browser[family]:7} {holdout[family]:7}")
    if bad:
        print(f"\n{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
