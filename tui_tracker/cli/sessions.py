"""`session import|list|remove`: cookies of a logged-in browser for pages behind a login.

A server over SSH has no screen to log in on: the user logs in on a desktop browser,
exports the cookies (cookies.txt, a cookie extension's JSON, or Playwright's
storage_state) and imports the file here. The cookies go to the secrets file (0600,
never the monitors database); nothing here prints a cookie value.

Importing and removing are writes, so they go through the engine interface like every
other write: carried out by the owner when the TUI or `run` holds the data dir (it
also writes that file, for monitors' own secrets, and must not lose our write nor have
us lose one of its own), else by an engine in this process that holds the lock.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui_tracker.cli.context import Context
from tui_tracker.cli.output import emit_json, print_table, warn
from tui_tracker.core.cookies import (
    Cookie,
    OriginStorage,
    normalize_origin,
    parse_cookie_file,
    parse_local_storage,
    valid_host,
)
from tui_tracker.core.errors import InputError
from tui_tracker.store.secrets import Secrets

if TYPE_CHECKING:
    from tui_tracker.engine.api import EngineAPI


def _secrets(ctx: Context) -> Secrets:
    secrets = Secrets(ctx.data_dir)
    note = secrets.warning()
    if note:
        warn(note)
    return secrets


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"The file {path} does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a cookie file.") from None
    except UnicodeDecodeError:
        raise InputError(f"The file {path} is not text (not a cookie export).") from None
    except OSError as exc:
        raise InputError(f"The file {path} cannot be read ({exc.strerror}).") from None


def _day(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds") if ts else None


def _group_by_site(cookies: list[Cookie]) -> dict[str, list[Cookie]]:
    """Without --site: one session per cookie domain (`www.` folded into the domain)."""
    groups: dict[str, list[Cookie]] = {}
    for c in cookies:
        site = c.domain.removeprefix("www.")
        groups.setdefault(site, []).append(c)
    return groups


def _storage_by_site(origins: list[OriginStorage], site: str | None
                     ) -> dict[str, list[OriginStorage]]:
    """localStorage of a storage_state file by session: all to `--site`, else each
    origin to the site of its host (`www.` folded, as for cookies)."""
    groups: dict[str, list[OriginStorage]] = {}
    for origin, items in origins:
        host = (urlsplit(origin).hostname or "").removeprefix("www.")
        groups.setdefault(site or host, []).append((origin, items))
    return groups


def import_(ctx: Context) -> int:
    args = ctx.args
    try:
        text = _read(args.file)
        fmt, cookies = parse_cookie_file(text)
        origins = parse_local_storage(text)
    except InputError as exc:
        raise InputError(f"{args.file}: {exc.message}") from None
    now = time.time()
    fresh = [c for c in cookies if not c.expired(now)]
    if not cookies and not origins:
        raise InputError(f"{args.file} holds no cookies; export them again while logged in.")
    if not fresh and not origins:
        raise InputError(f"Every cookie in {args.file} has expired; log in again on your "
                         "browser and export them anew.")
    site = valid_host(args.site) if args.site else None
    groups = {site: fresh} if site else _group_by_site(fresh)
    stored = _storage_by_site(origins, site)
    for name in stored:
        groups.setdefault(name, [])  # a token in localStorage is a login too
    _secrets(ctx)  # only its warning: the owner (or our own engine) writes the file
    source = f"{Path(args.file).name} ({fmt})"

    async def work(api: EngineAPI) -> None:
        await api.import_sessions(groups, source, stored)

    ctx.with_engine(work)
    stale = len(cookies) - len(fresh)
    result = [{"site": name, "cookies": len(items), "format": fmt,
               "local_storage": sum(len(pairs) for _, pairs in stored.get(name, [])),
               "expires": _day(min((c.expires for c in items if c.expires), default=None))}
              for name, items in groups.items()]
    if ctx.as_json:
        emit_json(result)
    else:
        for r in result:
            until = f", the first expires {r['expires']}" if r["expires"] else ""
            kept = (f" and {r['local_storage']} localStorage items" if r["local_storage"]
                    else "")
            print(f"Imported {r['cookies']} cookies{kept} for {r['site']} ({fmt}{until}).")
    if stale:
        warn(f"{stale} cookies in the file had already expired and were left out")
    try:
        if os.stat(args.file).st_mode & 0o077:
            warn(f"{args.file} holds your login and others may read it; delete it now that "
                 "it is imported")
    except OSError:
        pass
    return 0


def _monitors_using(ctx: Context, cookies: list[Cookie],
                    origins: list[OriginStorage]) -> list[str]:
    """Monitors whose page gets these cookies, or (in the browser) this localStorage."""
    from tui_tracker.store.repository import Store

    if not ctx.data_dir.exists():
        return []
    try:
        store = Store.open(ctx.data_dir, readonly=True)
    except Exception:  # no store yet, or one this command need not judge
        return []
    try:
        monitors = store.list_monitors()
    finally:
        store.close()
    stored = {origin for origin, _ in origins}
    return [m.id for m in monitors
            if any(c.matches(urlsplit(m.url).hostname or "") for c in cookies)
            or normalize_origin(m.url) in stored]


def list_(ctx: Context) -> int:
    sites = _secrets(ctx).sites()
    now = time.time()
    rows: list[dict[str, Any]] = []
    for site, s in sorted(sites.items()):
        expiring = [c.expires for c in s.cookies if c.expires]
        rows.append({"site": site, "cookies": len(s.cookies),
                     "expired": sum(c.expired(now) for c in s.cookies),
                     "expires": _day(min(expiring, default=None)),
                     "local_storage": sum(len(pairs) for _, pairs in s.origins),
                     "imported_at": s.imported_at, "source": s.source,
                     "monitors": _monitors_using(ctx, s.cookies, s.origins)})
    if ctx.as_json:
        emit_json(rows)
        return 0
    if not rows:
        print("No sessions yet. Import one with: tui-tracker session import cookies.txt "
              "--site HOST")
        return 0
    print_table([[r["site"], str(r["cookies"]) + (f" ({r['expired']} expired)"
                                                  if r["expired"] else "")
                  + (f" + {r['local_storage']} localStorage" if r["local_storage"] else ""),
                  r["expires"] or "end of session", (r["imported_at"] or "")[:19],
                  ", ".join(r["monitors"]) or "-"] for r in rows],
                ["SITE", "COOKIES", "FIRST EXPIRY", "IMPORTED", "MONITORS"])
    return 0


def remove(ctx: Context) -> int:
    site = valid_host(ctx.args.host)
    secrets = _secrets(ctx)

    async def work(api: EngineAPI) -> bool:
        return await api.remove_session(site)

    if not ctx.with_engine(work):
        known = ", ".join(sorted(secrets.sites())) or "none"
        raise InputError(f"No session for {site} (sessions: {known}).")
    if ctx.as_json:
        emit_json({"site": site, "removed": True})
    else:
        print(f"Session for {site} removed.")
    return 0
