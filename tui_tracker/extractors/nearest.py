"""When a user's selector matches nothing: the page's selectors nearest to it (pure).

`add --selector '.price-now'` on a page whose price sits in `.price-current` should not
save a monitor that can never read anything (DESIGN: an explicit selector that matches
nothing is an error); the error names what the page does have, nearest first, each with
a sample of its text so a person can tell which one they meant.
"""

from __future__ import annotations

import difflib
import re

from parsel import Selector

from tui_tracker.core.text import clean_text
from tui_tracker.extractors.selectors import select

MAX_NODES = 20_000
"""Elements looked at: enough for any real page, bounded for a hostile one."""
_WORD = re.compile(r"[A-Za-z0-9_-]+")


def _targets(selector: str) -> list[str]:
    """The words of the selector a person chose: class, id and tag names."""
    body = selector.split(":", 1)[1] if selector.strip().startswith("xpath:") else selector
    return [w.lower() for w in _WORD.findall(body) if len(w) > 1][-4:]


def nearest_selectors(sel: Selector, selector: str, limit: int = 5) -> list[tuple[str, str]]:
    """Selectors on this page like `selector`, best first, each with a text sample.

    Only CSS `#id` and `.class` selectors that match something and hold text are offered;
    an XPath selector is compared by its words the same way.
    """
    seen: dict[str, str] = {}
    for node in sel.xpath("//*[@id or @class]")[:MAX_NODES]:
        root = node.root
        get = getattr(root, "get", None)
        if get is None:
            continue
        names = [f"#{get('id').strip()}"] if (get("id") or "").strip() else []
        names += [f".{c}" for c in (get("class") or "").split()]
        for name in names:
            if name not in seen and _WORD.fullmatch(name[1:]):
                seen[name] = ""
    targets = _targets(selector)
    if not targets or not seen:
        return []
    scored = []
    for name in seen:
        word = name[1:].lower()
        score = max(difflib.SequenceMatcher(None, t, word).ratio() for t in targets)
        if any(t in word or word in t for t in targets):
            score += 0.3
        if score >= 0.5:
            scored.append((score, name))
    scored.sort(key=lambda x: (-x[0], x[1]))
    out: list[tuple[str, str]] = []
    for _score, name in scored:
        nodes = select(sel, name)
        sample = clean_text(" ".join(nodes[0].xpath(".//text()").getall()), 40) if nodes else ""
        if sample:
            out.append((name, sample))
        if len(out) >= limit:
            break
    return out


def misses(sel: Selector, selector: str) -> bool:
    """True when `selector` (CSS or XPath) selects nothing on this page."""
    return not select(sel, selector)
