"""Learned data endpoints: check a script-built page through the JSON it reads its values from.

A rendered check costs ~0.1 CPU s in Chromium; the page's data usually arrives as one
JSON response that costs ~1 ms to fetch. During every browser check the fetcher
records the page's JSON responses (with the method and script-chosen headers of each
request). When one of them holds the numbers the check read, this module remembers
that request and *which parts of it* hold them, and later checks fetch it directly.

The endpoint is used as a **change detector, never as a reader**: a direct check
that finds the watched parts of the JSON byte-for-byte as they were when the page was
last rendered reuses that render's readings; anything else (a watched value changed, a
part is missing, an array grew or shrank, the endpoint failed or stopped being JSON)
makes the check a full browser render, which reads the values, fires the rules and
re-learns. So a number the endpoint says can never reach an alert unrendered, and the
readings it lets stand are exactly the ones a render produced. The remaining risk —
the page's numbers changing while the endpoint's watched parts do not (values taken
from somewhere else that merely equalled them) — is bounded by rendering anyway every
`settings.endpoint_verify` seconds (spread across monitors) and by requiring, at
learn time, that each reading's value sit in the response, preferably next to its
section's key.

Not learned (the monitor stays rendered, and after `MISSES_FOR_GOOD` renders that
could not learn, it is rendered for good until edited): requests other than GET,
URLs that look signed or expiring, requests carrying credentials the page's script
chose (Authorization, tokens), values no response holds (transformed by script).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tui_tracker.core.model import Extraction, Kind, Monitor, Reading, iso, parse_iso
from tui_tracker.fetchers.base import Access, DataRequest, Page

LEARNABLE = frozenset({Kind.PRICE, Kind.SEATS})
MISSES_FOR_GOOD = 3
"""Renders in a row that found no usable endpoint before a monitor is rendered for good."""
MAX_CANDIDATES = 24
"""More places than this holding the readings' values: too ambiguous to watch."""
MAX_LEAVES = 50_000
_SAFE_HEADERS = frozenset({"accept", "x-requested-with", "content-type"})
"""Script-chosen request headers worth repeating (no credentials among them)."""
_BROWSER_HEADERS = frozenset({
    "user-agent", "accept-language", "accept-encoding", "referer", "origin", "host",
    "connection", "cookie", "pragma", "cache-control", "priority", "dnt",
    "upgrade-insecure-requests",
})
"""Headers the browser adds itself: neither repeated nor a reason to refuse."""
_SIGNED = re.compile(r"(?:^|[_-])(?:sig|signature|token|auth|expires?|exp|hmac|nonce|key|"
                     r"x-amz-[a-z-]+|policy|credential)$", re.IGNORECASE)
"""Query parameters of signed or expiring URLs (S3/CloudFront, HMAC, one-time tokens)."""
_TOKENISH = re.compile(r"auth|token|csrf|xsrf|sign|secret|session|api[-_]?key", re.IGNORECASE)


@dataclass(slots=True)
class EndpointCheck:
    """What a direct look at a learned endpoint found."""

    unchanged: bool
    reason: str
    """Why a render is needed (when not unchanged), for the log and the detail pane."""


def mode_of(monitor: Monitor) -> str | None:
    """`endpoint` (read through a learned endpoint), `render` (for good), or None."""
    mode = monitor.learned.get("mode") if monitor.learned else None
    return mode if mode in ("endpoint", "render") else None


def usable(monitor: Monitor, kind: Kind) -> bool:
    """The monitor can be checked through its endpoint now (if not due for a render)."""
    return (mode_of(monitor) == "endpoint" and kind in LEARNABLE and monitor.error is None
            and bool(monitor.readings) and monitor.last_success is not None
            and isinstance(monitor.learned.get("url"), str)
            and isinstance(monitor.learned.get("watch"), dict))


def verify_due(monitor: Monitor, now: datetime, period: float) -> bool:
    """Time for a scheduled render: `period` seconds × 0.75-1.25, spread by monitor id."""
    verified = parse_iso(monitor.learned.get("verified_at"))
    if verified is None:
        return True
    spread = int.from_bytes(hashlib.blake2b(monitor.id.encode(), digest_size=2).digest(),
                            "big") / 0xFFFF
    return now - verified >= timedelta(seconds=max(0.0, period) * (0.75 + 0.5 * spread))


def endpoint_access(monitor: Monitor, access: Access) -> Access:
    """How to ask the endpoint: the page's session and proxy, the script's safe headers.

    The monitor's own headers (an Authorization, say) go only if the endpoint is on the
    page's host, as for the page itself.
    """
    url = monitor.learned["url"]
    same_host = urlsplit(url).hostname == urlsplit(monitor.url).hostname
    headers = [(str(k), str(v)) for k, v in monitor.learned.get("headers") or ()]
    if same_host:
        headers += list(access.headers)
    return Access(cookies=access.cookies, headers=tuple(headers), proxy=access.proxy)


def compare(monitor: Monitor, page: Page) -> EndpointCheck:
    """Do the watched parts of a freshly fetched endpoint match the last render's?"""
    try:
        value = json.loads(page.html.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        return EndpointCheck(False, "the data endpoint no longer answers JSON")
    learned = monitor.learned
    for key, digest in learned.get("watch", {}).items():
        node = _resolve(value, key)
        if node is _MISSING:
            return EndpointCheck(False, "the data endpoint's shape changed")
        if _digest(node) != digest:
            return EndpointCheck(False, "the data endpoint's values changed")
    for key, length in (learned.get("lengths") or {}).items():
        node = _resolve(value, key)
        if not isinstance(node, list) or len(node) != length:
            return EndpointCheck(False, "the data endpoint's list of items changed")
    return EndpointCheck(True, "")


def reused_extraction(monitor: Monitor, kind: Kind) -> Extraction:
    """The last render's readings, standing because the endpoint says nothing changed."""
    read_kind = monitor.kind if monitor.kind is not Kind.AUTO else kind
    return Extraction(read_kind, list(monitor.readings), monitor.source or "rendered",
                      monitor.title, monitor.in_stock)


def after_endpoint(monitor: Monitor) -> dict[str, Any]:
    """The learned state after a direct check that found nothing changed."""
    learned = dict(monitor.learned)
    learned["reads"] = int(learned.get("reads") or 0) + 1
    learned.pop("last_reason", None)
    return learned


def after_render(monitor: Monitor, page: Page, extraction: Extraction, kind: Kind,
                 now: datetime, reason: str | None = None) -> dict[str, Any]:
    """The learned state after a browser check read `extraction` from `page`.

    `reason` says why this check rendered although an endpoint was learned (kept for
    the detail pane). A monitor already rendered for good stays so.
    """
    old = monitor.learned or {}
    if old.get("mode") == "render" and int(old.get("misses") or 0) >= MISSES_FOR_GOOD:
        return dict(old)
    found, why = learn(page, extraction.readings, kind)
    if found is not None:
        found.update({"verified_at": iso(now), "learned_at": old.get("learned_at") or iso(now),
                      "reads": 0})
        if old.get("url") == found["url"] and old.get("learned_at"):
            found["learned_at"] = old["learned_at"]
        if reason:
            found["last_reason"] = reason
        return found
    misses = int(old.get("misses") or 0) + 1
    return {"mode": "render" if misses >= MISSES_FOR_GOOD else "learning", "misses": misses,
            "reason": why, "verified_at": iso(now)}


def learn(page: Page, readings: Sequence[Reading], kind: Kind
          ) -> tuple[dict[str, Any] | None, str]:
    """The best recorded JSON response to watch for these readings, or (None, why not)."""
    if kind not in LEARNABLE:
        return None, f"{kind.value} monitors are always rendered"
    numbers = [r.number for r in readings]
    if not readings or any(n is None for n in numbers):
        return None, "a value without a number cannot be watched in data"
    if not page.data:
        return None, "the page fetched no JSON"
    best: dict[str, Any] | None = None
    why = "no JSON response the page fetched holds the values it shows"
    requests = list(page.requests) + [None] * (len(page.data) - len(page.requests))
    for (url, body), request in zip(page.data, requests, strict=False):
        refusal = _refuse(url, request)
        if refusal:
            why = refusal
            continue
        try:
            value = json.loads(body.lstrip("\ufeff"))
        except (ValueError, RecursionError):
            continue
        found = _match(value, readings)
        if found is None:
            continue
        watch, lengths, size = found
        if best is None or size < best["_size"]:
            headers = [[k, v] for k, v in (request.headers if request else ())
                       if k.lower() in _SAFE_HEADERS]
            best = {"mode": "endpoint", "url": url, "headers": headers,
                    "watch": {k: _digest(_resolve(value, k)) for k in watch},
                    "lengths": lengths, "_size": size}
    if best is None:
        return None, why
    best.pop("_size")
    return best, ""


def _refuse(url: str, request: DataRequest | None) -> str | None:
    """Why a recorded request must not be repeated on its own, or None."""
    if request is None:
        return "the request behind a JSON response was not recorded"
    if request.method.upper() != "GET":
        return f"the data comes from a {request.method.upper()} request"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "the data comes from a non-HTTP request"
    for name, _value in parse_qsl(parts.query, keep_blank_values=True):
        if _SIGNED.search(name):
            return "the data URL looks signed or expiring"
    for name, _value in request.headers:
        lower = name.lower()
        if lower in _SAFE_HEADERS or lower in _BROWSER_HEADERS or lower.startswith("sec-"):
            continue
        if lower == "authorization" or _TOKENISH.search(lower):
            return "the data request carries credentials set by the page's script"
    return None


def _match(value: Any, readings: Sequence[Reading]
           ) -> tuple[list[str], dict[str, int], int] | None:
    """Where in `value` each reading's number sits: (parents to watch, lists, count)."""
    leaves = list(_leaves(value))
    parents: set[tuple[Any, ...]] = set()
    total = 0
    keyed = 0
    for reading in readings:
        number = reading.number
        spots = [path for path, leaf in leaves if _same_number(leaf, number)]
        if not spots:
            return None
        near_key = [p for p in spots if _key_near(value, p[:-1], reading.key)]
        if near_key:
            spots, keyed = near_key, keyed + 1
        total += len(spots)
        if total > MAX_CANDIDATES:
            return None
        parents.update(p[:-1] for p in spots)
    if keyed < len(readings) and all(r.number in (0.0, 1.0) for r in readings):
        return None  # only 0s and 1s, not tied to their sections: too easily a coincidence
    lengths: dict[str, int] = {}
    for parent in parents:
        if parent and isinstance(parent[-1], int):
            container = _resolve(value, _key(parent[:-1]))
            if isinstance(container, list):
                lengths[_key(parent[:-1])] = len(container)
    return sorted(_key(p) for p in parents), lengths, total


def _leaves(value: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    seen = 0
    while stack and seen < MAX_LEAVES:
        path, node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
        else:
            yield path, node


_NUMERIC = re.compile(r"\s*-?\d+(?:\.\d+)?\s*")


def _same_number(leaf: Any, number: float | None) -> bool:
    if number is None or isinstance(leaf, bool):
        return False
    if isinstance(leaf, int | float):
        return math.isfinite(leaf) and abs(float(leaf) - number) < 1e-9
    if isinstance(leaf, str) and len(leaf) < 32 and _NUMERIC.fullmatch(leaf):
        return abs(float(leaf) - number) < 1e-9
    return False


def _key_near(value: Any, parent: tuple[Any, ...], key: str) -> bool:
    """The reading's key is a string value of the object holding it (or of its parent)."""
    key = key.strip().lower()
    if not key:
        return False
    for depth in (0, 1):
        if len(parent) < depth:
            break
        node = _resolve(value, _key(parent[:len(parent) - depth]))
        if isinstance(node, dict):
            for v in node.values():
                if isinstance(v, str | int) and not isinstance(v, bool) \
                        and str(v).strip().lower() == key:
                    return True
    return False


_MISSING = object()


def _key(path: tuple[Any, ...]) -> str:
    return json.dumps(list(path), separators=(",", ":"))


def _resolve(value: Any, key: str) -> Any:
    try:
        path = json.loads(key)
    except ValueError:
        return _MISSING
    node = value
    for step in path:
        in_dict = isinstance(node, dict) and isinstance(step, str) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_dict or in_list):
            return _MISSING
        node = node[step]
    return node


def _digest(node: Any) -> str:
    text = json.dumps(node, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
