"""What the page's own stylesheet hides: `display:none` rules in its `<style>` blocks.

Themes hide a badge or a price by a class rule, not inline ("`.price .badge-sold-out
{display:none}`", shown again by "`.price--sold-out .badge-sold-out{display:inline}`"),
so a reader that trusts only inline styles reads "Sold out" on a page that shows
"In stock". This reads the simple rules a browser would apply at any width (rules
inside `@media` or other at-rules are left out, as is anything a selector engine
cannot match statically such as `:hover`), lets the most specific, then the latest,
rule decide each element, and marks the hidden ones so `pricecues.hidden` skips them.
"""

from __future__ import annotations

import re

import lxml.etree
from cssselect import GenericTranslator, SelectorError, parse

from tui_tracker.extractors.document import Document
from tui_tracker.extractors.pricecues import STYLE_HIDDEN as MARK

MAX_RULES = 400
"""Rules read from one page (a whole framework's stylesheet is mostly irrelevant)."""
MAX_CSS = 200_000
"""Characters of `<style>` text read from one page."""

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_AT_BLOCK = re.compile(r"@[^{;]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}|@[^{;]*;", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DISPLAY = re.compile(r"(?:^|;)\s*display\s*:\s*([a-z-]+)\s*(!important)?", re.I)
_DYNAMIC = re.compile(r":(?:hover|focus|active|visited|focus-within|focus-visible|target)\b|::")
_translator = GenericTranslator()


def mark_style_hidden(doc: Document) -> None:
    """Mark the elements the page's stylesheet hides (once per document)."""
    root = doc.root
    if root.get(MARK + "-done") is not None:
        return
    root.set(MARK + "-done", "")
    css = "".join("".join(s.itertext()) for s in root.iter("style"))[:MAX_CSS]
    if "display" not in css:
        return
    css = _AT_BLOCK.sub(" ", _COMMENT.sub(" ", css))
    winners: dict[lxml.etree._Element, tuple[tuple[int, ...], bool]] = {}
    for order, (selectors, body) in enumerate(_RULE.findall(css)[:MAX_RULES]):
        found = _DISPLAY.search(body)
        if found is None:
            continue
        none = found.group(1).lower() == "none"
        important = 1 if found.group(2) else 0
        for text in selectors.split(","):
            text = text.strip()
            if not text or _DYNAMIC.search(text):
                continue
            try:
                parsed = parse(text)
                xpath = _translator.css_to_xpath(text)
                matched = root.xpath(xpath)
            except (SelectorError, lxml.etree.XPathError, ValueError, TypeError):
                continue
            rank = (important, *parsed[0].specificity(), order)
            for el in matched[:2000]:
                if isinstance(el, lxml.etree._Element):
                    held = winners.get(el)
                    if held is None or held[0] <= rank:
                        winners[el] = (rank, none)
    for el, (_, none) in winners.items():
        if none:
            el.set(MARK, "")
