"""Does a static page look like an app shell that JavaScript fills in later?

The engine's `auto` fetch asks this after a plain-HTTP page yielded nothing, to
decide whether rendering it in a browser is worth the cost. Cheap signals only.
"""

from __future__ import annotations

import re

from tui_tracker.extractors.document import Document, node_text
from tui_tracker.extractors.scripts import executable_type

LITTLE_TEXT = 200
"""Characters of visible body text below which a page with scripts is a shell."""

_MOUNTS = ('//*[@id="root" or @id="app" or @id="__next" or @id="__nuxt" or @id="svelte" '
           'or @data-reactroot or @ng-app or @data-ng-app] | //app-root')
_LOADING = re.compile(r"^\W*(loading|please wait|one moment)\b[\w\s]*(\.{0,3}|…)\W*$", re.I)
_NEEDS_JS = re.compile(r"(enable|requires?|turn on|need)\W+(?:\w+\W+){0,3}javascript", re.I)


def looks_script_rendered_doc(doc: Document) -> bool:
    """True when the page is mostly scripts and an empty or "Loading…" mount point."""
    body = doc.root.find("body")
    text = " ".join(node_text(body if body is not None else doc.root, limit=5000).split())
    # JSON-LD and other data blocks are not code that renders anything.
    scripts = sum(1 for el in doc.root.iter("script") if executable_type(el.get("type")))
    for mount in doc.root.xpath(_MOUNTS):
        inner = " ".join(node_text(mount, limit=500).split())
        if not inner or _LOADING.match(inner):
            return True
    if scripts == 0:
        return False
    if len(text) < LITTLE_TEXT:
        return True
    if _LOADING.match(text[:100]) or (len(text) < 1000 and _LOADING.search(text[:200])):
        return True
    noscript = " ".join(doc.sel.xpath("//noscript//text()").getall())[:2000]
    return bool(noscript and _NEEDS_JS.search(noscript)) and len(text) < 1000
