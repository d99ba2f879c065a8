"""Scrubbing SMTP credentials from text a server sent back, in every encoding we sent them.

A server may echo the client's own AUTH line in its error (`535 ... <AUTH PLAIN blob>`);
that blob is base64 of "authzid NUL user NUL password", so scrubbing only the plain
password let it reach notifications.json and `notify-test` output (issue 10.7,
HOSTILE-INPUTS 59). AUTH LOGIN sends the password base64-encoded on its own line.
CRAM-MD5 sends only an HMAC of a one-time challenge, which reveals nothing reusable.

So, before a server's words are cut short or stored, every form the client sent is
replaced, and any base64-looking word that decodes to something holding the
password, or to a PLAIN blob for this user (even cut off), is replaced too.
"""

from __future__ import annotations

import base64
import binascii
import re

MASK = "********"
_B64_WORD = re.compile(r"[A-Za-z0-9+/]{6,}={0,2}")


def _b64(raw: bytes) -> list[str]:
    text = base64.b64encode(raw).decode("ascii")
    return [text, text.rstrip("=")]


def sent_forms(user: str | None, password: str | None) -> list[str]:
    """Every string the client put on the wire that reveals the password, longest first."""
    if not password:
        return []
    pw = password.encode("utf-8")
    forms = [password, *_b64(pw)]
    for authzid in ("", user or ""):
        forms += _b64(authzid.encode("utf-8") + b"\0" + (user or "").encode("utf-8") + b"\0" + pw)
    return sorted({f for f in forms if len(f) >= 3}, key=len, reverse=True)


def _decodes_to_secret(word: str, user: str | None, password: str) -> bool:
    cut = word.rstrip("=")
    cut = cut[: len(cut) - len(cut) % 4] if len(cut) % 4 == 1 else cut
    try:
        raw = base64.b64decode(cut + "=" * (-len(cut) % 4))
    except (binascii.Error, ValueError):
        return False
    pw = password.encode("utf-8")
    if pw in raw:
        return True
    if b"\0" in raw and (user or "").encode("utf-8") + b"\0" in raw:
        return True  # a PLAIN blob for this user, perhaps cut off inside the password
    head = raw.split(b"\0")[-1]
    return len(head) >= 3 and pw.startswith(head) and len(raw) <= len(pw)


def scrub(text: str, user: str | None, password: str | None) -> str:
    """`text` with every encoding of the password (see module docstring) masked."""
    if not password or not text:
        return text
    for form in sent_forms(user, password):
        text = text.replace(form, MASK)
    return _B64_WORD.sub(
        lambda m: MASK if _decodes_to_secret(m.group(0), user, password) else m.group(0), text)
