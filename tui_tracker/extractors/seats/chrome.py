"""Page chrome: the parts of a page around its content (banner, navigation, footer,
side panels, a cookie notice).

A number there ("This site uses cookies. 2 settings available.", "Basket (2)",
"Also viewed: 40 seats open") belongs to the site, not to a section. When the page
marks its main content (`<main>` or `role=main`), whatever lies outside it is chrome;
inside, `<nav>` and `<aside>` are, and so are a `<header>`/`<footer>` that is the
page's own (HTML's rule: not inside an article, section, aside, nav or main).
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
        return not any(tag_of(a) in _SECTIONING or (a.get("role") or "") == "main"
                       for a in el.iterancestors())
    return False


def chrome_spans(ctx: PageContext) -> list[tuple[int, int]]:
    """Document-order spans (first, last element) of the page's chrome."""
    mains = [el for el in ctx.elements if tag_of(el) == "main"
             or (el.get("role") or "").strip().lower() == "main"]
    spans: list[tuple[int, int]] = []
    if len(mains) == 1:
        first, last = _span(ctx, mains[0])
        spans += [(0, first - 1), (last + 1, len(ctx.elements) + 1)]
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
