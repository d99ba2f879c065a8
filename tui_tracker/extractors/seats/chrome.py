"""Page chrome: the parts of a page around its content (banner, navigation, footer,
side panels, a cookie notice).

A number there ("This site uses cookies. 2 settings available.", "Basket (2)",
"Also viewed: 40 seats open") belongs to the site, not to a section. When the page
marks its main content (`<main>` or `role=main`), whatever lies outside it is chrome
but a dialog (a section's details opened over the page); inside, `<nav>` and `<aside>`
are, and so are a `<header>`/`<footer>` that is the page's own (near the top, and by
HTML's rule not inside an article, section, aside, nav or main).
"""

from __future__ import annotations

import re

from tui_tracker.extractors.document import tag_of
from tui_tracker.extractors.seats.context import PageContext
from tui_tracker.extractors.seats.dom import El

MAX_SPANS = 200
_CONSENT = re.compile(r"cookie|consent|gdpr", re.I)
_CHROME_ROLES = frozenset({"banner", "navigation", "contentinfo", "complementary", "search"})
_SECTIONING = frozenset({"article", "section", "aside", "nav", "main"})


def _span(ctx: PageContext, el: El) -> tuple[int, int]:
    start = ctx.where(el)
    return start, start + sum(1 for _ in el.iter()) - 1


def _is_chrome(el: El) -> bool:
    tag = tag_of(el)
    role = (el.get("role") or "").strip().lower()
    if tag in ("nav", "aside") or role in _CHROME_ROLES:
        return True
    if _CONSENT.search(f"{el.get('id') or ''} {el.get('class') or ''}"):
        return True  # a cookie / consent notice, wherever it sits
    if tag in ("header", "footer"):
        # the page's own banner or footer: near the top, in no article, section or card
        ancestors = list(el.iterancestors())
        return len(ancestors) <= 3 and not any(
            tag_of(a) in _SECTIONING or (a.get("role") or "") == "main" for a in ancestors)
    return False


def _content(el: El) -> bool:
    """A dialog (a section's details opened over the page) is content wherever it sits."""
    return tag_of(el) == "dialog" or (el.get("role") or "").strip().lower() in (
        "dialog", "alertdialog") or el.get("aria-modal") == "true"


def _minus(span: tuple[int, int], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`span` with the `holes` (sorted, disjoint) cut out."""
    out: list[tuple[int, int]] = []
    start, end = span
    for a, b in holes:
        if b < start or a > end:
            continue
        if a > start:
            out.append((start, a - 1))
        start = max(start, b + 1)
    if start <= end:
        out.append((start, end))
    return out


def chrome_spans(ctx: PageContext) -> list[tuple[int, int]]:
    """Document-order spans (first, last element) of the page's chrome."""
    mains = [el for el in ctx.elements if tag_of(el) == "main"
             or (el.get("role") or "").strip().lower() == "main"]
    spans: list[tuple[int, int]] = []
    if len(mains) == 1:
        first, last = _span(ctx, mains[0])
        dialogs: list[tuple[int, int]] = []
        for el in ctx.elements:
            if not first <= ctx.where(el) <= last and _content(el) and (
                    not dialogs or ctx.where(el) > dialogs[-1][1]):
                dialogs.append(_span(ctx, el))
        spans += _minus((0, first - 1), dialogs)
        spans += _minus((last + 1, len(ctx.elements) + 1), dialogs)
        inside = mains[0].iter()
    else:
        inside = iter(ctx.elements)
    last_end = -1
    for el in inside:
        if ctx.where(el) > last_end and _is_chrome(el):
            spans.append(_span(ctx, el))
            last_end = spans[-1][1]  # what lies inside is covered already
            if len(spans) >= MAX_SPANS:
                break
    return spans
