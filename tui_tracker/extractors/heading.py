"""The product's own heading on a page: not the shop's logo <h1>, and an h2/h3 or a
title-classed element when the page names its product that way (EC-CUBE, VTEX)."""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.etree

from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import Document, node_text, tag_of
from tui_tracker.extractors.pricecues import marker

_TITLE_MARK = re.compile(r"title|name|heading", re.I)


_SITE_MARK = re.compile(r"(?<![a-z])(?<!pdp[-_])(?<!product[-_])(?<!prod[-_])(?<!item[-_])"
                        r"(?<!buy[-_])(?<!detail[-_])(?<!title[-_])(?<!info[-_])(?<!__)"
                        r"(?:site[-_]?|page[-_]?)?header(?![a-z_-])|"
                        # A BEM element's header ("pd__header") is its block's, not the site's.
                        r"(?<![a-z])(?:site|page|global|main)__header(?![a-z_-])|(?<![a-z])logo|"
                        r"masthead|site[-_]?(?:title|name|brand)|navbar", re.I)


def is_site_heading(el: lxml.etree._Element) -> bool:
    """An <h1> that is the shop's logo or masthead, not a product's name."""
    for node in (el, *el.iterancestors()):
        if tag_of(node) in ("header", "nav") or _SITE_MARK.search(marker(node)):
            return True
    links = el.findall(".//a")
    return len(links) == 1 and (links[0].get("href") or "").strip() in ("/", "./", "#")


_TITLE_SEPARATOR = re.compile(r"\s+[|/\-–—:·•»«]{1,2}\s+|\s*[｜|【】「」]\s*|\s+::\s+")


def title_parts(title: str) -> list[str]:
    """The pieces of a <title> split at its separators, product first as shops write it
    ("Kettle 2 L | Shop", "南部鉄器 急須 0.65L / 盛岡工房ストア"); only when it has some."""
    parts = [p.strip() for p in _TITLE_SEPARATOR.split(title) if p and p.strip()]
    return [p for p in parts if len(p) >= 3] if len(parts) > 1 else []


def main_heading(doc: Document, names: list[str]) -> lxml.etree._Element | None:
    """The product's heading: an <h1> named like the product (JSON-LD name, og:title,
    <title>), else an h2/h3 or title-classed element so named, else one named like a
    piece of the <title> (without the shop's name), else the first <h1> that is not
    the shop's logo."""
    from tui_tracker.extractors.structured import names_match

    h1s = [h for h in doc.root.iter("h1") if clean_text(node_text(h, limit=300))]
    own = [h for h in h1s if not is_site_heading(h)]
    for h in own:
        if names and names_match(clean_text(node_text(h, limit=300)), names):
            return h
    if names:
        titled = _titled(doc)
        found = _named(titled, names, names_match)
        if found is not None:
            return found
        for piece in [p for n in names for p in title_parts(n)]:
            found = _named(titled, [piece], names_match)
            if found is not None:
                return found
    if own:
        return own[0]
    return None


def _titled(doc: Document) -> list[tuple[lxml.etree._Element, str]]:
    """Headings and title-classed elements that are not the shop's, with their text."""
    out = []
    for el in doc.root.iter("h2", "h3", "div", "span", "p", "h1"):
        tag = tag_of(el)
        if tag in ("div", "span", "p") and not _TITLE_MARK.search(marker(el)):
            continue
        if is_site_heading(el):
            continue
        text = clean_text(node_text(el, limit=300))
        if text and len(text) <= 200:
            out.append((el, text))
        if len(out) >= 400:
            break
    return out


def _named(titled: list[tuple[lxml.etree._Element, str]], names: list[str],
           names_match: Callable[[str | None, list[str]], bool]) -> lxml.etree._Element | None:
    return next((el for el, text in titled if names_match(text, names)), None)


_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
BRAND_LINE_WORDS = 4
"""A heading this short, with the next heading right after it, is a brand line."""


def heading_text(el: lxml.etree._Element) -> str:
    """The product's name as its heading shows it: a short brand line in its own heading
    ("Libas") joined to the same-level heading right after it that names the product
    (fashion and marketplace templates write brand and name as two <h1>s)."""
    text = clean_text(node_text(el, limit=300))
    nxt = el.getnext()
    if (nxt is None or tag_of(el) not in _HEADINGS or tag_of(nxt) != tag_of(el)
            or (el.tail or "").strip()
            or len(text.split()) > BRAND_LINE_WORDS):
        return text
    name = clean_text(node_text(nxt, limit=300))
    if not name or name.lower().startswith(text.lower()):
        return name or text
    return f"{text} {name}"
