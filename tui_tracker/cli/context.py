"""What every command needs: settings, the data dir, and the store opened the right way.

Commands that write go through the engine interface (`with_engine`): carried out by the
owner over its control socket when the TUI or `run` owns the data dir, else by an engine
in this process that holds the lock and does not poll. Read-only commands open the store
read-only and never lock.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tui_tracker import paths
from tui_tracker.cli.output import warn
from tui_tracker.config import Settings, config_warning, ensure_config_file, load_settings

if TYPE_CHECKING:
    from tui_tracker.engine.api import EngineAPI

T = TypeVar("T")


@dataclass
class Context:
    args: argparse.Namespace

    @property
    def as_json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def data_dir(self) -> Path:
        return paths.data_dir(getattr(self.args, "data_dir", None))

    @property
    def config_path(self) -> Path:
        return paths.config_file(getattr(self.args, "data_dir", None))

    def settings(self, *, create: bool = False) -> Settings:
        """Load settings; `create` first writes a commented 0600 config.toml if none exists.

        Only long-running or mail-sending commands create it: `list` from cron
        should not leave files behind.
        """
        path = self.config_path
        if create:
            ensure_config_file(path)
        warning = config_warning(path)
        if warning:
            warn(warning)
        return load_settings(path)

    @contextlib.contextmanager
    def store(self, *, write: bool) -> Iterator[Any]:
        """The store, locked for writing or opened read-only; closed (and unlocked) after."""
        from tui_tracker.store.repository import Store

        if not write:
            store = Store.open(self.data_dir, readonly=True)
            try:
                yield store
            finally:
                store.close()
            return
        from tui_tracker.store.lock import DataDirLock

        self.data_dir.mkdir(parents=True, exist_ok=True)
        with DataDirLock(self.data_dir):
            store = Store.open(self.data_dir)
            try:
                yield store
            finally:
                store.close()

    def with_engine(self, work: Callable[[EngineAPI], Awaitable[T]],
                    settings: Settings | None = None) -> T:
        """Run `work(api)` on the owner's engine, or on one of our own when there is none."""
        import asyncio

        from tui_tracker.engine.session import open_engine

        settings = settings or self.settings()

        async def go() -> T:
            api = await open_engine(self.data_dir, settings)
            try:
                return await work(api)
            finally:
                await api.close()

        return asyncio.run(go())
