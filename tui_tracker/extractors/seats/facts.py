"""Seat facts, statuses and section codes in one line of text.

A line is what a person reads as one unit: a card's "Seats Open: 3 of 150", a
detail row "Enrollment Capacity 30", a table row rebuilt as "Cap: 30 | Act: 28",
a status "Closed: Class Full (150)". Every number gets its role from the words
right before it (the label), else right after it ("3 seats left"); numbers with no
seat word around them (credits, times, rooms, years, ids) are never seats, and
numbers labelled wait list / reserved / cross-list are dropped on purpose.

A status counts only where a line states it: at its start ("Open 3 of 150 Left",
"Status: Closed", "Section 01 Open" once codes are set aside), opening a later
sentence or clause ("... 4 credits. FULL.", "Yoga - Closed"), or as the last word of a
line naming a section ("CRN: 17234 ... Open"). "Open to majors only", "Open Seats 3"
and "Waitlist: 4" are not statuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui_tracker.extractors.seats.vocab import (
    WORD_STEMS,
    compound_roles,
    label_role,
    legend_status,
    norm,
    status_at,
    status_of,
)

MAX_SEATS = 20_000
"""A count above this is a misread (an id, a year), not seats."""


@dataclass(slots=True)
class LineFacts:
    """What one line says about a section."""

    codes: list[tuple[str, str]] = field(default_factory=list)
    """(kind, value): crn / class / section / course, in line order."""
    facts: list[tuple[str, int]] = field(default_factory=list)
    """(role, count): avail / cap / enrl, or seats (a bare "Seats: 4", read as open seats
    only when nothing more specific is given)."""
    status: str | None = None
    cancelled: bool = False
    tba: bool = False
    """The seats are said to be not posted yet ("Seats: TBA", "Seats to be announced")."""

    @property
    def empty(self) -> bool:
        return not (self.codes or self.facts or self.status or self.cancelled or self.tba)


# ---------------------------------------------------------------- codes

_CODE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ps", re.compile(r"\b(\d{1,4}[A-Z]{0,2})\s*-\s*([A-Z]{3})\s*\(\s*(\d{3,6})\s*\)")),
    ("crn", re.compile(
        # "Product code: 498765", "Item No. 1234": a shop's article number, not a section's
        r"(?<!Product )(?<!Item )(?<!Article )(?<!Style )(?<!Model )(?<!Order )(?<!Part )"
        r"(?<!Product\xa0)(?<!Article\xa0)"
        r"\b(?:CRN|NRC|SLN|CCN|Call\s*(?:No\.?|Nbr|Number|#)|Index(?:\s*(?:No\.?|#))?|"
        r"Ref(?:erence)?\s*(?:No\.?|#|Number)?|Reg(?:istration)?\s*(?:No\.?|#|Number)|"
        r"Course\s+Reference\s+Number|Ticket|Code|Class\s*(?:Nbr|Number|No\.?|Num|#|ID)|"
        r"Section\s*(?:ID|Nbr|Number|No\.?|#)|Enroll(?:ment)?\s*Code|"
        r"Class|Nbr|Clase|N[°º]\s*de\s*clase|Klasse|Nummer|"
        r"(?<!Product )(?<!Item )(?<!Style )(?<!Model )(?<!Order )(?-i:ID|Id)|"
        r"(?:Activity|Session|Event|Program(?:me)?|Offering|Listing)\s*"
        r"(?:#|No\.?|Nbr|Number|ID|Code))"
        r"\s*[:#.]?\s*#?\s*(\d{4,9})\b(?![-/][A-Za-z0-9])", re.I)),
    # An id named by its noun ("Session 48810", "Listing SI27-104", "Occurrence HIS2041-A"):
    # a number of four or more digits, or a code with letters, digits and dashes.
    ("crn", re.compile(
        r"\b(?:Activity|Session|Event|Program(?:me)?|Offering|Listing|Occurrence)"
        r"\s*[:#]?\s*((?!(?:19|20)\d\d\b)\d{4,9}|(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])"
        r"[A-Z0-9]{1,8}(?:-[A-Z0-9]{1,6}){1,3})\b")),
    ("crn", re.compile(r"\(\s?#\s?(\d{4,9})\s?\)")),  # "Hot 26 (#8841)": a class's own number
    # "#41207 Youth Swim": a number sign (not a shop's "Item #4418203" or "Order #")
    ("crn", re.compile(r"(?:^|(?<=\s))(?<!Item )(?<!Product )(?<!Order )(?<!SKU )(?<!Model )"
                       r"(?<!Style )(?<!Part )#\s?(\d{4,9})\b", re.I)),
    # A code after a label that says it is one ("Course code: NACL-P101", "Ref FA-26-1187",
    # "Code: CE-5512"): the whole code, prefixes and suffixes kept.
    ("crn", re.compile(
        r"(?<!Item )(?<!Product )(?<!Model )(?<!Style )(?<!Order )(?<!Part )(?<!Article )"
        r"(?<!Item\s)(?<!SKU )(?i:\b(?:code|ref(?:erence)?|id|no\.?|number|nr\.?))\s*[:#.]?\s*"
        r"((?=[A-Z0-9./-]*\d)(?=[A-Z0-9./-]*[A-Z])[A-Z0-9]{1,10}(?:[-./][A-Z0-9]{1,10}){1,4})"
        r"(?![\w-])")),
    # An undashed code after "code"/"ref" ("Course code: AD214", "Ref: AD101B"): the label
    # says it is the offering's code (a room's "No. G12" is not).
    ("crn", re.compile(
        r"(?<!Item )(?<!Product )(?<!Model )(?<!Style )(?<!Order )(?<!Part )(?<!Article )"
        r"(?<!Promo )(?<!Discount )(?<!Coupon )(?<!Voucher )(?<!Zip )(?<!Postal )(?<!Post )"
        r"(?i:\b(?:code|ref(?:erence)?))\s*[:#.]?\s*"
        r"((?=[A-Z0-9]*\d)[A-Z]{1,6}\s?\d{1,6}[A-Z]{0,2})(?![\w-])")),
    ("crn", re.compile(r"(?:^|\s)[-–]\s+(\d{5})\s+[-–]\s+[A-Z]{2,5}\s?\d")),  # Banner title
    ("crn", re.compile(r"^\s*((?!19\d\d|20\d\d)\d{4,6})\s+(?=[A-Z])")),  # "40502 PED 110 ..."
    ("course_section", re.compile(
        r"(?<![\w-])([A-Z]{2,5}(?:\s|-)?\d{2,4}[A-Z]{0,2})(?:\s*[-–/.]\s*([A-Z]{0,3}\d{1,4}[A-Z]{0,2}"
        r"(?:[-_][A-Z0-9]{1,4}){0,2}(?![\w-])|(?<=[-_])[A-Z]{1,2}(?![\w-]))|"
        r"\s(0\d{1,2}|[A-Z]\d{1,2}[A-Z]?|\d{2,3}[A-Z]|"
        r"(?:LECT?|LAB|SEMR?|DISC?|TUT|REC|STU|PRAC?|WRK|CLN|CLIN|LCT|SMR|IND)\s\d{1,3}[A-Z]?))\b(?:\s*\(\s*(\d{4,6})\s*\))?")),
    # A dashed code that is more than a course number ("CPD-LDR01-SEP26", "NACL-P101",
    # "FA-26-1187", "2IPC0-A", a slot's "ESC-02": a course number has three or four
    # digits): the whole code names the offering. Said without a label
    # it could be a product's model too, so it is a key but no proof of a course page.
    ("code", re.compile(
        r"(?<![\w-])(?![A-Z]{2,5}-?\d{3,4}[A-Z]{0,2}(?![\w-]))(?!(?:GMT|UTC)-\d)(?=[A-Z0-9-]*\d)"
        r"(?=[A-Z0-9-]*[A-Z])([A-Z0-9]{1,10}(?:-[A-Z0-9]{1,10}){1,3})(?![\w-])")),
    # Groups are named as printed ("1. Parallelgruppe", "Gruppe A", "Grupo 2"): the number
    # alone says too little.
    ("section", re.compile(
        r"\b(\d{1,3}\.\s*(?:Parallel|Übungs|Uebungs|Klein|Lern)?[Gg]ruppe)\b")),
    ("section", re.compile(
        r"\b((?:(?:Lecture|Discussion|Lab|Laboratory|Seminar|Tutorial|Recitation|Practical|"
        r"Workshop|Clinical|Exercise|Studio)\s+)?(?:Grupo|Groupe|\w*[Gg]ruppe|Group|Gruppo|"
        r"Turno|Canale|Cohort|Turma|Comisi[oó]n|Paralelo|Session|Skupina|Grupa|Grupp|"
        r"\w*[Rr]yhmä|Şube|Группа|Група|Kumpulan|Τμήμα|Ομάδα)\s*[:#]?\s*(?:No\.?\s*|Nr\.?\s*)?"
        r"(?:\d{1,2}[A-Z]\d{1,2}|(?!(?:19|20)\d\d\b)[A-ZΑ-ΩА-Я]{0,3}\d{1,4}[A-ZΑ-ΩА-Я]{0,2}|"
        r"(?-i:(?!TB[ADC]\b|ALL\b|THE\b|AND\b|FOR\b|ONE\b|TWO\b)[A-Z]{1,3})))\b", re.I)),
    ("section", re.compile(
        r"\b(?:Section|Sect?\.?|Sección|Seccion|Seção|Sektion)\s*[:#]?\s*(?:No\.?\s*)?"
        r"([A-Z]{0,3}\d{1,4}[A-Z]{0,2}|(?-i:[A-Z]{1,2}))\b", re.I)),
    ("section", re.compile(
        r"\b((?:LEC|LAB|DIS|DISC|SEM|TUT|REC|STU|SEC|PRAC|PRA|WRK|WKS|CLN|CLIN|Lecture|"
        r"Discussion|Lab|Seminar|Tutorial|Recitation|Practical|Workshop|Clinical)"
        r"\s?[A-Z]{0,2}\d{1,3}[A-Z]{0,2})\b", re.I)),
    ("course", re.compile(r"\b([A-Z]{2,5}\s?\d{2,4}[A-Z]{0,2})\b")),
)


def codes_in(line: str) -> tuple[list[tuple[int, str, str]], list[tuple[int, int]]]:
    """(position, kind, value) of section codes in a line, and the spans they cover."""
    found: list[tuple[int, str, str]] = []
    spans: list[tuple[int, int]] = []
    for kind, pattern in _CODE_PATTERNS:
        for m in pattern.finditer(line):
            if any(a <= m.start() < b or a < m.end() <= b for a, b in spans):
                continue
            spans.append((m.start(), m.end()))
            if kind in ("code", "course", "course_section") and ROOM_BEFORE.search(
                    line, 0, m.start()):
                continue  # "rom A-214", "Room HUM 120": where it meets, not what it is
            if kind in ("crn", "code") and _OFFER_BEFORE.search(line, 0, m.start()):
                continue  # "15% off with code ZALORA15": a shop's voucher, not a section
            if kind == "ps":
                found.append((m.start(), "class", m.group(3)))
                found.append((m.start() + 1, "section", f"{m.group(1)}-{m.group(2)}"))
            elif kind == "course_section":
                # "CS 101-001", "ENGL-1301-01 (15032)", Jenzabar's "ACCT 2301 01"
                found.append((m.start(), "course", _tidy(m.group(1))))
                found.append((m.start() + 1, "section", m.group(2) or m.group(3)))
                found.append((m.start() + 2, "raw", _tidy(m.group(0).split("(")[0])))
                if m.group(4):  # the synonym number in parentheses is the id
                    found.append((m.start() + 3, "crn", m.group(4)))
                    found.append((m.start() + 4, "synonym", m.group(4)))
            else:
                found.append((m.start(), kind, _tidy(m.group(1))))
                short = _PAREN_CODE.match(line, m.end()) if kind == "section" else None
                if short is not None:
                    # "1. Parallelgruppe (PG 1)": the group's short name is part of its name
                    spans.append((short.start(), short.end()))
                    found[-1] = (m.start(), kind, _tidy(m.group(1) + short.group(0)))
                paren = _PAREN_ID.match(line, m.end()) if kind == "section" else None
                if paren is not None and not any(k in ("crn", "class") for _p, k, _v in found):
                    # "LEC 001 (5120)": the number in parentheses is the class number
                    spans.append((paren.start(), paren.end()))
                    found.append((m.start() + 1, "crn", paren.group(1)))
    found.sort()
    return found, spans


ROOM_BEFORE = re.compile(
    r"(?i:\b(?:room|rm|raum|hörsaal|salle|sala|aula|rom|rum|lokale?|bldg|building|hall|"
    r"místnost|mistnost|učebna|ucebna|sal|huone|derslik|location|venue|where|lieu|ort))"
    r"\s*[:.]?\s*$")
"""A room label right before a code: the code is a room ("rom A-214", "Raum S 2.117")."""
_PAREN_CODE = re.compile(r"\s*\(\s*[A-Z]{1,4}\s?\d{1,3}[A-Z]?\s*\)")
_OFFER_BEFORE = re.compile(r"(?i:\b(?:with|use|using|enter|apply|promo|promotional|discount|"
                           r"coupon|voucher|gift|rabatt|gutschein|cupom|cupón|cupon))\s*$")
"""A word before "code ..." that makes it a shop's voucher code."""
_PAREN_ID = re.compile(r"\s*\(\s*((?!(?:19|20)\d\d\b)\d{4,6})\s*\)")


def _tidy(code: str) -> str:
    return re.sub(r"\s+", " ", code).strip()


# ---------------------------------------------------------------- numbers

_MASKS = re.compile(
    r"\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|"                   # 10:30, 9:00 am
    r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b|"                # dates
    r"\b\d+[.,]\d+\b|"                                     # decimals: credits 3.0
    r"\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|"                # 9am
    r"(?<![A-Za-z]\s)(?<![A-Za-z])\b(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)?\d{2}\b",  # 2024-25,
    # not "PSY 2010-04"
    re.I)
_YEAR = re.compile(
    r"(\b(?:fall|spring|summer|winter|autumn|term|semester|quarter|session|year|jan|feb|mar|"
    r"apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    r"september|october|november|december|sommersemester|wintersemester|ss|ws|hiver|"
    r"printemps|ete|automne|invierno|primavera|verano|otono|inverno|verao|outono)\s+)"
    r"((?:19|20)\d\d)\b|\b((?:19|20)\d\d)(?=\s+(?:fall|spring|summer|winter|autumn|term|"
    r"semester|quarter)\b)", re.I)
"""A year beside a term or month ("Fall 2026", "2027 Winter"): never seats."""
_CLOCK_RANGE = re.compile(r"\b(\d{3,4})\s*[-–]\s*(\d{3,4})[ap]?\b")


def _is_clock(hhmm: str) -> bool:
    hours, minutes = divmod(int(hhmm), 100)
    return 1 <= hours <= 23 and minutes < 60


def _mask(line: str) -> str:
    """The line with times, dates and decimals blanked (same length, so positions hold)."""
    masked = _MASKS.sub(lambda m: " " * len(m.group(0)), line)
    masked = _YEAR.sub(lambda m: (m.group(1) or "") + " " * len(m.group(2) or m.group(3)),
                       masked)
    return _CLOCK_RANGE.sub(lambda m: " " * len(m.group(0)) if _is_clock(m.group(1))
                            and _is_clock(m.group(2)) else m.group(0), masked)


_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_.])(\d{1,6})[A-Z*+]?"
    r"(?:\s*(of|/|de|von|sur|di|su|sobre|van|op|af|av|z|из)\s*(\d{1,6})[A-Z*+]?"
    r"(?:\s*/\s*(\d{1,6})[A-Z*+]?)?)?(?![A-Za-z0-9_])", re.I)
_ABBREVIATION = re.compile(r"\b(max|min|no|nr|tot|cap|enr|enrl|avail|approx|sec|sect|lim|act)\.\s",
                           re.I)
_SEPARATORS = re.compile(r"[;|•·,()\[\]]|\s[-–]\s|\.\s")
_STATUS_LEAD = re.compile(
    r"^(?:(?:class|section|enrollment|enrolment|seat|course|module|unit|group|session|"
    r"activity|program|programme|event|workshop|lesson|occurrence|cohort|batch|intake)\s+)?"
    r"(?:status|estado|statut|etat|stato|availability|状態|状态|상태|"
    r"(?P<seat>seats?|places|spaces|spots|plazas|platze|posti|plaatsen|vagas|cupos?|"
    r"registration|anmeldung|inscription|inscripcion|matricula|inscricao|iscrizion[ei]|"
    r"einschreibung|zapisy|registrace|booking|buchung|reservation))?\s*:?\s*"
    r"(?:(?:is|are|currently|now|still|noch|encore|aun|ancora|ainda)\s+)*(?P<rest>.*)$")


def _negative(text: str, at: int) -> bool:
    """A minus sign right before the number that is not a hyphen inside a code."""
    return at > 0 and text[at - 1] in "-−" and (at < 2 or not text[at - 2].isalnum())


def _label_before(text: str) -> str:
    """The label a number follows: the last few words since a separator."""
    text = _ABBREVIATION.sub(r"\1 ", text)  # "Max. Teilnehmende": one label, not two sentences
    parts = _SEPARATORS.split(text)
    if re.search(r"[(\[]\s*$", text):
        while len(parts) > 1 and not parts[-1].strip():
            parts.pop()  # "Waitlist(": the label is the word before the parenthesis
    words = (parts[-1] if parts else text).split()
    return " ".join(words[-5:])


def _label_after(text: str) -> str:
    """Words right after a number ("3 seats left"); none when the number stands apart."""
    if len(text) - len(text.lstrip()) > 3 or text.lstrip().startswith("/"):
        return ""  # "Seats: 0 / Waitlist: 2": a new field after the slash
    part = _SEPARATORS.split(text, maxsplit=1)[0]
    return " ".join(part.split()[:2])


def _compound(label: str) -> list[str | None] | None:
    """Roles of a label like "Available / Capacity / Waitlist", or None if not compound."""
    if "/" not in label:
        return None
    pieces = [p for p in label.split("/")]
    if len(pieces) < 2:
        return None
    roles = [label_role(p) for p in pieces]
    return compound_roles(roles) if sum(r is not None for r in roles) >= 2 else None


def _assign(role: str | None, parts: list[int], word: str, out: list[tuple[str, int]],
            status: str | None) -> None:
    """Facts from one number token whose label has one role."""
    if role in ("wait", "skip", None) and not (role is None and status):
        return
    a = parts[0]
    b = parts[1] if len(parts) > 1 else None
    if role is None:  # a bare "(0 of 35)" / "(150)" right after a status word
        if b is not None and status in ("full", "closed") and a >= b > 0:
            out += [("enrl", a), ("cap", b)]  # "Booked out (20/20)": all places taken
        elif b is not None:
            out += [("avail", a), ("cap", b)]
        elif status in ("full", "closed"):
            out.append(("cap", a))  # "Class Full (150)": the capacity
        elif status == "open":
            out.append(("avail", a))  # "Open (12)", "Available (3)": the seats open
        return
    if role == "cap" and b is not None:
        out += [("enrl", a), ("cap", b)]
        return
    out.append((role, a))  # "seats" stays ambiguous: open seats unless the page says better
    if b is not None and role in ("avail", "enrl", "seats"):
        out.append(("cap", b))


_ANY_DIGIT = re.compile(r"\d")
_SENTENCES = re.compile(r"(?<=[.;!])\s+")
_OUT_OF = re.compile(r"^\s*[^\d,;|()]{0,30}\s(?:out\s+of|of|von|de|sur|di|su|sobre|van|op|af|"
                     r"av|z|из)\s*$", re.I)
_CLAUSES = re.compile(r"\s[—–-]\s|\s[|·•]\s|\s?\(")


def _later_status(masked: str, has_code: bool) -> tuple[str | None, bool]:
    """A status later in a line: a sentence ("... 4 credits. FULL."), a clause after a
    dash ("Yoga – Closed"), or, on a line naming a section, its last word(s)
    ("CRN: 17234 001 LEC MWF Smith Open")."""
    sentences = _SENTENCES.split(masked)
    for i, sentence in enumerate(sentences):
        if i:
            found = line_status(sentence)
            if found != (None, False):
                return found
        clauses = _CLAUSES.split(sentence)
        for k, clause in enumerate(clauses[1:], start=1):
            found = line_status(clause)
            if found[0] in ("full", "closed") and k + 1 < len(clauses):
                # "Section full - waitlist open": the clauses after it may say more
                rest = line_status(" ".join(clauses[k:]))
                if rest[0] == "waitlist":
                    return rest
            if found != (None, False):
                return found
    if has_code:
        last = masked.split()[-1:] if masked.split() else []
        if last and (defined := legend_status(last[0])) is not None:
            return (None, True) if defined == "cancelled" else (defined, False)
        words = norm(masked).split()
        if re.search(r"(?:^|\s)\d[\d/]*\s(?:seats?|places?|spots?|spaces?)$", " ".join(words[:-1])):
            return None, False  # "0/30 seats open": the label of a count, not a status
        for n in (2, 1):
            if len(words) > n:
                tail = " ".join(words[-n:])
                status, at = status_at(tail)
                if status is not None and at == 0 and status_of(words[-1]) is not None:
                    return (None, True) if status == "cancelled" else (status, False)
    return None, False
_STEMS = frozenset({"de", "of", "eve", "fäl", "kla", "lec", "non", "ple", "plz", "plä", "pra",
                    "rec", "tba", "wor", "éta"}) | WORD_STEMS
"""First letters of the words seat figures, statuses and codes are written with: those
of the vocabulary's words (`WORD_STEMS`), and a few its patterns do not start with
("3 of 30", "Lec", "Kla(sse)", "Plätze" as printed)."""
_WORD = re.compile(r"[^\W\d_]+")
_GROUP_INSIDE = re.compile(r"ryhma|gruppe|grupp|skupin|τμημ|ομαδ|групп|груп")
"""Group words that end a compound ("Luentoryhmä", "Übungsgruppe"): no stem finds them."""
_CODE_OR_FRACTION = re.compile(r"[A-Z]{2,5}\s?-?\d|\d\s*/\s*\d|#\s?\d{4}|"
                               r"[\u3000-\u9fff\uac00-\ud7af]")


def _worth_reading(line: str) -> bool:
    """False for a line with no seat/status/code word at all (most of a page): cheap."""
    if _CODE_OR_FRACTION.search(line):
        return True
    text = line.lower() if line.isascii() else norm(line)  # "Přihlášeno" -> "prihlaseno"
    return any(w[:3] in _STEMS for w in _WORD.findall(text)) or bool(_GROUP_INSIDE.search(text))




_SEATS_TBA = re.compile(
    r"\b(?:seats?|places|spaces|spots|openings|availability|seats? available|available seats|"
    r"seats? remaining|places remaining|capacity)\s*(?::|are|is|will be)?\s*"
    r"(?:tba|tbd|tbc|to be (?:announced|determined|confirmed))\b", re.I)
_NONE_VALUE = re.compile(r"(?<=:)\s*(?:none|no seats|no places|nil|zero|keine|aucune?|ninguna?)\b",
                         re.I)


_DURATION_AFTER = re.compile(
    r"\s*(?:days?|hours?|hrs?|minutes?|mins?|weeks?|wks?|months?|years?|yrs?|semesters?|"
    r"ngày|giờ|phút|tuần|tháng|tage?n?|stunden?|std|minuten?|wochen?|monate?n?|jours?|"
    r"heures?|semaines?|mois|días?|dias?|horas?|semanas?|meses|giorni|ore|settimane|dni|"
    r"godzin\w*|tygodni\w*|dagar|dager|timmar|timer|veckor|uker|päivää|tuntia|gün|saat|"
    r"hafta|дн\w*|час\w*|недел\w*|hari|jam|minggu|일|시간|주|天|小时|周|日間|時間|週間)"
    r"(?![^\W\d_])", re.I)
"""A number followed by a unit of time counts time ("3 days left"), never seats."""


def facts_in(line: str, *, with_codes: bool = True) -> LineFacts:
    """Read one line (see module docstring)."""
    result = LineFacts()
    if not _worth_reading(line):
        return result
    if _SEATS_TBA.search(line):
        result.tba = True
    line = _NONE_VALUE.sub(" 0", line)  # "Seats available: None - section full"
    if not _ANY_DIGIT.search(line):
        # No number: at most a status ("Open", "Wait List") and a lettered group ("Gruppe A").
        if len(line) <= 160:
            result.status, result.cancelled = line_status(line)
            if with_codes and len(line) <= 80:
                result.codes = [(k, v) for _p, k, v in codes_in(line)[0]]
        return result
    spans: list[tuple[int, int]] = []
    masked = _mask(line)
    if with_codes:
        found, spans = codes_in(masked)
        result.codes = [(k, v) for _p, k, v in found]
    for a, b in spans:
        masked = masked[:a] + " " * (b - a) + masked[b:]
    # Codes blanked: "Section 01 Open" is a status line like "Open" is.
    result.status, result.cancelled = line_status(masked if spans else line)
    if result.status is None and not result.cancelled:
        result.status, result.cancelled = _later_status(masked, bool(result.codes))
    prev_end = 0
    consumed = ""  # the previous number's trailing label, which cannot label this one too
    tokens = list(_TOKEN.finditer(masked))
    for i, m in enumerate(tokens):
        parts = [int(g) for g in (m.group(1), m.group(3), m.group(4)) if g is not None]
        if _negative(masked, m.start()):
            parts[0] = 0  # "Remaining: -2": over-enrolled, no open seat
        if any(p > MAX_SEATS for p in parts) or _DURATION_AFTER.match(masked, m.end()):
            prev_end = m.end()  # "3 days left", "Còn lại 3 ngày": time, not seats
            continue
        before = _label_before(masked[prev_end:m.start()])
        nxt = tokens[i + 1].start() if i + 1 < len(tokens) else len(masked)
        after = _label_after(masked[m.end():nxt])
        roles = _compound(before) if len(parts) > 1 else None
        if roles is not None:
            for role, n in zip(roles, parts, strict=False):
                if role in ("avail", "cap", "enrl", "seats"):
                    result.facts.append(("avail" if role == "seats" else role, n))
        else:
            if consumed and norm(before).startswith(consumed):
                # "0/30 seats open Track 21": the previous count's label labels it only
                before = norm(before)[len(consumed):]
            role = label_role(before) if before.strip() else None
            if role not in ("avail", "cap", "enrl", "seats", "wait", "skip"):
                role = None
            if re.search(r"\(\s*$", masked[prev_end:m.start()]) and role not in ("wait", "skip"):
                role = None  # "(40 max)", "Full (0 of 35)": the words inside decide
            if i and _OUT_OF.search(masked[prev_end:m.start()]) and result.facts:
                role = "cap"  # "12 enrolled of 30", "3 seats left out of 40"
            after_role = label_role(after) if after.strip() else None
            if after_role not in ("avail", "cap", "enrl", "seats", "wait", "skip"):
                after_role = None
            consumed = ""
            if role == "wait" and after_role == "avail" and status_of(
                    before.split()[-1]) == "waitlist" and not re.search(
                    r"[:=]\s*$", masked[prev_end:m.start()]):
                role = None  # a "Waitlist" status, then "0/30 seats open": the count's own words
            labels_next = nxt < len(masked) and not _SEPARATORS.search(masked[m.end():nxt])
            said = line_status(after)[0] if role in ("seats", "avail") and not labels_next \
                and after_role in (None, "wait", "skip") else None  # "0 of 20 open": a label
            if said is not None and not re.match(r"\w+ed\b", norm(after)):
                # "Spaces: 0 of 40 Waitlist open", "Openings: 0 Waitlist only": the count's
                # status after it ("3 waitlisted" counts the wait list instead, and "5 / 30
                # Wait list 3" labels the next count)
                after_role = None
                result.status = result.status or said
            if role is None or (role == "seats" and after_role in ("avail", "enrl", "cap",
                                                                  "wait", "skip")):
                # "35 max / 12 left": "max" labels 35, so it cannot also label 12.
                consumed = norm(after) if after_role is not None else ""
                role = after_role if after_role is not None else role
            status = result.status if role is None and re.search(r"\(\s*$", masked[
                prev_end:m.start()]) else None
            _assign(role, parts, m.group(2) or "", result.facts, status)
        prev_end = m.end()
    return result


WAITLIST_COUNT = re.compile(
    r"(wait\s?list\w*|waiting list|wl|warteliste|wachtlijst|liste d attente|lista de espera|"
    r"lista d attesa|キャンセル待ち|대기\w*)\s?(total|count|size|taken)?\s?\d{1,5}"
    r"(\s?(/|of)\s?\d{1,5})?(\s\w+)?")
"""A wait-list count on its own ("Waitlist: 4", "Wait List - 3 students"), normalised text."""


def line_status(line: str) -> tuple[str | None, bool]:
    """(status, cancelled) when the line states a section's status.

    Only a line that *is* a status ("Open", "Status: Closed", "FULL: 0 of 30 seats
    remain", "Closed: Class Full (150)") counts; "Open to majors only" or "Open
    Seats: 3" are not statuses.
    """
    t = norm(line)
    if not t or len(t) > 160 or line.rstrip().endswith(":"):
        return None, False  # "Waitlist:" is a label waiting for its value
    if WAITLIST_COUNT.fullmatch(t):
        return None, False  # "Waitlist: 4", "Waitlisted 2": a wait-list count
    t = re.sub(r"^(\w+(?: \w+)?) \1(?!\w)", r"\1", t)  # "Open Open": an icon and its word
    m = _STATUS_LEAD.match(t)
    rest = m.group("rest") if m else t
    lead, at = status_at(rest[:60])
    if lead is None:
        return None, False
    if at != 0:
        # The status word is not first: only an explicit "Status: X" counts.
        labelled = re.search(r"(?:status|estado|statut|etat|stato|状態|状态|상태)\s*:?\s*"
                             r"(\w+(?: \w+)?)", t)
        lead = status_of(labelled.group(1)) if labelled else None
        if lead is None:
            return None, False
    if lead == "open" and re.match(r"(?:only )?(?:a )?(?:few|limited|almost|nearly|filling|"
                                   r"last|dernieres|ultimas|ultimi)\s", rest):
        return "open", False  # "Few places left", "Last places": open, no count said
    words = rest.split()
    lead_at = next((i for i in range(min(3, len(words)))
                    if status_of(" ".join(words[:i + 1]))), 0)
    following = " ".join(words[lead_at + 1:lead_at + 3])
    if following and lead in ("open", "waitlist") and not following[0].isdigit() \
            and status_of(following.split()[0]) is None \
            and label_role(following) in (
            "cap", "enrl", "avail", "seats", "wait") and not re.search(r"full|closed", following):
        return None, False  # "Wait List Capacity 10", "Open Seats 3": a count's label
    phrase = " ".join(words[:lead_at + 1])
    if lead == "open" and following[:1].isdigit() and (
            phrase not in ("open", "available") or (m is not None and m.group("seat"))):
        return None, False  # "Seats available: 0 / 30": the label of a count
    if lead == "open" and len(words) > 1 and label_role(" ".join(words[:2])) == "avail" \
            and re.match(r"open\s+(seats?|spots?|places?|spaces?)", rest):
        return None, False  # "Open Seats 3": a count, not a status
    if lead == "full" and re.match(r"(?:\w+\s)?(filled|taken|booked)\s\d", rest):
        return None, False  # "Seats filled 52 / 60": the label of a count
    if (following.split(" ")[:1] and following.split(" ")[0] in ("to", "for", "on", "until",
                                                                  "at", "in")) or (
            following.startswith("by ") and lead == "open"):
        return None, False  # "Closed to freshmen", "Open until Friday"
    if lead == "open" and len(words) > 1 and rest.startswith("open") and not re.match(
            r"open\s*(\d|:|\(|$|-|seats? (available|remain)|\w+ \d)", rest):
        return None, False  # "Open to majors only"
    if lead == "cancelled":
        return None, True
    return lead, False
