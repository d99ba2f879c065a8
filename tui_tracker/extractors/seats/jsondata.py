"""Sections from JSON: page state in scripts and API responses a browser check recorded.

Script-built registration pages (Banner 9 Self-Service, Colleague, Workday, campus
schedule builders) fetch their sections as JSON. Any object whose keys name seat
figures is a section, whatever the naming: `seatsAvailable`, `maximum_enrollment`,
`enrlTot`, `openSection`, `classNbr`... Key names are split into words
(camelCase, snake_case) and read with the same vocabulary as table headers, so
wait-list, cross-list and reserved figures are ignored here too. An object that
contains other section objects (a course holding its sections) is not itself one.
Objects shaped as `{"label": "Enrolled/Capacity", "value": "28/30"}` are read as
label–value lines.
"""

from __future__ import annotations

import re
from typing import Any

from tui_tracker.extractors.document import Document
from tui_tracker.extractors.embedded import json_blobs, walk
from tui_tracker.extractors.seats.facts import MAX_SEATS, codes_in, facts_in
from tui_tracker.extractors.seats.model import MAX_SECTIONS, Section
from tui_tracker.extractors.seats.vocab import label_role, status_of

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_LABEL_KEYS = ("label", "name", "title", "key", "field", "caption")
_VALUE_KEYS = ("value", "text", "displayValue", "display", "content", "val")
_ROLE_CACHE: dict[str, str | None] = {}


def key_words(name: str) -> str:
    """`seatsAvailable` -> "seats Available", `enrl_tot` -> "enrl tot"."""
    return _CAMEL.sub(" ", str(name)).replace("_", " ").replace("-", " ")


def _role(name: str) -> str | None:
    if name not in _ROLE_CACHE:
        if len(_ROLE_CACHE) > 5000:
            _ROLE_CACHE.clear()
        words = key_words(name)
        role = label_role(words)
        if re.fullmatch(r"(is\s)?cancel+ed|canceled\s?flag|is\s?canceled", words, re.I):
            role = "cancelled"
        elif re.fullmatch(r"(is\s)?active|(is\s)?offered", words, re.I):
            role = "active"
        elif re.fullmatch(r"(is\s)?(open|full|closed)(\ssection)?|open\ssection", words, re.I):
            role = "flag"
        elif role is None and re.fullmatch(r"id|\w*\sid", words, re.I):
            role = None
        _ROLE_CACHE[name] = role
    return _ROLE_CACHE[name]


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_SEATS else (0 if -MAX_SEATS < value < 0 else None)
    if isinstance(value, float) and value.is_integer():
        return _int(int(value))
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        return _int(int(value))
    return None


_GENERIC_CHILD = frozenset({"total", "tot", "count", "current", "actual", "value", "number",
                            "num", "n", "qty", "amount"})


def _flat(obj: dict) -> list[tuple[str, str, Any]]:
    """(own key, the words that name it, value) of scalar fields, one nested level deep.

    A nested field is named by its own key ("availability": {"enrolled": 26} is
    enrolled) unless that key says nothing alone ("enrollment": {"total": 26}) or the
    parent marks it as not this section's seats ("waitlist": {...}, "reserved": {...}).
    """
    out: list[tuple[str, str, Any]] = []
    for k, v in list(obj.items())[:200]:
        if isinstance(v, dict):
            parent = key_words(k)
            parent_role = _role(k)
            for k2, v2 in list(v.items())[:50]:
                if isinstance(v2, dict | list):
                    continue
                child = key_words(k2)
                if parent_role in ("wait", "skip") or child.lower() in _GENERIC_CHILD or (
                        _role(k2) is None):
                    out.append((f"{k}.{k2}", f"{parent} {child}", v2))
                else:
                    out.append((f"{k}.{k2}", child, v2))
        elif not isinstance(v, list):
            out.append((k, key_words(k), v))
    return out


def _section_of(obj: dict) -> Section | None:
    sec = Section()
    labels: dict[str, list[str]] = {}
    pairs = _pairs(obj)
    for _key, words, value in _flat(obj):
        role = _role(words)
        if role in (None, "wait", "skip"):
            continue
        n = _int(value)
        if role == "cancelled":
            sec.cancelled = sec.cancelled or value is True or str(value).lower() in ("y", "yes",
                                                                                    "true")
        elif role == "active" and isinstance(value, bool):
            sec.cancelled = sec.cancelled or not value
        elif role == "flag" and isinstance(value, bool):
            if sec.status is None:
                closed = re.search(r"full|closed", words, re.I)
                sec.status = ("full" if value else "open") if closed else (
                    "open" if value else "full")
        elif role == "status" and isinstance(value, str):
            status = status_of(value, column=True)
            if status == "cancelled":
                sec.cancelled = True
            elif status and sec.status is None:
                sec.status = status
        elif role in ("avail", "cap", "enrl", "seats") and n is not None:
            sec.add_fact(role, n)
        elif role in ("crn", "section", "course", "title", "component") and isinstance(
                value, str | int) and not isinstance(value, bool):
            text = str(value).strip()
            if text and len(text) <= 80:
                labels.setdefault(role, []).append(text)
    for line in pairs:
        facts = facts_in(line)
        for role, n in facts.facts:
            sec.add_fact(role, n)
        for kind, value in facts.codes:
            labels.setdefault(kind, []).append(value)
        if facts.status and sec.status is None:
            sec.status = facts.status
        sec.cancelled = sec.cancelled or facts.cancelled
    if sec.seats is not None and sec.enrl is not None and sec.cap is None:
        sec.cap, sec.seats = sec.seats, None  # "cupo": 30 beside "inscritos": the seats offered
    if not (sec.has_seats or sec.cancelled):
        return None
    _identity(sec, labels)
    return sec


def _pairs(obj: dict) -> list[str]:
    """Label–value children ({"label": "Seats", "value": "3 of 30"}) as text lines."""
    lines: list[str] = []
    for v in list(obj.values())[:50]:
        items = v if isinstance(v, list) else [v]
        for item in items[:60]:
            if not isinstance(item, dict):
                continue
            label = next((item[k] for k in _LABEL_KEYS if isinstance(item.get(k), str)), None)
            value = next((item[k] for k in _VALUE_KEYS if isinstance(item.get(k), str | int)
                          and not isinstance(item.get(k), bool)), None)
            instances = item.get("instances")
            if value is None and isinstance(instances, list) and instances and isinstance(
                    instances[0], dict):
                # Workday widgets: {"label": "Section", "instances": [{"text": "ECON 2301-01"}]}
                value = instances[0].get("text")
            if label and value is not None and len(label) <= 60:
                lines.append(f"{label}: {value}")
    return lines


def _identity(sec: Section, labels: dict[str, list[str]]) -> None:
    for kind in ("crn", "class", "section"):
        if kind in labels:
            sec.add_code(kind, labels[kind][0])
    if not sec.codes:
        # "ECON 2301-01 - Macroeconomics" under a title/name key still names the section.
        for text in [*labels.get("course", []), *labels.get("title", [])]:
            found, _spans = codes_in(text)
            for _p, kind, value in found:
                sec.add_code(kind, value)
    course = " ".join(labels.get("course", [])[:2])[:60]
    if course:
        sec.add_code("course", course)
    sec.parts = [labels[k][0] for k in ("title", "component") if k in labels]
    if not sec.codes and labels.get("title"):
        # An object naming itself only ({"display_name": "Applied 01"}, a ticket tier's
        # "Early Bird"): its name is its identity, as a card's title is.
        sec.add_code("name", labels["title"][0])


def read_json(doc: Document) -> list[Section]:
    """Sections from the page's JSON, in document order (scripts, then responses)."""
    found: list[tuple[int, tuple, Section]] = []
    for b, blob in enumerate(json_blobs(doc, doc.data)):
        for path, node in walk(blob.value):
            if not isinstance(node, dict):
                continue
            sec = _section_of(node)
            if sec is not None:
                found.append((b, path, sec))
                if len(found) >= MAX_SECTIONS * 4:
                    break
    paths = {(b, path) for b, path, _s in found}
    # A nested seat object ({"seats": {"available": 6}}) is read as part of its parent.
    found = [(b, path, s) for b, path, s in found
             if not (path and isinstance(path[-1], str) and (b, path[:-1]) in paths)]
    holders = {(b, path[:i]) for b, path, _s in found for i in range(len(path))}
    sections = [s for b, path, s in found if (b, path) not in holders]
    return _dedupe(sections)


def _dedupe(sections: list[Section]) -> list[Section]:
    """The same section in page state and in a response counts once (first kept)."""
    seen: set[str] = set()
    out: list[Section] = []
    for sec in sections:
        key = sec.key()
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(sec)
    return out[:MAX_SECTIONS]
