"""Open the engine for a window: own the data dir when nobody does, else attach to its owner.

The one decision every writer makes (DESIGN "Ownership"): a live owner carries out the
request; without one, this process takes the lock and runs the request itself.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui_tracker.config import Settings
from tui_tracker.core.errors import LockedError
from tui_tracker.engine.api import EngineAPI


def choose_engine(data_dir: Path, settings: Settings, *, poll: bool,
                  serve: bool) -> EngineAPI:
    """A `LocalEngine` owning `data_dir`, or a `RemoteEngine` for its owner (not started).

    Raises StoreError when the data dir cannot be used.
    """
    from tui_tracker.engine.local import LocalEngine
    from tui_tracker.engine.remote import RemoteEngine
    from tui_tracker.store.lock import owner_pid

    pid = owner_pid(Path(data_dir))
    if pid is None:
        try:
            return LocalEngine.own(data_dir, settings, poll=poll, serve=serve)
        except LockedError as exc:  # someone took it a moment ago
            pid = exc.pid
    return RemoteEngine(data_dir, pid or None)


def choose_engine_waiting(data_dir: Path, settings: Settings, *, poll: bool, serve: bool,
                          wait: float = 5.0) -> EngineAPI:
    """`choose_engine`, but an owner without a control socket is waited for a moment.

    That owner is a one-shot command holding the lock for a second, or an owner still
    starting: within `wait` seconds either it leaves (we own) or its socket appears.
    """
    import time

    from tui_tracker.engine.remote import RemoteEngine

    deadline = time.monotonic() + wait
    while True:
        api = choose_engine(data_dir, settings, poll=poll, serve=serve)
        if not isinstance(api, RemoteEngine) or api.path.exists() or \
                time.monotonic() > deadline:
            return api
        time.sleep(0.1)


async def open_engine(data_dir: Path, settings: Settings, *, poll: bool = False,
                      serve: bool = False) -> EngineAPI:
    """`choose_engine`, started; OwnerUnavailable when the owner cannot be reached.

    An owner that cannot be reached is usually another one-shot command holding the lock
    for a moment, or an owner starting or stopping: try again until the same 5 s pass.
    """
    from tui_tracker.engine.remote import ANSWER_WITHIN, OwnerUnavailable

    deadline = asyncio.get_running_loop().time() + ANSWER_WITHIN
    while True:
        api = choose_engine(data_dir, settings, poll=poll, serve=serve)
        try:
            await api.start()
            return api
        except OwnerUnavailable as exc:
            await api.close()
            if asyncio.get_running_loop().time() > deadline:
                raise exc from None
            await asyncio.sleep(0.1)
        except BaseException:
            await api.close()
            raise
