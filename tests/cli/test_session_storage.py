"""localStorage from a Playwright storage_state file, through the real command and the
real browser: a script-built page that keeps its API token in localStorage (a real
loopback site) reads its sections once the file is imported, and the token goes to no
other origin and into no file but secrets.json."""

from __future__ import annotations

import json
import signal
import stat

from tests.cli.conftest import Cli, wait_until
from tests.cli.test_cli_sessions import _without_file_writes, assert_secret_nowhere
from tests.servers.login_site import LoginSite


def by_id(reports: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in reports}


def test_imported_local_storage_lets_a_token_page_read_its_sections(
        cli: Cli, campus: LoginSite, elsewhere: LoginSite, tmp_path) -> None:
    mine = cli.json("add", campus.url("/token-app"), "--kind", "seats", "--browser",
                    "--name", "Seat Finder")["id"]
    other = cli.json("add", elsewhere.url("/token-app"), "--kind", "seats", "--browser",
                     "--name", "Other app")["id"]
    before = by_id(cli.json("check", check=1))
    assert not before[mine]["ok"] and not before[other]["ok"]  # no token: no sections

    token = campus.new_token()
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"cookies": [], "origins": [
        {"origin": f"http://{campus.host}:{campus.port}",
         "localStorage": [{"name": "token", "value": token}]}]}))
    state.chmod(0o600)
    proc = cli("session", "import", str(state), "--site", campus.host, check=0)
    assert "1 localStorage items" in proc.stdout and token not in proc.stdout + proc.stderr

    after = by_id(cli.json("check", check=1))  # the other origin still fails
    assert after[mine]["ok"], after[mine]["error"]
    assert [(r["label"], r["value"]) for r in after[mine]["readings"]] == [("A1", 0),
                                                                           ("B2", 5)]
    assert not after[other]["ok"]
    assert any(h.get("authorization") == f"Bearer {token}" for _, h in campus.seen)
    assert not any(token in json.dumps(h) for _, h in elsewhere.seen)

    secrets = cli.data_dir / "secrets.json"
    assert token in secrets.read_text()
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert_secret_nowhere(token, cli.data_dir, proc.stdout, json.dumps(after))

    # A new import replaces the session: without origins, the token is gone.
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(f"{campus.host}\tFALSE\t/\tFALSE\t0\tsid\tnothing\n")
    cli("session", "import", str(cookies), "--site", campus.host, check=0)
    assert token not in secrets.read_text()


def test_a_broken_origins_list_is_refused_without_quoting_values(cli: Cli, tmp_path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"cookies": [], "origins": [
        {"origin": "http://127.0.0.2:9", "localStorage": [{"name": "token",
                                                          "value": 12345678}]}]}))
    proc = cli("session", "import", str(state), check=2)
    assert "localStorage of http://127.0.0.2:9" in proc.stderr
    assert "12345678" not in proc.stderr
    assert not (cli.data_dir / "secrets.json").exists()


def test_local_storage_import_is_written_by_the_running_owner(
        cli: Cli, campus: LoginSite, tmp_path) -> None:
    """The owner is the secrets file's one writer: localStorage travels to it over the
    control socket with the cookies (the importing process cannot write a file)."""
    mine = cli.json("add", campus.url("/token-app"), "--kind", "seats", "--browser",
                    "--interval", "1h")["id"]
    token = campus.new_token()
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"cookies": [], "origins": [
        {"origin": f"http://{campus.host}:{campus.port}",
         "localStorage": [{"name": "token", "value": token}]}]}))
    with cli.running() as run:
        wait_until(lambda: (cli.data_dir / "control.sock").exists() or run.poll() is not None,
                   what="the owner's control socket")
        assert run.poll() is None, run.communicate(timeout=5)
        proc = _without_file_writes(cli, "session", "import", str(state), "--site", campus.host)
        assert proc.returncode == 0, proc.stderr
        assert "1 localStorage items" in proc.stdout
        assert token in (cli.data_dir / "secrets.json").read_text()
        [checked] = cli.json("check", mine)  # the owner's browser check uses the token
        assert checked["ok"], checked["error"]
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=30) == 0
    assert_secret_nowhere(token, cli.data_dir, proc.stdout, proc.stderr)


def test_export_with_secrets_carries_local_storage_to_another_data_dir(
        cli: Cli, campus: LoginSite, tmp_path) -> None:
    """A move to another machine (`export --with-secrets`, `import`) keeps a login that
    lives in localStorage, not only cookies; a plain export carries no token."""
    cli.json("add", campus.url("/token-app"), "--kind", "seats", "--browser")
    token = campus.new_token()
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"cookies": [], "origins": [
        {"origin": f"http://{campus.host}:{campus.port}",
         "localStorage": [{"name": "token", "value": token}]}]}))
    cli("session", "import", str(state), "--site", campus.host, check=0)
    plain, full = tmp_path / "plain.json", tmp_path / "full.json"
    cli("export", str(plain), check=0)
    cli("export", str(full), "--with-secrets", check=0)
    assert token not in plain.read_text()
    assert token in full.read_text() and stat.S_IMODE(full.stat().st_mode) == 0o600

    other = Cli(tmp_path / "other")
    other("import", str(full), check=0)
    [session] = other.json("session", "list")
    assert session["site"] == campus.host and session["local_storage"] == 1, session
    [result] = other.json("check")
    assert session["monitors"] == [result["id"]], "the page this localStorage logs in"
    assert result["ok"], result["error"]
    assert [(r["label"], r["value"]) for r in result["readings"]] == [("A1", 0), ("B2", 5)]


def test_an_export_with_a_damaged_origin_is_refused_whole(cli: Cli, tmp_path) -> None:
    doc = {"format": "tui-tracker-export", "version": 1, "monitors": [
        {"url": "http://127.0.0.2:9/x", "kind": "seats"}], "secrets": {"sites": {
            "127.0.0.2": {"cookies": [], "origins": [
                {"origin": "ftp://127.0.0.2", "local_storage": [["token", "s3cr3t-77"]]}]}}}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    proc = cli("import", str(path), check=2)
    assert "secrets in" in proc.stderr and "no http(s) origin" in proc.stderr, proc.stderr
    assert "s3cr3t-77" not in proc.stderr + proc.stdout
    assert cli.json("list") == []
