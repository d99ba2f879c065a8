"""A CSS selector that picks one element and nothing else, for a price candidate.

`Selectors` keeps what one page's selectors need (id counts, the classes of each tag,
siblings by tag) so a dozen candidates on a page of thousands of cards cost one walk,
not a dozen (translating each try to XPath and running it would cost far more).
"""

from __future__ import annotations

import re
from collections import Counter

import lxml.etree

from tui_tracker.extractors.document import Document, tag_of

_CSS_SAFE = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")


class Selectors:
    """Unique CSS selectors for elements of one parsed page."""

    def __init__(self, doc: Document) -> None:
        self.root = doc.root
        self._ids: Counter[str] | None = None
        self._classes: dict[str, list[frozenset[str]]] = {}

    def _unique_id(self, ident: str) -> bool:
        if self._ids is None:
            self._ids = Counter(str(v) for v in self.root.xpath("//@id"))
        return self._ids.get(ident, 0) == 1

    def _unique_classes(self, tag: str, wanted: frozenset[str]) -> bool:
        sets = self._classes.get(tag)
        if sets is None:
            sets = self._classes[tag] = [frozenset((n.get("class") or "").split())
                                         for n in self.root.iter(tag)]
        return sum(1 for s in sets if wanted <= s) == 1

    def of(self, el: lxml.etree._Element) -> str:
        """`#id`, else `tag.class…` when unique, else a child path from the nearest id."""
        ident = el.get("id")
        if ident and _CSS_SAFE.match(ident) and self._unique_id(ident):
            return f"#{ident}"
        tag = tag_of(el)
        classes = [c for c in (el.get("class") or "").split() if _CSS_SAFE.match(c)][:4]
        if classes and self._unique_classes(tag, frozenset(classes)):
            return tag + "".join(f".{c}" for c in classes)
        steps: list[str] = []
        node: lxml.etree._Element | None = el
        while node is not None and tag_of(node) not in ("html", ""):
            t = tag_of(node)
            nid = node.get("id")
            if nid and _CSS_SAFE.match(nid) and node is not el and self._unique_id(nid):
                steps.append(f"#{nid}")
                break
            parent = node.getparent()
            if parent is None or t == "body":
                steps.append(t)
                break
            position = count = 0
            for child in parent.iterchildren(t):
                count += 1
                if child is node:
                    position = count
            steps.append(t if count == 1 else f"{t}:nth-of-type({position})")
            node = parent
        return " > ".join(reversed(steps)) or tag_of(el) or "html"
