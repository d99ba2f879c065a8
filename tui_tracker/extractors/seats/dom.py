"""Reading a registration page's DOM as a person sees it, status icons included.

Statuses are often pictures: PeopleSoft's `<img alt="Open">`, a coloured dot with
`title="Closed"` or `aria-label="Wait List"`. The text helpers here read those as
words, so every reader can treat an icon like the word it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.etree

from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import BLOCK_TAGS, SKIP_TAGS, hidden_by_markup, tag_of
from tui_tracker.extractors.seats.vocab import status_of, status_of_class

El = lxml.etree._Element
_INLINE_TEXT = frozenset({"b", "i", "em", "strong", "u", "sup", "sub", "small", "big", "font",
                          "wbr", "mark", "tt", "code", "s", "del", "ins", "abbr", "bdi"})
"""Inline tags that style part of a word; other elements are separate fields."""


_PLACEHOLDER = re.compile(r"(?:^|[\s_-])(skeleton|placeholder|shimmer|loading|ghost)(?:$|[\s_-])",
                          re.I)


def unseen(el: El) -> bool:
    """Not shown to a person: hidden, or a loading skeleton ("XXXX 000-00", "00 seats left")."""
    if hidden_by_markup(el):
        return True
    classes = el.get("class")
    return bool(classes) and bool(_PLACEHOLDER.search(classes))


def _icon_word(el: El) -> str:
    """The word an icon-like element stands for (alt, title, aria-label), or ""."""
    tag = tag_of(el)
    if tag == "img":
        return el.get("alt") or el.get("title") or ""
    if tag in ("input", "select", "textarea", "option", "a", "button"):
        return ""
    if (el.text or "").strip() or len(el):
        return ""
    return el.get("aria-label") or el.get("title") or status_of_class(el.get("class") or "") or ""


def _abbr_status(el: El) -> str:
    """The status an abbreviation spells out: Banner's `<abbr title="Closed">C</abbr>`.

    A person hovering the "C" reads "Closed"; the page's own word is the status.
    """
    if tag_of(el) != "abbr" or len((el.text or "").strip()) > 3:
        return ""
    title = el.get("title") or ""
    return title if status_of(title) is not None else ""


def text_of(el: El, limit: int = 4000) -> str:
    """Visible text of an element with icons read as their words, cleaned to one line."""
    parts: list[str] = []
    size = 0
    stack: list[tuple[El, bool]] = [(el, False)]
    while stack and size < limit:
        node, is_tail = stack.pop()
        if is_tail:
            if tag_of(node) not in _INLINE_TEXT:
                parts.append(" ")
            if node is not el and node.tail:
                parts.append(node.tail)
                size += len(node.tail)
            continue
        tag = tag_of(node)
        stack.append((node, True))
        if not tag or (tag in SKIP_TAGS and node is not el) or (node is not el and unseen(node)):
            continue
        if tag not in _INLINE_TEXT:
            parts.append(" ")  # adjacent fields ("Enrolled/Capacity" "13/25") stay apart
        word = _icon_word(node) or _abbr_status(node)
        if word:
            parts.append(f" {word} ")
        if node.text:
            parts.append(node.text)
            size += len(node.text)
        stack.extend((child, False) for child in reversed(node))
    return clean_text("".join(parts), max_len=400)


_NOT_BADGE = frozenset({"a", "button", "input", "select", "option", "textarea", "label"})


def badge_status(el: El, *, limit: int = 60) -> str | None:
    """A status shown as its own small element inside `el`: a badge `<span>Full</span>`,
    an icon with `aria-label="Wait list"`, a visually hidden "Open". Links and buttons
    ("Join waiting list", "Register") are actions, not statuses."""
    from tui_tracker.extractors.seats.facts import line_status  # facts reads lines, not DOM

    for i, node in enumerate(el.iterdescendants()):
        if i >= limit:
            break
        tag = tag_of(node)
        if not tag or tag in _NOT_BADGE or tag in SKIP_TAGS or unseen(node) or any(
                tag_of(a) in _NOT_BADGE for a in node.iterancestors() if a is not el):
            continue
        text = text_of(node, limit=80)
        if not text or len(text) > 30 or len(text.split()) > 4 or any(
                ch.isdigit() for ch in text) or text.rstrip().endswith(":"):
            continue
        status, cancelled = line_status(text)
        if cancelled:
            return "cancelled"
        if status is not None:
            return status
    return None


def cell_lines(el: El) -> list[str]:
    """A cell's lines (split at <br> and block children): a stacked lecture/discussion."""
    return [line for line, _el in lines_with_elements(el)]


def lines_with_elements(root: El, *, skip: frozenset[int] = frozenset(),
                        limit: int = 2_000_000) -> Iterator[tuple[str, El]]:
    """(line, the block element it belongs to) in document order, icons as words.

    `skip` holds ids of elements whose subtrees another reader has taken (seat tables).
    """
    buf: list[str] = []
    blocks: list[El] = []
    size = 0

    def flush() -> Iterator[tuple[str, El]]:
        if buf:
            line = clean_text("".join(buf), max_len=1000)
            buf.clear()
            if line:
                yield line, (blocks[-1] if blocks else root)

    stack: list[tuple[El, bool, bool]] = [(root, False, False)]
    while stack and size < limit:
        el, is_tail, opened = stack.pop()
        if is_tail:
            if opened:
                yield from flush()
                blocks.pop()
            if not opened and tag_of(el) not in _INLINE_TEXT:
                buf.append(" ")
            if el is not root and el.tail:
                buf.append(el.tail)
                size += len(el.tail)
            continue
        tag = tag_of(el)
        if not tag or (tag in SKIP_TAGS and el is not root) or id(el) in skip or unseen(el):
            stack.append((el, True, False))
            if id(el) in skip:
                yield from flush()
            continue
        block = tag in BLOCK_TAGS
        if block:
            yield from flush()
            blocks.append(el)
        elif tag not in _INLINE_TEXT:
            buf.append(" ")
        stack.append((el, True, block))
        word = _icon_word(el)
        if word:
            buf.append(f" {word} ")
        if el.text:
            buf.append(el.text)
            size += len(el.text)
        stack.extend((child, False, False) for child in reversed(el))
    yield from flush()
