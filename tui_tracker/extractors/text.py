"""The `text` kind: the page's main content, or what the user points at, for change alerts."""

from __future__ import annotations

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Extraction, Kind, Reading
from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import Document, node_text
from tui_tracker.extractors.main_content import MAX_CHARS, main_content
from tui_tracker.extractors.selectors import apply_regex, compile_regex, select, shown

TEXT_MAX = 500
"""Characters kept of a selected text (HOSTILE-INPUTS 33: huge text blocks the UI)."""
MAX_NODES = 200


def extract_text(doc: Document, selector: str | None, regex: str | None,
                 title: str | None, html: str = "") -> Extraction:
    """One reading keyed "text": the selected (or regex-matched) text, cleaned and capped.

    Several matched nodes are joined with spaces. With neither selector nor regex it is
    the page's main content (see `main_content`) as lines, not its title or navigation.
    """
    if not selector and not regex:
        value, _how = main_content(doc, html)
        if not value.strip():
            raise ExtractionError("the page has no text.")
        label = clean_text(title or "Text")
        return Extraction(kind=Kind.TEXT, readings=[Reading("text", label, value[:MAX_CHARS])],
                          source="main-content", title=title)
    if selector:
        nodes = select(doc.sel, selector)
        if not nodes:
            if doc.too_deep:
                raise ExtractionError(f"selector '{shown(selector)}' matched nothing "
                                      "(the page is too complex: nested deeper than 2000 "
                                      "levels).")
            raise ExtractionError(f"selector '{shown(selector)}' matched nothing.")
        raw = " ".join(node_text(n) for n in list(nodes)[:MAX_NODES])
        source = "selector"
    elif regex:
        raw = node_text(doc.root.find("body") if doc.root.find("body") is not None
                        else doc.root)
        source = "regex"
    else:  # a regex over the page text
        raw = node_text(doc.root.find("body") if doc.root.find("body") is not None
                        else doc.root)
        source = "regex"
    if regex:
        picked = apply_regex(compile_regex(regex), raw)
        if picked is None:
            where = f"the text selected by '{shown(selector)}'" if selector else "the page text"
            raise ExtractionError(f"the regex '{shown(regex)}' did not match {where}.")
        raw = picked
        source = "regex" if not selector else "selector"
    value = clean_text(raw, max_len=TEXT_MAX)
    if not value:
        what = f"selector '{shown(selector)}'" if selector else "page"
        raise ExtractionError(f"the {what} has no text.")
    label = clean_text(title or "Text")
    return Extraction(kind=Kind.TEXT, readings=[Reading("text", label, value, None)],
                      source=source, title=title)
