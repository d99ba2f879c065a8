"""JSON a page carries for its own scripts, and JSON responses a browser check recorded.

Shops and registration systems often ship the numbers twice: once in the DOM a person
sees and once as data for their scripts (`__NEXT_DATA__`, `<script type=
"application/json">`, `window.__INITIAL_STATE__ = {...}`), or fetch them from an API
that the browser fetcher records. Readers that understand a family's JSON get the
values from here; this module only finds and decodes it, bounded so that a hostile
page cannot make it walk forever. JSON-LD is not included: `structured` reads that.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tui_tracker.extractors.document import Document

MAX_BLOB_CHARS = 5_000_000
"""Skip one script or response larger than this (no page state needs more)."""
MAX_TOTAL_CHARS = 20_000_000
MAX_NODES = 200_000
"""Stop a walk after this many JSON objects and arrays."""

_ASSIGN = re.compile(
    r"(?:window\.|self\.|globalThis\.|var\s+|let\s+|const\s+)?"
    r"([A-Za-z_$][\w$.]{0,80}|\[\s*['\"][^'\"]{1,80}['\"]\s*\])\s*=\s*(?=[{\[])")
_JSON_TYPES = ("application/json", "text/json", "application/x-json")


@dataclass(frozen=True, slots=True)
class Blob:
    """One decoded JSON document and where it came from.

    `source` reads like `script#__NEXT_DATA__`, `script:window.__STATE__` or
    `response:https://host/api/sections` so a reading can say where it was found.
    """

    source: str
    value: Any


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _assignments(code: str) -> Iterator[tuple[str, Any]]:
    """`name = {...}` / `name = [...]` literals in an inline script, decoded as JSON."""
    decoder = json.JSONDecoder()
    for m in _ASSIGN.finditer(code):
        try:
            value, _end = decoder.raw_decode(code, m.end())
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict | list) and value:
            yield m.group(1), value


def _script_blobs(doc: Document) -> Iterator[Blob]:
    for script in doc.root.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if "ld+json" in kind:
            continue
        text = script.text or ""
        if not text.strip() or len(text) > MAX_BLOB_CHARS:
            continue
        ident = script.get("id")
        where = f"script#{ident}" if ident else "script"
        if kind in _JSON_TYPES or ident == "__NEXT_DATA__":
            value = _decode(text.strip())
            if isinstance(value, dict | list) and value:
                yield Blob(where, value)
            continue
        if kind and "javascript" not in kind and kind != "module":
            continue
        for name, value in _assignments(text):
            yield Blob(f"script:{name}", value)


def json_blobs(doc: Document, data: Sequence[tuple[str, str]] = ()) -> list[Blob]:
    """Every JSON document in the page's scripts, then every recorded response.

    Args:
        doc: the parsed page.
        data: (url, body) of JSON responses the page received, in arrival order
            (recorded by the browser fetcher; empty for a plain HTTP fetch).
    """
    blobs: list[Blob] = []
    total = 0
    for blob in _script_blobs(doc):
        blobs.append(blob)
    for url, body in data:
        if not body or len(body) > MAX_BLOB_CHARS or total + len(body) > MAX_TOTAL_CHARS:
            continue
        total += len(body)
        value = _decode(body.lstrip("\ufeff").strip())
        if isinstance(value, dict | list) and value:
            blobs.append(Blob(f"response:{url}", value))
    return blobs


def walk(value: Any, *, limit: int = MAX_NODES) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """(path, node) for every object and array inside `value`, in document order.

    Iterative and bounded by `limit` nodes, so deep or huge JSON costs little.
    """
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    seen = 0
    while stack and seen < limit:
        path, node = stack.pop()
        if isinstance(node, dict):
            seen += 1
            yield path, node
            stack.extend(((*path, k), v) for k, v in reversed(list(node.items()))
                         if isinstance(v, dict | list))
        elif isinstance(node, list):
            seen += 1
            yield path, node
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node)))
                         if isinstance(v, dict | list))
