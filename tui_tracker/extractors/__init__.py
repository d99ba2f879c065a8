"""Extractors: pure functions from a page's HTML to readings (no I/O, no network).

The public API other layers call:

- `extract(html, url=..., kind=..., selector=..., regex=...) -> Extraction`
- `validate_selector(selector)` / `validate_regex(regex)` -> raise InputError
- `looks_script_rendered(html) -> bool`

`extract` never returns an empty reading list: when nothing is found it raises
ExtractionError whose `looks_script_rendered` flag tells the engine's `auto`
fetch whether a browser render may help. CPU cost grows with page size (a few
MB parse in well under a second), so the engine runs it off the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui_tracker.core.errors import ExtractionError, SelectorMissed
from tui_tracker.core.model import Extraction, Kind

if TYPE_CHECKING:
    from tui_tracker.extractors.document import Document

# The readers (lxml, parsel, price-parser, w3lib: ~70 ms) are imported where they are
# first used, not here: importing any module of this package runs this file, and the
# engine needs `walls` and `version` on checks that extract nothing (a 304, a body
# identical to the last one, a learned data endpoint that did not change).

__all__ = ["extract", "looks_script_rendered", "validate_regex", "validate_selector"]


def validate_selector(selector: str) -> None:
    """`selectors.validate_selector` (InputError for a malformed CSS/XPath selector)."""
    from tui_tracker.extractors.selectors import validate_selector as run

    run(selector)


def validate_regex(regex: str) -> None:
    """`selectors.validate_regex` (InputError for a malformed regular expression)."""
    from tui_tracker.extractors.selectors import validate_regex as run

    run(regex)


def extract(html: str, *, url: str = "", kind: Kind = Kind.AUTO, selector: str | None = None,
            regex: str | None = None, data: Sequence[tuple[str, str]] = ()) -> Extraction:
    """Extract readings of `kind` from a page.

    Args:
        html: the page (static or browser-rendered); untrusted.
        url: where it came from (no I/O happens): a `?variant=`/`?sku=` in it names
            the variant whose price is read; its TLD is a weak locale hint.
        kind: price, seats, text, or auto (price via structured data, then seats,
            then price text heuristics; the result's `kind` says which was found).
        data: (url, body) of the JSON responses the page received during a browser
            check, in arrival order; readers may take values from them when the
            rendered DOM does not say (see `embedded`).
        selector: CSS, or XPath when it starts with `/`, `(` or `xpath:`. When given
            it must match: there is no silent fallback to structured data.
        regex: applied to the selected (or page) text; group 1 or the whole match.

    Returns:
        An Extraction with at least one reading.

    Raises:
        InputError: the selector or regex is invalid.
        ExtractionError: nothing was found; `looks_script_rendered` is set when the
            page looks like an app shell a browser would fill in.
    """
    from tui_tracker.extractors.document import parse
    from tui_tracker.extractors.selectors import compile_regex
    from tui_tracker.extractors.shell import looks_script_rendered_doc

    if selector is not None and not selector.strip():
        selector = None
    if selector:
        validate_selector(selector)
    if regex:
        compile_regex(regex)
    kind = Kind(kind)
    doc = parse(html)
    doc.data = tuple(data)
    doc.url = url or ""
    try:
        return _dispatch(doc, kind, selector or None, regex or None, html)
    except ExtractionError as exc:
        script = exc.looks_script_rendered or looks_script_rendered_doc(doc)
        if selector and not isinstance(exc, SelectorMissed):
            from tui_tracker.extractors.nearest import misses, nearest_selectors

            if misses(doc.sel, selector):
                # Said apart from other failures: add/edit refuse it, naming what the
                # page has instead.
                candidates = exc.candidates or _price_candidates(doc, kind)
                raise SelectorMissed(exc.message, nearest=nearest_selectors(doc.sel, selector),
                                     candidates=candidates,
                                     looks_script_rendered=script) from None
        if not exc.looks_script_rendered and script:
            raise ExtractionError(exc.message, looks_script_rendered=True,
                                  candidates=exc.candidates) from None
        raise


def _price_candidates(doc: Document, kind: Kind) -> list:
    """The amounts a price page shows (none for seats or text monitors)."""
    if kind not in (Kind.PRICE, Kind.AUTO):
        return []
    from tui_tracker.extractors.price import PriceFacts

    return PriceFacts(doc).candidates()


def extract_text(*args: object) -> Extraction:
    """`text.extract_text`, imported on first use: readability costs ~35 ms to import
    and a `check` of price or seat monitors never needs it."""
    from tui_tracker.extractors.text import extract_text as run

    return run(*args)  # type: ignore[arg-type]


def _dispatch(doc: Document, kind: Kind, selector: str | None,
              regex: str | None, html: str) -> Extraction:
    from tui_tracker.extractors.document import page_title
    from tui_tracker.extractors.price import extract_price
    from tui_tracker.extractors.seats import extract_seats

    if kind is Kind.PRICE:
        return extract_price(doc, selector, regex)
    if kind is Kind.SEATS:
        return extract_seats(doc, selector, regex, page_title(doc))
    if kind is Kind.TEXT:
        return extract_text(doc, selector, regex, page_title(doc), html)
    return _auto(doc, selector, regex)


def _auto(doc: Document, selector: str | None, regex: str | None) -> Extraction:
    """Price via structured data, then seats, then price text heuristics."""
    from tui_tracker.extractors.document import page_title
    from tui_tracker.extractors.price import PriceFacts, extract_price, from_structured, from_text
    from tui_tracker.extractors.seats import NO_SECTIONS, extract_seats, find_seats

    if selector or regex:
        # With a selector, read it as a price when it holds one, else as seats, else text.
        for attempt in (lambda: extract_price(doc, selector, regex, need_currency=True),
                        lambda: extract_seats(doc, selector, regex, page_title(doc))):
            try:
                return attempt()
            except ExtractionError:
                continue
        return extract_text(doc, selector, regex, page_title(doc))
    facts = PriceFacts(doc)
    result = from_structured(doc, facts) or find_seats(doc, page_title(doc)) or from_text(
        doc, facts)
    if result is None:
        raise ExtractionError(f"no price and {NO_SECTIONS}")
    return result


def looks_script_rendered(html: str) -> bool:
    """True when the static HTML looks like an app shell that JavaScript fills in.

    Signals: an empty (or "Loading…") `#root`/`#app`/`#__next`/`[data-reactroot]`
    mount point; scripts with little visible text; a "Loading…" placeholder; a
    <noscript> "enable JavaScript" hint on a page with little text.
    """
    from tui_tracker.extractors.document import parse
    from tui_tracker.extractors.shell import looks_script_rendered_doc

    return looks_script_rendered_doc(parse(html))
