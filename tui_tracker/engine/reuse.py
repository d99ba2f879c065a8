"""Work a check can skip because the page has not changed since the readings were made.

Two shortcuts for plain HTTP pages, both keyed so they can never hand back readings
that another extractor, another extraction spec or another page produced:

- **Conditional requests.** When the last page came with an `ETag` or `Last-Modified`,
  the next check sends them back; a `304 Not Modified` means the page is the one the
  readings were made from, so they hold as they are (`changed` false), with no body
  transferred and nothing parsed.
- **Identical body.** Otherwise a digest of the body (with the URL it came from) is
  compared with the one the readings came from; byte-identical means the extractor,
  a pure function of the page, would say the same again, so it is not run.

Both need the monitor's last check to have succeeded (its readings are those of the
page the validators/digest describe) and the stored `EXTRACTOR_VERSION` and spec to
match the current ones. Anything else — a failed check, an edit, an extractor bump,
a browser-read page — means a full fetch and extraction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from tui_tracker import __version__
from tui_tracker.core.model import Extraction, Kind, Monitor
from tui_tracker.extractors.version import EXTRACTOR_VERSION
from tui_tracker.fetchers.base import Page, Validators


def spec_key(kind: Kind, selector: str | None, regex: str | None) -> str:
    """What the readings depend on besides the page: extractor version and the request."""
    return "\x1f".join((EXTRACTOR_VERSION, __version__, kind.value, selector or "",
                        regex or ""))


def body_digest(final_url: str, html: str) -> str:
    return hashlib.blake2b(f"{final_url}\x00{html}".encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Previous:
    """The last successful check's page and readings, valid for this check's spec."""

    extraction: Extraction
    validators: Validators | None
    digest: str | None

    def reuse(self) -> Extraction:
        """A copy of the last extraction (readings are immutable; the list is not)."""
        ex = self.extraction
        return Extraction(ex.kind, list(ex.readings), ex.source, ex.title, ex.in_stock)


def previous_of(monitor: Monitor, kind: Kind) -> Previous | None:
    """What the monitor's last check lets this one reuse, or None (a full check)."""
    state = monitor.fetch_state
    if (not state or monitor.error is not None or not monitor.readings
            or monitor.last_success is None
            or state.get("spec") != spec_key(kind, monitor.selector, monitor.regex)):
        return None
    page_url = state.get("page")
    validators = None
    if isinstance(page_url, str) and (state.get("etag") or state.get("last_modified")):
        validators = Validators(page_url, state.get("etag"), state.get("last_modified"))
    digest = state.get("digest") if isinstance(state.get("digest"), str) else None
    if validators is None and digest is None:
        return None
    read_kind = monitor.kind if monitor.kind is not Kind.AUTO else kind
    extraction = Extraction(read_kind, list(monitor.readings), monitor.source or "cached",
                            monitor.title, monitor.in_stock)
    return Previous(extraction, validators, digest)


def state_after(page: Page, kind: Kind, selector: str | None, regex: str | None,
                previous: Previous | None) -> dict[str, Any]:
    """The `fetch_state` to keep after a successful HTTP check of `page`."""
    if page.not_modified and previous is not None and previous.validators is not None:
        v = previous.validators
        return {"spec": spec_key(kind, selector, regex), "page": v.url,
                "etag": page.etag or v.etag,
                "last_modified": page.last_modified or v.last_modified,
                "digest": previous.digest}
    return {"spec": spec_key(kind, selector, regex), "page": page.final_url,
            "etag": page.etag, "last_modified": page.last_modified,
            "digest": body_digest(page.final_url, page.html)}
