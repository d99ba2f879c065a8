"""Cleaning untrusted page text before it is stored, shown, or mailed.

Page text may carry terminal control sequences (OSC 52 clipboard writes, CSI),
bidi overrides that make "$10" read as "$01", or megabytes on one line. Every
string taken from a page passes through `clean_text` before it leaves the
extractors, so later layers can treat it as inert (but still never as markup).
"""

from __future__ import annotations

import re

_ANSI = re.compile(
    r"""
    \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?   # OSC ... BEL / ST
    | \x1b[P^_X][^\x1b]*(?:\x1b\\)?       # DCS / PM / APC / SOS ... ST
    | \x1b\[[0-?]*[ -/]*[@-~]             # CSI
    | \x9b[0-?]*[ -/]*[@-~]               # 8-bit CSI
    | \x1b[@-Z\\-_]                       # other 2-byte escapes
    """,
    re.VERBOSE,
)
_SPACES = re.compile(r"\s+")

DEFAULT_MAX = 200


def clean_text(value: object, max_len: int = DEFAULT_MAX) -> str:
    """One printable line: escapes and non-printables removed, whitespace collapsed, capped.

    `str.isprintable()` rejects Cc (C0, DEL, C1) and Cf (bidi controls, zero-width)
    characters, which covers both terminal escapes and visual spoofing.
    """
    s = str(value) if value is not None else ""
    if len(s) > max_len * 50:
        # Bound the work on a megabyte of text before the regexes run.
        s = s[: max_len * 50]
    s = _SPACES.sub(" ", _ANSI.sub("", s))
    # Every whitespace character but " " is non-printable, so collapsing first changes
    # nothing, and leaves most page text printable: no per-character pass for it.
    if not s.isprintable():
        s = _SPACES.sub(" ", "".join(ch if ch.isprintable() else " " for ch in s))
    s = s.strip()
    if len(s) > max_len:
        s = s[: max_len - 1].rstrip() + "…"
    return s


def header_safe(value: object, max_len: int = 120) -> str:
    """Text fit for an email header: one line, no CR/LF/NUL, at most `max_len` chars."""
    return clean_text(value, max_len).replace("\x00", "")
