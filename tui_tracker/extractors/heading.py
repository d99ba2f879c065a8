"""The product's own heading on a page: not the shop's logo <h1>, and an h2/h3 or a
title-classed element when the page names its product that way (EC-CUBE, VTEX)."""

from __future__ import annotations

import re

import lxml.etree

from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import Document, node_text, tag_of
from tui_tracker.extractors.pricecues import marker

_TITLE_MARK = re.compile(r"title|name|heading", re.I)


_SITE_MARK = re.compile(r"(?<![a-z])(?:site[-_]?|page[-_]?)?header(?![a-z_-])|(?<![a-z])logo|"
                        r"masthead|site[-_]?(?:title|name|brand)|navbar", re.I)


def _site_heading(el: lxml.etree._Element) -> bool:
    """An <h1> that is the shop's logo or masthead, not a product's name."""
    for node in (el, *el.iterancestors()):
        if tag_of(node) in ("header", "nav") or _SITE_MARK.search(marker(node)):
            return True
    links = el.findall(".//a")
    return len(links) == 1 and (links[0].get("href") or "").strip() in ("/", "./", "#")


def main_heading(doc: Document, names: list[str]) -> lxml.etree._Element | None:
    """The product's heading: an <h1> named like the product (JSON-LD name, og:title,
    <title>), else an h2/h3 or title-classed element so named, else the first <h1> that
    is not the shop's logo."""
    from tui_tracker.extractors.structured import names_match

    h1s = [h for h in doc.root.iter("h1") if clean_text(node_text(h, limit=300))]
    own = [h for h in h1s if not _site_heading(h)]
    for h in own:
        if names and names_match(clean_text(node_text(h, limit=300)), names):
            return h
    if names:
        for el in doc.root.iter("h2", "h3", "div", "span", "p", "h1"):
            tag = tag_of(el)
            if tag in ("div", "span", "p") and not _TITLE_MARK.search(marker(el)):
                continue
            if _site_heading(el):
                continue
            text = clean_text(node_text(el, limit=300))
            if text and len(text) <= 200 and names_match(text, names):
                return el
    if own:
        return own[0]
    return None
