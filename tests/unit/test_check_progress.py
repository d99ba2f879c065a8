"""`check`'s live progress line: what it says, and that it stays away from pipes."""

from __future__ import annotations

import io

from tui_tracker.cli.progress import Progress, progress_line
from tui_tracker.core.model import Monitor
from tui_tracker.engine import events as ev


def test_progress_line_says_done_total_failures_and_the_slowest() -> None:
    assert progress_line(3, 10, 0, None) == "checking 3/10"
    assert progress_line(3, 10, 1, ("Kettle", 12.4)) == \
        "checking 3/10 · 1 failed · slowest: Kettle 12s"
    assert len(progress_line(1, 2, 0, ("x" * 200, 1.0), width=40)) <= 39


def test_progress_counts_only_its_own_monitors() -> None:
    out = io.StringIO()
    p = Progress(out)
    a, b = Monitor(id="aaaaa", url="http://x/", name="A"), Monitor(id="bbbbb", url="http://y/")
    p.begin([a, b])
    p.on_event(ev.CheckStarted("aaaaa"))
    p.on_event(ev.CheckStarted("zzzzz"))  # the owner's own schedule: not ours
    assert p.slowest()[0] == "A"
    p.on_event(ev.CheckFinished(a, False, False, "boom"))
    assert (p.done, p.failed) == (1, 1)
    assert out.getvalue().endswith("checking 1/2 · 1 failed")
    p.clear()
    assert out.getvalue().endswith("\r\x1b[K")


def test_no_progress_when_not_a_terminal() -> None:
    assert Progress.for_stream(io.StringIO(), enabled=True) is None
