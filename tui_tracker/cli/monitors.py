"""Commands that manage monitors: add, edit, list, mode changes, history, notifications."""

from __future__ import annotations

import asyncio
import sys

from tui_tracker.cli.context import Context
from tui_tracker.cli.output import (
    ago,
    emit_json,
    format_readings,
    monitor_row,
    print_table,
)
from tui_tracker.cli.spec import apply_args, new_monitor, secrets_from_args
from tui_tracker.core.model import Kind, Mode, utcnow
from tui_tracker.core.text import clean_text
from tui_tracker.core.validation import name_from_url
from tui_tracker.store.secrets import MonitorSecrets, Secrets


def _name_from_page(ctx: Context, m, given: MonitorSecrets | None) -> None:
    """Name the monitor from the page (and learn its kind/fetcher) with one probe."""
    from tui_tracker.engine.access import access_for
    from tui_tracker.engine.probe import probe_once
    from tui_tracker.fetchers.base import Access

    settings = ctx.settings()
    access = access_for(m.url, settings, Secrets(ctx.data_dir))
    if given is not None:
        access = Access(cookies=access.cookies + tuple(given.cookies),
                        headers=tuple(given.headers), proxy=given.proxy or access.proxy)
    result = asyncio.run(probe_once(settings, m.url, kind=m.probe_kind,
                                    selector=m.selector, regex=m.regex, fetch=m.fetcher,
                                    access=access))
    if result.ok and result.extraction:
        ex = result.extraction
        m.name = clean_text(ex.title, 120) if ex.title else name_from_url(m.url)
        if m.kind is Kind.AUTO:
            m.kind = ex.kind
    else:
        m.name = name_from_url(m.url)
        sys.stderr.write(f"tui-tracker: note: a first look at the page failed ({result.error}); "
                         "the monitor was added and will be checked on schedule.\n")


def _save_secrets(ctx: Context, m, given: MonitorSecrets | None) -> None:
    if given is not None:
        Secrets(ctx.data_dir).put_monitor(m.id, given)


def add(ctx: Context) -> int:
    m = new_monitor(ctx.args)
    given = secrets_from_args(m, ctx.args, MonitorSecrets())
    with ctx.store(write=True) as store:
        if not m.name:
            _name_from_page(ctx, m, given)
        m.id = store.new_id()
        _save_secrets(ctx, m, given)
        store.add(m)
    if ctx.as_json:
        emit_json(m.to_public())
    else:
        print(m.id)
    return 0


def edit(ctx: Context) -> int:
    with ctx.store(write=True) as store:
        m = store.resolve(ctx.args.id)
        before = m.fetch_target
        apply_args(m, ctx.args)
        secrets = Secrets(ctx.data_dir)
        _save_secrets(ctx, m, secrets_from_args(m, ctx.args, secrets.monitor(m.id)))
        if m.fetch_target != before:
            m.resolved_fetcher = None
        store.save(m)
    if ctx.as_json:
        emit_json(m.to_public())
    else:
        print(f"{m.id} saved")
    return 0


def list_(ctx: Context) -> int:
    with ctx.store(write=False) as store:
        monitors = store.list_monitors()
    now = utcnow()
    if ctx.as_json:
        emit_json([m.to_public(now) for m in monitors])
        return 0
    if not monitors:
        print("No monitors yet. Add one with: tui-tracker add URL")
        return 0
    print_table([monitor_row(m, now) for m in monitors],
                ["ID", "HEALTH", "MODE", "NAME", "VALUE", "CHECKED", "ERROR"])
    return 0


def _set_mode(ctx: Context, mode: Mode) -> int:
    with ctx.store(write=True) as store:
        monitors = [store.resolve(ref) for ref in ctx.args.ids]
        for m in monitors:
            m.mode = mode
            if mode is Mode.ACTIVE:
                m.next_check = None  # resumed: check at the next opportunity
        store.save_many(monitors)
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
    with ctx.store(write=True) as store:
        monitors = [store.resolve(ref) for ref in ctx.args.ids]
        for m in monitors:
            store.remove(m.id)
            Secrets(ctx.data_dir).put_monitor(m.id, MonitorSecrets())
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
        print(f"{e.at.isoformat(timespec='seconds')}  {format_readings(e.readings, 8)}")
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
    for e in events:
        states = ", ".join(f"{d.to}: {d.state.value}" + (f" ({d.error})" if d.error else "")
                           for d in e.deliveries) or "no recipients"
        print(f"{ago(e.at, now):>9}  {e.monitor_id}  {clean_text(e.message, 100)}  [{states}]")
    return 0

