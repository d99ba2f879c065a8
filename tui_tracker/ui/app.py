"""The Textual app: lifecycle, signals, theme, and which engine the dashboard talks to.

The dashboard (ui/screens/dashboard.py) holds the table and the actions; the bridge
(ui/bridge.py) turns engine events into messages. The app starts and closes the
engine interface, swaps it when an attached window takes over from an owner that went
away; ui/workers.py shows any worker's unexpected exception instead of losing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from typing import Any

from textual import work
from textual.app import App

from tui_tracker.config import Settings
from tui_tracker.core.errors import TrackerError
from tui_tracker.core.text import clean_text
from tui_tracker.engine.api import EngineAPI
from tui_tracker.ui import messages as msg
from tui_tracker.ui.bridge import EngineBridge
from tui_tracker.ui.commands import TrackerCommands
from tui_tracker.ui.screens.confirm import ConfirmScreen
from tui_tracker.ui.screens.dashboard import DashboardScreen
from tui_tracker.ui.terminal import arm_exit_deadline, guarded_driver
from tui_tracker.ui.widgets.detail import DetailPane
from tui_tracker.ui.widgets.monitor_table import MonitorTable
from tui_tracker.ui.widgets.status import StatusBar
from tui_tracker.ui.workers import ShowsWorkerErrors

TakeOver = Callable[[], EngineAPI]
"""Builds the engine for this window once an owner is gone (local, or the new owner's)."""


class TrackerApp(App[int], ShowsWorkerErrors):
    """The tui-tracker dashboard over an `EngineAPI`."""

    TITLE = "tui-tracker"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {TrackerCommands}

    def __init__(self, api: EngineAPI, settings: Settings | None = None, *,
                 take_over: TakeOver | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api = api
        self.settings = settings or getattr(api, "settings", None) or Settings()
        self.take_over = take_over
        self.failure: str | None = None
        """Why the app could not run (the engine could not be started); printed after."""
        self.dashboard = DashboardScreen(api, self.settings)
        self.bridge = EngineBridge(self.dashboard)
        self._engine_closed = False
        self._hung_up = False

    # The dashboard's parts, for tests and the benchmark.
    @property
    def table(self) -> MonitorTable:
        return self.dashboard.table

    @property
    def detail(self) -> DetailPane:
        return self.dashboard.detail

    @property
    def status_bar(self) -> StatusBar:
        return self.dashboard.status_bar

    @property
    def flushes(self) -> int:
        return self.dashboard.flushes

    # ------------------------------------------------------------ lifecycle
    async def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, lambda _theme: self._refresh_palette())
        await self.push_screen(self.dashboard)
        # Registered here, in the app's own context: a handler registered from a screen's
        # handler inherits that context, and its messages to the app were dropped.
        self._catch_hangup()

    async def start_engine(self) -> None:
        """Start (local) or connect to (attached) the engine and show its monitors.

        Called by the dashboard once it is mounted (its table must exist first).
        """
        self.bridge.attach(self.api)
        try:
            await self.api.start()
            monitors = await self.api.monitors()
        except TrackerError as exc:
            self.failure = str(exc)
            self._engine_closed = True
            self.exit(1)
            return
        self.dashboard.load(monitors)
        self._say_owner()
        self.set_interval(1.0, self._watch_owner)

    def _watch_owner(self) -> None:
        """An attached window says so when its owner stops answering (frozen, overloaded)."""
        silent = getattr(self.api, "silent_for", 0.0)
        gone = getattr(self.api, "gone", None)
        pid = self.api.owner_pid
        if pid is None or gone is not None:
            return
        self._say_owner(f"pid {pid} not answering ({silent:.0f} s)" if silent > 5 else None)

    async def on_unmount(self) -> None:
        self._release_signals()
        await self.close_engine()

    async def close_engine(self) -> None:
        """Local: stop checks, save, release the data dir. Attached: just disconnect."""
        if self._engine_closed:
            return
        self._engine_closed = True
        self.bridge.detach()
        await self.api.close()

    def _say_owner(self, note: str | None = None) -> None:
        pid = self.api.owner_pid
        self.dashboard.set_owner_note(note or (f"attached to pid {pid}" if pid else None))

    def _refresh_palette(self) -> None:
        if self.dashboard.is_mounted:
            self.dashboard.refresh_palette()

    async def action_quit(self) -> None:
        attached = self.api.owner_pid is not None
        self.notify("Closing; the engine keeps running." if attached else
                    "Saving and closing…", markup=False, timeout=2)
        await self.close_engine()
        self.exit(0)

    # ------------------------------------------------------------ owner gone
    def on_owner_lost(self, message: msg.OwnerLost) -> None:
        reason = clean_text(message.reason, 200)
        self._say_owner("engine gone")
        if self.take_over is None:
            self.notify(reason, title="Engine gone", severity="error", markup=False,
                        timeout=30)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.take_over_engine()
            else:
                self.notify("Nothing is checked until an engine runs again; actions fail "
                            "until then.", markup=False, severity="warning", timeout=10)

        self.push_screen(ConfirmScreen(
            reason, "Take over the data dir here? This window then runs the engine; "
            "quitting it stops the checks.", yes="Take over (y)", no="Not now (n)"),
            callback=answered)

    @work(group="take-over", exclusive=True, exit_on_error=False)
    async def take_over_engine(self) -> None:
        assert self.take_over is not None
        old = self.api
        try:
            new = self.take_over()
            await new.start()
            monitors = await new.monitors()
        except TrackerError as exc:
            self.notify(str(exc), title="Could not take over", severity="error",
                        markup=False, timeout=15)
            return
        self.bridge.detach()
        with contextlib.suppress(TrackerError):
            await old.close()
        self.api = new
        self.dashboard.api = new
        self.bridge.attach(new)
        self.dashboard.load(monitors)
        self._say_owner()
        self.notify("This window runs the engine now." if new.owner_pid is None else
                    f"Attached to the new engine (pid {new.owner_pid}).", markup=False)

    # ------------------------------------------------------------ signals
    HANGUP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)

    def _catch_hangup(self) -> None:
        """SIGHUP (the SSH session dropped) and SIGTERM close the app as `q` does.

        Python's default for both is to die on the spot: no state saved, and the
        browser left to notice its pipe closing. Pilot tests run headless in the
        test runner's process, whose signals are left alone.
        """
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in self.HANGUP_SIGNALS:
            try:
                loop.add_signal_handler(sig, self._on_hangup, sig)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not the main thread, or no signals here: keep the default

    def _release_signals(self) -> None:
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in self.HANGUP_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)

    def get_driver_class(self) -> Any:
        """Textual's terminal driver, made to survive a terminal that vanishes (ui/terminal.py)."""
        base = super().get_driver_class()
        return guarded_driver(base) if base.__name__ == "LinuxDriver" else base

    def on_terminal_lost(self) -> None:
        """The terminal is gone without a SIGHUP reaching us first: close as on SIGHUP."""
        self._on_hangup(signal.SIGHUP)

    def _on_hangup(self, sig: signal.Signals) -> None:
        if self._hung_up:
            return
        self._hung_up = True
        # Whatever stalls on the way out (a dead terminal, a hung browser), the process
        # ends within 5 s and the kernel releases the data dir (DESIGN "Small print").
        arm_exit_deadline(128 + int(sig))
        self.run_worker(self._close_after_signal(sig), group="hangup", exit_on_error=False)

    async def _close_after_signal(self, sig: signal.Signals) -> None:
        await self.close_engine()
        self.exit(128 + int(sig))
