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
from tui_tracker.extractors.seats.dom import El, lines_with_elements
from tui_tracker.extractors.seats.facts import codes_in

MAX_ELEMENTS = 400_000
_TITLE_CLASS = re.compile(r"title|heading|course[-_]?name|ddtitle|header", re.I)


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
    _alive: list[El] = field(default_factory=list)
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
                or bool(_TITLE_CLASS.search(el.get("class") or "")))
            ctx.lines.append(Line(ctx.order.get(id(el), 0), text, el, heading))
        ctx._orders = [line.order for line in ctx.lines]
        return ctx

    def where(self, el: El) -> int:
        return self.order.get(id(el), 0)

    def _before(self, el: El) -> int:
        """Index of the first line at or after `el` (lines before it are [0, n))."""
        return bisect.bisect_left(self._orders, self.where(el))

    def heading_before(self, el: El, *, within: int = 400) -> str:
        """The last heading-like line before `el` (a course name), or ""."""
        end = self._before(el)
        for line in reversed(self.lines[max(0, end - within):end]):
            if line.heading and len(line.text) <= 150:
                return line.text
        return ""

    def codes_before(self, el: El, *, within: int = 12) -> list[tuple[str, str]]:
        """Section codes on the nearest line before `el` that has any."""
        end = self._before(el)
        for line in reversed(self.lines[max(0, end - within):end]):
            found, _spans = codes_in(line.text)
            codes = [(k, v) for _p, k, v in found if k != "course" or line.heading]
            if any(k != "course" for k, _v in codes):
                return codes
        return []
