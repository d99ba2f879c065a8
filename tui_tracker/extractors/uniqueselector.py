"""A CSS selector that picks one element and nothing else, for a price candidate."""

from __future__ import annotations

import re

import lxml.etree

from tui_tracker.extractors.document import Document, tag_of

_CSS_SAFE = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")


def css_selector(doc: Document, el: lxml.etree._Element) -> str:
    """A CSS selector that selects `el` and nothing else on this page.

    Uniqueness is checked by walking the tree (translating CSS to XPath for every
    try costs far more than the walk on a normal page).
    """
    root = doc.root

    def unique_id(ident: str) -> bool:
        return len(root.xpath("//*[@id=$v]", v=ident)) == 1

    def unique_classes(tag: str, wanted: set[str]) -> bool:
        count = 0
        for node in root.iter(tag):
            if wanted <= set((node.get("class") or "").split()):
                count += 1
                if count > 1:
                    return False
        return count == 1

    ident = el.get("id")
    if ident and _CSS_SAFE.match(ident) and unique_id(ident):
        return f"#{ident}"
    tag = tag_of(el)
    classes = [c for c in (el.get("class") or "").split() if _CSS_SAFE.match(c)][:4]
    if classes and unique_classes(tag, set(classes)):
        return tag + "".join(f".{c}" for c in classes)
    steps: list[str] = []
    node: lxml.etree._Element | None = el
    while node is not None and tag_of(node) not in ("html", ""):
        t = tag_of(node)
        nid = node.get("id")
        if nid and _CSS_SAFE.match(nid) and node is not el and unique_id(nid):
            steps.append(f"#{nid}")
            break
        parent = node.getparent()
        if parent is None or t == "body":
            steps.append(t)
            break
        same = [c for c in parent if tag_of(c) == t]
        steps.append(t if len(same) == 1 else f"{t}:nth-of-type({same.index(node) + 1})")
        node = parent
    return " > ".join(reversed(steps)) or tag_of(el) or "html"
