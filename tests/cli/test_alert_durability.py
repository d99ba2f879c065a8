"""An alert and the rule state that says it fired are durable together (issue 10.2-10.4,
HOSTILE-INPUTS 56): a kill -9 right after the mail leaves, or a full disk while the price
crosses, neither repeats nor loses the alert, and `run` still stops on SIGINT after it.

Real parts only: `tui-tracker run` subprocesses, a real SMTP sink (aiosmtpd) whose
handler kills the runner the moment the mail arrives, and a real full filesystem
(a 2 MB tmpfs, which needs root; skipped elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, wait_until
from tests.servers.site import Site
from tests.servers.smtp import SmtpTestServer
from tui_tracker.store.lock import owner_pid


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    server = SmtpTestServer().start()
    yield server
    server.stop()


def mail_env(cli: Cli, smtp: SmtpTestServer) -> Cli:
    cli.env.update({
        "TUI_TRACKER_SMTP_HOST": "127.0.0.1", "TUI_TRACKER_SMTP_PORT": str(smtp.port),
        "TUI_TRACKER_SMTP_TLS": "none", "TUI_TRACKER_SMTP_FROM": "tracker@example.com",
        "TUI_TRACKER_NOTIFY_TO": "me@example.com",
    })
    return cli


def checks_of(site: Site) -> int:
    return site.requests.get("/product/1", 0)


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.7])
def test_kill_9_right_after_the_alert_mail_does_not_fire_it_again(
        tmp_path: Path, site: Site, smtp: SmtpTestServer, delay: float) -> None:
    cli = mail_env(Cli(tmp_path / "data"), smtp)
    mid = cli.json("add", site.url("/product/1"), "--below", "45", "--interval", "5s")["id"]
    with cli.running() as run:
        wait_until(lambda: owner_pid(cli.data_dir) == run.pid, what="run to own the data dir")
        smtp.on_received = lambda: threading.Timer(
            delay, os.kill, (run.pid, signal.SIGKILL)).start()
        site.state["price"] = 42.0
        wait_until(lambda: run.poll() is not None, 60, "the kill right after the mail")
    assert run.returncode == -signal.SIGKILL
    smtp.on_received = None
    seen = checks_of(site)
    with cli.running() as again:
        # Two more checks of the same low price by a fresh process.
        wait_until(lambda: checks_of(site) >= seen + 2, 60, "two checks after the restart")
        wait_until(lambda: all(d["state"] != "pending" for e in cli.json("notifications", mid)
                               for d in e["deliveries"]), 30, "the delivery to settle")
        again.send_signal(signal.SIGINT)
        _, err = again.communicate(timeout=30)
    assert again.returncode == 0, err
    events = cli.json("notifications", mid)
    assert len(events) == 1, [e["message"] for e in events]  # fired once for one crossing
    assert events[0]["deliveries"][0]["state"] == "sent"
    if delay:
        # The mail's "sent" state was saved before the kill: no second mail either.
        assert len(smtp.messages) == 1
    else:
        # Killed before the server's 250 reached the client: at-least-once resends the
        # same event (same subject), never a new alert.
        assert 1 <= len(smtp.messages) <= 2
        assert len({m["Subject"] for m in smtp.messages}) == 1


@contextlib.contextmanager
def small_disk(where: Path, size: str = "2m") -> Iterator[Path]:
    where.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.strip()})")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Use up every byte of `disk`: a filler file, then the free tail of every file's
    last page (padded with newlines, which every data file skips)."""
    filler = disk / "filler"
    for _ in range(3):  # again after a moment: an atomic replace may free a page meanwhile
        with contextlib.suppress(OSError), open(filler, "ab", buffering=0) as fh:
            while True:
                fh.write(b"\0" * 4096)
        for path in disk.rglob("*"):
            if path.is_file() and path != filler and not path.name.endswith(".tmp"):
                with contextlib.suppress(OSError), open(path, "ab", buffering=0) as fh:
                    while True:
                        fh.write(b"\n")
        threading.Event().wait(1.2)
    st = os.statvfs(disk)
    assert st.f_bavail == 0, "the disk is not full"
    return filler


def test_full_disk_while_the_price_crosses_delays_the_alert_but_never_loses_it(
        tmp_path: Path, site: Site, smtp: SmtpTestServer) -> None:
    with small_disk(tmp_path / "disk") as disk:
        cli = mail_env(Cli(disk / "data"), smtp)
        mid = cli.json("add", site.url("/product/1"), "--below", "45", "--interval", "5s")["id"]
        with cli.running() as run:
            wait_until(lambda: owner_pid(cli.data_dir) == run.pid, what="run to own the dir")
            filler = fill(disk)
            site.state["price"] = 42.0
            seen = checks_of(site)
            wait_until(lambda: checks_of(site) >= seen + 2, 60, "two checks on the full disk")
            assert smtp.messages == []  # nothing could be recorded, so nothing was sent
            assert run.poll() is None, "run died on the full disk"
            filler.unlink()  # space returns
            wait_until(lambda: smtp.messages, 60, "the alert mail once space returned")
            seen = checks_of(site)
            wait_until(lambda: checks_of(site) >= seen + 2, 60, "two more checks")
            # SIGINT after a disk-full spell: run stops promptly (issue 10.4).
            run.send_signal(signal.SIGINT)
            out, err = run.communicate(timeout=30)
        assert run.returncode == 0, err
        assert "Traceback" not in out + err and "never retrieved" not in out + err
        assert "No space left on device" in out + err  # it said why it could not save
        assert len(smtp.messages) == 1 and "42.00" in smtp.messages[0].get_content()
        events = cli.json("notifications", mid)
        assert len(events) == 1 and events[0]["deliveries"][0]["state"] == "sent"

        # A one-shot `check` on a full disk is a failure (exit 1), not bad input (2).
        site.state["price"] = 41.0
        fill(disk)
        proc = cli("check", mid)
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        assert "No space left on device" in proc.stderr
