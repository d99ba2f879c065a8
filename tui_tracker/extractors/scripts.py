"""Which `<script>` elements a browser would run: one rule for raw HTML and parsed pages.

The engine asks it of raw HTML (should a page that yielded nothing be rendered?) before
any parse, and the shell detector asks it of parsed elements (is this page mostly
scripts?). Both must agree that JSON-LD and other data blocks are not code, so the
rule lives here once. Standard library only: the engine imports this on every check.
"""

from __future__ import annotations

import re

_JS_TYPE = r"(?:(?:text/|application/)?(?:java|ecma)script|module)"
"""A `type` a browser executes; no type (or an empty one) also executes."""

_EXECUTABLE_TYPE = re.compile(_JS_TYPE + r"(?:\s*;.*)?", re.IGNORECASE)
_RUNS_SCRIPTS = re.compile(
    r"<script(?![^>]*\btype\s*=\s*[\"']?(?!" + _JS_TYPE + r"[\"'\s>;])[\w/+.-])[^>]*>",
    re.IGNORECASE)


def executable_type(script_type: str | None) -> bool:
    """True for a `<script type=…>` value a browser runs (None or blank included)."""
    value = (script_type or "").strip()
    return not value or bool(_EXECUTABLE_TYPE.fullmatch(value))


def runs_scripts(html: str, limit: int = 2_000_000) -> bool:
    """True when raw HTML carries a `<script>` a browser would run (first `limit` chars)."""
    return bool(_RUNS_SCRIPTS.search(html[:limit]))
