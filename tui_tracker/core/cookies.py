"""Reading the cookies of a logged-in browser from the files people can export. No I/O.

A server reached over SSH has no screen to log in on, so a person logs in on a
desktop browser, exports the cookies and imports the file here. Three formats are
read, told apart by their shape:

- Netscape `cookies.txt` (curl, wget, the "Get cookies.txt" extensions): seven
  tab-separated fields a line, `#HttpOnly_` prefixing HttpOnly cookies;
- the JSON list the cookie extensions write (Cookie-Editor, EditThisCookie):
  `name`, `value`, `domain`, `path`, `expirationDate`, `hostOnly`, `secure`,
  `httpOnly`, `sameSite` (`no_restriction`/`lax`/`strict`/`unspecified`);
- a Playwright `storage_state` file: `{"cookies": [...], "origins": [...]}`.

Cookie values are secrets: `Cookie.value` is left out of `repr`, and no error
sentence here ever quotes a line or a value, only line numbers and names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tui_tracker.core.errors import InputError

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
"""An HTTP token (RFC 9110): what a header or cookie name may be."""
_SAME_SITE = {"lax": "Lax", "strict": "Strict", "none": "None", "no_restriction": "None"}


@dataclass(frozen=True, slots=True)
class Cookie:
    """One cookie as a browser holds it. `domain` has no leading dot."""

    name: str
    value: str = field(repr=False)
    domain: str
    path: str = "/"
    expires: float | None = None
    """Unix time; None for a session cookie (kept until the session is removed)."""
    secure: bool = False
    http_only: bool = False
    same_site: str | None = None
    host_only: bool = False
    """Sent to `domain` exactly, not to its subdomains."""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "domain": self.domain,
                "path": self.path, "expires": self.expires, "secure": self.secure,
                "http_only": self.http_only, "same_site": self.same_site,
                "host_only": self.host_only}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Cookie:
        return cls(name=str(d["name"]), value=str(d["value"]), domain=str(d["domain"]),
                   path=str(d.get("path") or "/"), expires=d.get("expires"),
                   secure=bool(d.get("secure")), http_only=bool(d.get("http_only")),
                   same_site=d.get("same_site"), host_only=bool(d.get("host_only")))

    def matches(self, host: str) -> bool:
        """True when a browser would send this cookie to `host` (RFC 6265 domain match)."""
        host = host.lower().rstrip(".")
        if self.host_only:
            return host == self.domain
        return host == self.domain or host.endswith("." + self.domain)

    def expired(self, now: float) -> bool:
        return self.expires is not None and self.expires <= now


def _clean_domain(raw: object) -> str:
    return str(raw or "").strip().lstrip(".").lower().rstrip(".")


def _expires(raw: object) -> float | None:
    """None for a session cookie (0, -1, missing), else the Unix time as a float."""
    if raw in (None, "", True, False):
        return None
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _checked(cookie: Cookie, where: str) -> Cookie:
    if not cookie.name or not _TOKEN.match(cookie.name):
        raise InputError(f"The cookie at {where} has an invalid name.")
    if not cookie.domain or any(ch.isspace() for ch in cookie.domain):
        raise InputError(f"The cookie {cookie.name!r} at {where} has no valid domain.")
    if any(ch in cookie.value for ch in "\r\n\x00;"):
        raise InputError(f"The cookie {cookie.name!r} at {where} has a value with a line "
                         "break, NUL or ';' in it.")
    return cookie


def _from_json_item(item: object, where: str) -> Cookie:
    if not isinstance(item, dict) or "name" not in item or "value" not in item:
        raise InputError(f"The cookie at {where} has no name or value.")
    raw_domain = str(item.get("domain") or "")
    host_only = bool(item.get("hostOnly", not raw_domain.startswith(".")))
    expires = None if item.get("session") is True else _expires(
        item.get("expirationDate", item.get("expires")))
    same_site = _SAME_SITE.get(str(item.get("sameSite") or "").lower())
    return _checked(Cookie(
        name=str(item["name"]), value=str(item["value"]), domain=_clean_domain(raw_domain),
        path=str(item.get("path") or "/"), expires=expires, secure=bool(item.get("secure")),
        http_only=bool(item.get("httpOnly")), same_site=same_site, host_only=host_only,
    ), where)


def _netscape(text: str) -> list[Cookie]:
    cookies: list[Cookie] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.rstrip("\r")
        http_only = line.startswith("#HttpOnly_")
        if http_only:
            line = line[len("#HttpOnly_"):]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) == 6:  # some exporters drop an empty value's tab
            fields.append("")
        if len(fields) != 7:
            raise InputError(f"Line {number} is not a cookies.txt line (it needs 7 "
                             "tab-separated fields: domain, subdomains, path, secure, "
                             "expiry, name, value).")
        domain, subdomains, path, secure, expiry, name, value = fields
        cookies.append(_checked(Cookie(
            name=name.strip(), value=value, domain=_clean_domain(domain), path=path or "/",
            expires=_expires(expiry.strip() or None), secure=secure.upper() == "TRUE",
            http_only=http_only,
            host_only=subdomains.upper() != "TRUE" and not domain.startswith("."),
        ), f"line {number}"))
    return cookies


def parse_cookie_file(text: str) -> tuple[str, list[Cookie]]:
    """(format name, cookies) from the text of an exported file; InputError if unreadable.

    The format is one of `cookies.txt`, `extension JSON` or `storage_state`.
    """
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise InputError("The file is empty.")
    if stripped[0] in "[{":
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise InputError(f"The file looks like JSON but is not valid JSON (line "
                             f"{exc.lineno}).") from None
        if isinstance(doc, dict) and isinstance(doc.get("cookies"), list):
            items, fmt = doc["cookies"], "storage_state"
        elif isinstance(doc, list):
            items, fmt = doc, "extension JSON"
        else:
            raise InputError("The JSON file is neither a cookie list (a browser extension's "
                             "export) nor a Playwright storage_state file.")
        return fmt, [_from_json_item(item, f"entry {i + 1}") for i, item in enumerate(items)]
    return "cookies.txt", _netscape(stripped)


def parse_cookie_arg(raw: str, domain: str) -> Cookie:
    """`name=value` as typed after `--cookie`, sent only to `domain` (the monitor's host)."""
    name, sep, value = raw.partition("=")
    if not sep:
        raise InputError("A --cookie needs the form name=value.")
    return _checked(Cookie(name=name.strip(), value=value.strip(), domain=domain.lower(),
                           host_only=True), "--cookie")


def parse_header_arg(raw: str) -> tuple[str, str]:
    """`Name: value` as typed after `--header`; InputError for a bad name or a line break."""
    name, sep, value = raw.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise InputError("A --header needs the form 'Name: value'.")
    if not _TOKEN.match(name):
        raise InputError(f"The header name {name[:40]!r} is not valid.")
    if any(ch in value for ch in "\r\n\x00"):
        raise InputError(f"The value of the header {name} has a line break or NUL in it.")
    if name.lower() in {"host", "content-length", "transfer-encoding", "connection"}:
        raise InputError(f"The header {name} is set by the tool itself.")
    return name, value


def valid_host(raw: str) -> str:
    """A site name for `session import --site` / `session remove`: a bare host, lowercased."""
    host = raw.strip().lower().rstrip(".")
    if "://" in host:
        from urllib.parse import urlsplit

        host = (urlsplit(host).hostname or "").lower()
    host = re.sub(r"^([^:\[\]]+):\d+$", r"\1", host.lstrip("."))  # a port is not a site
    if not host or not re.match(r"^[a-z0-9.\-\[\]:_]+$", host):
        raise InputError(f"{raw[:80]!r} is not a host name (for example beartracks.example.edu).")
    return host


# --------------------------------------------------------------- keeping a session current
MAX_SESSION_COOKIES = 300
"""A site's saved session holds at most this many cookies (a server setting thousands
adds none past it)."""
MAX_COOKIE_BYTES = 4096
"""What a browser keeps of one cookie (RFC 6265 minimum); larger ones are not saved."""

CookieKey = tuple[str, str, str]


def cookie_key(c: Cookie) -> CookieKey:
    """What makes a cookie the same cookie to a browser: name, domain and path."""
    return (c.name, c.domain, c.path or "/")


def same_cookie(a: Cookie, b: Cookie) -> bool:
    """Equal as far as a server can change it (expiry to the second: exports carry
    fractions that the fetchers' jars round away)."""
    if (a.value, a.secure, a.http_only, a.host_only) != (b.value, b.secure, b.http_only,
                                                         b.host_only):
        return False
    if (a.expires is None) != (b.expires is None):
        return False
    return a.expires is None or abs(float(a.expires) - float(b.expires or 0)) < 1


def covers(site: str, host: str) -> bool:
    """True when `host` is `site` or one of its subdomains (a session serves it)."""
    host = host.lower().rstrip(".")
    return host == site or host.endswith("." + site)


def _belongs(c: Cookie, site: str) -> bool:
    """A cookie for the site, a subdomain of it, or a parent domain it is sent to."""
    return covers(site, c.domain) or covers(c.domain, site)


def _saveable(c: Cookie, now: float) -> bool:
    return (bool(_TOKEN.match(c.name)) and not c.expired(now)
            and len(c.name) + len(c.value) <= MAX_COOKIE_BYTES
            and not any(ch in c.value for ch in "\r\n\x00;"))


def jar_changed(sent: tuple[Cookie, ...], jar: tuple[Cookie, ...]) -> bool:
    """False when the jar after a check holds exactly what the check sent (the common
    case, decided without a trip to the secrets file)."""
    if len(sent) != len(jar):
        return True
    before = {cookie_key(c): c for c in sent}
    return any(cookie_key(c) not in before or not same_cookie(before[cookie_key(c)], c)
               for c in jar)


def refreshed_sessions(sessions: dict[str, list[Cookie]], sent: tuple[Cookie, ...],
                       jar: tuple[Cookie, ...], hosts: list[str],
                       now: float) -> dict[str, list[Cookie]]:
    """The saved sessions that a check changed, as {site: its new cookie list}.

    A check sent `sent` (every unexpired session cookie, and the monitor's own) and its
    fetcher's jar held `jar` afterwards, having fetched `hosts` (the page's and where
    its redirects ended). Only what differs between the two is news: checks share a
    jar and end in any order, and a cookie as it was sent must not undo a newer one
    that another check saved meanwhile. Then, like a browser:

    - a saved cookie the server changed (same name, domain and path) takes its new
      value, expiry and flags; one it deleted (or let expire) is dropped;
    - a cookie the server set that no session holds yet joins the session of the site
      the check fetched (the most specific one that covers its host), and only when
      its domain is that site's, a subdomain's or a parent's: cookies of other hosts
      (a shop's tracker in the shared browser, the monitor's own `--cookie`) are never
      saved into a session, and a cookie keeps its own domain, so the jar sends it
      nowhere else.
    """
    in_jar: dict[CookieKey, Cookie] = {}
    for c in jar:
        in_jar.setdefault(cookie_key(c), c)
    was_sent = {cookie_key(c): c for c in sent}
    held = {cookie_key(c) for cookies in sessions.values() for c in cookies}
    fetched = [site for site in sessions if any(covers(site, h) for h in hosts if h)]
    home = max(fetched, key=len, default=None)
    changed: dict[str, list[Cookie]] = {}
    for site, cookies in sessions.items():
        out: list[Cookie] = []
        for c in cookies:
            key = cookie_key(c)
            new = in_jar.get(key)
            before = was_sent.get(key)
            if new is None:
                if before is None:  # not part of this check (expired before it)
                    out.append(c)
                continue  # the server deleted it, or it expired during the check
            if (before is not None and same_cookie(before, new)) or same_cookie(c, new) \
                    or not _saveable(new, now):
                # As sent: the file's (perhaps newer, from a check that ended since) stays.
                out.append(c)
            else:  # what the fetcher cannot see (SameSite) stays as imported
                out.append(Cookie(new.name, new.value, c.domain, c.path, new.expires,
                                  new.secure, new.http_only, new.same_site or c.same_site,
                                  new.host_only))
        if site == home:
            for key, c in in_jar.items():
                if len(out) >= MAX_SESSION_COOKIES:
                    break
                if key not in held and key not in was_sent and _belongs(c, site) \
                        and _saveable(c, now):
                    out.append(c)
        if len(out) != len(cookies) or any(a is not b for a, b in zip(out, cookies,
                                                                       strict=True)):
            changed[site] = out
    return changed


# ------------------------------------------------------------- localStorage (storage_state)
MAX_ORIGIN_ITEMS = 1000
MAX_ORIGIN_BYTES = 5 * 1024 * 1024
"""What a browser lets one origin keep in localStorage (5 MB): more is not a browser's."""

OriginStorage = tuple[str, tuple[tuple[str, str], ...]]
"""(origin, ((name, value), ...)): one origin's localStorage, as a browser would hold it."""


def normalize_origin(raw: object) -> str | None:
    """`scheme://host[:port]` as `location.origin` says it (default port left out), or
    None for anything that is not an http(s) origin."""
    from urllib.parse import urlsplit

    parts = urlsplit(str(raw or "").strip())
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def parse_local_storage(text: str) -> list[OriginStorage]:
    """The `origins[].localStorage` of a Playwright storage_state file ([] for other
    formats). InputError names the origin that is unreadable, never a value."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped.startswith("{"):
        return []
    try:
        doc = json.loads(stripped)
    except json.JSONDecodeError:
        return []  # parse_cookie_file says what is wrong with it
    origins = doc.get("origins") if isinstance(doc, dict) else None
    if not isinstance(origins, list):
        return []
    out: list[OriginStorage] = []
    for i, entry in enumerate(origins):
        if not isinstance(entry, dict):
            raise InputError(f"The origins entry {i + 1} is not an object.")
        items = entry.get("localStorage") or []
        pairs = [[it.get("name"), it.get("value")] if isinstance(it, dict) else it
                 for it in items] if isinstance(items, list) else items
        storage = origin_storage(entry.get("origin"), pairs, i)
        if storage[1]:
            out.append(storage)
    return out


def origin_storage(raw_origin: object, pairs: object, index: int = 0) -> OriginStorage:
    """One origin's localStorage checked as a browser would hold it, from a storage_state
    file or an export (`pairs` a list of [name, value]); InputError names the origin that
    is unreadable, never a value."""
    origin = normalize_origin(raw_origin)
    if origin is None:
        raise InputError(f"The origins entry {index + 1} has no http(s) origin.")
    if not isinstance(pairs, list | tuple) or not all(
            isinstance(p, list | tuple) and len(p) == 2
            and isinstance(p[0], str) and isinstance(p[1], str) for p in pairs):
        raise InputError(f"The localStorage of {origin} is not a list of name/value pairs.")
    checked = tuple((str(k), str(v)) for k, v in pairs)
    size = sum(len(k) + len(v) for k, v in checked)
    if len(checked) > MAX_ORIGIN_ITEMS or size > MAX_ORIGIN_BYTES:
        raise InputError(f"The localStorage of {origin} is larger than a browser keeps "
                         f"({len(checked)} items, {size} characters).")
    return origin, checked
