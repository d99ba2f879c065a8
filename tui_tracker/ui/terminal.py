"""Surviving a terminal that vanishes (SSH dropped, `tmux kill-session`, pty master closed)
or stays open but stops reading (Ctrl-S flow control, a stopped SSH client).

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

A terminal that stays open but does not read is the other half (issue 10): the
kernel's pty buffer fills, the writer thread blocks in `write`, Textual's 30-slot
queue fills, and the next frame blocks the event loop, which runs the engine too: no
checks, no alerts. So the driver writes through `FrameWriter` instead: `write` only
queues (never blocks); past `MAX_PENDING` unwritten bytes it drops output until the
terminal has taken everything queued, then asks the app for a full repaint, so the
screen is whole again as soon as the terminal reads. Its thread writes with
`os.write` on its own descriptor, holding no Python lock while blocked, so neither
the app's exit nor the interpreter's shutdown waits on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from typing import IO, Any

log = logging.getLogger(__name__)

EXIT_DEADLINE = 4.5
"""Seconds from losing the terminal to the process being gone, whatever blocks."""
MAX_PENDING = 512 * 1024
"""Unwritten output bytes before frames are dropped: several full 200x60 frames, so a
terminal that is merely slow for a moment loses nothing."""
CLOSE_WAIT = 1.0
"""Seconds the app's exit waits for the terminal to take its last output."""


class FrameWriter:
    """Writes a terminal's output from its own thread; `write` never blocks the caller.

    Args:
        file: the terminal (its `fileno()` is duplicated; the file itself is not used).
        on_lost: called (from the writer thread) once when a write fails: the
            terminal is gone.
        on_drained: called (from the writer thread) when the terminal has taken all
            queued output after some was dropped: the screen needs a full repaint.
        limit: unwritten bytes beyond which output is dropped.
    """

    def __init__(self, file: IO[str], on_lost: Callable[[], None],
                 on_drained: Callable[[], None], limit: int = MAX_PENDING) -> None:
        self._fd = os.dup(file.fileno())
        self._encoding = getattr(file, "encoding", None) or "utf-8"
        self._on_lost = on_lost
        self._on_drained = on_drained
        self.limit = limit
        self._queue: deque[bytes] = deque()
        self._cond = threading.Condition()
        self.pending = 0
        """Bytes queued or being written."""
        self.dropping = False
        self.dropped = 0
        """Writes dropped since the start (for tests and logs)."""
        self.lost = False
        self.unbounded = False
        """Set while the app leaves application mode: the few bytes that restore the
        terminal are queued even past the limit (written if it ever reads again)."""
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="tui-tracker-output",
                                        daemon=True)

    def start(self) -> FrameWriter:
        self._thread.start()
        return self

    def write(self, text: str) -> None:
        """Queue `text`, or drop it when the terminal has not taken what came before."""
        data = text.encode(self._encoding, "replace")
        with self._cond:
            if self.lost or self._closed or not data:
                return
            over = self.pending and self.pending + len(data) > self.limit
            if not self.unbounded and (self.dropping or over):
                if not self.dropping:
                    log.info("the terminal is not reading; dropping frames until it does")
                self.dropping = True
                self.dropped += 1
                return
            self._queue.append(data)
            self.pending += len(data)
            self._cond.notify()

    def close(self, wait: float = CLOSE_WAIT) -> bool:
        """Stop after writing what is queued, waiting at most `wait` seconds.

        Returns False when the terminal did not take it in time: the thread is left
        blocked in `write` (a daemon; it ends with the process).
        """
        with self._cond:
            self._closed = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(wait)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            self._loop()
        finally:  # the thread owns the descriptor: closed when nothing can write to it
            with contextlib.suppress(OSError):
                os.close(self._fd)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return
                data = b"".join(self._queue)
                self._queue.clear()
            try:
                self._write_all(data)
            except OSError as exc:
                with self._cond:
                    self.lost = True
                    self._queue.clear()
                    self.pending = 0
                log.info("terminal output failed (%s); treating the terminal as gone", exc)
                self._on_lost()
                return
            with self._cond:
                self.pending -= len(data)
                drained = self.dropping and not self._queue
                if drained:
                    self.dropping = False
            if drained and not self._closed:
                self._on_drained()

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]


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
            self._tt_out: FrameWriter | None = None
            if getattr(self, "_file", None) is not None:
                self._file = GuardedOutput(self._file, self._terminal_lost)

        def start_application_mode(self) -> None:
            with contextlib.suppress(RuntimeError):
                self._tt_loop = asyncio.get_running_loop()
            if self._tt_out is None and getattr(self, "_file", None) is not None:
                self._tt_out = FrameWriter(self._file, self._terminal_lost,
                                           self._repaint_all).start()
            super().start_application_mode()

        def write(self, data: str) -> None:
            # Every write of the driver and the app comes here (Textual's own writer
            # thread is left idle): queued, or dropped, never blocking the loop.
            if self._tt_out is None:
                super().write(data)
            else:
                self._tt_out.write(data)

        def stop_application_mode(self) -> None:
            if self._tt_out is not None:
                self._tt_out.unbounded = True
            super().stop_application_mode()

        def close(self) -> None:
            out, self._tt_out = self._tt_out, None
            if out is not None and not out.close():
                log.info("the terminal did not take the last output within %.0f s",
                         CLOSE_WAIT)
            super().close()

        def _repaint_all(self) -> None:
            """From the writer thread: output was dropped, so repaint the whole screen."""
            if self._tt_loop is None or self._tt_loop.is_closed():
                return
            with contextlib.suppress(RuntimeError):
                self._tt_loop.call_soon_threadsafe(self._app.refresh)

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
