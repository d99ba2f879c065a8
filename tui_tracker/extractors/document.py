"""Parsing a page once and reading its text without recursion or surprises.

lxml parses with `huge_tree` (pages of several MB) but still stops at 2048 levels
of nesting: deeper content is silently dropped. We keep the parser's error log so
a failure on such a page can say "page too complex" instead of a plain miss.
All walks here are iterative, so a 3000-deep page cannot hit Python's recursion limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.etree
import lxml.html
from parsel import Selector

from tui_tracker.core.text import clean_text

SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "svg", "head", "title",
                       "iframe", "object", "select"})
"""Elements whose text a person never reads as page content."""

STRUCK_TAGS = frozenset({"del", "s", "strike"})
STRUCK_CLASS = re.compile(
    r"old[-_]?price|price[-_]?old|was[-_]?price|price[-_]?was|compare|strike|crossed|"
    r"list[-_]?price|price[-_]?list|original[-_]?price|price[-_]?original|msrp|rrp|"
    r"\bwas\b|\bold\b|before",
    re.IGNORECASE,
)
"""Class/id fragments of struck-out former prices (Magento old-price, Shopify compare-at)."""

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "button", "label", "option",
})
"""Elements that start a new line when the page is read as lines of text."""

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
TEXT_LIMIT = 200_000
"""Characters of text read from one node; more is never needed to find a value."""


@dataclass(slots=True)
class Document:
    """A parsed page plus what the parser had to give up on."""

    sel: Selector
    too_deep: bool
    data: tuple[tuple[str, str], ...] = ()
    """(url, body) of JSON responses a browser check recorded; see `embedded.json_blobs`."""
    url: str = ""
    """The page's address (names a variant, hints a locale); never fetched."""

    @property
    def root(self) -> lxml.html.HtmlElement:
        return self.sel.root


def parse(html: str) -> Document:
    """Parse HTML leniently. Never raises for odd input (empty, NULs, XML prologue)."""
    text = (html or "").replace("\x00", "")
    parser = lxml.html.HTMLParser(recover=True, huge_tree=True, encoding="utf-8",
                                  remove_comments=True, remove_pis=True)
    data = text.encode("utf-8", "replace")
    try:
        root = lxml.html.document_fromstring(data, parser=parser) if text.strip() else None
    except (lxml.etree.ParserError, ValueError):
        root = None
    if root is None:
        root = lxml.html.document_fromstring(b"<html><body></body></html>", parser=parser)
    too_deep = any("Excessive depth" in (e.message or "") for e in parser.error_log)
    return Document(Selector(root=root), too_deep)


def tag_of(el: object) -> str:
    """Lower-case tag name, or "" for comments/PIs (whose .tag is a function)."""
    tag = getattr(el, "tag", None)
    return tag.lower() if isinstance(tag, str) else ""


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def hidden_by_markup(el: lxml.etree._Element) -> bool:
    """Hidden by the element's own markup: the `hidden` attribute or an inline
    display:none / visibility:hidden. The readers add what hiding classes mean to them."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style) and bool(_HIDDEN_STYLE.search(style))


def is_struck(el: lxml.etree._Element) -> bool:
    """True for <del>/<s>/<strike> and elements classed like a former price."""
    if tag_of(el) in STRUCK_TAGS:
        return True
    marker = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(marker.strip()) and bool(STRUCK_CLASS.search(marker))


def node_text(node: object, *, skip_struck: bool = False, limit: int = TEXT_LIMIT) -> str:
    """Readable text of an element (or a string an XPath returned), raw, not yet cleaned.

    Skips script/style and, with `skip_struck`, struck-out former prices.
    Stops after `limit` characters so a 1 MB node costs little.
    """
    if isinstance(node, Selector):
        node = node.root
    if isinstance(node, str):
        return node[:limit]
    if not isinstance(node, lxml.etree._Element):
        return "" if node is None else str(node)[:limit]
    parts: list[str] = []
    size = 0
    # Stack of (element, phase): phase 0 = enter (emit .text, push children), 1 = tail.
    stack: list[tuple[lxml.etree._Element, bool]] = [(node, False)]
    while stack and size < limit:
        el, is_tail = stack.pop()
        if is_tail:
            if tag_of(el) in BLOCK_TAGS:
                parts.append(" ")
            if el is not node and el.tail:
                parts.append(el.tail)
                size += len(el.tail)
            continue
        tag = tag_of(el)
        skip = (tag in SKIP_TAGS and el is not node) or not tag or (
            skip_struck and el is not node and is_struck(el))
        stack.append((el, True))
        if skip:
            continue
        if tag in BLOCK_TAGS:
            parts.append(" ")
        if el.text:
            parts.append(el.text)
            size += len(el.text)
        stack.extend((child, False) for child in reversed(el))
    return "".join(parts)[:limit]


def lines(root: lxml.etree._Element, *, limit: int = 2_000_000) -> Iterator[tuple[str, str]]:
    """The page's visible text as (line, nearest-block-tag) pairs in document order.

    Block elements and table cells end a line, so "Seats Open: 3 of 150" in one
    card stays on one line while neighbouring cards do not run together.
    """
    buf: list[str] = []
    block_stack: list[str] = []
    size = 0

    def flush() -> Iterator[tuple[str, str]]:
        if buf:
            line = clean_text("".join(buf), max_len=1000)
            buf.clear()
            if line:
                yield line, (block_stack[-1] if block_stack else "")

    # (element, is_tail, opened_block): the tail phase closes the line a block opened.
    stack: list[tuple[lxml.etree._Element, bool, bool]] = [(root, False, False)]
    while stack and size < limit:
        el, is_tail, opened = stack.pop()
        if is_tail:
            if opened:
                yield from flush()
                block_stack.pop()
            if el is not root and el.tail:
                buf.append(el.tail)
                size += len(el.tail)
            continue
        tag = tag_of(el)
        if not tag or (tag in SKIP_TAGS and el is not root):
            stack.append((el, True, False))
            continue
        block = tag in BLOCK_TAGS
        if block:
            yield from flush()
            block_stack.append(tag)
        stack.append((el, True, block))
        if el.text:
            buf.append(el.text)
            size += len(el.text)
        stack.extend((child, False, False) for child in reversed(el))
    yield from flush()


def page_title(doc: Document) -> str | None:
    """og:title, else <title>, else the first <h1>; cleaned, or None.

    When the <h1> is part of the <title> ("Drill CD-18 | ToolBarn") the shorter
    <h1> wins: it names the thing without the site's name.
    """
    from tui_tracker.extractors.heading import is_site_heading

    found: dict[str, str] = {}
    for name, query in (("og", '//meta[@property="og:title"]/@content'),
                        ("title", "//title"), ("h1", "//h1")):
        node = doc.sel.xpath(query)
        if name == "h1":  # the shop's logo in an <h1> names the shop, not the thing
            node = [n for n in node if not is_site_heading(n.root)]
        if node:
            text = clean_text(node_text(node[0], limit=2000))
            if text:
                found[name] = text
    if "og" in found:
        return found["og"]
    if "title" in found and "h1" in found and found["h1"] in found["title"]:
        return found["h1"]
    return found.get("title") or found.get("h1")
