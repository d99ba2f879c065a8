"""Grids built without `<table>`: rows of `<div>`s, `<span>`s or `<a role=row>`s.

CSS-grid and flex layouts (UCLA's results, GOLD-like lists, CourseLeaf's section rows)
print a header row of short labels, then sibling rows with as many cells. Cell i of a
row is read under label i, exactly as a table row would be.
"""

from __future__ import annotations

import re

from tui_tracker.extractors.document import tag_of
from tui_tracker.extractors.seats.context import PageContext
from tui_tracker.extractors.seats.dom import El, text_of
from tui_tracker.extractors.seats.model import Section
from tui_tracker.extractors.seats.tables import (
    MAX_ROWS,
    MAX_TABLES,
    Layout,
    layout_of,
    section_of_row,
)

_GRID_SKIP = frozenset({"table", "tbody", "thead", "tfoot", "tr", "select", "head", "html",
                        "ul", "ol", "dl"})


def _grid_header(el: El) -> Layout | None:
    n = len(el)
    if n < 3 or n > 30 or tag_of(el) in _GRID_SKIP:
        return None
    texts = []
    for child in el:
        text = text_of(child, limit=200)
        if len(text) > 40 or re.search(r"\d", text) or text.endswith(":"):
            return None  # a header names columns; a number means a data row
        texts.append(text)
    if sum(1 for t in texts if t) < 3:
        return None
    return layout_of(texts)


def read_div_grids(root: El, ctx: PageContext,
                   taken: list[tuple[int, int]]) -> list[tuple[El, list[Section]]]:
    """Grids built of `<div>`/`<span>` rows (CSS grid or flex): a header row of labels,
    then sibling rows with as many cells; cell i is read under label i."""
    found: list[tuple[El, list[Section]]] = []
    checked = 0
    for el in ctx.elements:
        if len(el) < 3 or any(a <= ctx.where(el) <= b for a, b in taken):
            continue
        checked += 1
        if checked > 5000 or len(found) >= MAX_TABLES:
            break
        layout = _grid_header(el)
        if layout is None:
            continue
        course = ctx.heading_before(el)
        sections: list[Section] = []
        rows = 0
        for row in el.itersiblings():
            if len(row) != len(el) or tag_of(row) in _GRID_SKIP or not tag_of(row):
                continue  # rows may be <div>s or <a role=row>s: same cell count is what counts
            rows += 1
            if rows > MAX_ROWS:
                break
            sec = section_of_row([text_of(c) for c in row], layout, course)
            if sec is not None:
                sections.append(sec)
        if sections:
            found.append((el, sections))
            parent = el.getparent()
            if parent is not None:
                start = ctx.where(parent)
                taken.append((start, start + sum(1 for _ in parent.iter()) - 1))
    return found
