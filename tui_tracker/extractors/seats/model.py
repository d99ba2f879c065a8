"""A section as the readers collect it, and how it becomes a seat reading.

Every reader (tables, cards/text, fixed-width text, JSON) fills the same `Section`;
the contract (DESIGN "Extraction") is applied once, here:

- value = available when given, else capacity − enrolled floored at 0; a section
  shown only as Closed / Full / Wait List reads 0; shown only as Open reads None.
- status = what the page says, else open when seats > 0, else full.
- cancelled sections and sections whose seats are "TBA" are left out.
- key = CRN, else class number, else course + section code; a position only as
  the last resort. The label always contains the key's code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from tui_tracker.core.model import Extraction, Kind, Reading
from tui_tracker.core.text import clean_text

MAX_SECTIONS = 500
IDENTITIES = frozenset({"crn", "class", "section", "code"})
"""Code kinds that name one section (a course code names many; a title is no code)."""


@dataclass(slots=True)
class Section:
    codes: dict[str, str] = field(default_factory=dict)
    """Key kind (crn, class, section, code: a dashed code said without a label, course,
    or name: a card's title on a page printing no codes) -> the code as printed."""
    avail: int | None = None
    seats: int | None = None
    """A bare "Seats: 4": open seats when no clearer figure is given."""
    cap: int | None = None
    enrl: int | None = None
    status: str | None = None
    cancelled: bool = False
    tba: bool = False
    course: str = ""
    """Context: the heading (course name) the section is listed under."""
    parts: list[str] = field(default_factory=list)
    """Other label parts: title, component."""
    component: str = ""
    """The kind of meeting a table's column names ("Lecture", "Lab", "Ćwiczenia"): with
    a section code that only counts within it ("grupa nr 1"), part of the key."""
    origin: str = ""
    """Which reader found it: table, pre, text or json."""
    ambiguous: bool = False
    """Its figures could be read two ways ("37/40" under a bare "Seats"): data that names
    them (the page's JSON) decides."""

    def add_fact(self, role: str, n: int) -> None:
        """Keep the first figure of each role (a label's own number comes first)."""
        if role == "seats" and self.seats is None:
            self.seats = n
        elif role == "avail" and self.avail is None:
            self.avail = n
        elif role == "cap" and self.cap is None:
            self.cap = n
        elif role == "enrl" and self.enrl is None:
            self.enrl = n

    def add_code(self, kind: str, value: str) -> None:
        value = clean_text(value, 60)
        if value and kind not in self.codes:
            self.codes[kind] = value

    @property
    def has_seats(self) -> bool:
        """Says something about its seats (a count or a status)."""
        return (self.avail is not None or (self.cap is not None and self.enrl is not None)
                or self.seats is not None or self.status is not None)

    @property
    def offered(self) -> bool:
        return self.has_seats and not self.cancelled and not self.tba

    @property
    def bare_status(self) -> bool:
        """Only a status word, no count and no code: on its own, a filter or a legend."""
        return self.status is not None and self.value() is None and not self.codes

    def value(self) -> int | None:
        if self.avail is not None:
            return max(self.avail, 0)
        if self.cap is not None and self.enrl is not None:
            if self.status in ("full", "closed", "waitlist"):
                return 0
            return max(self.cap - self.enrl, 0)
        if self.seats is not None and self.enrl is not None and self.cap is None:
            # "angemeldet: 212 / Plätze: 250": beside an enrolment, the seats are the total
            if self.status in ("full", "closed", "waitlist"):
                return 0
            return max(self.seats - self.enrl, 0)
        if self.seats is not None:
            if self.status in ("full", "closed", "waitlist") and self.seats == self.cap:
                return 0  # "Seats 30/30" beside Full: taken of total
            return max(self.seats, 0)
        if self.status in ("full", "closed", "waitlist"):
            return 0
        return None

    def final_status(self) -> str:
        """The page's own status word when it has one ("Closed" stays closed even when
        its seats are all taken: that is what the page says); else full at 0."""
        v = self.value()
        if self.status is not None:
            return self.status
        return "open" if v is None or v > 0 else "full"

    def key(self) -> str | None:
        crn = self.codes.get("crn") or self.codes.get("class")
        sec = self.codes.get("section", "")
        if crn and not crn.isdigit() and re.fullmatch(r"\d{4,7}", sec) and not _contains(
                crn, sec):
            return slug(sec)  # a numeric id under a "section" label beats a short code
        raw = self.codes.get("raw", "")
        if crn and crn == self.codes.get("synonym") and raw and not _contains(raw, crn):
            # "PSY-101-01 (31022)": the section's name and its synonym together are how
            # the page names it; either alone is what one reader or another calls the id
            return slug(f"{raw}-{crn}")
        for kind in ("crn", "class", "code"):
            if kind in self.codes:
                return slug(self.codes[kind])
        if "section" in self.codes:
            sec = self.codes["section"]
            if self.component and _COUNTS_WITHIN.fullmatch(sec) and not _contains(
                    sec, self.component):
                sec = f"{self.component} {sec}"  # "Wykład grupa nr 1", "Ćwiczenia grupa nr 1"
            # the course's code, not its name ("CJ201 Criminal Procedure" -> "CJ201")
            if raw and not _contains(raw, sec) and not _contains(sec, raw):
                # "Cohort 14 (DSF-2026-T1)": named by a group and by a code, both kept
                return slug(f"{raw}-{sec}")
            course = _course_code(self.codes.get("course", "")) or _course_code(self.course)
            if course and slug(course) not in slug(sec):
                return slug(f"{course}-{sec}")
            return slug(sec)
        if "course" in self.codes:
            return slug(self.codes["course"])
        if "name" in self.codes:
            return slug(self.codes["name"])  # a page printing no codes: its own title
        return None

    def label(self) -> str:
        course = self.codes.get("raw") or self.codes.get("course", "")
        sec_code, code = self.codes.get("section", ""), _course_code(self.codes.get("course", ""))
        if not self.codes.get("raw") and code and re.fullmatch(r"[A-Z]?\d{1,4}[A-Z]?", sec_code):
            course = f"{code} {sec_code}"  # "MAT1002 01", as the key says it, not "… Section 01"
        parts = [p for p in (self.course, *self.parts) if p]
        sec = self.codes.get("section")
        if self.component and sec in parts and self.component in parts:
            # said as the key says it: "Wykład grupa nr 1", not "grupa nr 1 … Wykład"
            parts.remove(self.component)
            parts[parts.index(sec)] = f"{self.component} {sec}"
        if course and not any(_contains(p, course) for p in parts):
            parts.insert(1 if self.course else 0, course)
        names = {"crn": "CRN", "class": "Class", "section": "Section", "course": "", "code": ""}
        for kind in ("course", "section", "class", "crn", "code"):
            value = self.codes.get(kind)
            if value and not any(_contains(p, value) for p in parts):
                # a number is named by its kind ("CRN 40267"); a code names itself
                name = names[kind] if re.fullmatch(r"[\d.]+", value) or kind == "section" else ""
                parts.append(f"{name} {value}".strip())
        return clean_text(" ".join(parts), 160)


_COUNTS_WITHIN = re.compile(r"(?:[^\W\d_]+\.?\s)?(?:(?:nr|no|n°)\.?\s?)?[^\W\d_]?\d{1,3}[^\W\d_]?",
                            re.I)
"""A section code that only numbers the sections of one kind ("01", "grupa nr 1", "A2")."""


def _contains(text: str, code: str) -> bool:
    return bool(re.search(r"(?<![A-Za-z0-9])" + re.escape(code) + r"(?![A-Za-z0-9])", text))


_COURSE = re.compile(r"\b([A-Z]{2,5}\s?-?\s?\d{2,4}[A-Z]{0,2})\b")


def _course_code(heading: str) -> str:
    m = _COURSE.search(heading or "")
    return m.group(1) if m else ""


def slug(value: str) -> str:
    """A key from printed text: lower case, accents dropped ("Ćwiczenia" -> "cwiczenia"),
    letters of any script kept ("분반 1", "Wykład"), the rest turned into dashes."""
    if not value.isascii():
        value = "".join(ch for ch in unicodedata.normalize("NFKD", value)
                        if not unicodedata.combining(ch))
        value = unicodedata.normalize("NFC", value)  # Hangul syllables stay whole
    return re.sub(r"[\W_]+", "-", value.lower()).strip("-")[:60] or "section"


def _distinct(sections: list[Section]) -> list[Section]:
    """The same section shown twice alike (a list row and its detail panel) counts once."""
    seen: dict[str, tuple[int | None, str]] = {}
    out: list[Section] = []
    for sec in sections:
        key = sec.key()
        state = (sec.value(), sec.final_status())
        if key is not None and sec.codes.keys() & IDENTITIES:
            if seen.get(key) == state:
                continue
            seen.setdefault(key, state)
        out.append(sec)
    return out


def to_extraction(sections: list[Section], source: str, title: str | None) -> Extraction:
    """Seat readings of the offered sections, in page order, with unique keys."""
    offered = _distinct([s for s in sections if s.offered])[:MAX_SECTIONS]
    readings: list[Reading] = []
    seen: set[str] = set()
    for n, sec in enumerate(offered, start=1):
        key = sec.key() or ("seats" if len(offered) == 1 else f"section-{n}")
        if key in seen and sec.course:
            # "001" under two course headings: the heading tells them apart, stably.
            key = slug(f"{sec.course[:40]}-{key}")
        base, i = key, 2
        while key in seen:
            key, i = f"{base}-{i}", i + 1  # last resort: position among equals
        seen.add(key)
        label = sec.label() or (title or "Open seats")
        if not sec.codes and len(offered) > 1:
            label = f"{label} #{n}"
        value = sec.value()
        readings.append(Reading(key, clean_text(label), None if value is None else float(value),
                                "seats", sec.final_status()))
    return Extraction(kind=Kind.SEATS, readings=readings, source=source, title=title)
