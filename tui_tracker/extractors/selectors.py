"""User selectors (CSS or XPath) and regexes: validation and application.

cssselect's SelectorSyntaxError is a SyntaxError and its ExpressionError a
RuntimeError, while parsel reports XPath errors as ValueError (HOSTILE-INPUTS 29),
so validation catches all of them and turns them into one InputError sentence.
"""

from __future__ import annotations

import re

import regex as user_re
from cssselect import SelectorError
from parsel import Selector, SelectorList

from tui_tracker.core.errors import ExtractionError, InputError
from tui_tracker.core.text import clean_text

MAX_SELECTOR = 2000
MAX_REGEX = 1000
REGEX_INPUT_LIMIT = 1_000_000
REGEX_TIMEOUT = 1.0
"""Seconds one user-regex search may take on one page."""
"""A user regex never runs over more than this many characters (bounds backtracking)."""

_PROBE = Selector(text="<html><body><p>x</p></body></html>")


def is_xpath(selector: str) -> bool:
    """XPath when it starts with `/`, `(` or an explicit `xpath:` prefix; else CSS."""
    s = selector.lstrip()
    return s.startswith(("/", "(", "xpath:"))


def _strip_prefix(selector: str) -> str:
    s = selector.strip()
    return s[len("xpath:"):].strip() if s.startswith("xpath:") else s


def shown(selector: str) -> str:
    """A selector as it may appear inside an error sentence."""
    return clean_text(selector, max_len=80)


def validate_selector(selector: str) -> None:
    """Raise InputError unless `selector` is a usable CSS or XPath selector.

    Raises:
        InputError: "'p[' is not a valid CSS selector: ..." (or XPath).
    """
    if not isinstance(selector, str) or not selector.strip():
        raise InputError("The selector is empty; give a CSS or XPath selector.")
    kind = "XPath" if is_xpath(selector) else "CSS"
    if len(selector) > MAX_SELECTOR:
        raise InputError(f"The selector is too long (over {MAX_SELECTOR} characters).")
    try:
        _run(_PROBE, selector)
    except (SyntaxError, ValueError, SelectorError) as exc:
        reason = clean_text(str(exc), max_len=120)
        raise InputError(f"'{shown(selector)}' is not a valid {kind} selector: {reason}") from exc


def _run(sel: Selector, selector: str) -> SelectorList:
    if is_xpath(selector):
        return sel.xpath(_strip_prefix(selector))
    return sel.css(selector.strip())


def select(sel: Selector, selector: str) -> SelectorList:
    """Apply a selector; invalid ones raise InputError (validate early to fail sooner)."""
    try:
        return _run(sel, selector)
    except (SyntaxError, ValueError, SelectorError) as exc:
        validate_selector(selector)  # raises the user-facing sentence
        raise InputError(f"'{shown(selector)}' could not be applied: {exc}") from exc


def validate_regex(regex: str) -> None:
    """Raise InputError unless `regex` compiles as a Python regular expression."""
    compile_regex(regex)


def compile_regex(regex: str) -> user_re.Pattern[str]:
    """Compile a user regex case-insensitively, translating errors to InputError.

    User patterns go through the `regex` package, not `re`: a pattern like `(a|aa)+$`
    backtracks for minutes on a page, and only `regex` can stop a search at a timeout.
    """
    if not isinstance(regex, str) or not regex:
        raise InputError("The regex is empty.")
    if len(regex) > MAX_REGEX:
        raise InputError(f"The regex is too long (over {MAX_REGEX} characters).")
    try:
        # Checked by `re` too, so the syntax accepted is exactly Python's documented one.
        re.compile(regex)
        return user_re.compile(regex, user_re.IGNORECASE | user_re.DOTALL | user_re.V0)
    except (user_re.error, re.error, OverflowError, RecursionError, ValueError) as exc:
        raise InputError(f"'{shown(regex)}' is not a valid regex: {exc}") from exc


def apply_regex(pattern: user_re.Pattern[str], text: str) -> str | None:
    """Group 1 of the first match (or the whole match when there is no group 1)."""
    try:
        m = pattern.search(text[:REGEX_INPUT_LIMIT], timeout=REGEX_TIMEOUT)
    except TimeoutError as exc:
        raise ExtractionError(
            f"the regex '{shown(pattern.pattern)}' took longer than {REGEX_TIMEOUT:g} s on "
            "this page; make it simpler (avoid nested repeats like (a+)+)") from exc
    if m is None:
        return None
    if m.re.groups >= 1 and m.group(1) is not None:
        return m.group(1)
    return m.group(0)
