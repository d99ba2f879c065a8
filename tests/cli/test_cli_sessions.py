"""`session import|list|remove`, blocked checks and secrets through the real command."""

from __future__ import annotations

import base64
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.cli.conftest import Cli, wait_until
from tests.servers.login_site import LoginSite


@pytest.fixture
def login_site() -> Iterator[LoginSite]:
    server = LoginSite().start()
    yield server
    server.stop()


def cookies_txt(path: Path, host: str, sid: str, *, extra: str = "") -> Path:
    later = int(time.time()) + 86400
    path.write_text("# Netscape HTTP Cookie File\n"
                    f"#HttpOnly_{host}\tFALSE\t/\tFALSE\t{later}\tsid\t{sid}\n"
                    f"{host}\tFALSE\t/\tFALSE\t{later}\ttheme\tdark\n{extra}")
    return path


def assert_secret_nowhere(secret: str, data_dir: Path, *outputs: str) -> None:
    """The secret in no file the tool wrote but secrets.json, and in no output, in any
    of its usual encodings (HOSTILE 54/59)."""
    forms = {secret, quote(secret), base64.b64encode(secret.encode()).decode()}
    for path in data_dir.rglob("*"):
        # secrets.json (0600) holds it by design; config.toml is the user's own file.
        if path.is_file() and path.name not in ("secrets.json", "config.toml"):
            text = path.read_bytes().decode("utf-8", "replace")
            assert not any(f in text for f in forms), path
    for out in outputs:
        assert not any(f in out for f in forms)


def test_import_list_remove_and_the_value_stays_secret(cli: Cli, login_site, tmp_path) -> None:
    sid = login_site.new_session()
    file = cookies_txt(tmp_path / "cookies.txt", login_site.host, sid)
    out = cli("session", "import", str(file), "--site", login_site.host, check=0)
    assert f"Imported 2 cookies for {login_site.host}" in out.stdout

    secrets = cli.data_dir / "secrets.json"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600

    mid = cli("add", login_site.url("/classes"), "--kind", "seats", "--http", check=0)
    mid = mid.stdout.strip()
    listed = cli.json("session", "list")
    assert listed[0]["site"] == login_site.host and listed[0]["cookies"] == 2
    assert listed[0]["monitors"] == [mid]

    checked = cli("check", "--json", check=0)
    [result] = json.loads(checked.stdout)
    assert result["ok"] and [r["value"] for r in result["readings"]] == [0, 5]

    exported = cli("export", check=0)
    logs = [out.stdout, out.stderr, checked.stdout, checked.stderr, exported.stdout,
            cli("list", check=0).stdout, json.dumps(listed)]
    assert_secret_nowhere(sid, cli.data_dir, *logs)

    assert cli("session", "remove", login_site.host, check=0).stdout.startswith("Session for")
    gone = cli("session", "remove", login_site.host, check=2)
    assert "No session for" in gone.stderr
    assert cli.json("session", "list") == []


def test_blocked_check_in_cli_json(cli: Cli, login_site) -> None:
    mid = cli("add", login_site.url("/classes"), "--name", "CS", "--kind", "seats",
              "--http", check=0).stdout.strip()
    proc = cli("check", "--json", check=1)
    [result] = json.loads(proc.stdout)
    assert result["health"] == "blocked" and result["changed"] is False
    assert result["error"].startswith("login needed at 127.0.0.2")
    [listed] = cli.json("list")
    assert listed["health"] == "blocked"
    [event] = cli.json("notifications", mid)
    assert event["rule"] == "blocked"
    assert "tui-tracker session import cookies.txt --site 127.0.0.2" in event["message"]

    probe = cli("probe", login_site.url("/classes"), "--json", check=1)
    assert json.loads(probe.stdout)["blocked"] is True


@pytest.mark.parametrize("fmt", ["extension", "storage_state"])
def test_json_exports_import_and_work(cli: Cli, login_site, tmp_path, fmt) -> None:
    sid = login_site.new_session()
    later = time.time() + 3600
    if fmt == "extension":  # Cookie-Editor / EditThisCookie shape
        doc: object = [{"name": "sid", "value": sid, "domain": login_site.host,
                        "hostOnly": True, "path": "/", "expirationDate": later,
                        "httpOnly": True, "secure": False, "sameSite": "lax",
                        "session": False}]
    else:  # Playwright context.storage_state()
        doc = {"cookies": [{"name": "sid", "value": sid, "domain": login_site.host,
                            "path": "/", "expires": -1, "httpOnly": True, "secure": False,
                            "sameSite": "Lax"}], "origins": []}
    file = tmp_path / "state.json"
    file.write_text(json.dumps(doc))
    cli("session", "import", str(file), check=0)  # no --site: one per cookie domain
    assert [s["site"] for s in cli.json("session", "list")] == [login_site.host]
    proc = cli("probe", login_site.url("/classes"), "--kind", "seats", "--browser", "--json",
               check=0)
    assert [r["value"] for r in json.loads(proc.stdout)["readings"]] == [0, 5]


def test_bad_cookie_files_get_one_sentence(cli: Cli, tmp_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("example.com\tFALSE\t/\tsecret-value-123\n")
    proc = cli("session", "import", str(bad), check=2)
    assert "Line 1 is not a cookies.txt line" in proc.stderr
    assert "secret-value-123" not in proc.stderr
    old = tmp_path / "old.txt"
    old.write_text("example.com\tFALSE\t/\tFALSE\t1000\tsid\tabc\n")
    assert "has expired" in cli("session", "import", str(old), check=2).stderr
    assert "does not exist" in cli("session", "import", str(tmp_path / "nope"), check=2).stderr
    assert "not a host name" in cli("session", "remove", "a b", check=2).stderr


def test_per_monitor_header_is_secret_and_sent(cli: Cli, login_site) -> None:
    sid = login_site.new_session()
    proc = cli("add", login_site.url("/classes"), "--kind", "seats", "--http",
               "--header", "X-Api-Key: key-987654", "--cookie", f"sid={sid}", check=0)
    cli("check", check=0)
    headers = [h for p, h in login_site.seen if p == "/classes"][-1]
    assert headers["x-api-key"] == "key-987654"
    assert_secret_nowhere("key-987654", cli.data_dir, proc.stdout, proc.stderr,
                          cli("export", check=0).stdout)
    assert "not valid" in cli("add", login_site.url("/x"), "--header", "Bad Name: v",
                              check=2).stderr
    assert os.path.exists(cli.data_dir / "secrets.json")


def test_notify_test_checks_every_channel_and_names_the_failure(cli: Cli, login_site) -> None:
    from tests.servers.sink import Sink

    sink = Sink().start()
    dead = Sink()
    dead_port = dead.port
    dead.httpd.server_close()  # nothing listens there
    try:
        good = f"json://127.0.0.1:{sink.port}/hook-sEcReT-1"
        cli.data_dir.mkdir(parents=True)
        (cli.data_dir / "config.toml").write_text(f'notify_urls = ["{good}"]\n')
        (cli.data_dir / "config.toml").chmod(0o600)
        mid = cli("add", login_site.url("/classes"), "--http", "--kind", "seats",
                  "--notify", f"ntfy://127.0.0.1:{dead_port}/topic-sEcReT-2",
                  check=0).stdout.strip()
        proc = cli("notify-test", "--json", check=1)
        rows = {r["channel"]: r for r in json.loads(proc.stdout)["channels"]}
        assert rows["json"]["ok"] and rows["json"]["to"] == f"json://127.0.0.1:{sink.port}/…"
        assert not rows["ntfy"]["ok"] and rows["ntfy"]["error"]
        assert "email" not in rows  # SMTP is not set up and other channels are
        assert f"ntfy://127.0.0.1:{dead_port}/…" in proc.stderr
        assert len(sink.received) == 1 and "test message" in sink.texts()[0]
        assert "sEcReT" not in proc.stdout + proc.stderr
        bad = cli("edit", mid, "--notify", "nosuch://x", check=2)
        assert "not an alert URL Apprise knows" in bad.stderr
        assert_secret_nowhere("sEcReT", cli.data_dir, cli("export", check=0).stdout,
                              cli("list", "--json", check=0).stdout)
    finally:
        sink.stop()


def test_export_with_secrets_round_trips_and_plain_export_has_none(cli: Cli, login_site,
                                                                    tmp_path) -> None:
    sid = login_site.new_session()
    cli("session", "import", str(cookies_txt(tmp_path / "c.txt", login_site.host, sid)),
        check=0)
    cli("add", login_site.url("/classes"), "--http", "--kind", "seats",
        "--header", "X-Token: hdr-secret-55", check=0)
    plain = tmp_path / "plain.json"
    cli("export", str(plain), check=0)
    assert sid not in plain.read_text() and "hdr-secret-55" not in plain.read_text()
    full = tmp_path / "full.json"
    cli("export", str(full), "--with-secrets", check=0)
    assert stat.S_IMODE(full.stat().st_mode) == 0o600
    assert sid in full.read_text() and "hdr-secret-55" in full.read_text()

    other = Cli(tmp_path / "other")
    other("import", str(full), check=0)
    [result] = other.json("check")
    assert result["ok"], result
    assert [s["site"] for s in other.json("session", "list")] == [login_site.host]
    headers = [h for p, h in login_site.seen if p == "/classes"][-1]
    assert headers["x-token"] == "hdr-secret-55"


def _no_file_writes() -> None:  # pragma: no cover - runs in the child before exec
    """Any write to a regular file fails (EFBIG): what the process writes, it cannot."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _without_file_writes(cli: Cli, *args: str) -> subprocess.CompletedProcess[str]:
    """`tui-tracker ARGS` in a process that cannot write any file: the owner must."""
    return subprocess.run(
        [sys.executable, "-m", "tui_tracker", "--data-dir", str(cli.data_dir), *args],
        capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL,
        env={**cli.env, "PYTHONDONTWRITEBYTECODE": "1"}, preexec_fn=_no_file_writes)


def test_session_import_and_remove_are_carried_out_by_the_running_owner(
        cli: Cli, login_site, tmp_path) -> None:
    """Issue 9: the owner is the secrets file's one writer. The commands run in processes
    that cannot write a file, so their success shows the owner wrote it; the owner's
    next check then sends the session."""
    sid = login_site.new_session()
    file = cookies_txt(tmp_path / "cookies.txt", login_site.host, sid)
    mid = cli("add", login_site.url("/classes"), "--kind", "seats", "--http", "--interval",
              "1h", check=0).stdout.strip()
    with cli.running() as run:
        wait_until(lambda: (cli.data_dir / "control.sock").exists() or run.poll() is not None,
                   what="the owner's control socket")
        assert run.poll() is None, run.communicate(timeout=5)
        imported = _without_file_writes(cli, "session", "import", str(file), "--site",
                                        login_site.host)
        assert imported.returncode == 0, imported.stderr
        assert f"Imported 2 cookies for {login_site.host}" in imported.stdout
        assert [s["site"] for s in cli.json("session", "list")] == [login_site.host]
        [checked] = cli.json("check", mid)  # carried out by the owner, with the session
        assert checked["ok"] and [r["value"] for r in checked["readings"]] == [0, 5], checked

        removed = _without_file_writes(cli, "session", "remove", login_site.host)
        assert removed.returncode == 0, removed.stderr
        assert removed.stdout.startswith(f"Session for {login_site.host} removed")
        assert cli.json("session", "list") == []
        again = _without_file_writes(cli, "session", "remove", login_site.host)
        assert again.returncode == 2 and "No session for" in again.stderr, again.stderr

        cli("session", "import", str(file), "--site", login_site.host, check=0)
        full = tmp_path / "full.json"  # `import` of an export's sessions goes the same way
        cli("export", str(full), "--with-secrets", check=0)
        (cli.data_dir / "secrets.json").unlink()
        restored = _without_file_writes(cli, "import", str(full))
        assert restored.returncode == 0, restored.stderr
        assert [s["site"] for s in cli.json("session", "list")] == [login_site.host]
        assert run.poll() is None
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=30) == 0
    assert_secret_nowhere(sid, cli.data_dir, imported.stdout, imported.stderr)
