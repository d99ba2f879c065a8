"""Open seats per course section, from the common registration page layouts.

Two readers, tried in order:

1. Tables whose header names seat columns in any order: Capacity/Enrolled/
   Available, or Banner's Cap/Act/Rem (wait-list "WL" and cross-list "XL" columns
   are ignored). Open = Available/Rem, else Capacity - Enrolled.
2. Text facts read line by line: PeopleSoft class details ("Class Number 12345",
   "Enrollment Capacity 30", "Enrollment Total 30", "Available Seats 0"; wait-list
   figures are never open seats) and schedule-builder cards ("Seats Open: 3 of
   150", "Full (0 of 35), Waitlist 4", "Closed"). Facts are grouped into sections by
   one rule: a fact of a kind the current section already has starts the next
   section. That pairs codes and counts whichever comes first in a card.

With a user selector, each matched element is one section and only reader 2's
patterns run inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree

from tui_tracker.core.errors import ExtractionError
from tui_tracker.core.model import Extraction, Kind, Reading
from tui_tracker.core.text import clean_text
from tui_tracker.extractors.document import Document, lines, node_text, tag_of
from tui_tracker.extractors.selectors import apply_regex, compile_regex, select, shown

MAX_SECTIONS = 500
MAX_SEATS = 100_000
"""A section count above this is a misread (a year, an id), not seats."""

NO_SECTIONS = "no course sections with seat counts found on the page."

# ---------------------------------------------------------------- tables

_IGNORE_COL = re.compile(r"^(wl|xl|wait|cross)|wait\s*list|waitlist|cross\s*list", re.I)
_AVAIL_COL = re.compile(
    r"^(rem|remaining|avail|available|open|free|seats\s*(open|available|remaining|left)|"
    r"(open|available|remaining)\s*seats)$|available|remaining", re.I)
_CAP_COL = re.compile(r"^(cap|max|limit|size|seats|enrl\s*cap|enr\s*cap|max\s*enrl?)$|"
                      r"capacity", re.I)
_ENRL_COL = re.compile(r"^(act|actual|enrl|enrl\s*tot|enrollment|taken|filled|registered|"
                       r"enrollment\s*total|total)$|enrolled", re.I)
_KEY_COLS = (
    ("crn", re.compile(r"^crn$", re.I)),
    ("class", re.compile(r"^class\s*(nbr|number|no\.?|#|id)?$", re.I)),
    ("section", re.compile(r"^(sec|sect|section)(\s*(id|code|number|#))?$", re.I)),
)
_LABEL_COLS = re.compile(r"^(subj|subject|crse|course|course\s*(code|number)|title|"
                         r"course\s*title|cmp|type|component)$", re.I)


def _cells(row: lxml.etree._Element) -> list[lxml.etree._Element]:
    cells: list[lxml.etree._Element] = []
    for cell in row:
        if tag_of(cell) in ("td", "th"):
            # Expand colspan so data cells stay under their header.
            span = cell.get("colspan") or "1"
            cells.extend([cell] * min(int(span) if span.isdigit() else 1, 50))
    return cells


def _cell_text(cell: lxml.etree._Element) -> str:
    return clean_text(node_text(cell, limit=2000), max_len=200)


def _count(text: str) -> int | None:
    m = re.fullmatch(r"\s*(-?\d{1,6})\s*", text)
    if m is None:
        return None
    n = int(m.group(1))
    return n if 0 <= n <= MAX_SEATS else (0 if n < 0 else None)


@dataclass(slots=True)
class _Columns:
    avail: int | None = None
    cap: int | None = None
    enrl: int | None = None
    key: int | None = None
    key_kind: str = ""
    labels: list[int] = field(default_factory=list)
    others: dict[str, int] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.avail is not None or (self.cap is not None and self.enrl is not None)


def _header(cells: list[str]) -> _Columns | None:
    """Column roles from a header row, or None when it names no seat columns."""
    cols = _Columns()
    keys: dict[str, int] = {}
    for i, raw in enumerate(cells):
        name = re.sub(r"\s+", " ", re.sub(r"[^\w#\s]", " ", raw)).strip()
        if not name or _IGNORE_COL.search(name):
            continue
        kind = next((k for k, pattern in _KEY_COLS if pattern.match(name)), None)
        if kind is not None:
            keys.setdefault(kind, i)
        elif _AVAIL_COL.search(name) and cols.avail is None:
            cols.avail = i
        elif _CAP_COL.search(name) and cols.cap is None:
            cols.cap = i
        elif _ENRL_COL.search(name) and cols.enrl is None:
            cols.enrl = i
        elif _LABEL_COLS.match(name):
            cols.labels.append(i)
    for kind, _pattern in _KEY_COLS:  # best key first: CRN, class number, section
        if kind in keys:
            cols.key, cols.key_kind = keys.pop(kind), kind
            break
    cols.labels = sorted([*cols.labels, *keys.values()])
    return cols if cols.usable else None


@dataclass(slots=True)
class _Section:
    codes: dict[str, str] = field(default_factory=dict)
    """Code kind (crn, class, section, course) -> value, in the order seen."""
    facts: dict[str, int] = field(default_factory=dict)
    course: str = ""
    label_parts: list[str] = field(default_factory=list)

    def open_seats(self) -> int | None:
        if "avail" in self.facts:
            return self.facts["avail"]
        if "status" in self.facts:
            return self.facts["status"]
        if "cap" in self.facts and "enrl" in self.facts:
            return max(self.facts["cap"] - self.facts["enrl"], 0)
        return None

    def key(self) -> str | None:
        for kind in ("crn", "class", "course", "section"):
            if kind in self.codes:
                return _slug(self.codes[kind])
        return None

    def label(self) -> str:
        parts = [p for p in (self.course, *self.label_parts) if p]
        names = {"crn": "CRN", "class": "Class", "section": "Section", "course": ""}
        for kind, value in self.codes.items():
            text = f"{names[kind]} {value}".strip()
            if not any(value in p for p in parts):
                parts.append(text)
        return clean_text(" ".join(parts) or "Section")


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:60] or "section"


def _from_table(table: lxml.etree._Element) -> list[_Section]:
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    cols: _Columns | None = None
    sections: list[_Section] = []
    for row in rows:
        cells = _cells(row)
        texts = [_cell_text(c) for c in cells]
        if cols is None:
            cols = _header(texts) if len(texts) >= 2 else None
            continue
        if _header(texts) is not None:
            continue  # a repeated header row
        seat = _row_seats(cols, texts)
        if seat is None:
            continue
        sec = _Section(facts={"avail": seat})
        if cols.key is not None and cols.key < len(texts) and texts[cols.key]:
            sec.codes[cols.key_kind] = texts[cols.key]
        sec.label_parts = [texts[i] for i in cols.labels if i < len(texts) and texts[i]
                           and i != cols.key]
        if not sec.codes and texts:
            # No key column: the first text cell names the row.
            first = next((t for i, t in enumerate(texts) if t and i not in (
                cols.avail, cols.cap, cols.enrl)), "")
            if first:
                sec.codes["section"] = first
        sections.append(sec)
    return sections


def _row_seats(cols: _Columns, texts: list[str]) -> int | None:
    def at(i: int | None) -> int | None:
        return _count(texts[i]) if i is not None and i < len(texts) else None

    avail = at(cols.avail)
    if avail is not None:
        return avail
    cap, enrl = at(cols.cap), at(cols.enrl)
    if cap is not None and enrl is not None:
        return max(cap - enrl, 0)
    return None


def _tables(doc: Document) -> list[_Section]:
    sections: list[_Section] = []
    for table in doc.root.xpath("//table")[:200]:
        if table.xpath(".//table"):
            continue  # layout tables around the real one: read the inner one
        sections.extend(_from_table(table))
    return sections


# ---------------------------------------------------------------- text facts

_NUM = r"(\d{1,6})"
_SEP = r"\s*[:\-–]?\s*"
_FACTS: list[tuple[str, re.Pattern[str]]] = [
    ("avail", re.compile(
        r"\b(?:available\s+seats|seats\s+available|open\s+seats|seats\s+open|"
        r"seats\s+remaining|remaining\s+seats|seats\s+left|spots?\s+(?:open|left|available)|"
        r"open\s+spots?)" + _SEP + _NUM + r"(?:\s*(?:of|/)\s*\d{1,6})?", re.I)),
    ("status", re.compile(
        r"\b(open|full|closed)\s*\(\s*" + _NUM + r"\s*(?:of|/)\s*\d{1,6}\s*\)", re.I)),
    ("cap", re.compile(
        r"\b(?:enrollment\s+capacity|class\s+capacity|enrolment\s+capacity|"
        r"capacity|max(?:imum)?\s+enrollment)" + _SEP + _NUM, re.I)),
    ("enrl", re.compile(
        r"\b(?:enrollment\s+total|enrolment\s+total|total\s+enrolled|"
        r"enrolled|enrollment)" + _SEP + _NUM, re.I)),
    ("status", re.compile(r"^\s*(?:status\s*:?\s*)?(closed|full)\s*[.!]?\s*$", re.I)),
]
_WAITLIST_BEFORE = re.compile(r"(wait\s*-?\s*list|\bwl\b)\s*$", re.I)

_CODES: list[tuple[str, re.Pattern[str]]] = [
    ("crn", re.compile(r"\bCRN\s*[:#]?\s*(\d{4,6})\b", re.I)),
    ("class", re.compile(r"\bclass\s*(?:number|nbr|no\.?|#)\s*[:#]?\s*(\d{3,6})\b", re.I)),
    ("course", re.compile(r"\b([A-Z]{2,5}\s?\d{3,4}[A-Z]?\s?-\s?[A-Z]?\d{2,3}[A-Z]?)\b")),
    ("section", re.compile(r"\b(?:section|sec\.?|sect\.?)\s*[:#]?\s*([A-Z]{0,3}\d{1,4}[A-Z]?)"
                           r"(?![\w.])", re.I)),
]


def _facts_in(line: str) -> list[tuple[int, str, int]]:
    """(position, kind, value) of every seat fact on one line, wait-list ones dropped."""
    found: list[tuple[int, str, int]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _FACTS:
        for m in pattern.finditer(line):
            start = m.start()
            if any(a <= start < b for a, b in taken):
                continue
            if _WAITLIST_BEFORE.search(line[max(0, start - 12):start]):
                continue
            if kind == "status" and m.lastindex == 1 and not m.group(1).isdigit():
                value = 0  # a bare "Closed"/"Full"
            else:
                value = int(m.group(m.lastindex or 1))
            if value > MAX_SEATS:
                continue
            found.append((start, kind, value))
            taken.append((m.start(), m.end()))
    return sorted(found)


def _codes_in(line: str) -> list[tuple[int, str, str]]:
    found = []
    for kind, pattern in _CODES:
        for m in pattern.finditer(line):
            found.append((m.start(), kind, m.group(1).strip()))
    return sorted(found)


_BARE_VALUE = re.compile(r"^[:#]?\s*\d{1,6}(?:\s*(?:of|/)\s*\d{1,6})?$", re.I)


def _merge_values(stream: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join a label line with the bare number on the next line ("Available Seats" | "0").

    Table cells and <dt>/<dd> pairs put PeopleSoft's label and value on separate lines.
    """
    merged: list[tuple[str, str]] = []
    for line, tag in stream:
        if (merged and _BARE_VALUE.match(line) and len(merged[-1][0]) <= 60
                and not merged[-1][0][-1:].isdigit()):
            prev, prev_tag = merged.pop()
            merged.append((f"{prev} {line}", prev_tag))
        else:
            merged.append((line, tag))
    return merged


def _group(stream: list[tuple[str, str]]) -> list[_Section]:
    """Group a page's lines into sections (see module docstring for the rule)."""
    stream = _merge_values(stream)
    sections: list[_Section] = []
    current = _Section()
    course = ""
    for line, tag in stream:
        if tag in ("h1", "h2", "h3", "h4") and len(line) <= 120:
            course = line
        tokens: list[tuple[int, str, str, int | str]] = []
        tokens += [(p, "code", k, v) for p, k, v in _codes_in(line)]
        tokens += [(p, "fact", k, v) for p, k, v in _facts_in(line)]
        for _pos, what, kind, value in sorted(tokens, key=lambda t: t[0]):
            have = current.codes if what == "code" else current.facts
            if kind in have and (current.codes or current.facts):
                if what == "code" and have[kind] == value:
                    continue  # the same code repeated inside one card
                sections.append(current)
                if len(sections) >= MAX_SECTIONS:
                    return sections
                current = _Section()
            if not current.codes and not current.facts:
                current.course = course if course != line else ""
            if what == "code":
                current.codes[kind] = str(value)
            else:
                current.facts[kind] = int(value)
    sections.append(current)
    return sections


def _to_extraction(sections: list[_Section], source: str, title: str | None) -> Extraction:
    readings: list[Reading] = []
    seen: set[str] = set()
    counted = [s for s in sections if s.open_seats() is not None][:MAX_SECTIONS]
    for n, sec in enumerate(counted, start=1):
        key = sec.key() or ("seats" if len(counted) == 1 else f"section-{n}")
        base, i = key, 2
        while key in seen:
            key, i = f"{base}-{i}", i + 1
        seen.add(key)
        label = sec.label() if sec.codes or sec.course else (title or "Open seats")
        readings.append(Reading(key, clean_text(label), float(sec.open_seats() or 0), "seats"))
    return Extraction(kind=Kind.SEATS, readings=readings, source=source, title=title)


def find_seats(doc: Document, title: str | None) -> Extraction | None:
    """Automatic recognition: seat tables first, then text facts. None if nothing."""
    table_sections = _tables(doc)
    if any(s.open_seats() is not None for s in table_sections):
        return _to_extraction(table_sections, "seats-table", title)
    text_sections = _group(list(lines(doc.root)))
    if any(s.open_seats() is not None for s in text_sections):
        return _to_extraction(text_sections, "seats-text", title)
    return None


def extract_seats(doc: Document, selector: str | None, regex: str | None,
                  title: str | None) -> Extraction:
    """Seats per section, automatically or inside the user's selected elements."""
    if not selector and not regex:
        result = find_seats(doc, title)
        if result is None:
            raise ExtractionError(NO_SECTIONS)
        return result
    pattern = compile_regex(regex) if regex else None
    nodes = select(doc.sel, selector) if selector else [doc.sel]
    if selector and not nodes:
        raise ExtractionError(f"selector '{shown(selector)}' matched nothing.")
    sections: list[_Section] = []
    for node in list(nodes)[:MAX_SECTIONS]:
        root = node.root
        stream = (list(lines(root)) if isinstance(root, lxml.etree._Element)
                  else [(clean_text(str(root), max_len=1000), "")])
        sec = _Section()
        for part in _group(stream):
            for kind, value in part.codes.items():
                sec.codes.setdefault(kind, value)
            for fact, number in part.facts.items():
                sec.facts.setdefault(fact, number)
        if pattern is not None:
            picked = apply_regex(pattern, " ".join(line for line, _ in stream))
            count = _count(picked) if picked is not None else None
            sec.facts = {"avail": count} if count is not None else {}
        sections.append(sec)
    if not any(s.open_seats() is not None for s in sections):
        what = f"selector '{shown(selector)}'" if selector else f"regex '{shown(regex or '')}'"
        raise ExtractionError(f"the {what} found no seat counts in what it matched.")
    return _to_extraction(sections, "selector" if selector else "regex", title)
