"""Open seats per course section, read from the structure of any registration page.

Readers, each understanding a kind of structure rather than one system's markup:

- `tables`: tables whose header names seat or status columns (any order, any of the
  vocabulary's languages); each row is a section. `grids` does the same for rows
  built of `<div>`s.
- `pre`: fixed-width plain-text schedules under a header line.
- `positioned`: tables drawn with absolutely positioned text (PDF converted to HTML).
- `cards`: everything else on the page (cards, list items, label–value details,
  one-line phrases), grouped into sections by the page's own block structure.
- `jsondata`: JSON in page scripts and in responses a browser check recorded.

The DOM readers' sections are merged in page order. JSON is used when the DOM
gives nothing, or fewer sections, or only sections without an identity.
`model` applies the contract (value, status, key, what is left out) once for all.
With a user selector, each matched element is one section. With kind `auto` only
sections identified like course sections count, so a shop's "Only 3 left" stays a price
page.
"""

from __future__ import annotations

import re

import lxml.etree

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Extraction
from tui_tracker.extractors.document import Document, node_text
from tui_tracker.extractors.seats.cards import read_text
from tui_tracker.extractors.seats.chrome import chrome_spans
from tui_tracker.extractors.seats.context import PageContext
from tui_tracker.extractors.seats.dom import lines_with_elements, text_of
from tui_tracker.extractors.seats.facts import facts_in
from tui_tracker.extractors.seats.grids import read_div_grids
from tui_tracker.extractors.seats.jsondata import read_json
from tui_tracker.extractors.seats.model import IDENTITIES, MAX_SECTIONS, Section, to_extraction
from tui_tracker.extractors.seats.positioned import read_positioned
from tui_tracker.extractors.seats.pre import read_pre
from tui_tracker.extractors.seats.tables import read_tables
from tui_tracker.extractors.seats.vocab import LEGEND, legend_of, status_of
from tui_tracker.extractors.selectors import apply_regex, compile_regex, select, shown

__all__ = ["NO_SECTIONS", "extract_seats", "find_seats"]

NO_SECTIONS = "no course sections with seat counts found on the page."


def _span(ctx: PageContext, el: lxml.etree._Element) -> tuple[int, int]:
    start = ctx.where(el)
    return start, start + sum(1 for _ in el.iter()) - 1


def dom_sections(doc: Document) -> tuple[list[Section], str]:
    """Sections the page's DOM shows, in page order, and the reader that found most."""
    root = doc.root
    ctx = PageContext.of(root)
    token = LEGEND.set(legend_of([line.text for line in ctx.lines]))
    try:
        return _dom_sections(root, ctx)
    finally:
        LEGEND.reset(token)


def _dom_sections(root: lxml.etree._Element, ctx: PageContext) -> tuple[list[Section], str]:
    tables, excluded_tables = read_tables(root, ctx)
    excluded = [_span(ctx, t) for t, _s in tables]
    excluded += [_span(ctx, el) for el in excluded_tables]
    excluded += [_span(ctx, pre) for pre in root.iter("pre")]
    tables += read_div_grids(root, ctx, excluded)
    positioned = read_positioned(ctx)
    tables += positioned
    excluded += [_span(ctx, container) for container, _s in positioned]
    found: list[tuple[float, Section, str]] = []
    for table, sections in tables:
        base = ctx.where(table)
        for i, sec in enumerate(sections):
            sec.origin = "table"
            found.append((base + i / 10_000, sec, "seats-table"))
    for order, sec in read_pre(root, ctx):
        sec.origin = "pre"
        found.append((order, sec, "seats-text"))
    table_keys = {s.key() for _o, s, _src in found}
    structured = bool(found)
    for order, sec in read_text(ctx, excluded + chrome_spans(ctx)):
        key = sec.key()
        if structured and (key is None or key in table_keys or not (
                sec.codes.keys() & IDENTITIES)):
            continue  # a summary line repeating a table's section, or a stray phrase
        sec.origin = "text"
        found.append((order, sec, "seats-text"))
    found.sort(key=lambda f: f[0])
    offered = [s for _o, s, _src in found if s.offered]
    if len(offered) == 1 and offered[0].status is None:
        offered[0].status = _page_status(ctx)
    sources = [src for _o, _s, src in found]
    source = max(set(sources), key=sources.count) if sources else "seats-text"
    return [s for _o, s, _src in found], source


_STATUS_LINE = re.compile(r"^\s*(?:(?:class|section|course|enrollment|enrolment)\s+)?status\s*:\s*"
                          r"([^\W\d_]+(?:\s[^\W\d_]+)?)\s*(?:[.;]|$)", re.I)


def _page_status(ctx: PageContext) -> str | None:
    """A one-section page's status said in a sentence of its own ("Status: Closed. Add
    codes are not issued..."), when the page says exactly one such thing."""
    said: set[str] = set()
    for line in ctx.lines[:2000]:
        m = _STATUS_LINE.match(line.text)
        if m is None:
            continue
        status = status_of(m.group(1))
        if status is None or len(said) > 1:
            continue
        said.add(status)
    return said.pop() if len(said) == 1 and "cancelled" not in said else None


def _seen(sections: list[Section]) -> list[Section]:
    """Sections a reader recognised, offered or not (cancelled and TBA ones count too)."""
    return [s for s in sections if (s.offered or s.cancelled or s.tba) and not s.bare_status]


def _better_json(dom: list[Section], data: list[Section]) -> bool:
    """JSON replaces the DOM's reading when the DOM shows fewer sections, or the same
    number without saying which section is which."""
    dom_seen, json_seen = _seen(dom), _seen(data)
    if not any(s.offered for s in data):
        return False
    if any(s.ambiguous for s in dom_seen):
        # "37/40" under "Seats": the JSON's named fields say which is which, when it
        # holds the same sections
        dom_keys = {s.key() for s in dom_seen if s.codes}
        json_keys = {s.key() for s in json_seen}
        if dom_keys and dom_keys <= json_keys:
            return True
    live_json, live_dom = len(_live(json_seen)), len(_live(dom_seen))
    if len(json_seen) > len(dom_seen) and live_json > live_dom:
        return True
    if len(json_seen) == len(dom_seen) or (
            len(json_seen) > len(dom_seen) and live_json == live_dom):
        # (a cancelled section the page's script did not draw is no section it misses)
        return not any(s.codes for s in dom_seen) and any(s.codes for s in json_seen)
    return False


def _live(sections: list[Section]) -> list[Section]:
    return [s for s in sections if not s.cancelled]


def _named(sections: list[Section]) -> list[Section]:
    """When some sections carry a code, the ones that carry none are summaries or legends
    ("42 seats open across 6 sections"), not sections."""
    if any(s.codes for s in sections if s.offered):
        return [s for s in sections if s.codes]
    return sections


def _identified(sec: Section) -> bool:
    """Names a section the way registration pages do: a CRN, class number or section code
    with a digit in it (a shop's "Only 3 left" or a currency code does not)."""
    if sec.origin in ("table", "pre"):
        return True  # a header named the seat columns
    return any(re.search(r"\d", sec.codes.get(kind, "")) for kind in ("crn", "class", "section"))


def find_seats(doc: Document, title: str | None, *, strict: bool = True) -> Extraction | None:
    """Automatic recognition (see module docstring). None when the page has no sections.

    `strict` (the default, used when the kind is `auto`) keeps only sections that are
    identified like course sections, so a shop page's "Only 3 left" is not read as seats;
    with `kind=seats` the user has said what the page is.
    """
    sections, source = dom_sections(doc)
    data = read_json(doc)
    for sec in data:
        sec.origin = "json"
    if _better_json(sections, data):
        sections, source = data, "seats-json"
    sections = [s for s in _named(sections) if not s.bare_status]
    if strict:
        kept = [s for s in sections if _identified(s)]
        if not any(s.offered for s in kept) and _a_timetable(doc, sections):
            kept = sections
        sections = kept
    if not any(s.offered for s in sections):
        return None
    return to_extraction(sections, source, title)


_SEAT_PHRASE = re.compile(
    r"\b\d{1,4}\s+(?:open\s+|free\s+)?(?:seats?|spots?|places?|spaces?|openings?)\b|"
    r"\b(?:seats?|spots?|places?|spaces?|openings?)\s*(?:left|available|remaining|open|free)\b|"
    r"\b(?:class|session|course|workshop)\s+(?:is\s+)?full\b|\bwait\s?list\b", re.I)


def _a_timetable(doc: Document, sections: list[Section]) -> bool:
    """Sections named by their titles (a studio's classes, a college's short courses) are
    seats, not a shop's "Only 3 left", when there are several and the page counts
    seats, places or spots in words a shop does not use."""
    named = [s for s in sections if s.offered and s.codes]
    if len(named) < 2:
        return False
    return len(_SEAT_PHRASE.findall(node_text(doc.root, limit=200_000))) >= 2


def extract_seats(doc: Document, selector: str | None, regex: str | None,
                  title: str | None) -> Extraction:
    """Seats per section, automatically or inside the user's selected elements."""
    if not selector and not regex:
        result = find_seats(doc, title, strict=False)
        if result is None:
            raise ExtractionError(NO_SECTIONS)
        return result
    pattern = compile_regex(regex) if regex else None
    nodes = select(doc.sel, selector) if selector else [doc.sel]
    if selector and not nodes:
        raise ExtractionError(f"selector '{shown(selector)}' matched nothing.")
    sections: list[Section] = []
    for node in list(nodes)[:MAX_SECTIONS]:
        root = node.root
        if isinstance(root, lxml.etree._Element):
            stream = [line for line, _el in lines_with_elements(root)] or [text_of(root)]
        else:
            stream = [str(root)[:1000]]
        sec = _selected_section(stream)
        if pattern is not None:
            picked = apply_regex(pattern, " ".join(stream))
            count = _count(picked) if picked is not None else None
            sec.avail, sec.cap, sec.enrl = count, None, None
            if count is None:
                sec.status = None
        sections.append(sec)
    if not any(s.offered for s in sections):
        what = f"selector '{shown(selector)}'" if selector else f"regex '{shown(regex or '')}'"
        raise ExtractionError(f"the {what} found no seat counts in what it matched.")
    return to_extraction(sections, "selector" if selector else "regex", title)


def _selected_section(stream: list[str]) -> Section:
    """Everything a user-selected element says, as one section (first figure of each kind)."""
    sec = Section()
    for line in stream:
        facts = facts_in(line)
        for kind, value in facts.codes:
            sec.add_code(kind, value)
        for role, n in facts.facts:
            sec.add_fact(role, n)
        if facts.status and sec.status is None:
            sec.status = facts.status
        sec.cancelled = sec.cancelled or facts.cancelled
    if not sec.has_seats:
        # A selected element holding just a number ("7") is its open seats.
        n = _count(" ".join(stream))
        if n is not None:
            sec.avail = n
    return sec


def _count(text: str) -> int | None:
    text = text.strip()
    if text.isdigit() and len(text) <= 6:
        return int(text)
    return None
