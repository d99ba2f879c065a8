"""Fixed-width plain-text schedules (`<pre>` time schedules, like UW's).

A header line names the columns ("SLN ... Status Enrl/Lim"); every later line is
cut at the header's column positions and read like a table row, so "Open  123/ 150E"
under "Status Enrl/Lim" is status open, 123 enrolled of 150. The header is carried
from one `<pre>` to the next, since such pages often print it once in its own block.
"""

from __future__ import annotations

import re

from tui_tracker.extractors.seats.context import PageContext
from tui_tracker.extractors.seats.dom import El
from tui_tracker.extractors.seats.facts import codes_in
from tui_tracker.extractors.seats.model import Section
from tui_tracker.extractors.seats.tables import Layout, layout_of, section_of_row

MAX_PRE_CHARS = 2_000_000
_TOKEN = re.compile(r"\S+")


def _raw_text(pre: El) -> str:
    return "".join(pre.itertext())[:MAX_PRE_CHARS].replace("\t", "    ")


def _header(line: str) -> tuple[Layout, list[tuple[int, int]]] | None:
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(line)]
    if len(spans) < 3:
        return None
    layout = layout_of([line[a:b] for a, b in spans])
    if layout is None or (not layout.seat_columns and not layout.by_role("status")):
        return None
    return layout, spans


def _cut(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """The line's tokens assigned to the header column they overlap most (or start under)."""
    starts = [a for a, _b in spans]
    bounds = [(starts[i], starts[i + 1] if i + 1 < len(starts) else 10_000)
              for i in range(len(starts))]
    cols: list[list[str]] = [[] for _ in spans]
    for m in _TOKEN.finditer(line):
        a, b = m.start(), m.end()
        best, best_overlap = 0, -1
        for i, (lo, hi) in enumerate(bounds):
            overlap = min(b, hi) - max(a, lo)
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        cols[best].append(m.group(0))
    return [" ".join(c) for c in cols]


def read_pre(root: El, ctx: PageContext) -> list[tuple[float, Section]]:
    """(document order, section) for each schedule line under a seat header."""
    found: list[tuple[float, Section]] = []
    header: tuple[Layout, list[tuple[int, int]]] | None = None
    course = ""
    for pre in root.iter("pre"):
        order: float = ctx.where(pre)
        for line in _raw_text(pre).splitlines():
            if not line.strip():
                continue
            new = _header(line)
            if new is not None:
                header = new
                continue
            if header is None:
                continue
            layout, spans = header
            texts = _cut(line, spans)
            sec = section_of_row(texts, layout, course or ctx.heading_before(pre))
            if sec is None or not sec.codes:
                codes, _ = codes_in(line.strip())
                if sec is None and codes and codes[0][1] == "course" and line[:1].strip():
                    course = line.strip()[:80]
                if sec is None:
                    continue
            found.append((order, sec))
            order += 0.0001
    return found
