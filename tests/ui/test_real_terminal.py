"""The real app in a real pseudo-terminal: hostile text never reaches the terminal as
control sequences, and a hang-up ends the app and its browser (HOSTILE-INPUTS 36, 52).

Pilot tests render to an in-memory screen; the escape-sequence leak in 36 was only
visible in the bytes a real terminal receives, so this runs `python -m tui_tracker`
under `pty.fork()` and reads them.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from tui_tracker.core.model import FetchMode, Mode, Monitor, Reading, Rules, utcnow
from tui_tracker.store.lock import DataDirLock, owner_pid
from tui_tracker.store.repository import Store

OSC52 = "\x1b]52;c;aGk=\x07"
HOSTILE = f"Pwn{OSC52}ed\x1b[2J kettle \x9b31m[bold red]X[/]"
ROOT = Path(__file__).resolve().parents[2]
CSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")


def seed(data_dir: Path, browser_url: str) -> None:
    now = utcnow()
    store = Store.open(data_dir)
    store.add(Monitor(
        id="hostl", url="http://127.0.0.1:9/x", name=HOSTILE, title=HOSTILE, mode=Mode.PAUSED,
        last_checked=now, last_success=now,
        readings=[Reading("a1", f"Sec{OSC52}tion \x9b1m", 3.0, "seats"),
                  Reading("b2", "[@click=app.quit]x[/]\x1b[2J", 0.0, "seats")]))
    store.add(Monitor(id="brows", url=browser_url, name="Browser kettle",
                      fetcher=FetchMode.BROWSER, interval=3600))
    store.close()


def chromium_under(pid: int) -> list[psutil.Process]:
    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for child in children:
        try:
            if "chrom" in child.name().lower() or "headless" in child.name().lower():
                out.append(child)
        except psutil.NoSuchProcess:
            continue
    return out


def alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class PtyApp:
    """`python -m tui_tracker --data-dir D` on its own pty, with the bytes it wrote."""

    def __init__(self, data_dir: Path, env: dict[str, str], rows: int, cols: int,
                 extra: dict[str, str] | None = None) -> None:
        env = {**env, "PYTHONPATH": str(ROOT), "TUI_TRACKER_SMTP_HOST": "",
               "TUI_TRACKER_NOTIFY_TO": "", **(extra or {})}
        self.raw = b""
        self.status: int | None = None
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.execve(sys.executable, [sys.executable, "-m", "tui_tracker",
                                       "--data-dir", str(data_dir)], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def shown(self) -> str:
        """What a person would read: the output without CSI sequences."""
        return CSI.sub(b"", self.raw).decode("utf-8", "replace")

    def read_for(self, limit: float, until: Callable[[], bool] | None = None) -> None:
        """Collect output for `limit` seconds, or until `until()` holds.

        With `until`, not holding within `limit` raises AssertionError with the screen's
        tail, so a wait never silently gives up and lets a later line fail obscurely.
        """
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if until is not None and until():
                return
            if select.select([self.fd], [], [], 0.1)[0]:
                try:
                    self.raw += os.read(self.fd, 65536)
                except OSError:  # the child closed the terminal
                    break
        if until is not None and not until():
            raise AssertionError(f"timed out after {limit:g} s; the screen ends with "
                                 f"{self.shown()[-1500:]!r}")

    def exited(self) -> bool:
        if self.status is None:
            done, code = os.waitpid(self.pid, os.WNOHANG)
            self.status = os.waitstatus_to_exitcode(code) if done else None
        return self.status is not None

    def wait_exit(self, limit: float) -> int | None:
        """The exit status within `limit` seconds (reading on meanwhile), else None."""
        deadline = time.monotonic() + limit
        while not self.exited() and time.monotonic() < deadline:
            self.read_for(0.2)
        return self.status

    def close(self) -> None:
        """Kill the app if it is still running, and close the terminal."""
        if not self.exited():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def test_hostile_text_in_a_pty_and_sighup_ends_app_and_browser(site, tmp_path):
    data_dir = tmp_path / "data"
    seed(data_dir, site.url("/kettle.html"))
    app = PtyApp(data_dir, {**os.environ, "TERM": "xterm-256color"}, 36, 140)
    try:
        app.read_for(30, lambda: "Browser kettle" in app.shown()
                     and "[bold red]X[/]" in app.shown())
        app.read_for(60, lambda: "$49.99" in app.shown())  # the browser monitor's first check
        browsers = chromium_under(app.pid)
        app.read_for(2)  # a few more seconds of repaints (clock ticks, the browser check)
        os.kill(app.pid, signal.SIGHUP)
        status = app.wait_exit(10)
    finally:
        app.close()
    raw = app.raw

    text = app.shown()
    assert "Browser kettle" in text and "[bold red]X[/]" in text, text[-3000:]
    assert "$49.99" in text, "the browser check finished before the hang-up"
    assert b"\x1b]52" not in raw, "an OSC 52 clipboard write reached the terminal"
    assert "\x9b" not in raw.decode("utf-8", "replace"), "an 8-bit CSI reached the terminal"
    assert "Traceback" not in text
    assert browsers, "the browser monitor should have started Chromium"
    assert status is not None, "the app did not exit within 10 s of SIGHUP"
    assert status == 128 + signal.SIGHUP, "closed by its own handler, not killed by the signal"
    end = time.monotonic() + 10
    while any(alive(p) for p in browsers) and time.monotonic() < end:
        time.sleep(0.1)
    left = [p.pid for p in browsers if alive(p)]
    for p in browsers:
        if alive(p):
            p.kill()
    assert not left, f"Chromium processes left after SIGHUP: {left}"
    with DataDirLock(data_dir):  # released: the next start is not refused
        pass
    store = Store.open(data_dir, readonly=True)
    try:
        saved = store.get("brows")
    finally:
        store.close()
    assert saved is not None and saved.last_checked is not None
    assert saved.readings and saved.readings[0].number == 49.99


def test_tiny_dumb_c_locale_terminal_does_not_crash(site, tmp_path):
    """HOSTILE-INPUTS 53: a 10x3 terminal, TERM=dumb, LANG=C; the app keeps running and
    quits cleanly on q (TinyDB files are read as UTF-8 whatever the locale)."""
    data_dir = tmp_path / "data"
    seed(data_dir, site.url("/kettle.html"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update({"TERM": "dumb", "LANG": "C", "LC_ALL": "C"})
    app = PtyApp(data_dir, env, 3, 10)
    try:
        app.read_for(8)
        assert not app.exited(), f"the app exited early: {app.raw[-2000:]!r}"
        os.write(app.fd, b"q")
        status = app.wait_exit(15)
    finally:
        app.close()
    assert b"Traceback" not in app.raw
    assert status == 0, app.raw[-2000:]


def _wait_released(data_dir: Path, pid: int, limit: float) -> float | None:
    """Seconds until `pid` is gone and the data dir is free again, or None."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        try:
            gone = psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            gone = True
        if gone and owner_pid(data_dir) is None:
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def test_closing_the_pty_master_ends_the_app_and_frees_the_data_dir(site, tmp_path):
    """HOSTILE-INPUTS 55: the terminal vanishes (the pty master is closed, no signal sent
    by us): the app exits within 5 s and releases the data dir."""
    data_dir = tmp_path / "data"
    seed(data_dir, site.url("/kettle.html"))
    app = PtyApp(data_dir, {**os.environ, "TERM": "xterm-256color"}, 30, 120)
    try:
        app.read_for(30, lambda: "Browser kettle" in app.shown())
        app.read_for(0.5)
        os.close(app.fd)  # the terminal is gone; nobody reads or writes it any more
        app.fd = -1
        took = _wait_released(data_dir, app.pid, 8)
    finally:
        if not app.exited():
            os.kill(app.pid, signal.SIGKILL)
            os.waitpid(app.pid, 0)
        if app.fd >= 0:
            os.close(app.fd)
    assert took is not None and took <= 5.0, f"still running / still owning after {took}"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_kill_session_ends_the_app_and_frees_the_data_dir(site, tmp_path):
    """The tester's recipe: `tmux new-session -d ... tui-tracker`, then kill-session. It hung
    in 3 of 4 tries (the writer thread died on the dead terminal and the main thread
    blocked on its queue); every try must now end within 5 s."""
    data_dir = tmp_path / "data"
    seed(data_dir, site.url("/kettle.html"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TUI_TRACKER_SMTP_HOST": "",
           "TUI_TRACKER_NOTIFY_TO": "", "TMUX": ""}
    socket_name = f"tt-{os.getpid()}"
    results = []
    try:
        for attempt in range(4):
            session = f"s{attempt}"
            cmd = f"{shlex.quote(sys.executable)} -m tui_tracker --data-dir {data_dir}"
            subprocess.run(["tmux", "-L", socket_name, "new-session", "-d", "-s", session,
                            "-x", "100", "-y", "30", cmd], env=env, check=True)
            end = time.monotonic() + 30
            while owner_pid(data_dir) in (None, 0) and time.monotonic() < end:
                time.sleep(0.05)
            pid = owner_pid(data_dir)
            assert pid, "the app never took the data dir"
            end = time.monotonic() + 30
            while time.monotonic() < end:  # until the dashboard is drawn
                shown = subprocess.run(["tmux", "-L", socket_name, "capture-pane", "-p", "-t",
                                        session], capture_output=True, text=True).stdout
                if "Browser kettle" in shown:
                    break
                time.sleep(0.1)
            time.sleep(0.3 * attempt)  # vary the moment: mid-repaint, idle, ...
            subprocess.run(["tmux", "-L", socket_name, "kill-session", "-t", session],
                           check=True)
            took = _wait_released(data_dir, pid, 8)
            if took is None and psutil.pid_exists(pid):
                psutil.Process(pid).kill()
            results.append(took)
    finally:
        subprocess.run(["tmux", "-L", socket_name, "kill-server"], capture_output=True)
    assert all(t is not None and t <= 5.0 for t in results), results


def _unread(fd: int) -> int:
    """Bytes the app wrote to the terminal that nobody has read yet."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def test_a_terminal_that_stops_reading_does_not_stop_checks_or_alerts(tmp_path):
    """Issue 10: the terminal stays open but stops reading (Ctrl-S, a stopped SSH client).
    The pty's buffer fills and writes block; the engine must keep checking and an alert
    must still go out by mail. Once the terminal reads again the screen is repainted."""
    from tests.servers.site import Site
    from tests.servers.smtp import SmtpTestServer

    site = Site().start()
    data_dir = tmp_path / "data"
    store = Store.open(data_dir)
    store.add(Monitor(id="kettl", url=site.url("/product/1"), name="Watched kettle",
                      interval=5, rules=Rules(below=45)))
    store.close()
    (data_dir / "config.toml").write_text("max_alerts_per_hour = 0\n")
    (data_dir / "config.toml").chmod(0o600)
    smtp = SmtpTestServer().start()
    app = PtyApp(data_dir, {**os.environ, "TERM": "xterm-256color"}, 40, 160, extra={
        "TUI_TRACKER_SMTP_HOST": smtp.host, "TUI_TRACKER_SMTP_PORT": str(smtp.port),
        "TUI_TRACKER_SMTP_TLS": "none", "TUI_TRACKER_NOTIFY_TO": "me@example.test"})
    try:
        app.read_for(30, lambda: "Watched kettle" in app.shown() and "49.99" in app.shown())
        app.raw = b""
        # From here on nobody reads the terminal. Resizing makes the app repaint the
        # whole screen again and again, far more than the pty buffer holds.
        sizes = [(40, 160), (41, 161)]
        filled = 0
        for i in range(60):
            rows, cols = sizes[i % 2]
            fcntl.ioctl(app.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.kill(app.pid, signal.SIGWINCH)
            time.sleep(0.05)
            filled = max(filled, _unread(app.fd))
        time.sleep(1)
        stuck_at = _unread(app.fd)
        assert stuck_at >= filled > 1000, (filled, stuck_at)
        before = site.requests.get("/product/1", 0)
        site.state["price"] = 42.0
        def checks() -> int:
            return site.requests.get("/product/1", 0) - before

        end = time.monotonic() + 40  # interval 5 s: the mail, then two more checks
        while not (smtp.received and checks() >= 3) and time.monotonic() < end:
            time.sleep(0.2)
        assert smtp.received, (f"no alert mail within 40 s of the price drop while the "
                               f"terminal was not read ({checks()} checks since)")
        assert "42" in smtp.messages[0].get_content()
        assert checks() >= 3, f"{checks()} checks in 40 s while the terminal was full"
        assert _unread(app.fd) >= stuck_at - 4096, "someone read the terminal meanwhile"
        assert not app.exited()
        # The terminal reads again: everything dropped meanwhile is repainted whole.
        app.read_for(20, lambda: "42.00" in app.shown() and "Watched kettle" in app.shown())
        os.kill(app.pid, signal.SIGTERM)
        status = app.wait_exit(10)
    finally:
        app.close()
        smtp.stop()
        site.stop()
    assert status == 128 + signal.SIGTERM, app.raw[-2000:]
    with DataDirLock(data_dir):  # released
        pass
