"""`FrameWriter` (ui/terminal.py) on a real pipe: a reader that stops costs frames, never
a blocked caller; when it reads again, a full repaint is asked for; a write error is
"the terminal is gone"."""

from __future__ import annotations

import os
import threading
import time

from tui_tracker.ui.terminal import FrameWriter


class PipeEnd:
    """The write end of a pipe, as the file object the driver hands over."""

    encoding = "utf-8"

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def fileno(self) -> int:
        return self.fd


def wait_for(condition, what: str, limit: float = 10) -> None:
    end = time.monotonic() + limit
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {limit:g} s waiting for {what}")
        time.sleep(0.01)


def drain(fd: int) -> bytes:
    os.set_blocking(fd, False)
    out = b""
    try:
        while chunk := os.read(fd, 65536):
            out += chunk
    except BlockingIOError:
        pass
    return out


def test_a_reader_that_stops_costs_frames_not_a_blocked_writer() -> None:
    r, w = os.pipe()
    drained = threading.Event()
    lost = threading.Event()
    out = FrameWriter(PipeEnd(w), lost.set, drained.set, limit=200_000).start()
    frame = "x" * 50_000
    for _ in range(40):  # 2 MB into a 64 KB pipe nobody reads: must return at once
        out.write(frame)
    assert out.dropping and out.dropped > 0
    assert out.pending <= 200_000
    assert not drained.is_set()
    got = b""
    while not drained.is_set():  # the reader comes back
        got += drain(r)
        time.sleep(0.01)
    got += drain(r)
    assert not out.dropping and out.pending == 0
    assert set(got) == {ord("x")} and len(got) % 50_000 == 0, "a frame was torn"
    out.write("after")
    wait_for(lambda: out.pending == 0, "the next write to go out")
    assert drain(r) == b"after"
    assert out.close(1.0) and not lost.is_set()
    os.close(r)
    os.close(w)


def test_a_write_error_means_the_terminal_is_gone() -> None:
    r, w = os.pipe()
    lost = threading.Event()
    out = FrameWriter(PipeEnd(w), lost.set, lambda: None).start()
    os.close(r)  # the reader vanished: the next write fails (EPIPE)
    out.write("frame")
    wait_for(lost.is_set, "the loss to be reported")
    out.write("more")  # ignored, no error
    assert out.lost and out.close(1.0)
    os.close(w)


def test_close_gives_up_on_a_terminal_that_never_reads() -> None:
    r, w = os.pipe()
    out = FrameWriter(PipeEnd(w), lambda: None, lambda: None, limit=10_000_000).start()
    out.write("y" * 1_000_000)  # more than the pipe holds: the thread blocks in write
    assert out.close(0.3) is False  # returns, leaving the thread blocked in write
    while out.pending:  # let the thread finish so the test leaves nothing blocked
        drain(r)
        time.sleep(0.01)
    os.close(r)
    os.close(w)
