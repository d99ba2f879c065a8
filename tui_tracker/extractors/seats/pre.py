"""Fixed-width plain-text schedules (`<pre>` time schedules, like UW's).

A header line names the columns ("SLN ... Status Enrl/Lim"); every later line is
cut at the header's column positions and read like a table row, so "Open  123/ 150E"
under "Status Enrl/Lim" is status open, 123 enrolled of 150. The header is carried
from one `<pre>` to the next, since such pages often print it once in its own block.
"""

from __future__ import annotations

import re
import unicodedata

from tui_tracker.extractors.seats.context import PageContext
from tui_tracker.extractors.seats.dom import El
from tui_tracker.extractors.seats.facts import codes_in
from tui_tracker.extractors.seats.model import Section
from tui_tracker.extractors.seats.tables import Layout, layout_of
from tui_tracker.extractors.seats.vocab import label_role, status_of

MAX_PRE_CHARS = 2_000_000
_TOKEN = re.compile(r"\S+")
_KEY = re.compile(r"^(?:[A-Z]{0,3}\d{2,6}[A-Z]{0,2}|[A-Z]{1,3})$")
"""A section code under the key column: "01", "L02", "OL" (online)."""


def _raw_text(pre: El) -> str:
    return "".join(pre.itertext())[:MAX_PRE_CHARS].replace("\t", "    ")


def _widened(line: str) -> str:
    """The line with each wide (CJK) character followed by a NUL, so that positions are
    the terminal columns the schedule was aligned in: "课余量" takes six, not three."""
    if line.isascii():
        return line
    return "".join(ch + "\0" if unicodedata.east_asian_width(ch) in "WF" else ch
                   for ch in line)


def _header(line: str) -> tuple[Layout, list[tuple[int, int]]] | None:
    spans = _header_spans(line)
    if len(spans) < 3 or re.search(r"\d", line):
        return None
    layout = layout_of([line[a:b].replace("\0", "") for a, b in spans])
    if layout is None or (not layout.seat_columns and not layout.by_role("status")):
        return None
    return layout, spans


def _header_spans(line: str) -> list[tuple[int, int]]:
    """Column titles' spans; two words one space apart are one title when only together
    they name a column ("CRS NO" is the course, "CRS" alone says nothing)."""
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(line):
        if spans and m.start() - spans[-1][1] == 1:
            a, b = spans[-1]
            if label_role(line[a:b]) is None and label_role(line[a:m.end()]) is not None:
                spans[-1] = (a, m.end())
                continue
        spans.append((m.start(), m.end()))
    return spans


_FIELD = re.compile(r"\d{1,6}[A-Z*+]?\s*/\s*\d{1,6}[A-Z*+]?|\S+")
_FRACTION = re.compile(r"^(\d{1,6})[A-Z*+]?\s*/\s*(\d{1,6})[A-Z*+]?$")
_NUMBER = re.compile(r"^(\d{1,6})[A-Z*+]?$")
_OVER = re.compile(r"^-\d{1,6}$")
_WORD = re.compile(r"^[^\W\d_]{2,20}$")
_SIGNED = re.compile(r"^-?\d{1,6}[A-Z*+]?$")
"""A negative open figure: the section is over its limit, no seat open."""


def _nearest(fields: list[tuple[int, int, str]], lo: int, hi: int, ok: re.Pattern[str],
             slack: int = 8) -> str | None:
    """The field matching `ok` whose span is closest to the header's [lo, hi)."""
    best: tuple[int, str] | None = None
    for a, b, text in fields:
        if not ok.match(text):
            continue
        gap = 0 if a < hi and b > lo else min(abs(a - hi), abs(lo - b))
        if gap <= slack and (best is None or gap < best[0]):
            best = (gap, text)
    return best[1] if best else None


def _line_section(line: str, layout: Layout, spans: list[tuple[int, int]],
                  course: str) -> Section | None:
    """Read one schedule line: figures by the nearest header, status words anywhere."""
    fields = [(m.start(), m.end(), m.group(0).replace("\0", "")) for m in _FIELD.finditer(line)]
    sec = Section(course=course)
    order = {"crn": 0, "section": 0}
    for col in sorted(layout.columns, key=lambda c: 1 if c.compound else order.get(
            c.role or "", 2)):
        lo, hi = spans[col.index]
        if col.compound is not None:
            found = _nearest(fields, lo, hi, _FRACTION)
            if found is None:
                # a line shifted off the header's columns: its only fraction is this one
                fractions = [text for _a, _b, text in fields if _FRACTION.match(text)]
                found = fractions[0] if len(fractions) == 1 else None
            m = _FRACTION.match(found or "")
            if m:
                for role, n in zip(col.compound, (int(m.group(1)), int(m.group(2))),
                                   strict=False):
                    if role in ("avail", "cap", "enrl"):
                        sec.add_fact(role, n)
        elif col.role in ("avail", "cap", "enrl"):
            found = _nearest(fields, lo, hi, _SIGNED, slack=1)
            if found is not None and _OVER.match(found):
                sec.add_fact(col.role, 0)
            elif found is not None and found not in sec.codes.values():
                sec.add_fact(col.role, int(_NUMBER.match(found).group(1)))  # type: ignore[union-attr]
        elif col.role == "course":
            # "ACC 2010" under "CRS NO": the course the section code belongs to
            words = [text for a, b, text in fields if a < hi + 1 and b > lo - 1]
            if words and len(" ".join(words)) <= 20:
                sec.add_code("course", " ".join(words))
        elif col.role in ("crn", "section") and col.index == layout.key_col:
            found = _nearest(fields, lo, hi, _KEY)
            if found is not None:
                sec.add_code(layout.key_kind, found)
        elif col.role == "component":
            # "Lecture 01" and "Workshop 01": the group counts only within its activity
            found = _nearest(fields, lo, hi, _WORD, slack=1)
            if found is not None and status_of(found) is None:
                sec.component = found
    if sec.component and layout.key_kind == "section" and "section" in sec.codes:
        sec.parts = [sec.component, sec.codes["section"]]
    if "course" in sec.codes and "section" in sec.codes:
        sec.add_code("raw", f"{sec.codes['course']} {sec.codes['section']}")  # as printed
    for _a, _b, text in fields:
        if text.isalpha() and len(text) <= 12:
            status = status_of(text)
            if status == "cancelled":
                sec.cancelled = True
            elif status is not None and sec.status is None:
                sec.status = status
    if not sec.codes or not (sec.has_seats or sec.cancelled):
        return None
    return sec


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
            line = _widened(line)
            new = _header(line)
            if new is not None:
                header = new
                continue
            if header is None:
                continue
            layout, spans = header
            sec = _line_section(line, layout, spans, course or ctx.heading_before(pre))
            if sec is None:
                codes, _ = codes_in(line.strip())
                if codes and codes[0][1] == "course" and line[:1].strip():
                    course = line.replace("\0", "").strip()[:80]
                continue
            found.append((order, sec))
            order += 0.0001
    return found
