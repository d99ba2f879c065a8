"""The main content of a page as lines of text: what a `text` monitor watches by default.

Watching the whole body would alert on every rotating banner, cookie notice and "3
people are viewing this"; watching the <title> (what this tool did before) misses
the page. So: the element the page itself names as its main content (`<main>`,
`role="main"`, a single `<article>`), else what readability-lxml (the well-kept port
of Arc90's Readability) scores as the article, else the body without its navigation,
header, footer, sidebars and forms. Lines are kept so a change can be shown as lines.
"""

from __future__ import annotations

import copy

import lxml.html
from readability import Document as Readability

from tui_tracker.extractors.document import Document, lines, parse

MIN_CHARS = 40
"""Less text than this in a candidate means it is not the main content (a stub)."""
MAX_CHARS = 20_000
"""Characters kept: enough for a changelog or a notice, bounded for storage and display."""
_CHROME = ("nav", "header", "footer", "aside", "form", "menu", "dialog")
_CHROME_XPATH = " | ".join(f".//{tag}" for tag in _CHROME) + (
    ' | .//*[@role="navigation" or @role="banner" or @role="contentinfo" or '
    '@role="complementary" or @aria-hidden="true"]')


def _text_of(el: lxml.html.HtmlElement) -> str:
    """Visible lines of `el` without page chrome, joined by newlines, capped."""
    el = copy.deepcopy(el)
    for chrome in el.xpath(_CHROME_XPATH):
        if chrome.getparent() is not None:
            chrome.drop_tree()  # keeps its tail text, which belongs to the parent
    out: list[str] = []
    size = 0
    for line, _tag in lines(el, limit=MAX_CHARS * 4):
        out.append(line)
        size += len(line) + 1
        if size >= MAX_CHARS:
            break
    return "\n".join(out)[:MAX_CHARS]


def main_content(doc: Document, html: str) -> tuple[str, str]:
    """(text, how it was found) of the page's main content; text may be "" on an empty page."""
    for how, query in (("main", "//main"), ("main", '//*[@role="main"]'),
                       ("article", "//article")):
        nodes = doc.root.xpath(query)
        if len(nodes) == 1 or (nodes and how == "main"):
            text = _text_of(nodes[0])
            if len(text) >= MIN_CHARS:
                return text, how
    try:
        summary = Readability(html).summary(html_partial=True)
    except Exception:  # readability raises its own errors on odd pages: fall through
        summary = ""
    if summary:
        text = _text_of(parse(summary).root)
        if len(text) >= MIN_CHARS:
            return text, "readability"
    body = doc.root.find("body")
    return _text_of(body if body is not None else doc.root), "body"
