"""The secrets file: login sessions, per-monitor headers/cookies/proxy and alert URLs.

Cookie values, Authorization headers and Apprise URLs (bot tokens, webhook keys)
are secrets, so they never enter the monitors database (which `export` writes out
and backups copy): they live in `secrets.json` in the data dir, created with mode
0600 from its first byte and replaced atomically. Its shape:

    {"version": 1,
     "sites": {HOST: {"imported_at": ISO, "source": "cookies.txt", "cookies": [...],
                      "refreshed_at": ISO,
                      "origins": [{"origin": "https://host", "local_storage": [[k, v]]}]}},
     "monitors": {ID: {"headers": [[name, value]], "cookies": [...], "proxy": URL,
                       "notify_urls": [URL]}}}

Cookies a server sets or changes later on a site with a session are written back
(`refresh_sites`), as a browser would keep them, so a rotated session cookie
outlives a restart.

It is read again whenever its mtime changes, so a `session import` run while the TUI
or `tui-tracker run` owns the data dir takes effect at the next check, without the
data-dir lock (each write is one atomic rename).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_tracker.core.cookies import Cookie, OriginStorage
from tui_tracker.core.errors import StoreError
from tui_tracker.core.model import iso, utcnow

FILE_NAME = "secrets.json"
VERSION = 1


@dataclass(slots=True)
class SiteSession:
    """The cookies imported for one site (label = the host given to `--site`)."""

    site: str
    cookies: list[Cookie]
    imported_at: str | None = None
    source: str = ""
    origins: list[OriginStorage] = field(default_factory=list)
    """localStorage a storage_state file gave for the site's origins."""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"imported_at": self.imported_at, "source": self.source,
                             "cookies": [c.to_dict() for c in self.cookies]}
        if self.origins:
            d["origins"] = _origins_dict(self.origins)
        return d


def _origins_dict(origins: list[OriginStorage]) -> list[dict[str, Any]]:
    return [{"origin": o, "local_storage": [list(p) for p in pairs]} for o, pairs in origins]


def _origins(d: object) -> list[OriginStorage]:
    """The stored localStorage of one site entry; entries not shaped right are skipped
    (the file is ours, written by put_site_storage)."""
    raw = d.get("origins") if isinstance(d, dict) else None
    return [(o["origin"], tuple((str(k), str(v)) for k, v in o.get("local_storage") or []))
            for o in raw or [] if isinstance(o, dict) and isinstance(o.get("origin"), str)]


@dataclass(slots=True)
class MonitorSecrets:
    """What one monitor sends besides the URL, and where its extra alerts go."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    cookies: list[Cookie] = field(default_factory=list)
    proxy: str | None = None
    notify_urls: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.headers or self.cookies or self.proxy or self.notify_urls)

    def to_dict(self) -> dict[str, Any]:
        return {"headers": [list(h) for h in self.headers],
                "cookies": [c.to_dict() for c in self.cookies], "proxy": self.proxy,
                "notify_urls": list(self.notify_urls)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MonitorSecrets:
        return cls(headers=[(str(a), str(b)) for a, b in d.get("headers") or []],
                   cookies=[Cookie.from_dict(c) for c in d.get("cookies") or []],
                   proxy=d.get("proxy") or None,
                   notify_urls=[str(u) for u in d.get("notify_urls") or []])


def write_private_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text`: a 0600 temp file in the same dir, fsynced, renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Secrets:
    """The data dir's secrets file; thread-safe, cached until the file changes."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILE_NAME
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._doc: dict[str, Any] = {}
        self._site_cookies: tuple[Cookie, ...] | None = None
        """Every site's cookies, parsed once per version of the file (`for_check`)."""
        self._site_storage: tuple[OriginStorage, ...] | None = None
        """Every origin's localStorage, parsed once per version of the file."""

    # ------------------------------------------------------------------ reading
    def _load(self) -> dict[str, Any]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            if self._stamp is not None or self._doc:
                self._stamp, self._doc, self._site_cookies = None, {}, None
                self._site_storage = None
            return self._doc
        stamp = (st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            self._site_cookies = self._site_storage = None
            try:
                doc = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise StoreError(f"The secrets file {self.path} is damaged ({type(exc).__name__}); "
                                 "move it away and import the sessions again.") from None
            if not isinstance(doc, dict):
                raise StoreError(f"The secrets file {self.path} is damaged (not an object).")
            self._stamp, self._doc = stamp, doc
        return self._doc

    def warning(self) -> str | None:
        """A sentence when others may read the file (it was chmod-ed by hand)."""
        try:
            mode = self.path.stat().st_mode
        except OSError:
            return None
        if mode & 0o077:
            return f"{self.path} holds secrets but others may read it; run: chmod 600 {self.path}"
        return None

    def sites(self) -> dict[str, SiteSession]:
        with self._lock:
            raw = self._load().get("sites") or {}
        return {site: SiteSession(site, [Cookie.from_dict(c) for c in d.get("cookies") or []],
                                  d.get("imported_at"), d.get("source") or "", _origins(d))
                for site, d in raw.items()}

    def site_cookies(self) -> list[Cookie]:
        """Every imported cookie, all sites together (the cookie jar picks by domain)."""
        return [c for s in self.sites().values() for c in s.cookies]

    def for_check(self, monitor_id: str | None) -> tuple[tuple[Cookie, ...],
                                                         MonitorSecrets | None]:
        """Every site's cookies and the monitor's own secrets (None: it has none), with
        one look at the file: what each check sends (engine/access.py)."""
        with self._lock:
            doc = self._load()
            if self._site_cookies is None:
                self._site_cookies = tuple(
                    Cookie.from_dict(c) for d in (doc.get("sites") or {}).values()
                    for c in d.get("cookies") or [])
            raw = (doc.get("monitors") or {}).get(monitor_id) if monitor_id else None
            return self._site_cookies, MonitorSecrets.from_dict(raw) if raw else None

    def monitor(self, monitor_id: str) -> MonitorSecrets:
        with self._lock:
            raw = (self._load().get("monitors") or {}).get(monitor_id) or {}
        return MonitorSecrets.from_dict(raw)

    def monitor_urls(self) -> dict[str, list[str]]:
        """Every monitor's own Apprise URLs, by monitor id (for `notify-test`)."""
        with self._lock:
            raw = self._load().get("monitors") or {}
        return {mid: [str(u) for u in d.get("notify_urls") or []] for mid, d in raw.items()
                if d.get("notify_urls")}

    # ------------------------------------------------------------------ writing
    def _write(self, change: Any, *, only_if: bool = False) -> Any:
        """Change a copy of the file's document and write it; with `only_if`, only
        when `change` returns true (nothing changed: no write)."""
        with self._lock:
            doc = json.loads(json.dumps(self._load()))  # a deep copy to change
            doc["version"] = VERSION
            result = change(doc)
            if only_if and not result:
                return result
            write_private_atomic(self.path, json.dumps(doc, indent=1, ensure_ascii=False))
            self._stamp = None
            return result

    def put_site(self, site: str, cookies: list[Cookie], source: str) -> None:
        """Store (or replace) the session of `site`."""
        session = SiteSession(site, cookies, iso(utcnow()), source)
        self._write(lambda doc: doc.setdefault("sites", {}).__setitem__(site, session.to_dict()))

    def refresh_sites(self, change: Callable[[dict[str, list[Cookie]]],
                                             dict[str, list[Cookie]]]) -> list[str]:
        """Keep imported sessions current with the cookies servers set since.

        `change(sessions)` gets every site's cookies as the file holds them *now* (so a
        `session import` a moment ago is what it changes) and returns the sites to
        update with their new cookies. Only those entries change (their import time
        and source stay, `refreshed_at` is set); nothing is written when it returns
        none. Returns the sites written.
        """
        written: list[str] = []

        def apply(doc: dict[str, Any]) -> bool:
            sites = doc.get("sites") or {}
            current = {site: [Cookie.from_dict(c) for c in d.get("cookies") or []]
                       for site, d in sites.items() if isinstance(d, dict)}
            for site, cookies in change(current).items():
                if site in sites:
                    sites[site]["cookies"] = [c.to_dict() for c in cookies]
                    sites[site]["refreshed_at"] = iso(utcnow())
                    written.append(site)
            return bool(written)

        self._write(apply, only_if=True)
        return written

    def put_site_storage(self, site: str, origins: list[OriginStorage]) -> None:
        """Store the localStorage a storage_state file gave for `site`'s origins (after
        `put_site`, which replaces the whole session, so a re-import starts clean)."""
        def change(doc: dict[str, Any]) -> None:
            entry = doc.setdefault("sites", {}).setdefault(
                site, SiteSession(site, [], iso(utcnow())).to_dict())
            entry["origins"] = _origins_dict(origins)
        self._write(change)

    def site_storage(self) -> tuple[OriginStorage, ...]:
        """Every imported origin's localStorage, all sites together (the browser gives
        each origin only its own); parsed once per version of the file."""
        with self._lock:
            raw = self._load().get("sites") or {}
            if self._site_storage is None:
                self._site_storage = tuple(o for d in raw.values() for o in _origins(d))
            return self._site_storage

    def remove_site(self, site: str) -> bool:
        return bool(self._write(lambda doc: (doc.get("sites") or {}).pop(site, None)))

    def put_monitor(self, monitor_id: str, secrets: MonitorSecrets) -> None:
        """Store the monitor's secrets; empty ones remove its entry (no file is made for it)."""
        if secrets.empty():
            with self._lock:
                if monitor_id not in (self._load().get("monitors") or {}):
                    return

        def change(doc: dict[str, Any]) -> None:
            monitors = doc.setdefault("monitors", {})
            if secrets.empty():
                monitors.pop(monitor_id, None)
            else:
                monitors[monitor_id] = secrets.to_dict()
        self._write(change)

    def drop_monitors(self, keep: set[str]) -> None:
        """Forget the secrets of monitors that no longer exist."""
        with self._lock:
            stale = set(self._load().get("monitors") or {}) - keep
        if stale:
            self._write(lambda doc: [doc["monitors"].pop(i, None) for i in stale])
