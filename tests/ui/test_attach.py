"""An attached TUI in a real pseudo-terminal, with `tui-tracker run` owning the data dir.

The window says whose engine it shows, carries out its actions through the owner,
leaves the owner running when it quits, and offers to take over when the owner dies.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, wait_until
from tests.servers.site import Site
from tests.ui.test_real_terminal import PtyApp
from tui_tracker.store.lock import owner_pid
from tui_tracker.store.repository import Store


def on_disk(data_dir: Path) -> dict[str, str]:
    store = Store.open(data_dir, readonly=True)
    try:
        return {m.id: m.mode.value for m in store.list_monitors()}
    finally:
        store.close()


@pytest.fixture
def shop() -> Iterator[Site]:
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture
def owned(tmp_path: Path, shop: Site) -> Iterator[tuple[Cli, str, object]]:
    """A data dir with one monitor, owned by `tui-tracker run` in a subprocess."""
    cli = Cli(tmp_path / "data")
    mid = cli.json("add", shop.url("/product/1"), "--name", "Kettle", "--interval", "1h")["id"]
    with cli.running() as run:
        wait_until(lambda: (cli.data_dir / "control.sock").exists() or run.poll() is not None)
        assert (cli.data_dir / "control.sock").exists(), run.communicate(timeout=5)
        yield cli, mid, run


def test_attached_tui_acts_through_the_owner_and_leaves_it_running(owned) -> None:
    cli, mid, run = owned
    app = PtyApp(cli.data_dir, {**cli.env, "TERM": "xterm-256color"}, 24, 80)
    try:
        app.read_for(30, lambda: f"attached to pid {run.pid}" in app.shown()
                     and "Kettle" in app.shown())
        assert f"attached to pid {run.pid}" in app.shown(), app.shown()[-2000:]
        os.write(app.fd, b"p")  # pause the selected monitor: the owner does it
        wait_until(lambda: on_disk(cli.data_dir).get(mid) == "paused")
        assert on_disk(cli.data_dir)[mid] == "paused"
        app.read_for(10, lambda: "Paused 1 monitor" in app.shown())
        assert "Paused 1 monitor" in app.shown()
        os.write(app.fd, b"q")
        status = app.wait_exit(15)
    finally:
        app.close()
    assert status == 0
    assert run.poll() is None, "quitting an attached window must leave the owner running"
    assert owner_pid(cli.data_dir) == run.pid
    assert "Traceback" not in app.shown()


def test_attached_tui_offers_to_take_over_when_the_owner_dies(owned) -> None:
    cli, mid, run = owned
    app = PtyApp(cli.data_dir, {**cli.env, "TERM": "xterm-256color"}, 24, 80)
    try:
        app.read_for(30, lambda: f"attached to pid {run.pid}" in app.shown()
                     and "Kettle" in app.shown())
        assert f"attached to pid {run.pid}" in app.shown(), app.shown()[-2000:]
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        app.read_for(15, lambda: "Take over" in app.shown())
        assert "has stopped" in app.shown() and "Take over" in app.shown()
        app.raw = b""
        os.write(app.fd, b"y")
        wait_until(lambda: owner_pid(cli.data_dir) == app.pid)
        assert owner_pid(cli.data_dir) == app.pid  # this window owns the data dir now
        app.read_for(10, lambda: "runs the engine now" in app.shown())
        assert "runs the engine now" in app.shown()
        assert cli("pause", mid, check=0).stdout == f"{mid} paused\n"  # forwarded to it
        os.write(app.fd, b"q")
        status = app.wait_exit(15)
    finally:
        app.close()
    assert status == 0
    assert owner_pid(cli.data_dir) is None
    assert on_disk(cli.data_dir)[mid] == "paused"
    assert "Traceback" not in app.shown()
