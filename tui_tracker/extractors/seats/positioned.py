"""Tables drawn with absolutely positioned text (pdftohtml output, report viewers).

A schedule converted from PDF has no `<table>`: every cell is its own
`<p style="position:absolute;top:170px;left:680px">`. Cells sharing a `top` form a
row; a row whose cells name seat or status columns is a header, and each later cell
belongs to the header column it starts under (the last header whose `left` is at or
before it, with a little slack). Rows are then read exactly as table rows are. A row
of one cell ("ACCOUNTING") between rows names the course for the rows below.
"""

from __future__ import annotations

import re
from collections import defaultdict

from tui_tracker.extractors.seats.context import PageContext
from tui_tracker.extractors.seats.dom import El, text_of
from tui_tracker.extractors.seats.model import Section
from tui_tracker.extractors.seats.tables import MAX_ROWS, Layout, layout_of, section_of_row

MAX_CELLS = 20_000
_SLACK = 6
"""Pixels a cell may start left of its header (right-aligned figures)."""
_ABSOLUTE = re.compile(r"position\s*:\s*absolute", re.I)
_TOP = re.compile(r"(?<![\w-])top\s*:\s*(-?\d+(?:\.\d+)?)px", re.I)
_LEFT = re.compile(r"(?<![\w-])left\s*:\s*(-?\d+(?:\.\d+)?)px", re.I)


def _cells(ctx: PageContext) -> dict[El, list[tuple[float, float, El]]]:
    """Positioned cells (top, left, element) grouped by their container, page order."""
    by_parent: dict[El, list[tuple[float, float, El]]] = defaultdict(list)
    count = 0
    for el in ctx.elements:
        style = el.get("style")
        if not style or "absolute" not in style or not _ABSOLUTE.search(style):
            continue
        top, left = _TOP.search(style), _LEFT.search(style)
        parent = el.getparent()
        if top is None or left is None or parent is None:
            continue
        by_parent[parent].append((float(top.group(1)), float(left.group(1)), el))
        count += 1
        if count >= MAX_CELLS:
            break
    return by_parent


def _rows(cells: list[tuple[float, float, El]]) -> list[list[tuple[float, str]]]:
    """Cells grouped into rows by their top (within 3 px), each row sorted by left."""
    rows: list[list[tuple[float, float, str]]] = []
    for top, left, el in sorted(cells, key=lambda c: (c[0], c[1])):
        text = text_of(el, limit=300)
        if not text:
            continue
        if rows and abs(rows[-1][0][0] - top) <= 3:
            rows[-1].append((top, left, text))
        else:
            rows.append([(top, left, text)])
    return [[(left, text) for _t, left, text in sorted(row, key=lambda c: c[1])]
            for row in rows]


def _header(row: list[tuple[float, str]]) -> Layout | None:
    texts = [text for _left, text in row]
    if len(texts) < 3 or any(re.search(r"\d", t) or len(t) > 40 for t in texts):
        return None
    layout = layout_of(texts)
    return layout if layout is not None and (layout.seat_columns or layout.by_role(
        "status")) else None


def _column(left: float, lefts: list[float]) -> int | None:
    best = None
    for i, start in enumerate(lefts):
        if left + _SLACK >= start:
            best = i
    return best


def read_positioned(ctx: PageContext) -> list[tuple[El, list[Section]]]:
    """(container, its sections) for each block of positioned cells under a seat header."""
    found: list[tuple[El, list[Section]]] = []
    for container, cells in _cells(ctx).items():
        if len(cells) < 6:
            continue
        layout: Layout | None = None
        lefts: list[float] = []
        course = ctx.heading_before(container)
        sections: list[Section] = []
        for row in _rows(cells)[:MAX_ROWS]:
            header = _header(row)
            if header is not None:
                layout, lefts = header, [left for left, _t in row]
                continue
            if layout is None:
                continue
            if len(row) == 1:
                if not re.search(r"\d", row[0][1]) and len(row[0][1]) <= 80:
                    course = row[0][1]  # a subject heading between rows
                continue
            texts = [""] * len(lefts)
            for left, text in row:
                i = _column(left, lefts)
                if i is not None:
                    texts[i] = f"{texts[i]} {text}".strip()
            sec = section_of_row(texts, layout, course)
            if sec is not None:
                sections.append(sec)
        if sections:
            found.append((container, sections))
    return found
