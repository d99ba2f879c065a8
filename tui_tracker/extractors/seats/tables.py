"""Seat tables: the header names each column's role, each data row is a section.

Roles come from the shared vocabulary, so Banner's Cap/Act/Rem, PeopleSoft's Class /
Status icons, WebSoc's Max/Enr/Status, a college's "Places / Inscrits / Restantes"
and Colleague's compound "Available / Capacity / Waitlist" column read the same way.
Rows labelled as wait-list / cross-list / reserved (Banner's detail grid) are not
sections; tables about reserved seats are skipped whole. A cell holding stacked
lines (a lecture and its discussion on one row) is split into one section per line.
A row of one cell spanning the table is a course title, not a section. A table with
sections as columns (row labels "CRN", "Capacity", "Seats available") is read column
by column; label–value grids ("Status | Open | Career | Graduate") are not headers.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from tui_tracker.extractors.document import tag_of
from tui_tracker.extractors.seats.context import PageContext
from tui_tracker.extractors.seats.dom import El, cell_lines, text_of
from tui_tracker.extractors.seats.facts import WAITLIST_COUNT, codes_in, facts_in, line_status
from tui_tracker.extractors.seats.model import Section
from tui_tracker.extractors.seats.vocab import (
    BARE_NUMBER,
    HEADER_ABBREVIATIONS,
    SEAT_ROLES,
    compound_roles,
    is_action,
    is_tba,
    label_role,
    legend_status,
    norm,
    status_of,
)

MAX_TABLES = 300
MAX_ROWS = 2000
_COUNT = re.compile(r"^\s*([-−–]?)\s*(\d{1,6})\s*[A-Z*+]?\s*$")
_RESERVED = re.compile(r"reserv|cross[-\s]?list", re.I)
_CANCELLED_TAIL = re.compile(r"\s[-–—]\s*\(?([^\W\d_][^-–—()]{2,24})\)?\s*$")
_MARKED_LEAD = re.compile(r"^\s*(?:\*+|\[|\()\s*([^\W\d_][^*\[\]()]{2,24}?)\s*(?:\*+|\]|\))")
"""A title flagged at its start ("** CANCELLED ** Cell Biology", "[Cancelled] Yoga")."""
_SEAT_NOUN = re.compile(r"seat|place|space|spot|capacity|enrol|plätze|plazas|cupos", re.I)


@dataclass(slots=True)
class Column:
    index: int
    header: str
    role: str | None
    compound: list[str | None] | None = None
    bare: bool = False
    """Named only "Seats": a lone count is the seats free, but "37/40" could be taken of
    total or free of total."""


@dataclass(slots=True)
class Layout:
    columns: list[Column] = field(default_factory=list)
    key_col: int | None = None
    key_kind: str = ""
    label_first: bool = False
    """The first column labels rows ("Seats", "Waitlist Seats") instead of naming sections."""

    def by_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    def groups(self) -> list[list[int]]:
        """Column groups when one row carries two sections side by side ("Lecture |
        Seats | Discussion | Seats"): a seat role that repeats starts a new group at
        the first non-seat column after the previous group's seat columns."""
        seat_roles = ("avail", "cap", "enrl", "status")
        roles = [c.role for c in self.columns]
        first = next((r for r in roles if r in ("avail", "cap", "enrl")), None)
        if first is None or roles.count(first) < 2:
            return []
        groups: list[list[int]] = [[]]
        seen_seat = False
        for col in self.columns:
            if col.role == first and seen_seat:
                # go back to where the previous group's seat columns ended
                start = len(groups[-1])
                while start > 0 and self.columns[groups[-1][start - 1]].role not in seat_roles:
                    start -= 1
                moved = groups[-1][start:]
                groups[-1] = groups[-1][:start]
                groups.append(moved)
            groups[-1].append(col.index)
            seen_seat = seen_seat or col.role == first
        return [g for g in groups if g] if len(groups) > 1 else []

    @property
    def seat_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role in ("avail", "cap", "enrl", "seats")
                or c.compound is not None]

    @property
    def usable(self) -> bool:
        roles = {c.role for c in self.columns}
        compound = any(c.compound for c in self.columns)
        # An Enrollment column alone may hold "26/30" (enrolled of capacity).
        counts = bool(roles & {"avail", "enrl", "seats"}) or compound
        status = "status" in roles and (self.key_col is not None or len(self.columns) >= 3)
        return counts or status


def _label_value_row(texts: list[str]) -> bool:
    """A row of label–value pairs ("Status" | "Open" | "Career" | "Undergraduate"): a
    status label followed by a status, or a label followed by a count."""
    for label, value in itertools.pairwise(texts):
        role = label_role(label)
        if role == "status" and value and len(value) <= 30 and (
                line_status(value)[0] is not None or (
                    len(value) <= 2 and status_of(value, column=True))):
            return True
    return False


def _rows(table: El) -> list[El]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")[:MAX_ROWS]


def _cells(row: El) -> list[El]:
    cells: list[El] = []
    for cell in row:
        if tag_of(cell) in ("td", "th"):
            span = cell.get("colspan") or "1"
            cells.extend([cell] * min(int(span) if span.isdigit() else 1, 30))
    return cells


def _take_carried(out: list[El], carry: dict[int, tuple[El, int]],
                  nxt: dict[int, tuple[El, int]]) -> None:
    """Put the cells spanning down from above into `out` at its next columns."""
    while len(out) in carry:
        el, left = carry[len(out)]
        if left > 1:
            nxt[len(out)] = (el, left - 1)
        out.append(el)


def _spanned(rows: list[El]) -> list[list[El]]:
    """Each row's cells with cells spanning rows from above put back in their columns
    (a course cell with `rowspan=3` beside its three sections)."""
    grid: list[list[El]] = []
    carry: dict[int, tuple[El, int]] = {}
    for row in rows:
        out: list[El] = []
        nxt: dict[int, tuple[El, int]] = {}
        for cell in row:
            if tag_of(cell) not in ("td", "th"):
                continue
            _take_carried(out, carry, nxt)
            span = cell.get("colspan") or "1"
            down = cell.get("rowspan") or "1"
            down_n = min(int(down), 200) if down.isdigit() else 1
            for _ in range(min(int(span) if span.isdigit() else 1, 30)):
                if down_n > 1:
                    nxt[len(out)] = (cell, down_n - 1)
                out.append(cell)
        _take_carried(out, carry, nxt)
        carry = nxt
        grid.append(out)
    return grid


_BROKEN_WORD = re.compile(r"([^\W\d_])-\s+([^\W\d_A-Z])")


def _header_text(cell: El) -> str:
    """A header's text, or its tooltip when that spells the columns out
    ("Availability" titled "Available / Capacity / Waitlist")."""
    text = text_of(cell)
    joined = _BROKEN_WORD.sub(r"\1\2", text)
    if joined != text and label_role(text) is None and label_role(joined) is not None:
        text = joined  # "Zuge-<br>lassen": one word broken over two lines
    title = cell.get("title") or ""
    return title if "/" in title and "/" not in text and len(title) <= 80 else text


def _joined_header(parent: str, sub: str) -> str:
    """One column's header from a two-row header. Under a seat group ("Kapacita" over
    Max. / Obsaz. / Volno, "Kontenjan" over Toplam / Kayıtlı / Boş) the sub-header says
    which figure it is; elsewhere both rows do ("Waitlist" over "Cap": a wait-list figure)."""
    if sub == parent or not sub:
        return parent
    if label_role(parent) in SEAT_ROLES and label_role(sub) in SEAT_ROLES:
        return sub
    return f"{parent} {sub}".strip()


def _sub_header(parent: list[El], row: El) -> list[str] | None:
    """The second row of a two-row header ("Seats" over "Cap Act Rem"), aligned under the
    first (cells spanning both rows leave their column empty), or None."""
    above = [_header_text(c) for c in parent]
    if len({t for t in above if t}) < 2 or any(re.search(r"\d", t) for t in above):
        return None  # a course title row spanning the table is no header
    spans = any((c.get("colspan") or "1") != "1" or (c.get("rowspan") or "1") != "1"
                for c in parent)
    cells = iter(_cells(row))
    texts: list[str] = []
    tags: set[str] = set()
    for cell in parent:
        rowspan = cell.get("rowspan") or "1"
        if rowspan.isdigit() and int(rowspan) >= 2:
            texts.append("")
            continue
        below = next(cells, None)
        if below is not None:
            tags.add(tag_of(below))
        texts.append(_header_text(below) if below is not None else "")
    if not (spans or tags == {"th"}) or sum(1 for t in texts if t) < 2:
        return None
    if any(re.search(r"\d", t) for t in texts):
        return None
    return texts


_WHOLE_CODE = re.compile(r"^#?(?=[^ ]*\d)[A-Za-z0-9][A-Za-z0-9./_-]{0,29}$")
"""A key cell holding one code ("FA-26-1187", "CJ201-A", "#41207"): the key as printed."""
_CODE_LIKE = re.compile(r"^(?=[^ ]*\d)[A-Z0-9][A-Za-z0-9/._-]{2,24}$|"
                        r"^(?=.*\d)[A-Z][A-Za-z]{1,11} [A-Z]{0,2}\d{1,4}[A-Z]{0,2}$|"
                        r"^(?=[^ ]*[A-Z]\w*\d)\([\d-]{4,16}\)-?[A-Z0-9][A-Za-z0-9._-]{2,24}$")
"""A first cell naming its row: "CS1010/PRA/01", "Prac 01", "Lab B2", a term-prefixed
teaching class "(2026-2027-1)-PHY1101-01"."""


def _status_column(rows: list[El], layout: Layout) -> Layout | None:
    """A layout naming no seat column may still have a column of status icons or words
    under an empty or unrelated header: find it from the cells (most say a status)."""
    if layout.key_col is None and not any(c.role == "course" for c in layout.columns):
        return None
    counts: dict[int, int] = {}
    seen = 0
    for row in rows[:60]:
        cells = _cells(row)
        if len(cells) != len(layout.columns):
            continue
        seen += 1
        for col in layout.columns:
            text = text_of(cells[col.index])
            if col.role is None and text and len(norm(text).split()) <= 3 and (
                    status_of(text) is not None or legend_status(text) is not None):
                counts[col.index] = counts.get(col.index, 0) + 1
    best = max(counts, key=lambda i: counts[i], default=None)
    if best is None or seen == 0 or counts[best] < max(1, seen * 0.6):
        return None
    layout.columns[best].role = "status"
    return layout


def _labelled_cells(rows: list[El], ctx: PageContext) -> Layout | None:
    """A table without a header row whose cells name their column themselves
    (`data-label`, or `headers`/`aria-describedby` pointing at a header elsewhere,
    as jqGrid's separate header table does)."""
    for row in rows[:5]:
        cells = _cells(row)
        labels = [ctx.cell_label(c) or "" for c in cells]
        if sum(1 for label in labels if label) >= 2:
            return layout_of(labels)
    return None


def _count(text: str) -> int | None:
    """A cell that is one count; an over-enrolled "-2" remaining is 0 open seats."""
    m = _COUNT.match(text)
    if m is None:
        return None
    return 0 if m.group(1) else int(m.group(2))


def layout_of(headers: list[str], *, usable: bool = True) -> Layout | None:
    """Column roles from a header row, or None when it names no seat or status column
    (with `usable` False, the roles whatever they are)."""
    layout = Layout()
    keys: dict[str, int] = {}
    for i, raw in enumerate(headers):
        if i and raw == headers[i - 1]:
            continue  # one header cell spread over several columns (colspan)
        compound = None
        if "/" in raw and len(raw) <= 80:
            roles = [label_role(p) for p in raw.split("/")]
            if sum(r in ("avail", "cap", "enrl", "seats", "wait") for r in roles) >= 2:
                compound = compound_roles(roles)
        role = None if compound else HEADER_ABBREVIATIONS.get(norm(raw)) or label_role(raw)
        layout.columns.append(Column(i, raw, role, compound))
        if role in ("crn", "section") and (role not in keys or (
                "code" in norm(headers[keys[role]]) and "code" not in norm(raw)) or (
                norm(headers[keys[role]]) in BARE_NUMBER and norm(raw) not in BARE_NUMBER)):
            # an id or number column beats a "code" column for the key, and a named
            # section column ("Section", "분반") beats a bare "No." that counts the rows
            keys[role] = i
    roles = {c.role for c in layout.columns}
    if "seats" in roles:
        for c in layout.by_role("seats"):
            if "enrl" in roles and "cap" not in roles:
                c.role = "cap"  # Seats | Enrolled: the seats offered
            elif "avail" not in roles and not ("cap" in roles and "enrl" in roles):
                c.role = "avail"  # Spaces | Class Size, or Seats alone: the seats free
                c.bare = "cap" not in roles
            else:
                c.role = None
    for kind in ("crn", "section"):
        if kind in keys:
            layout.key_col, layout.key_kind = keys[kind], kind
            break
    if layout.key_kind == "crn" and re.search(r"class", norm(headers[layout.key_col or 0])):
        layout.key_kind = "class"
    layout.label_first = bool(headers) and not headers[0].strip()
    return layout if layout.usable or not usable else None


def _is_header_again(texts: list[str], layout: Layout) -> bool:
    return sum(1 for c in layout.columns if c.index < len(texts)
               and texts[c.index] == c.header and c.header) >= 2


def _cell_facts(col: Column, text: str, sec: Section, *, cap_column: bool = False) -> None:
    """What one seat/status cell says, read with its header as the label."""
    if is_tba(text) and col.role != "status":
        sec.tba = True
        return
    if col.compound is not None:
        numbers = [int(n) for n in re.findall(r"\d{1,6}", text)]
        if len(numbers) == len(col.compound):
            for role, n in zip(col.compound, numbers, strict=True):
                if role in ("avail", "cap", "enrl"):
                    sec.add_fact(role, n)
                elif role == "seats":
                    sec.add_fact("avail", n)
            return
    n = _count(text)
    if n is None and col.role != "status" and line_status(text)[1]:
        sec.cancelled = True  # "Not running 2026/7" where the seats would be
        return
    if col.bare and n is None and re.fullmatch(r"\s*\d{1,6}\s*/\s*\d{1,6}\s*", text):
        sec.ambiguous = True
    if col.role == "status" and WAITLIST_COUNT.fullmatch(norm(text)):
        # "Wait List - 3 students" in a status column: the status, and a count not of seats.
        sec.status = sec.status or "waitlist"
        return
    if col.role == "status":
        status, cancelled = line_status(text)
        if status is None and not cancelled and len(norm(text).split()) <= 3:
            status = status_of(text, column=True)
        if cancelled:
            status = "cancelled"
        if status == "cancelled":
            sec.cancelled = True
        elif status is not None and sec.status is None:
            sec.status = status
        if n is not None:
            sec.add_fact("avail", n)
            return
    elif n is not None and col.role in ("avail", "cap", "enrl"):
        sec.add_fact(col.role, n)
        return
    elif len(norm(text).split()) <= 3 and (status := line_status(text)[0] or (
            status_of(text, column=True) if len(text.strip()) <= 2 else None)) is not None:
        # "Full" / "Closed" written where the count would be ("Open (3)": and the count).
        if status == "cancelled":
            sec.cancelled = True
        elif sec.status is None:
            sec.status = status
        if not re.search(r"\d", text):
            return
    line = facts_in(f"{col.header}: {text}" if col.role != "status" else text,
                    with_codes=False)
    if line.cancelled:
        sec.cancelled = True
    if line.status and sec.status is None:
        sec.status = line.status
    if col.role == "enrl" and line.facts and all(r in ("enrl", "cap") for r, _n in line.facts
                                                 ) and "/" in text and cap_column:
        # "35 / 40" under Enr beside a Max column (WebSoc cross-listing): the larger figure
        # is the enrolment that fills the shared seats. "25 of 30" stays enrolled of capacity.
        sec.add_fact("enrl", max(n for _r, n in line.facts))
        return
    for role, value in line.facts:
        sec.add_fact(role, value)


def _row_sections(cells: list[El], layout: Layout, course: str) -> list[Section]:
    texts = [text_of(c) for c in cells]
    stacks = _stacked(cells, layout)
    if stacks > 1:
        parts = [cell_lines(c) for c in cells]
        rows = [[p[i] if len(p) == stacks else t for p, t in zip(parts, texts, strict=True)]
                for i in range(stacks)]
    elif groups := layout.groups():
        # side by side: each group's cells alone, the others blanked
        rows = [[t if i in group else "" for i, t in enumerate(texts)] for group in groups]
    else:
        rows = [texts]
    sections = [s for s in (section_of_row(r, layout, course) for r in rows) if s is not None]
    key = cells[layout.key_col] if layout.key_col is not None and layout.key_col < len(
        cells) else None
    if key is not None and (key.get("rowspan") or "1").strip() not in ("", "1"):
        for sec in sections:
            sec.component = ""  # one registration group over its lecture and lab rows
    return sections


def _stacked(cells: list[El], layout: Layout) -> int:
    """How many sections share this row (lines stacked in the key and seat cells)."""
    if layout.key_col is None or layout.key_col >= len(cells):
        return 1
    k = len(cell_lines(cells[layout.key_col]))
    if k < 2:
        return 1
    seat_cols = [c for c in layout.seat_columns + layout.by_role("status")
                 if c.index < len(cells)]
    if seat_cols and all(len(cell_lines(cells[c.index])) == k for c in seat_cols) and not any(
            _not_seats(line) for c in seat_cols for line in cell_lines(cells[c.index])):
        return min(k, 10)
    return 1


def _not_seats(line: str) -> bool:
    """A stacked line that is a wait-list / reserved figure ("Wait List 6 of 15") belongs
    to the section above it, not to a section of its own."""
    label = re.split(r"[\d:]", line, maxsplit=1)[0]
    return bool(label.strip()) and label_role(label) in ("wait", "skip")


def section_of_row(texts: list[str], layout: Layout, course: str) -> Section | None:
    """One row's section (cells' texts under `layout`), or None when it has no seats."""
    sec = Section(course=course)
    first = texts[0] if texts else ""
    if layout.label_first and first and layout.columns[0].role != "status" and (
            label_role(first) in ("wait", "skip") and _SEAT_NOUN.search(first)):
        return None  # Banner's "Waitlist Seats" / "Cross List Seats" rows (not "Join Waitlist")
    for col in layout.columns:
        if col.index >= len(texts):
            continue
        text = texts[col.index]
        if not text:
            continue
        if col.role in ("avail", "cap", "enrl", "status") or col.compound is not None:
            _cell_facts(col, text, sec, cap_column=bool(layout.by_role("cap")))
        elif col.role in ("crn", "section") and col.index == layout.key_col:
            if _WHOLE_CODE.match(text):
                sec.add_code(layout.key_kind, text.lstrip("#"))  # "FA-26-1187" is the key whole
            found, _spans = codes_in(text)
            for _p, kind, value in found:
                sec.add_code(kind, value)
            if len(text) <= 40:
                sec.add_code(layout.key_kind, text)
                sec.parts.insert(0, f"{col.header} {text}" if text.isdigit() else text)
        elif col.role == "course" and len(text) <= 60:
            prev = sec.codes.get("course")
            sec.codes["course"] = f"{prev} {text}" if prev else text
        elif col.role in ("title", "component", "section", "crn") and len(text) <= 80:
            sec.parts.append(text)
            if col.role == "component" and len(text) <= 24 and not sec.component:
                sec.component = text  # "Lecture" | "1" and "Lab" | "1" are two sections
            tail = _CANCELLED_TAIL.search(text) or _MARKED_LEAD.match(text)
            if tail is not None and status_of(tail.group(1)) == "cancelled":
                sec.cancelled = True  # "Human Anatomy I - CANCELLED", "** CANCELLED ** ..."
        elif len(text) <= 30 and status_of(text) == "cancelled":
            sec.cancelled = True
    if sec.status is None and not layout.by_role("status"):
        for col in layout.columns:
            if col.role is None and col.index < len(texts) and len(norm(
                    texts[col.index])) <= 14 and not is_action(texts[col.index]):
                status = status_of(texts[col.index])
                if status == "cancelled":
                    sec.cancelled = True
                elif status is not None:
                    sec.status = status
                    break
    if not sec.codes and layout.key_col is None and texts and _CODE_LIKE.match(texts[0]):
        sec.add_code("section", texts[0])  # "CS1010/PRA/01": the first cell names the row
        sec.parts.insert(0, texts[0])
    if not sec.codes and layout.key_col is None:
        for col in layout.columns:
            if col.index < len(texts) and col.role not in ("avail", "cap", "enrl", "status"):
                found, _spans = codes_in(texts[col.index])
                for _p, kind, value in found:
                    sec.add_code(kind, value)
    if not sec.has_seats and not sec.cancelled and not sec.tba:
        return None
    if not sec.codes:
        # A row printing no code is named by its own title cell ("Activity: Applied 02",
        # a tier's "Early Bird"), as a card is by its title: never by its position.
        name = next((texts[c.index] for c in layout.columns if c.role in ("title", "component")
            and c.index < len(texts) and 2 <= len(texts[c.index]) <= 60
            and re.search(r"[^\W\d_]", texts[c.index]) and not is_action(texts[c.index])
            and label_role(texts[c.index]) is None  # Banner's "Seats" row label names nothing
            and status_of(texts[c.index]) is None), None)
        if name is not None:
            sec.codes["name"] = name
    return sec


def _transposed(rows: list[El], course: str) -> list[Section]:
    """A table with sections as columns: each row starts with its label ("CRN",
    "Capacity", "Seats available", "Status") and column j of every row is section j."""
    grid = [_cells(row) for row in rows[:60]]
    grid = [cells for cells in grid if len({id(c) for c in cells}) >= 2]
    if len(grid) < 3:
        return []
    labels = [text_of(cells[0]) for cells in grid]
    if not labels[0] and tag_of(grid[0][1]) == "th":
        labels[0] = "Section"  # the head row's empty corner: the columns' names
    if any(len(label) > 60 for label in labels):
        return []
    layout = layout_of(labels)
    if layout is None or not layout.seat_columns:
        return []
    width = max(len(cells) for cells in grid)
    columns = [[text_of(cells[j]) if j < len(cells) else "" for cells in grid]
               for j in range(1, min(width, 60))]
    if any(label_role(t) in ("avail", "cap", "enrl", "seats", "status", "wait") and not re.search(
            r"\d", t) and not (len(t.split()) <= 2 and status_of(t)) for col in columns
           for t in col):
        return []  # labels in later columns: label–value pairs, not sections side by side
    sections = [sec for texts in columns if (sec := section_of_row(texts, layout, course))]
    return sections if len(sections) >= 2 else []


def _skip_table(table: El, ctx: PageContext, headers: list[str]) -> bool:
    about = " ".join([table.get("summary") or "", *(text_of(c) for c in table.xpath(
        "./caption")), " ".join(headers[:3]), ctx.heading_before(table, within=3)])
    return bool(_RESERVED.search(about))


def _box_status(table: El, ctx: PageContext) -> str | None:
    """The status a one-section table's box states above it ("Option 2 · Status Closed"
    heading the box that holds the table), when the table itself says none."""
    box = table.getparent()
    if box is None or tag_of(box) in ("body", "main", "html", "form"):
        return None
    for line in reversed(ctx.lines_before(table, box)):
        facts = facts_in(line.text)
        if facts.facts:
            return None  # figures of their own: another section's line
        if facts.status is not None:
            return facts.status
    return None


def read_tables(root: El, ctx: PageContext) -> tuple[list[tuple[El, list[Section]]], list[El]]:
    """(table, its sections) for every seat table in page order, and the tables skipped
    as reserved-seat / cross-list grids (nobody else should read them either)."""
    found: list[tuple[El, list[Section]]] = []
    taken: set[int] = set()
    skipped: list[El] = []
    for table in root.iter("table"):
        if len(found) >= MAX_TABLES:
            break
        if any(id(a) in taken for a in table.iterancestors("table")):
            continue
        rows = _rows(table)
        layout = None
        start = 0
        for i, row in enumerate(rows[:6]):
            cells = _cells(row)
            if len({id(c) for c in cells}) < 2:
                continue
            texts = [_header_text(c) for c in cells]
            if any(re.match(r"\s*[-−]?\d", t) or t.rstrip().endswith(":") or len(t) > 60
                   or len(t.split()) > 8 for t in texts) or _label_value_row(texts) or (
                    len(set(map(id, cells))) == 2 and tag_of(row.getparent()) != "thead"
                    and not all(tag_of(c) == "th" for c in cells)):
                continue  # a label–value row ("Available Seats" | "0"), not a header
            sub = _sub_header(cells, rows[i + 1]) if i + 1 < len(rows) else None
            if sub is not None:
                layout = layout_of([_joined_header(a, b) for a, b in zip(texts, sub,
                                                                       strict=True)])
                start = i + 2
            if layout is None:
                layout = layout_of(texts)
                start = i + 1
            if layout is None and sum(1 for t in texts if t) >= 2:
                raw = layout_of(texts, usable=False)
                layout = _status_column(rows[i + 1:], raw) if raw is not None else None
                start = i + 1
            if layout is not None:
                headers = [c.header for c in layout.columns]
                break
        if layout is None:
            layout = _labelled_cells(rows, ctx)
            start = 0
            headers = [c.header for c in layout.columns] if layout else []
        if layout is None:
            sections = _transposed(rows, ctx.heading_before(table))
            if sections and not _skip_table(table, ctx, []):
                found.append((table, sections))
                taken.add(id(table))
            continue
        if _skip_table(table, ctx, headers):
            skipped.append(table)
            continue
        course = ctx.heading_before(table)
        sections: list[Section] = []
        for cells in _spanned(rows[start:]):
            if len({id(c) for c in cells}) < 2:
                # one cell across the table: a course title row ("PHYSICS 120 GALAXIES")
                # names the sections below it, it is not one
                text = text_of(cells[0]) if cells else ""
                if text and len(text) <= 150 and codes_in(text)[0]:
                    course = text
                continue
            texts = [text_of(c) for c in cells]
            if _is_header_again(texts, layout):
                continue
            filled = [c for c, t in zip(cells, texts, strict=True) if t.strip()]
            if len({id(c) for c in filled}) == 1 and len(filled) > 1:
                continue  # one note spanning the columns under a row ("Category-wise
                # vacancy: OC 6 · BC 4"): a detail of the section above, not a section
            sections.extend(_row_sections(cells, layout, course))
        if sections:
            if len(sections) == 1 and sections[0].status is None:
                sections[0].status = _box_status(table, ctx)
            if all(not s.codes for s in sections) and len(sections) == 1:
                codes, cancelled = ctx.codes_before(table)
                for kind, value in codes:
                    sections[0].add_code(kind, value)
                sections[0].cancelled = sections[0].cancelled or cancelled
            found.append((table, sections))
            taken.add(id(table))
    return found, skipped

