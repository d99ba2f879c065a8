"""`export` and `import`: monitors (and optionally history) as one JSON document.

Exports hold no secrets: SMTP settings live in config.toml and the environment, never
in monitors; sessions (cookies and localStorage), headers, cookies, proxies and alert
URLs live in secrets.json and are exported only with `--with-secrets` (the file is then
written with mode 0600).

Import validates every monitor like `add` does and never overwrites an existing id (a
clash gets a fresh id). It is idempotent: a monitor watching the same page the same way
(URL, kind, selector) as one already there is skipped and counted, so importing a file
twice adds nothing the second time (`--allow-duplicate` imports them anyway).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_tracker.cli.context import Context
from tui_tracker.cli.output import emit_json
from tui_tracker.config import write_private
from tui_tracker.core.cookies import Cookie, origin_storage, valid_host
from tui_tracker.core.errors import DuplicateError, InputError
from tui_tracker.core.model import HistoryEntry, Monitor
from tui_tracker.core.monitor_input import check_monitor
from tui_tracker.store.secrets import MonitorSecrets, Secrets

if TYPE_CHECKING:
    from tui_tracker.engine.api import EngineAPI

FORMAT = "tui-tracker-export"
VERSION = 1


def export(ctx: Context) -> int:
    with ctx.store(write=False) as store:
        monitors = store.list_monitors()
        doc = {"format": FORMAT, "version": VERSION,
               "monitors": [_exported(m) for m in monitors]}
        if ctx.args.history:
            doc["history"] = {m.id: [e.to_dict() for e in store.history(m.id)]
                              for m in monitors}
    if getattr(ctx.args, "with_secrets", False):
        secrets = Secrets(ctx.data_dir)
        doc["secrets"] = {
            "sites": {k: v.to_dict() for k, v in secrets.sites().items()},
            "monitors": {m.id: secrets.monitor(m.id).to_dict() for m in monitors
                         if not secrets.monitor(m.id).empty()}}
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if ctx.args.file and ctx.args.file != "-":
        if "secrets" in doc:
            write_private(Path(ctx.args.file), text)
        else:
            Path(ctx.args.file).write_text(text, encoding="utf-8")
        sys.stderr.write(f"Exported {len(monitors)} monitors to {ctx.args.file}.\n")
    else:
        sys.stdout.write(text)
    return 0


def _read(path: str) -> dict:
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        doc = json.loads(raw)
    except FileNotFoundError as exc:
        raise InputError(f"The file {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"The file {path} is not a tui-tracker export ({exc}).") from exc
    if isinstance(doc, list):
        doc = {"monitors": doc}
    if not isinstance(doc, dict) or not isinstance(doc.get("monitors"), list):
        raise InputError(f"The file {path} is not a tui-tracker export (no monitor list).")
    return doc


def _monitor(d: object, index: int) -> Monitor:
    """A whole monitor from the file, through the same validator as `add` and the form."""
    if not isinstance(d, dict) or "url" not in d:
        raise InputError(f"Monitor #{index + 1} in the import file has no url.")
    try:
        m = Monitor.from_dict({"id": d.get("id") or "", **d})
        check_monitor(m)
    except InputError as exc:
        raise InputError(f"Monitor #{index + 1} in the import file: {exc}") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"Monitor #{index + 1} in the import file is invalid ({exc}).") from exc
    m.fetch_state, m.learned = {}, {}  # caches of another data dir's checks: never trusted
    return m


def _history(items: object, index: int) -> list[HistoryEntry]:
    try:
        return [HistoryEntry.from_dict(item) for item in items or []]  # type: ignore[attr-defined]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"The history of monitor #{index + 1} in the import file is "
                         f"invalid ({exc}).") from exc


def import_(ctx: Context) -> int:
    doc = _read(ctx.args.file)
    monitors = [_monitor(d, i) for i, d in enumerate(doc["monitors"])]
    raw = doc.get("history")
    history: dict = raw if isinstance(raw, dict) else {}
    histories = [_history(history.get(m.id) if m.id else None, i)
                 for i, m in enumerate(monitors)]
    raw_secrets = doc.get("secrets")
    secrets_doc: dict = raw_secrets if isinstance(raw_secrets, dict) else {}
    try:
        site_docs = {valid_host(k): v for k, v in (secrets_doc.get("sites") or {}).items()}
        sites = {k: [Cookie.from_dict(c) for c in v.get("cookies") or []]
                 for k, v in site_docs.items()}
        storage = {k: [origin_storage(o.get("origin"), o.get("local_storage") or [], i)
                       for i, o in enumerate(v.get("origins") or [])]
                   for k, v in site_docs.items()}
        own = {k: MonitorSecrets.from_dict(v)
               for k, v in (secrets_doc.get("monitors") or {}).items()}
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"The secrets in {ctx.args.file} are damaged ({type(exc).__name__})."
                         ) from None
    except InputError as exc:
        raise InputError(f"The secrets in {ctx.args.file} are damaged: {exc}") from None

    allow = bool(getattr(ctx.args, "allow_duplicate", False))
    skipped: list[str] = []

    storage = {site: origins for site, origins in storage.items() if origins}
    sites = {site: cookies for site, cookies in sites.items() if cookies or site in storage}

    async def work(api: EngineAPI) -> list[Monitor]:
        out = []
        for m, h in zip(monitors, histories, strict=True):
            try:
                out.append(await api.import_monitor(
                    m, h, secrets=own.get(m.id) if m.id else None, allow_duplicate=allow))
            except DuplicateError as exc:
                skipped.append(exc.existing_id)
        if sites:  # site sessions are shared by every monitor, not part of any one
            await api.import_sessions(sites, f"import of {Path(ctx.args.file).name}",
                                      storage)
        return out

    added = ctx.with_engine(work)
    if ctx.as_json:
        emit_json([m.to_public() for m in added])
    else:
        print(f"Imported {_count(len(added))}.")
    if skipped:
        ids = ", ".join(dict.fromkeys(skipped))
        sys.stderr.write(f"Skipped {_count(len(skipped))} already watched the same way "
                         f"({ids}); import with --allow-duplicate to add them anyway.\n")
    return 0


def _count(n: int) -> str:
    return f"{n} monitor" + ("" if n == 1 else "s")


def _exported(monitor: Any) -> dict[str, Any]:
    """A monitor as exported: without the engine's caches (validators, learned endpoint),
    which describe this data dir's last checks, not the monitor."""
    doc = monitor.to_dict()
    doc.pop("fetch_state", None)
    doc.pop("learned", None)
    return doc
