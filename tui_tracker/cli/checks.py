"""Commands that fetch: probe (save nothing), check (one pass, for cron), run (headless engine)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import TYPE_CHECKING

from tui_tracker.cli.context import Context
from tui_tracker.cli.output import emit_json, format_readings, warn
from tui_tracker.core.formatting import local_time
from tui_tracker.core.model import FetchMode, Kind, Mode, utcnow
from tui_tracker.core.text import clean_text
from tui_tracker.core.urls import validate_url

if TYPE_CHECKING:
    from tui_tracker.engine.api import CheckReport, EngineAPI


def probe(ctx: Context) -> int:
    from tui_tracker.engine.local import check_extraction
    from tui_tracker.engine.probe import probe_once

    args = ctx.args
    url = validate_url(args.url)
    check_extraction(args.selector, args.regex)
    from tui_tracker.engine.access import access_for
    from tui_tracker.store.secrets import Secrets

    settings = ctx.settings()
    access = access_for(url, settings, Secrets(ctx.data_dir))
    result = asyncio.run(probe_once(settings, url, kind=Kind(args.kind),
                                    selector=args.selector, regex=args.regex,
                                    fetch=FetchMode(args.fetch), access=access))
    if ctx.as_json:
        emit_json(result.to_json())
        if not result.ok:
            warn(result.error)
    elif result.ok and result.extraction:
        ex = result.extraction
        print(f"{clean_text(ex.title or url, 80)}")
        print(f"  {format_readings(ex.readings, 50)}")
        stock = {True: "in stock", False: "out of stock"}.get(ex.in_stock)  # type: ignore[arg-type]
        extra = f", {stock}" if stock else ""
        print(f"  ({ex.kind.value} from {ex.source} via {result.fetcher}{extra})")
    else:
        warn(result.error)
    return 0 if result.ok else 1


def check(ctx: Context) -> int:
    from tui_tracker.cli.progress import Progress

    settings = ctx.settings()
    refs = list(ctx.args.ids) or None
    progress = Progress.for_stream(sys.stderr, enabled=not ctx.as_json)

    async def work(api: EngineAPI) -> list[CheckReport]:
        chosen = None if refs is None else await api.resolve(refs)
        ids = None if chosen is None else list(dict.fromkeys(m.id for m in chosen))
        if progress is None:
            return await api.check(ids)
        progress.begin(chosen if chosen is not None else [
            m for m in await api.monitors() if m.mode is Mode.ACTIVE])
        unsubscribe = api.subscribe(progress.on_event)
        try:
            return await progress.run_while(api.check(ids))
        finally:
            unsubscribe()

    outcomes = ctx.with_engine(work, settings)
    if ctx.as_json:
        emit_json([o.to_json() for o in outcomes])
    else:
        for o in outcomes:
            m = o.monitor
            status = "changed" if o.changed else ("ok" if o.ok else "FAILED")
            detail = format_readings(m.readings) if o.ok else o.error
            print(f"{m.id}  {status:<7}  {clean_text(m.display_name, 40)}  {detail}")
        if not outcomes:
            print("Nothing to check: no active monitors.")
    failed = [o for o in outcomes if not o.ok]
    for o in failed if ctx.as_json else ():
        warn(f"{o.monitor.id}: {o.error}")
    return 1 if failed else 0


def _log_event(event: object) -> None:
    """The headless runner's subscriber: the activity log's lines (the TUI's `l` screen
    shows the same), one per check, alert and delivery change."""
    from tui_tracker.engine.activity import describe

    log = logging.getLogger("tui_tracker.run")
    for item in describe(event):
        (log.warning if item.kind in ("error", "save") else log.info)("%s", item.line())


def run(ctx: Context) -> int:
    from tui_tracker.engine.local import LocalEngine

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    # One line per check is ours; httpx would add "HTTP Request: GET …" for each.
    for noisy in ("httpx", "httpcore", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings = ctx.settings(create=True)
    api = LocalEngine.own(ctx.data_dir, settings, poll=True, serve=True)
    api.subscribe(_log_event)
    log = logging.getLogger("tui_tracker.run")

    async def go() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(sig, stop.set)
        try:
            await api.start()
            log.info("%s  engine running on %s with %d monitors; Ctrl-C to stop; other "
                     "windows attach through %s", local_time(utcnow()), ctx.data_dir,
                     len(api.engine.monitors), api.control_path)
            await stop.wait()
            log.info("%s  stopping", local_time(utcnow()))
        finally:
            await api.close()

    asyncio.run(go())
    return 0
