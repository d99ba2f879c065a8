"""Where things are on the page: document order, headings, and codes printed before.

A table of seats often leaves its identity outside itself: Banner's detail page
names the CRN in the heading above the "Registration Availability" table, a
course heading names the sections listed under it. `PageContext` answers "which
heading / which section code comes last before this element" in O(log n).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from tui_tracker.extractors.document import HEADINGS, tag_of
from tui_tracker.extractors.seats.dom import El, lines_with_elements, text_of
from tui_tracker.extractors.seats.facts import codes_in, facts_in
from tui_tracker.extractors.seats.vocab import label_role

MAX_ELEMENTS = 400_000
_LABEL_ATTRS = ("data-label", "data-title", "data-th", "data-column", "data-header")
_FIELD_ATTRS = ("data-property", "data-field", "data-col", "data-key-name")
_TITLE_CLASS = re.compile(r"title|heading|course[-_]?name|ddtitle|header", re.I)


def _div_grid_columns(elements: list[El]) -> dict[str, str]:
    """Header rows built of classed `<div>`s ("sectionColumn", "statusColumn"...).

    A row of 3+ children, each with a class and a short label, at least one of which
    names seats or a status, maps each child's class to its label, so the cells of
    the rows below (same classes) can be read under their column's name.
    """
    found: dict[str, str] = {}
    checked = 0
    for el in elements:
        n = len(el)
        if n < 3 or n > 30 or tag_of(el) in ("table", "tbody", "thead", "tr", "ul", "ol",
                                             "select", "head", "html"):
            continue
        checked += 1
        if checked > 5000:
            break
        labels: dict[str, str] = {}
        for child in el:
            token = (child.get("class") or "").split()
            text = text_of(child, limit=200)
            if not token or not text or len(text) > 40 or re.search(r"\d", text):
                labels = {}
                break
            labels[token[0]] = text
        if len(labels) < 3:
            continue
        roles = {label_role(t) for t in labels.values()}
        if roles & {"avail", "cap", "enrl", "seats", "status"}:
            for token, text in labels.items():
                found.setdefault(token, text)
    return found


@dataclass(slots=True)
class Line:
    order: int
    text: str
    el: El
    heading: bool


@dataclass(slots=True)
class PageContext:
    order: dict[int, int] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    _orders: list[int] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    """Class name of a header cell in a `<div>` grid -> its header text."""
    _alive: list[El] = field(default_factory=list)
    _ids: dict[str, El] | None = None
    """Holds every element proxy: lxml reuses a live proxy, so `id()` stays stable."""

    @classmethod
    def of(cls, root: El) -> PageContext:
        ctx = cls()
        for i, el in enumerate(root.iter()):
            if i >= MAX_ELEMENTS:
                break
            ctx.order[id(el)] = i
            ctx._alive.append(el)
        for text, el in lines_with_elements(root):
            heading = len(text) <= 150 and (
                tag_of(el) in HEADINGS or tag_of(el) == "caption"
                or (len(el) < 3 and bool(_TITLE_CLASS.search(el.get("class") or ""))))
            ctx.lines.append(Line(ctx.order.get(id(el), 0), text, el, heading))
        ctx._orders = [line.order for line in ctx.lines]
        ctx.columns = _div_grid_columns(ctx._alive)
        return ctx

    def column_of(self, el: El, *, up: int = 4) -> str | None:
        """The name of the column `el` sits in: a cell's own label attribute
        (`data-label="Seats Available"`, `headers`/`aria-describedby` naming a header),
        else the header of its `<div>` grid column (by class), if any."""
        node: El | None = el
        for _ in range(up):
            if node is None:
                break
            named = self.cell_label(node)
            if named:
                return named
            for token in (node.get("class") or "").split() if self.columns else ():
                if token in self.columns:
                    return self.columns[token]
            node = node.getparent()
        return None

    def cell_label(self, cell: El) -> str | None:
        """A cell's column name from its own attributes, if it carries one."""
        for attr in _LABEL_ATTRS:
            value = cell.get(attr)
            if value and len(value) <= 60:
                return value
        for attr in ("headers", "aria-describedby"):
            ref = (cell.get(attr) or "").split()
            if ref:
                return self.header_text(ref[0])
        for attr in _FIELD_ATTRS:
            value = cell.get(attr)
            if value and len(value) <= 60:
                # Banner 9's data-property="seatsAvailable": a field name, in words
                return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", value).replace("_", " ")
        return None

    def header_text(self, ident: str) -> str | None:
        """The text of the element with this id (a header cell), else the id's own
        words ("grid_AVAIL_SEAT" -> "AVAIL SEAT")."""
        if self._ids is None:
            self._ids = {}
            for el in self._alive:
                i = el.get("id")
                if i and tag_of(el) in ("th", "td", "div", "span"):
                    self._ids.setdefault(i, el)
        el = self._ids.get(ident)
        text = text_of(el, limit=200) if el is not None else ""
        if text and len(text) <= 60:
            return text
        m = re.search(r"[A-Z][A-Z0-9_]*$", ident) or re.search(r"[A-Za-z]+$", ident)
        return m.group(0).replace("_", " ") if m else None

    def table_header(self, cell: El) -> str | None:
        """The header over a plain table's `<td>` (its table's first row of `<th>`s, at
        the cell's column), or None."""
        row = cell.getparent()
        if tag_of(cell) != "td" or row is None or tag_of(row) != "tr":
            return None
        table = next((a for a in row.iterancestors() if tag_of(a) == "table"), None)
        if table is None:
            return None
        header = next((tr for i, tr in enumerate(table.iter("tr")) if i < 3 and len(tr)
                       and all(tag_of(c) == "th" for c in tr)), None)
        if header is None or header is row:
            return None
        at = 0
        for c in row:
            if c is cell:
                break
            at += _span_of(c)
        for th in header:
            if at < _span_of(th):
                text = text_of(th, limit=80)
                return text if 0 < len(text) <= 40 else None
            at -= _span_of(th)
        return None

    @property
    def elements(self) -> list[El]:
        """Every element in document order (up to MAX_ELEMENTS)."""
        return self._alive

    def where(self, el: El) -> int:
        return self.order.get(id(el), 0)

    def _before(self, el: El) -> int:
        """Index of the first line at or after `el` (lines before it are [0, n))."""
        return bisect.bisect_left(self._orders, self.where(el))

    def lines_before(self, el: El, since: El, *, within: int = 3) -> list[Line]:
        """The last few lines before `el` that come at or after `since` (its container)."""
        end = self._before(el)
        start = bisect.bisect_left(self._orders, self.where(since))
        return self.lines[max(start, end - within):end]

    def heading_before(self, el: El, *, within: int = 400) -> str:
        """The last heading-like line before `el` (a course name), or ""."""
        end = self._before(el)
        for line in reversed(self.lines[max(0, end - within):end]):
            if line.heading and len(line.text) <= 150:
                return line.text
        return ""

    def codes_before(self, el: El, *, within: int = 12) -> tuple[list[tuple[str, str]], bool]:
        """Section codes on the nearest line before `el` that has any, and whether that
        line or one after it says the section is cancelled ("... - A3 CANCELLED",
        "This section has been cancelled.")."""
        end = self._before(el)
        cancelled = False
        for line in reversed(self.lines[max(0, end - within):end]):
            cancelled = cancelled or _says_cancelled(line.text)
            found, _spans = codes_in(line.text)
            codes = [(k, v) for _p, k, v in found if k != "course" or line.heading]
            if any(k != "course" for k, _v in codes):
                return codes, cancelled
        return [], False


def _span_of(cell: El) -> int:
    span = (cell.get("colspan") or "1").strip()
    return int(span) if span.isdigit() and 0 < int(span) <= 50 else 1


def _says_cancelled(text: str) -> bool:
    if len(text) > 200:
        return False
    facts = facts_in(text)
    return facts.cancelled or bool(re.search(
        r"\b(?:has been|was|is)\s+(?:cancel+ed|withdrawn)\b", text, re.I))
