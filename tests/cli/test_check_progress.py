"""`check` on a terminal shows one live progress line; piped or with --json, nothing extra."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import sys
import time

from tests.cli.conftest import Cli
from tests.servers.site import Site


def run_on_pty(cli: Cli, *args: str, limit: float = 60) -> tuple[int, str]:
    """`tui-tracker ARGS` with stdout and stderr on a pseudo-terminal: (status, output)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(sys.executable, [sys.executable, "-m", "tui_tracker", "--data-dir",
                                   str(cli.data_dir), *args], cli.env)
    raw = b""
    deadline = time.monotonic() + limit
    status = None
    while time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            with contextlib.suppress(OSError):  # the child closed the terminal
                raw += os.read(fd, 65536)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)
    assert status is not None, f"check did not finish: {raw[-2000:]!r}"
    return status, raw.decode("utf-8", "replace")


def test_check_on_a_terminal_shows_progress_then_the_results(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle")["id"]
    site.state["delay"] = 1.5  # long enough for a few redraws
    status, out = run_on_pty(cli, "check")
    assert status == 0, out
    assert "checking 0/1" in out and "slowest: Kettle" in out
    assert "\r\x1b[K" in out  # redrawn in place, then wiped
    assert f"{mid}  ok" in out or f"{mid}  changed" in out


def test_check_piped_or_json_prints_no_progress(cli: Cli, site: Site) -> None:
    cli.json("add", site.url("/product/1"), "--name", "Kettle")
    site.state["delay"] = 0.5
    proc = cli("check", check=0)
    assert "checking" not in proc.stderr and proc.stderr == ""
    status, out = run_on_pty(cli, "check", "--json")
    assert status == 0 and "checking 0/" not in out and '"ok": true' in out
