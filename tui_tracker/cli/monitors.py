"""Commands that manage monitors: add, edit, list, mode changes, history, notifications."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from tui_tracker.cli.context import Context
from tui_tracker.cli.output import (
    ago,
    emit_json,
    format_readings,
    monitor_row,
    print_table,
)
from tui_tracker.cli.spec import monitor_input, secrets_from_args
from tui_tracker.core.formatting import delivery_lines, event_rules, local_time
from tui_tracker.core.model import Kind, Mode, Monitor, utcnow
from tui_tracker.core.monitor_input import MonitorInput, parse_tags
from tui_tracker.core.text import clean_text
from tui_tracker.core.validation import name_from_url
from tui_tracker.store.secrets import MonitorSecrets, Secrets

if TYPE_CHECKING:
    from tui_tracker.engine.api import EngineAPI


async def _name_from_page(api: EngineAPI, spec: MonitorInput) -> str | None:
    """Name the monitor from the page (and learn its kind) with one probe; returns a note
    to print once the monitor is saved (the save itself may still be refused)."""
    m = spec.apply()  # bad input is refused before any fetch
    result = await api.probe(m.url, kind=m.probe_kind, selector=m.selector, regex=m.regex,
                             fetch=m.fetcher)
    if result.ok and result.extraction:
        ex = result.extraction
        spec.name = clean_text(ex.title, 120) if ex.title else name_from_url(m.url)
        if m.kind is Kind.AUTO:
            spec.kind = ex.kind.value
        return None
    spec.name = name_from_url(m.url)
    return (f"tui-tracker: note: a first look at the page failed ({result.error}); "
            "the monitor was added and will be checked on schedule.\n")


def add(ctx: Context) -> int:
    spec = monitor_input(ctx.args)
    given = secrets_from_args(spec.apply().url, ctx.args, MonitorSecrets())

    notes: list[str] = []

    async def work(api: EngineAPI) -> Monitor:
        if not spec.name:
            note = await _name_from_page(api, spec)
            if note:
                notes.append(note)
        return await api.add(spec, secrets=given)

    m = ctx.with_engine(work)
    for note in notes:
        sys.stderr.write(note)
    if ctx.as_json:
        emit_json(m.to_public())
    else:
        print(m.id)
    return 0


def edit(ctx: Context) -> int:
    changes = monitor_input(ctx.args)

    async def work(api: EngineAPI) -> Monitor:
        current = (await api.resolve([ctx.args.id]))[0]
        given = secrets_from_args(changes.url or current.url, ctx.args,
                                  Secrets(ctx.data_dir).monitor(current.id))
        return await api.edit(current.id, changes, secrets=given)

    m = ctx.with_engine(work)
    if ctx.as_json:
        emit_json(m.to_public())
    else:
        print(f"{m.id} saved")
    return 0


def list_(ctx: Context) -> int:
    with ctx.store(write=False) as store:
        monitors = store.list_monitors()
    wanted = parse_tags(ctx.args.tag) if getattr(ctx.args, "tag", None) else []
    if wanted:
        monitors = [m for m in monitors if set(wanted) & set(m.tags)]
    now = utcnow()
    if ctx.as_json:
        emit_json([m.to_public(now) for m in monitors])
        return 0
    if not monitors:
        print(f"No monitors tagged {', '.join(wanted)}." if wanted else
              "No monitors yet. Add one with: tui-tracker add URL")
        return 0
    print_table([monitor_row(m, now) for m in monitors],
                ["ID", "HEALTH", "MODE", "NAME", "TAGS", "VALUE", "CHECKED", "ERROR"])
    return 0


def _set_mode(ctx: Context, mode: Mode) -> int:
    async def work(api: EngineAPI) -> list[Monitor]:
        monitors = await api.resolve(ctx.args.ids)
        ids = list(dict.fromkeys(m.id for m in monitors))
        changed = {m.id: m for m in await api.set_mode(ids, mode)}
        return [changed.get(m.id, m) for m in monitors]

    monitors = ctx.with_engine(work)
    if ctx.as_json:
        emit_json([m.to_public() for m in monitors])
    else:
        for m in monitors:
            print(f"{m.id} {mode.value}")
    return 0


def pause(ctx: Context) -> int:
    return _set_mode(ctx, Mode.PAUSED)


def resume(ctx: Context) -> int:
    return _set_mode(ctx, Mode.ACTIVE)


def stop(ctx: Context) -> int:
    return _set_mode(ctx, Mode.STOPPED)


def remove(ctx: Context) -> int:
    async def work(api: EngineAPI) -> list[Monitor]:
        monitors = await api.resolve(ctx.args.ids)
        await api.remove(list(dict.fromkeys(m.id for m in monitors)))
        return monitors

    monitors = ctx.with_engine(work)
    if ctx.as_json:
        emit_json([{"id": m.id, "removed": True} for m in monitors])
    else:
        for m in monitors:
            print(f"{m.id} removed")
    return 0


def history(ctx: Context) -> int:
    with ctx.store(write=False) as store:
        m = store.resolve(ctx.args.id)
        entries = store.history(m.id, ctx.args.limit)
    if ctx.as_json:
        emit_json([e.to_dict() for e in entries])
        return 0
    if not entries:
        print(f"No readings yet for {m.id}.")
    for e in entries:
        print(f"{local_time(e.at)}  {format_readings(e.readings, 8)}")
    return 0


def notifications(ctx: Context) -> int:
    with ctx.store(write=False) as store:
        monitor_id = store.resolve(ctx.args.id).id if ctx.args.id else None
        events = store.events(monitor_id, ctx.args.limit)
    if ctx.as_json:
        emit_json([e.to_public() for e in events])
        return 0
    if not events:
        print("No notifications yet.")
    now = utcnow()
    for i, e in enumerate(events):
        if i:
            print()
        print(f"{local_time(e.at)} ({ago(e.at, now)})  {e.monitor_id}  "
              f"{clean_text(e.monitor_name, 80)}  [{', '.join(event_rules(e))}]")
        print(f"  {clean_text(e.message, 1000)}")
        for line in delivery_lines(e, now):
            print(f"  {line}")
    return 0

