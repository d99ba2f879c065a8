"""What a valid data file looks like, and the errors that say why one is not.

Both TinyDB files carry a `meta` table with one document,
`{"schema": SCHEMA_VERSION, "app": "tui-tracker"}`. A file with no tables at all
(`{}`) is accepted as a new, empty database; a file whose tables are there but
whose meta is missing, foreign or newer is refused. Validation happens at open,
for every document, because TinyDB itself only notices damage at the first table
access (HOSTILE-INPUTS 47) — hours later, in the middle of a check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.errors import StoreError
from ..core.model import Event, Monitor

SCHEMA_VERSION = 1
APP = "tui-tracker"
META_TABLE = "meta"
MONITORS_TABLE = "monitors"
EVENTS_TABLE = "events"

META_DOC = {"schema": SCHEMA_VERSION, "app": APP}

MONITOR_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""Ids name history files, so they must be safe path components (no '/', '..')."""


def valid_monitor_id(value: object) -> bool:
    return isinstance(value, str) and MONITOR_ID_RE.fullmatch(value) is not None


def damaged(path: Path, reason: str) -> StoreError:
    """The one sentence for a file we refuse to touch."""
    return StoreError(
        f"The data file {path} is damaged ({reason}); it was left untouched. "
        "Move it aside or restore a backup."
    )


def check_tinydb_shape(path: Path, data: Any) -> None:
    """TinyDB's layout: {table: {"<int doc id>": {document}}}.

    Anything else makes TinyDB raise TypeError/AttributeError/ValueError deep
    inside a later call, so it is refused here with a sentence naming the file.
    """
    if not isinstance(data, dict):
        kind = "null" if data is None else type(data).__name__
        raise damaged(path, f"the top level is {kind}, not an object of tables")
    for table, docs in data.items():
        if not isinstance(docs, dict):
            raise damaged(path, f"table {table!r} is {type(docs).__name__}, not an object")
        for doc_id, doc in docs.items():
            if not (doc_id.isascii() and doc_id.isdigit()):
                raise damaged(path, f"table {table!r} has a non-numeric document id {doc_id!r}")
            if not isinstance(doc, dict):
                raise damaged(
                    path, f"document {doc_id} of table {table!r} is {type(doc).__name__}"
                )


def check_meta(path: Path, data: dict[str, dict[str, Any]]) -> None:
    """Refuse foreign files and files written by a newer schema."""
    if not data:
        return  # `{}`: an empty database, nothing to lose
    meta = data.get(META_TABLE)
    if not meta:
        raise damaged(path, "it has no schema version, so it is not a tui-tracker file")
    doc = next(iter(meta.values()))
    if doc.get("app") != APP:
        raise damaged(path, f"it belongs to {doc.get('app')!r}, not {APP}")
    version = doc.get("schema")
    if isinstance(version, bool) or not isinstance(version, int):
        raise damaged(path, f"its schema version {version!r} is not a number")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The data file {path} uses schema version {version}, but this version of "
            f"tui-tracker reads only version {SCHEMA_VERSION} or older; upgrade tui-tracker "
            "or use a different --data-dir."
        )
    if version < 1:
        raise damaged(path, f"its schema version {version} is unknown")


def _check_docs(path: Path, data: dict[str, dict[str, Any]], table: str,
                parse: Callable[[dict[str, Any]], Any], what: str,
                keep: list[Any] | None = None) -> None:
    seen: set[str] = set()
    for doc_id, doc in data.get(table, {}).items():
        try:
            obj = parse(doc)
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise damaged(
                path, f"{what} {doc_id} cannot be read: {type(exc).__name__} {exc}"
            ) from exc
        key = obj.id
        if key in seen:
            raise damaged(path, f"two {what}s share the id {key!r}")
        seen.add(key)
        if keep is not None:
            keep.append(obj)


def _parse_monitor(doc: dict[str, Any]) -> Monitor:
    if not isinstance(doc.get("id"), str) or not isinstance(doc.get("url"), str):
        raise ValueError("it has no id or url")
    if not valid_monitor_id(doc["id"]):
        raise ValueError(f"its id {doc['id'][:70]!r} is not a plain word")
    return Monitor.from_dict(doc)


def validate_monitors_file(path: Path, data: Any, keep: list[Monitor] | None = None) -> None:
    """Full check of monitors.json; raises StoreError naming the file.

    `keep` receives the monitors parsed on the way, in file order (the store hands them
    out as its first `list_monitors` instead of parsing every document twice).
    """
    check_tinydb_shape(path, data)
    check_meta(path, data)
    _check_docs(path, data, MONITORS_TABLE, _parse_monitor, "monitor", keep)


def validate_events_file(path: Path, data: Any) -> None:
    """Full check of notifications.json; raises StoreError naming the file."""
    check_tinydb_shape(path, data)
    check_meta(path, data)
    _check_docs(path, data, EVENTS_TABLE, Event.from_dict, "event")
