"""Telling a login wall or a bot challenge from the page a monitor watches (HOSTILE 60).

A wall answered instead of the page must never read as "no sections found" or as a
text change: it becomes health `blocked` with a reason. The signals, strongest first:

- the status: 401 is a login; 403 is a challenge when its body says so, a login form
  when it holds one, else "access refused"; 429/503 count only with a challenge body;
- a redirect that ended on a login page: an SSO/CAS/Shibboleth/SAML address
  (`/login`, `/cas/login`, `/idp/`, `Shibboleth.sso`, `login.` hosts ...) or a page
  with a password field;
- a challenge page: its title ("Just a moment...", "Attention Required!") or the
  markers of the common bot screens (Cloudflare, PerimeterX, DataDome, Imperva);
- a "session expired" or a sign-in page served at the watched address itself: a
  short page whose title or heading says so (a shop whose header holds a login
  form is not a wall: that page is long and titled after the shop).

Pure string work on at most the first `_SCAN` characters, so it adds little to a check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_SCAN = 400_000
_SHORT_TEXT = 3000
"""A wall says little: more visible text than this is a real page with a login box."""
_TAGS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<[^>]+>", re.I | re.S)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.I | re.S)
_HEADINGS = re.compile(r"<h[12][^>]*>(.*?)</h[12]", re.I | re.S)
_PASSWORD = re.compile(r"<input\b[^>]*\btype\s*=\s*[\"']?password", re.I)
_LOGIN_PATH = re.compile(
    r"/(?:log-?in|log-?on|sign-?in|signon|sso|cas/login|idp/|adfs/|saml2?/|"
    r"shibboleth\.sso|auth/realms/|oauth2?/authori[sz]e|authenticate|session/new)",
    re.I)
_LOGIN_HOST = re.compile(r"^(?:login|logon|sso|idp|auth|cas|shib|signin|adfs|webauth)\d*\.", re.I)
_LOGIN_WORDS = re.compile(
    r"\b(?:log\s?in|sign\s?in|log\s?on|sign\s?on|authenticat\w*|single sign-on)\b", re.I)
_EXPIRED = re.compile(
    r"\bsession\s+(?:has\s+)?(?:expired|timed\s*out)\b|"
    r"\b(?:please|you must)\s+(?:log|sign)\s?in\s+again\b|"
    r"\bsession is no longer valid\b", re.I)
_CHALLENGE_TITLES = re.compile(
    r"^\s*(?:just a moment|attention required|access denied|pardon our interruption|"
    r"are you a (?:robot|human)|robot check|security check|human verification|"
    r"verify(?:ing)? you are (?:a )?human|one more step|ddos-guard|please wait\b.*checking)",
    re.I)
_CHALLENGE_MARKERS = (
    "_cf_chl_opt", "cf-browser-verification", "cf_chl_", "px-captcha", "captcha-delivery.com",
    "_incapsula_resource", "ddos-guard", "challenge-platform", "g-recaptcha", "h-captcha",
    "hcaptcha.com", "cf-turnstile", "are you a robot", "verify you are human",
    "unusual traffic", "automated access", "enable cookies and javascript",
)
_STRONG_MARKERS = ("_cf_chl_opt", "cf-browser-verification", "px-captcha",
                   "captcha-delivery.com", "_incapsula_resource")
"""Markers only a challenge page carries: they decide even on a long page."""


@dataclass(frozen=True, slots=True)
class Wall:
    """What stood in the way: `kind` is login, expired, challenge or denied."""

    kind: str
    host: str
    status: int | None = None

    @property
    def reason(self) -> str:
        """The sentence health `blocked` shows."""
        code = f" (HTTP {self.status})" if self.status else ""
        if self.kind == "login":
            return f"login needed at {self.host}{code}"
        if self.kind == "expired":
            return f"session expired at {self.host}{code}"
        if self.kind == "challenge":
            return f"bot check at {self.host}: a challenge page answered instead of the page{code}"
        return f"access refused at {self.host}{code}: a login or a session may be needed"


def _host(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or url).lower()
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return url


def _text(fragment: str) -> str:
    return " ".join(_TAGS.sub(" ", fragment).split())


def _title(html: str) -> str:
    match = _TITLE.search(html)
    return _text(match.group(1)) if match else ""


def _headings(html: str) -> str:
    return " ".join(_text(h) for h in _HEADINGS.findall(html)[:6])


def _is_challenge(html: str, short: bool) -> bool:
    if _CHALLENGE_TITLES.search(_title(html)):
        return True
    low = html.lower()
    if any(marker in low for marker in _STRONG_MARKERS):
        return True
    return short and any(marker in low for marker in _CHALLENGE_MARKERS)


def _login_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(_LOGIN_PATH.search(parts.path or "") or _LOGIN_HOST.match(parts.hostname or ""))


def _moved(url: str, final_url: str) -> bool:
    """True when redirects ended on another page (not merely a trailing slash or query)."""
    try:
        a, b = urlsplit(url), urlsplit(final_url)
    except ValueError:
        return url != final_url
    return (a.hostname, a.port, a.path.rstrip("/")) != (b.hostname, b.port, b.path.rstrip("/"))


def wall_for_status(status: int, url: str, html: str = "") -> Wall | None:
    """The wall an error status means, or None for an ordinary HTTP error."""
    html = html[:_SCAN]
    short = len(_text(html)) < _SHORT_TEXT
    host = _host(url)
    if status == 401:
        return Wall("login", host, status)
    if status == 403:
        if _is_challenge(html, short):
            return Wall("challenge", host, status)
        if _PASSWORD.search(html) or _login_address(url):
            return Wall("login", host, status)
        return Wall("denied", host, status)
    if status in (429, 503) and html and _is_challenge(html, short):
        return Wall("challenge", host, status)
    return None


def wall_for_page(url: str, final_url: str, html: str) -> Wall | None:
    """The wall a page that loaded (2xx) turned out to be, or None for a real page."""
    html = html[:_SCAN]
    text = _text(html)
    short = len(text) < _SHORT_TEXT
    host = _host(final_url)
    if _is_challenge(html, short):
        return Wall("challenge", host)
    password = bool(_PASSWORD.search(html))
    moved = _moved(url, final_url)
    if moved and ((_login_address(final_url) and not _login_address(url)) or password):
        return Wall("login", host)
    if not short:
        return None
    heads = f"{_title(html)} {_headings(html)}"
    if _EXPIRED.search(heads) or (_EXPIRED.search(text) and (password or moved)):
        return Wall("expired", host)
    if password and (_LOGIN_WORDS.search(heads) or _login_address(final_url)):
        return Wall("login", host)
    return None
