"""Fetchers: turn a URL into a page (httpx for static pages, Playwright for rendered ones).

httpx imports its command-line tool when it is imported (`httpx._main`, which pulls in
rich, pygments and click when they are installed): ~40-70 ms of a `check` start-up
that never runs it. A None entry in `sys.modules` makes that one import fail, and httpx
then defines a stub `main` instead (its own fallback for installs without the CLI
extras). This runs before any fetcher module imports httpx.
"""

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
