"""One engine, many windows: write commands carried out by a running owner (real processes).

`tui-tracker run` owns the data dir in a subprocess; the CLI in other subprocesses
forwards its writes over `control.sock`. Also: a frozen owner (SIGSTOP), an owner
killed while a client waits, clients that vanish or send garbage, another uid.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, wait_until
from tests.servers.site import Site


def _socket(cli: Cli) -> Path:
    return cli.data_dir / "control.sock"


def _wait_for_owner(cli: Cli, run: subprocess.Popen[str]) -> None:
    wait_until(lambda: _socket(cli).exists() or run.poll() is not None)
    assert _socket(cli).exists(), run.communicate(timeout=5)


def _connect(cli: Cli) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(10)
    sock.connect(str(_socket(cli)))
    return sock


def _frames(sock: socket.socket, until: str, limit: int = 50) -> list[dict]:
    """Frames read until one of type `until` (ticks included), failing with what came."""
    seen: list[dict] = []
    buf = b""
    while len(seen) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before a {until!r} frame; got {seen}")
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            seen.append(json.loads(line))
            if seen[-1].get("type") == until:
                return seen
    raise AssertionError(f"no {until!r} frame among {seen}")


def test_write_commands_are_carried_out_by_the_running_owner(cli: Cli, site: Site,
                                                             tmp_path: Path) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle")["id"]
    with cli.running() as run:
        _wait_for_owner(cli, run)
        assert stat.S_IMODE(_socket(cli).stat().st_mode) == 0o600
        paused = cli.json("pause", mid[:3])  # an id prefix works through the owner too
        assert paused[0]["id"] == mid and paused[0]["mode"] == "paused"
        assert cli("resume", mid, check=0).stdout == f"{mid} active\n"
        edited = cli.json("edit", mid, "--below", "12,50", "--interval", "30m")
        assert edited["rules"]["below"] == 12.5 and edited["interval"] == 1800
        added = cli.json("add", site.url("/product/2"), "--interval", "1h")
        assert added["name"] == "Acme Kettle"  # named from the page by the owner's probe
        checked = cli.json("check", mid)
        assert [c["id"] for c in checked] == [mid] and checked[0]["ok"] is True
        export = tmp_path / "export.json"
        cli("export", str(export), check=0)
        assert cli.json("import", str(export)) == []  # already watched: skipped
        imported = cli.json("import", str(export), "--allow-duplicate")
        assert len(imported) == 2 and {m["id"] for m in imported}.isdisjoint({mid, added["id"]})
        removed = cli.json("remove", added["id"])
        assert removed == [{"id": added["id"], "removed": True}]
        assert len(cli.json("list")) == 3
        bad = cli("edit", mid, "--drop-pct", "500", check=2)  # refused by the owner: exit 2
        assert "between 0 and 100" in bad.stderr
        cli("pause", "zzzzz", check=2)
        assert run.poll() is None  # the owner runs on
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=30) == 0
    assert not _socket(cli).exists()
    assert cli.json("list")[0]["rules"]["below"] == 12.5  # saved by the owner


def test_a_frozen_owner_gets_a_sentence_naming_its_pid(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle")["id"]
    with cli.running() as run:
        _wait_for_owner(cli, run)
        os.kill(run.pid, signal.SIGSTOP)
        try:
            proc = cli("pause", mid, check=1, timeout=30)
        finally:
            os.kill(run.pid, signal.SIGCONT)
        assert str(run.pid) in proc.stderr and "did not answer within 5 seconds" in proc.stderr
        assert proc.stderr.count("\n") == 1
        assert cli.json("list")[0]["mode"] == "active"  # read-only commands still work


def test_owner_killed_while_a_client_waits(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle", "--interval", "1h")["id"]
    with cli.running() as run:
        _wait_for_owner(cli, run)
        wait_until(lambda: site.requests.get("/product/1", 0) >= 1)
        site.state["delay"] = 20.0  # the forwarded check hangs in the owner's fetch
        client = subprocess.Popen(
            [sys.executable, "-m", "tui_tracker", "--data-dir", str(cli.data_dir), "check", mid],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli.env)
        wait_until(lambda: site.requests.get("/product/1", 0) >= 2)
        run.kill()
        run.wait(timeout=10)
        out, err = client.communicate(timeout=30)
        assert client.returncode == 1, (out, err)
        assert "Traceback" not in err and str(run.pid) in err and "stopped" in err
    site.state["delay"] = 0.0
    proc = cli("pause", mid, check=0)  # the dead owner's lock and socket are taken over
    assert proc.stdout == f"{mid} paused\n"


def test_clients_that_vanish_or_send_garbage_cost_nothing(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle", "--interval", "1h")["id"]
    with cli.running() as run:
        _wait_for_owner(cli, run)
        # A client killed mid-request: a check asked for, then the socket dropped.
        sock = _connect(cli)
        assert _frames(sock, "hello")[-1]["pid"] == run.pid
        sock.sendall(json.dumps({"id": 1, "op": "check", "args": {"ids": [mid]}}).encode()
                     + b"\n")
        sock.close()
        # Garbage: not JSON, JSON that is not a request, an unknown op, a huge line.
        sock = _connect(cli)
        _frames(sock, "hello")
        sock.sendall(b"\x00\xffnot json\n[1,2]\n")
        replies = [f for f in _frames(sock, "reply") if f["type"] == "reply"]
        assert replies[0]["ok"] is False and "Unreadable" in replies[0]["error"]["message"]
        sock.sendall(json.dumps({"id": 2, "op": "format_disk"}).encode() + b"\n")
        frames = _frames(sock, "reply")
        while frames[-1].get("id") != 2:
            frames = _frames(sock, "reply")
        assert "does not know" in frames[-1]["error"]["message"]
        with contextlib.suppress(OSError):  # the owner hangs up on the overlong line
            sock.sendall(b"x" * (17 * 1024 * 1024))
        sock.close()
        # Many clients that connect and vanish without a word.
        for _ in range(50):
            _connect(cli).close()
        assert cli("pause", mid, check=0).stdout == f"{mid} paused\n"
        assert run.poll() is None
        run.send_signal(signal.SIGINT)
        assert run.wait(timeout=30) == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to make a peer of another uid")
def test_a_peer_of_another_uid_is_refused(cli: Cli, site: Site) -> None:
    cli.json("add", site.url("/product/1"), "--name", "Kettle", "--interval", "1h")
    with cli.running() as run:
        _wait_for_owner(cli, run)
        # Open the way for the other user so the uid check itself is what refuses them.
        path = _socket(cli)
        for p in (path, *path.parents):
            if p == Path("/"):
                break
            p.chmod(p.stat().st_mode | 0o005 | (0o002 if p == path else 0))
        code = (
            "import os, socket, sys\n"
            "os.setgid(65534); os.setuid(65534)\n"
            "s = socket.socket(socket.AF_UNIX); s.settimeout(10)\n"
            f"s.connect({str(path)!r})\n"
            "data = b''\n"
            "while True:\n"
            "    chunk = s.recv(4096)\n"
            "    if not chunk: break\n"
            "    data += chunk\n"
            "sys.stdout.write(data.decode())\n"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=30)
        assert proc.returncode == 0, proc.stderr
        frames = [json.loads(line) for line in proc.stdout.splitlines()]
        assert [f["type"] for f in frames] == ["refused"], frames
        assert "another user" in frames[0]["error"]
        assert run.poll() is None


def test_without_an_owner_writes_run_in_process_and_leave_no_socket(cli: Cli,
                                                                    site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle", "--below", "12,50")["id"]
    assert cli.json("list")[0]["rules"]["below"] == 12.5
    assert cli("pause", mid, check=0).stdout == f"{mid} paused\n"
    assert not _socket(cli).exists()


def test_absurd_frames_cost_nothing(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle", "--interval", "1h")["id"]
    with cli.running() as run:
        _wait_for_owner(cli, run)
        sock = _connect(cli)
        _frames(sock, "hello")
        sock.sendall(b"[" * 200_000 + b"\n")  # nests past Python's recursion limit
        sock.sendall(json.dumps({"id": [1], "op": "monitors", "args": []}).encode() + b"\n")
        replies = [f for f in _frames(sock, "reply") if f["type"] == "reply"]
        assert replies[0]["ok"] is False
        sock.close()
        assert cli("pause", mid, check=0).stdout == f"{mid} paused\n"
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=30) == 0
        assert "Traceback" not in run.stdout.read() + run.stderr.read()


def test_a_second_engine_is_refused_naming_the_first(cli: Cli, site: Site) -> None:
    cli.json("add", site.url("/product/1"), "--name", "Kettle", "--interval", "1h")
    with cli.running() as run:
        _wait_for_owner(cli, run)
        proc = cli("run", check=1, timeout=60)
        assert str(run.pid) in proc.stderr and "attach" in proc.stderr
        assert run.poll() is None


def test_a_monitors_secrets_travel_through_the_owner(cli: Cli, site: Site) -> None:
    from tui_tracker.store.secrets import Secrets

    with cli.running() as run:
        _wait_for_owner(cli, run)
        mid = cli.json("add", site.url("/product/1"), "--name", "Kettle", "--interval", "1h",
                       "--header", "X-Token: abc", "--cookie", "sid=42")["id"]
        own = Secrets(cli.data_dir).monitor(mid)
        assert own.headers == [("X-Token", "abc")] and [c.name for c in own.cookies] == ["sid"]
        cli.json("edit", mid, "--header", "X-Token: def")
        assert Secrets(cli.data_dir).monitor(mid).headers == [("X-Token", "def")]
        cli.json("remove", mid)
        assert Secrets(cli.data_dir).monitor(mid).empty()
        assert run.poll() is None
