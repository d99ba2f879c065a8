"""Sections outside seat tables: cards, list items, label–value details, status lists.

Each line of the page is read for facts (`facts.facts_in`). Lines are then grouped
into sections by the page's own structure: a section is the largest block that
does not say the same thing twice (two seat counts, two different section codes, two
different statuses). Walking down the DOM from the page root, a block that says
something twice is split among its children; children that together still say
each thing once form one section (a heading "Section 002" next to its "Seats: 3 of
30" box), and a block whose lines are all its own (a `<p>` with `<br>`s) is split
line by line where a fact repeats. That serves PeopleSoft's class detail (one
section spread over many rows), schedule-builder cards, and one-line lists alike,
whatever order code and count come in.

Two things a line's words do not say are read from its elements: a status shown as
its own badge or icon inside the line (`<span class="availability">Open</span>`,
`aria-label="Wait list"`; links and buttons are actions, not statuses), and a bare
code whose element's class names it (`<span class="section-id">0101</span>`). A
definition list's `<dt>` joins its `<dd>` ("Seats available: None - section full",
"Seats available: To be announced" = not posted yet), and the same count said twice
("Total Seats Remaining 7", "General Seats Remaining 7") is one section's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui_tracker.extractors.document import tag_of
from tui_tracker.extractors.seats.context import Line, PageContext
from tui_tracker.extractors.seats.dom import El, badge_status, lines_with_elements, text_of
from tui_tracker.extractors.seats.facts import ROOM_BEFORE, LineFacts, facts_in, line_status
from tui_tracker.extractors.seats.model import IDENTITIES, Section
from tui_tracker.extractors.seats.vocab import (
    is_action,
    is_tba,
    label_role,
    norm,
    status_at,
    status_of,
)

MAX_ITEMS = 5000
_LABEL_ONLY = re.compile(r"^[^\d]{2,60}$")
_VALUE_ONLY = re.compile(r"^[:#]?\s*\d{1,6}[A-Z]?(?:\s*(?:of|/|de|von|sur|su|di)\s*\d{1,6}){0,2}"
                         r"(?:\s+\w+){0,3}$", re.I)
_CODE_ONLY = re.compile(r"^[A-Z]{0,5}[\s-]?\d[\w().-]{0,14}$")
_RESERVED = re.compile(r"reserv|cross[-\s]?list", re.I)
_NONE_FIRST = re.compile(r"^(?:none|no seats|no places|nil|zero|keine|aucune?|ninguna?)\b", re.I)
_TITLE_TAGS = frozenset({"th", "legend", "caption", "dt", "summary", "h1", "h2", "h3", "h4",
                         "h5", "h6"})
_NOT_OURS_CLASS = re.compile(r"wait|(^|[-_\s])wl([-_\s]|$)|reserv|cross[-_]?list", re.I)


_CLASS_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[-_]+")


def _named_by_class(el: El, text: str) -> str | None:
    """An identity role named by the class of the element holding a bare code
    (`<div class="section-id-container"><span class="section-id">0101`,
    `<span class="sectionNumber">4410</span>` inside a card)."""
    holders = [el]
    for i, node in enumerate(el.iterdescendants()):
        if i >= 40:
            break
        if node.get("class") and text_of(node, limit=80) == text:
            holders.append(node)
    for node in holders:
        for token in (node.get("class") or "").split()[:4]:
            words = _CLASS_WORDS.sub(" ", token).strip()
            words = re.sub(r"\s(container|wrapper|wrap|cell|col|column|value|text)$", "",
                           words, flags=re.I)
            if len(words) <= 30 and label_role(words) in ("crn", "section", "class"):
                return words
    return None


def _not_ours(el: El, up: int = 3) -> bool:
    """Inside an element classed as a wait-list / reserved / cross-list figure."""
    node: El | None = el
    for _ in range(up):
        if node is None:
            return False
        if _NOT_OURS_CLASS.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
        node = node.getparent()
    return False


@dataclass(slots=True)
class Item:
    """One line that says something about a section, and where it sits."""

    order: int
    el: El
    facts: LineFacts
    heading: str = ""
    """The line itself when it is a heading ("ACCT 2301 01 - Principles of Accounting")."""
    path: tuple[int, ...] = ()
    """ids of the element's ancestors, root first: where it sits in the page's blocks."""
    chain: tuple[El, ...] = ()
    """The element's ancestors themselves, root first (`path` holds their ids)."""


def _merged(lines: list[Line]) -> list[tuple[Line, str]]:
    """Lines with a bare label joined to the value on the next line.

    Table cells and `<dt>`/`<dd>` put PeopleSoft's "Available Seats" and "0" on two
    lines; so do status labels and their icons ("Status" | "Open"), and a status
    with its figures under it in one cell ("Closed" <br> "Class Full (30)").
    """
    out: list[tuple[Line, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if i + 1 < len(lines) and _FIGURE_ONLY.match(text) and _tile(line.el, lines[i + 1].el) \
                and _LABEL_ONLY.match(lines[i + 1].text) and label_role(
                lines[i + 1].text) in ("avail", "cap", "enrl", "seats"):
            # a key-info tile printing its figure above its label ("16" over "Capacity")
            out.append((line, f"{lines[i + 1].text}: {text}"))
            i += 2
            continue
        if (i + 1 < len(lines) and lines[i + 1].el is line.el and len(text) <= 30
                and line_status(text)[0] is not None and not re.search(r"\d", text)):
            out.append((line, f"{text} {lines[i + 1].text}"))
            i += 2
            continue
        if i + 1 < len(lines) and _LABEL_ONLY.match(text) and not line.heading:
            nxt = lines[i + 1].text
            role = label_role(text)
            count_label = role in ("avail", "cap", "enrl", "seats")
            joinable = role is not None and role not in ("title", "component") and bool(
                _VALUE_ONLY.match(nxt) or (role == "status" and status_of(nxt, column=True))
                or (role in ("crn", "section") and _CODE_ONLY.match(nxt))
                or (count_label and (is_tba(nxt) or _NONE_FIRST.match(nxt))))
            if joinable and line_status(text)[0] in ("full", "closed", "waitlist") and _own_label(
                    nxt):
                joinable = False  # "Fully booked" over "25/25 booked": a status, then a count
            # "Seats Available" over "0 of 24" is a count's label, not a status
            if joinable and (role in ("status", "wait") or line_status(text) == (None, False)
                             or (count_label and (not status_of(nxt) or bool(
                                 _NONE_FIRST.match(nxt))))):
                out.append((line, f"{text}: {nxt}"))
                i += 2
                continue
        out.append((line, text))
        i += 1
    return out


_FIGURE_ONLY = re.compile(r"^\s*\d{1,6}\s*$")


def _tile(a: El, b: El) -> bool:
    """Two elements that are all of one small box (a figure and its label)."""
    parent = a.getparent()
    return a is not b and parent is not None and b.getparent() is parent and len(parent) == 2


def _status_tail(text: str) -> bool:
    """The line's last words are a status ("... £35 Sold out"), not a count's label
    ("Waitlisted 13")."""
    words = norm(text).split()
    tails = [" ".join(words[-n:]) for n in (1, 2, 3) if len(words) > n]
    return any(status_at(t)[1] == 0 and not re.search(r"\d", t) for t in tails)


def _own_label(value: str) -> bool:
    """A value line naming its own figure ("25/25 booked", "3 spaces")."""
    words = re.sub(r"^[:#]?\s*[\d\s/]+(?:of|de|von|sur|su|di)?[\d\s]*", "", value).strip()
    # ("Wait list" over "0 waiting" is one wait-list figure: its label, its count)
    return bool(words) and label_role(words) in ("avail", "cap", "enrl", "seats")


def _conflict(items: list[Item]) -> bool:
    """Two different seat counts, codes or statuses: more than one section. The same
    count said twice ("Total Seats Remaining 7", "General Seats Remaining 7") is one."""
    avails: set[int] = set()
    enrls: set[int] = set()
    seen_avail = seen_enrl = 0
    caps: set[int] = set()
    statuses: set[str] = set()
    codes: dict[str, str] = {}
    for item in items:
        f = item.facts
        line_avail = {n for role, n in f.facts if role in ("avail", "seats")}
        line_enrl = {n for role, n in f.facts if role == "enrl"}
        seen_avail += bool(line_avail - avails)
        seen_enrl += bool(line_enrl - enrls)
        avails |= line_avail
        enrls |= line_enrl
        caps.update(n for role, n in f.facts if role == "cap")
        if f.status:
            statuses.add(f.status)
        own: set[str] = set()
        for kind, value in f.codes:
            if kind == "course" or kind in own:
                continue  # "Cohort 14 (DSF-2026-T1)": one line names one section twice
            own.add(kind)
            if codes.setdefault(kind, value) != value:
                return True
        if seen_avail > 1 or seen_enrl > 1 or len(caps) > 1 or len(statuses) > 1:
            return True
    return False


MAX_DEPTH = 150
"""Deeper than this, blocks are split line by line (bounded recursion on hostile pages)."""


def _sequential(items: list[Item], out: list[list[Item]]) -> None:
    """Split a run of lines where a fact repeats (the base case: one block's own lines)."""
    current: list[Item] = []
    for item in items:
        if current and _conflict([*current, item]):
            out.append(current)
            current = []
        current.append(item)
    if current:
        out.append(current)


def _free_text(el: El) -> bool:
    """Holds a line that is neither a seat figure nor a label ("Aqua Aerobics", "Mon
    18:30"): a card describing something, not a label–value row ("Status" | "Open")."""
    for n, (line, _el) in enumerate(lines_with_elements(el)):
        if n >= 12:
            break
        facts = facts_in(line)
        if len(line) >= 3 and not facts.facts and not facts.status and label_role(
                line.split(":")[0]) is None:
            return True
    return False


def _cards(groups: list[list[Item]], depth: int) -> bool:
    """Sibling blocks of one kind (same tag and class), each with its own seat figure
    or status and its own description: a list of cards, one section each, even when
    they say the same thing ("Sold out", "Sold out")."""
    if len(groups) < 2 or len(groups) > MAX_ITEMS:
        return False
    blocks = [g[0].chain[depth] if depth < len(g[0].chain) else None for g in groups]
    if any(b is None for b in blocks) or len({id(b) for b in blocks}) != len(blocks):
        return False
    shapes = {_shape(b) for b in blocks if b is not None}
    if len(shapes) != 1 or not all(
            any(i.facts.facts or i.facts.status for i in g) for g in groups):
        return False
    return all(b is not None and len(b) >= 2 and _free_text(b) for b in blocks)


def _shape(block: El) -> tuple[str, str]:
    # the first class names the kind of block; later ones are states ("sold-out", "is-full")
    return tag_of(block), ((block.get("class") or "").split() or [""])[0]


def _twins(prev: Item, item: Item, depth: int) -> bool:
    """Two sibling cards of one kind, each describing something ("3 spots left" in one,
    "SOLD OUT" in the next): two sections, even among other blocks (a heading, a note)."""
    if depth >= len(prev.chain) or depth >= len(item.chain):
        return False
    a, b = prev.chain[depth], item.chain[depth]
    return a is not b and _shape(a) == _shape(b) and len(a) >= 2 and len(b) >= 2 and bool(
        (b.get("class") or "").strip()) and _free_text(a) and _free_text(b)


def _children(items: list[Item], depth: int) -> tuple[int, list[list[Item]]]:
    """The depth where `items` part ways (one child holding everything is skipped), and
    the runs of items under each child there."""
    while depth < MAX_DEPTH and all(depth < len(i.path) for i in items) and len(
            {i.path[depth] for i in items}) == 1:
        depth += 1  # one child holds everything: go down without recursing
    groups: list[list[Item]] = []
    if depth >= MAX_DEPTH:
        return depth, groups
    for item in items:
        here = item.path[depth] if depth < len(item.path) else None
        prev = groups[-1][-1] if groups else None
        prev_here = (prev.path[depth] if prev is not None and depth < len(prev.path)
                     else None)
        if groups and here is not None and here == prev_here:
            groups[-1].append(item)
        else:
            groups.append([item])
    return depth, groups


def _has_cards(items: list[Item], depth: int) -> bool:
    """Somewhere below, a list of cards (see `_cards`) holds these items."""
    depth, groups = _children(items, depth)
    if len(groups) < 2:
        return False
    return _cards(groups, depth) or any(
        len(g) > 1 and _has_cards(g, depth + 1) for g in groups)


def _split(items: list[Item], depth: int, out: list[list[Item]]) -> None:
    conflict = _conflict(items) or (len(items) <= 2000 and _has_cards(items, depth))
    depth, groups = _children(items, depth)
    if depth >= MAX_DEPTH:
        if conflict:
            _sequential(items, out)
        else:
            out.append(items)
        return
    if _cards(groups, depth):
        for group in groups:
            if _conflict(group):
                _split(group, depth + 1, out)
            else:
                out.append(group)
        return
    if not conflict:
        out.append(items)
        return
    if len(groups) == 1:
        _sequential(items, out)  # all lines belong to this block itself
        return
    current: list[Item] = []
    for group in groups:
        if len(group) > 1 and (_conflict(group) or _has_cards(group, depth + 1)):
            if current:
                out.append(current)
                current = []
            _split(group, depth + 1, out)
        elif _conflict(current + group) or (current and _twins(current[-1], group[0], depth)):
            if current:
                out.append(current)
            current = list(group)
        else:
            current += group
    if current:
        out.append(current)


def _items(ctx: PageContext, excluded: list[tuple[int, int]]) -> list[Item]:
    lines = [ln for ln in ctx.lines if not any(a <= ln.order <= b for a, b in excluded)
             and not (ctx.columns and ctx.column_of(ln.el, up=2) == ln.text)]
    items: list[Item] = []
    skipping = False
    for line, text in _merged(lines):
        titled = line.heading or tag_of(line.el) in _TITLE_TAGS
        if titled and len(text) <= 60 and not re.search(r"\d", text):
            # "Reserve Capacity" / "Cross-listed sections" headings: not this section's seats.
            skipping = bool(_RESERVED.search(text))
        if skipping:
            continue
        column = ctx.column_of(line.el)
        if column is not None and label_role(text.split(":")[0]) is None:
            text = f"{column}: {text}"
        if column is None and (header := ctx.table_header(line.el)) and ROOM_BEFORE.search(
                f"{header}:"):
            text = f"{header}: {text}"  # "CL-3" under "Room": where it meets, not a code
        if column is None and _CODE_ONLY.match(text) and (named := _named_by_class(line.el, text)):
            text = f"{named}: {text}"  # <span class="section-id">0101</span>
        facts = facts_in(text)
        if not facts.status and not facts.cancelled and (
                facts.codes or facts.facts or (len(text) <= 80 and _status_tail(text))) and (
                badge := badge_status(line.el)) is not None:
            # "... Room 12 · <span class=availability>Open</span> Register", and a short
            # line ending in its badge ("Sat 6 Feb · £35 <span>Sold out</span>")
            if badge == "cancelled":
                facts.cancelled = True
            else:
                facts.status = badge
        if column is not None and label_role(column) in ("wait", "skip"):
            facts.facts, facts.status = [], None  # a Waitlist column says nothing of seats
        elif _not_ours(line.el) and not any(k in IDENTITIES for k, _v in facts.codes):
            # wait-list figures; a "Waitlist" badge is still a status. A line naming its
            # section is that section's: a "waitlist" class on its row is its status.
            facts.facts = []
        if line.heading and not any(k == "raw" for k, _v in facts.codes):
            facts.codes = [(k, v) for k, v in facts.codes if k != "course"]
        if facts.empty or (not facts.facts and not facts.status and not facts.cancelled
                           and not facts.tba and all(k == "course" for k, _v in facts.codes)):
            continue
        items.append(Item(line.order, line.el, facts, text if line.heading else ""))
        if len(items) >= MAX_ITEMS:
            break
    for item in items:
        chain = [*reversed(list(item.el.iterancestors())), item.el]
        item.chain = tuple(chain)
        item.path = tuple(id(e) for e in chain)
    return items


def read_text(ctx: PageContext, excluded: list[tuple[int, int]]) -> list[tuple[int, Section]]:
    """(document order, section) for the sections found outside seat tables."""
    items = _items(ctx, excluded)
    if not items:
        return []
    groups: list[list[Item]] = []
    _split(items, 0, groups)
    sections: list[tuple[int, Section]] = []
    kept: list[list[Item]] = []
    for group in groups:
        sec = Section()
        for item in group:
            for kind, value in item.facts.codes:
                sec.add_code(kind, value)
            for role, n in item.facts.facts:
                sec.add_fact(role, n)
            if item.facts.status and sec.status is None:
                sec.status = item.facts.status
            sec.cancelled = sec.cancelled or item.facts.cancelled
            sec.tba = sec.tba or item.facts.tba
        if not (sec.has_seats or sec.cancelled or sec.tba):
            continue
        own = next((item.heading for item in group if item.heading), "")
        sec.course = own or ctx.heading_before(group[0].el)
        if sec.course and norm(sec.course) == norm(" ".join(sec.codes.values())):
            sec.course = ""
        sections.append((group[0].order, sec))
        kept.append(group)
    _name_by_titles(sections, kept)
    return sections


_NAME_CLASS = re.compile(r"title|heading|(?:^|[-_\s]|(?<=[a-z]))name(?:$|[-_\s])|Name", re.I)
_LINK_WORDS = re.compile(r"^\s*(view|more|details?|info|read|see|show|back|next|prev)\b", re.I)
_NAMING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "dt", "legend"})


def _title_in(block: El) -> str:
    """The first title-like element inside a card (a heading, a `<strong>`, an element
    classed as its name), its text; "" when the card has none."""
    for i, el in enumerate(block.iter()):
        if i >= 80:
            break
        if el is block or not tag_of(el) or (tag_of(el) not in _NAMING_TAGS and not (
                len(el) < 3 and _NAME_CLASS.search(el.get("class") or "")) and tag_of(el) != "a"):
            continue
        text = text_of(el, limit=200)
        if tag_of(el) == "a" and (is_action(text) or _LINK_WORDS.match(text)):
            continue  # "Book", "View details": what to do, not what it is
        facts = facts_in(text)
        if 2 <= len(text) <= 80 and re.search(r"[^\W\d_]", text) and not (
                facts.facts or facts.status or facts.cancelled or text.endswith(":") or (
                len(text.split()) <= 2 and label_role(text) and all(
                    label_role(w) for w in text.split()))):  # "Class Nbr", not "Glaze Lab"
            return text
    return ""


def _name_by_titles(sections: list[tuple[int, Section]], groups: list[list[Item]]) -> None:
    """Sections printing no code (a gym's classes, a workshop's sessions) are named by
    their card's own title ("Aqua Aerobics"): the block holding nothing of any other
    section, its first heading. A lone section keeps no name: the page is its card."""
    nameless = [i for i, (_o, sec) in enumerate(sections)
                if not sec.codes.keys() & IDENTITIES]
    if len(nameless) < 2 or len(nameless) > MAX_ITEMS:
        return
    owners: dict[int, set[int]] = {}
    for g, group in enumerate(groups):
        for item in group:
            for node in item.path:
                owners.setdefault(node, set()).add(g)
    blocks: dict[int, El | None] = {}
    for i in nameless:
        first = groups[i][0]
        blocks[i] = next((el for el in first.chain if owners.get(id(el)) == {i}), None)
    shapes = [_shape(b) for b in blocks.values() if b is not None]
    for i in nameless:
        block = blocks[i]
        if block is not None and shapes.count(_shape(block)) == 1:
            # a lone card in a set of its own ("Luennot" holding one group): the card,
            # shaped like the other sections' cards, is what names it, not the set
            chain = groups[i][0].chain
            inner = next((el for el in chain[chain.index(block) + 1:]
                          if shapes.count(_shape(el)) >= 2), None)
            block = inner if inner is not None else block
        title = _title_in(block) if block is not None else ""
        if title:
            sec = sections[i][1]
            sec.codes["name"] = title
            if not _within(sec.course, title):
                sec.course = title


def _within(text: str, part: str) -> bool:
    return bool(part) and norm(part) in norm(text)
