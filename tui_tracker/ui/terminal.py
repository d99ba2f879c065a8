"""Surviving a terminal that vanishes (SSH dropped, `tmux kill-session`, pty master closed).

What went wrong (issue 10.1, HOSTILE-INPUTS 55): Textual writes through a writer
thread fed by a bounded queue. Once the terminal is gone its `write` raises EIO, the
thread dies, the queue fills, and the main thread blocks for ever in `queue.put`
while stopping application mode writes its last escape sequences — alive under
PID 1, holding the data dir, until someone uses kill -9.

The fix has three parts:

* the driver writes through `GuardedOutput`, which turns a write error into "the
  terminal is gone" and discards everything after it, so the writer thread never
  dies and nothing blocks on its queue;
* losing the terminal (a failed write, or an error reading input) tells the app,
  which closes as it does on SIGHUP;
* `arm_exit_deadline` makes sure the process ends within the promised 5 s even
  if something else stalls on the way out (the kernel then drops the data-dir lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable
from typing import IO, Any

log = logging.getLogger(__name__)

EXIT_DEADLINE = 4.5
"""Seconds from losing the terminal to the process being gone, whatever blocks."""


class GuardedOutput:
    """A text file wrapper whose write/flush never raise: the first failure calls `on_lost`."""

    def __init__(self, file: IO[str], on_lost: Callable[[], None]) -> None:
        self._file = file
        self._on_lost = on_lost
        self.lost = False

    def _fail(self, exc: BaseException) -> None:
        if not self.lost:
            self.lost = True
            log.info("terminal output failed (%s); treating the terminal as gone", exc)
            self._on_lost()

    def write(self, text: str) -> int:
        if self.lost:
            return len(text)
        try:
            return self._file.write(text)
        except (OSError, ValueError) as exc:
            self._fail(exc)
            return len(text)

    def flush(self) -> None:
        if self.lost:
            return
        try:
            self._file.flush()
        except (OSError, ValueError) as exc:
            self._fail(exc)

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return not self.lost and self._file.isatty()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def arm_exit_deadline(code: int, seconds: float = EXIT_DEADLINE) -> None:
    """End the process with `code` after `seconds` unless it has exited by then.

    A daemon timer: a clean exit before it fires is not delayed. `os._exit` skips
    Python's shutdown (which could block on the same dead terminal); the store's
    writes are atomic and the data-dir flock dies with the process.
    """
    timer = threading.Timer(seconds, os._exit, (code,))
    timer.daemon = True
    timer.start()


def guarded_driver(base: type[Any]) -> type[Any]:
    """A subclass of Textual's terminal driver `base` that survives a vanished terminal.

    The app may define `on_terminal_lost()`; it is called on the app's loop once.
    """

    class GuardedDriver(base):  # type: ignore[misc, valid-type]
        def __init__(self, app: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(app, *args, **kwargs)
            self._tt_loop: asyncio.AbstractEventLoop | None = None
            self._tt_lost = threading.Event()
            if getattr(self, "_file", None) is not None:
                self._file = GuardedOutput(self._file, self._terminal_lost)

        def start_application_mode(self) -> None:
            with contextlib.suppress(RuntimeError):
                self._tt_loop = asyncio.get_running_loop()
            super().start_application_mode()

        def _terminal_lost(self) -> None:
            """From any thread: tell the app once."""
            if self._tt_lost.is_set():
                return
            self._tt_lost.set()
            handler = getattr(self._app, "on_terminal_lost", None)
            if handler is None or self._tt_loop is None or self._tt_loop.is_closed():
                return
            with contextlib.suppress(RuntimeError):
                self._tt_loop.call_soon_threadsafe(handler)

        def _run_input_thread(self) -> None:
            # Reading a hung-up terminal raises EIO; Textual would "panic" and try to
            # print a traceback to the dead terminal. Treat it as the terminal leaving.
            try:
                self.run_input_thread()
            except OSError:
                self._terminal_lost()
            except BaseException:
                import rich.traceback

                self._app.call_later(self._app.panic, rich.traceback.Traceback())

    GuardedDriver.__name__ = f"Guarded{base.__name__}"
    return GuardedDriver
