"""The CLI contract of DESIGN.md, end to end: real subprocess, real server, real files."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from tests.cli.conftest import Cli, wait_until
from tests.servers.site import Site
from tui_tracker.store.lock import owner_pid


def test_probe_json_price_from_structured_data(cli: Cli, site: Site) -> None:
    out = cli.json("probe", site.url("/product/1"))
    assert out["ok"] is True
    assert out["fetcher"] == "http"
    assert out["kind"] == "price"
    assert out["source"] == "json-ld"
    assert out["title"] == "Acme Kettle"
    assert out["readings"][0]["value"] == 49.99
    assert out["readings"][0]["unit"] == "USD"
    assert out["in_stock"] is True
    assert out["error"] is None
    assert set(out) >= {"ok", "url", "fetcher", "kind", "title", "readings", "in_stock",
                        "source", "error"}


def test_probe_seats_table(cli: Cli, site: Site) -> None:
    out = cli.json("probe", site.url("/seats"), "--kind", "seats")
    assert [r["value"] for r in out["readings"]] == [0, 5]
    assert "A1" in out["readings"][0]["label"] and "B2" in out["readings"][1]["label"]
    assert all(r["unit"] == "seats" for r in out["readings"])


def test_probe_auto_falls_back_to_browser_for_script_pages(cli: Cli, site: Site) -> None:
    site.state["sections"] = [("S01", 150, 3), ("S02", 35, 0)]
    out = cli.json("probe", site.url("/js-seats"), "--kind", "seats")
    assert out["ok"] is True, out
    assert out["fetcher"] == "browser"
    assert [r["value"] for r in out["readings"]] == [3, 0]


@pytest.mark.parametrize("url", ["http://[::1", "htp://x", "example.com", "javascript:alert(1)",
                                 "file:///etc/passwd", "http://h:99999/"])
def test_probe_rejects_bad_urls_with_exit_2(cli: Cli, url: str) -> None:
    proc = cli("probe", url, "--json", check=2)
    assert json.loads(proc.stdout)["ok"] is False
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tui-tracker: ")


@pytest.mark.parametrize("selector", ["p[", "p::text(", "//p["])
def test_probe_rejects_invalid_selector(cli: Cli, site: Site, selector: str) -> None:
    proc = cli("probe", site.url("/product/1"), "--selector", selector, check=2)
    assert "selector" in proc.stderr.lower()


def test_explicit_selector_matching_nothing_is_an_error(cli: Cli, site: Site) -> None:
    proc = cli("probe", site.url("/product/1"), "--http", "--selector", ".nope", "--json",
               check=1)
    out = json.loads(proc.stdout)
    assert out["ok"] is False and ".nope" in out["error"]


def test_http_error_status_is_reported(cli: Cli, site: Site) -> None:
    site.state["status"] = 503
    proc = cli("probe", site.url("/product/1"), "--json", check=1)
    assert "503" in json.loads(proc.stdout)["error"]


def test_add_list_check_history_cycle(cli: Cli, site: Site) -> None:
    added = cli.json("add", site.url("/product/1"), "--interval", "10m", "--below", "45")
    mid = added["id"]
    assert added["name"] == "Acme Kettle"  # named from the page
    assert added["kind"] == "price"
    assert 3 <= len(mid) <= 8

    first = cli.json("check")
    assert first[0]["id"] == mid and first[0]["ok"] and first[0]["changed"] is False
    site.state["price"] = 44.99
    second = cli.json("check", mid)
    assert second[0]["changed"] is True
    assert second[0]["readings"][0]["value"] == 44.99

    listed = cli.json("list")
    assert listed[0]["health"] == "healthy" and listed[0]["mode"] == "active"
    assert listed[0]["readings"][0]["value"] == 44.99
    for key in ("id", "name", "url", "kind", "fetcher", "mode", "health", "error", "readings",
                "last_checked", "last_changed", "next_check"):
        assert key in listed[0]
    assert "+00:00" in listed[0]["last_checked"]

    hist = cli.json("history", mid)
    assert [h["readings"][0]["value"] for h in hist] == [49.99, 44.99]

    events = cli.json("notifications", mid)
    assert events and events[0]["rule"] == "price_below"


def test_failed_check_keeps_last_value_and_exits_1(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle")["id"]
    cli.json("check")
    site.state["status"] = 500
    proc = cli("check", "--json", check=1)
    out = json.loads(proc.stdout)
    assert out[0]["ok"] is False and "500" in out[0]["error"]
    listed = cli.json("list")[0]
    assert listed["health"] == "error"
    assert listed["readings"][0]["value"] == 49.99
    assert len(cli.json("history", mid)) == 1


def test_mode_changes_and_remove(cli: Cli, site: Site) -> None:
    a = cli.json("add", site.url("/product/1"), "--name", "A")["id"]
    b = cli.json("add", site.url("/product/2"), "--name", "B")["id"]
    cli("pause", a, check=0)
    cli("stop", b, check=0)
    modes = {m["id"]: m["mode"] for m in cli.json("list")}
    assert modes == {a: "paused", b: "stopped"}
    assert cli.json("check") == []  # nothing active
    cli("resume", a, check=0)
    assert [o["id"] for o in cli.json("check")] == [a]
    cli("remove", b, check=0)
    assert [m["id"] for m in cli.json("list")] == [a]
    proc = cli("pause", "zzzzz", check=2)
    assert "zzzzz" in proc.stderr


def test_export_import_round_trip(cli: Cli, site: Site, tmp_path) -> None:
    cli.json("add", site.url("/product/1"), "--name", "Kettle", "--email", "a@example.com")
    cli.json("check")
    export = tmp_path / "export.json"
    cli("export", str(export), "--history", check=0)
    doc = json.loads(export.read_text())
    assert doc["monitors"][0]["emails"] == ["a@example.com"]
    other = Cli(tmp_path / "other")
    imported = other.json("import", str(export))
    assert imported[0]["name"] == "Kettle"
    assert len(other.json("history", imported[0]["id"])) == 1


def test_damaged_data_file_is_reported_and_left_untouched(cli: Cli) -> None:
    cli.data_dir.mkdir(parents=True)
    db = cli.data_dir / "monitors.json"
    db.write_bytes(b'{"monitors": {"1": {"id": "abc", "url": "http://x/"}}')  # truncated
    before = db.read_bytes()
    proc = cli("list", check=2)
    assert "monitors.json" in proc.stderr
    cli("add", "http://127.0.0.1:1/", "--name", "x", check=2)
    assert db.read_bytes() == before


def test_list_and_check_do_not_import_textual_or_playwright(cli: Cli) -> None:
    code = (
        "import sys\n"
        "from tui_tracker.cli.main import main\n"
        f"main(['--data-dir', {str(cli.data_dir)!r}, 'list', '--json'])\n"
        f"main(['--data-dir', {str(cli.data_dir)!r}, 'check', '--json'])\n"
        "bad = [m for m in ('textual', 'playwright') if m in sys.modules]\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=cli.env, check=True)
    assert "LOADED []" in out.stdout


def test_global_options_after_the_command(cli: Cli, site: Site) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tui_tracker", "list", "--json", "--data-dir", str(cli.data_dir)],
        capture_output=True, text=True, env=cli.env,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    env = dict(cli.env, TUI_TRACKER_HOME=str(cli.data_dir))
    proc = subprocess.run([sys.executable, "-m", "tui_tracker", "list", "--json"],
                          capture_output=True, text=True, env=env)
    assert json.loads(proc.stdout) == []


def test_edit_changes_rules_and_url_and_validates(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle", "--interval", "1h")["id"]
    cli.json("check")
    edited = cli.json("edit", mid, "--below", "40", "--interval", "30m", "--email", "x@y.org")
    assert edited["rules"]["below"] == 40 and edited["interval"] == 1800
    assert edited["emails"] == ["x@y.org"] and edited["readings"][0]["value"] == 49.99
    moved = cli.json("edit", mid[:3], "--url", site.url("/product/2"))  # a prefix works
    assert moved["url"].endswith("/product/2") and moved["resolved_fetcher"] is None
    proc = cli("edit", mid, "--interval", "1s", check=2)
    assert "interval" in proc.stderr.lower()
    cli("edit", mid, "--url", "ftp://x/", check=2)
    assert cli.json("list")[0]["url"].endswith("/product/2")  # the bad edits changed nothing


def test_deleting_files_by_hand_does_not_let_a_second_owner_in(cli: Cli, site: Site) -> None:
    """Issue 10.6 / HOSTILE-INPUTS 58: `rm DATA/lock` (and the pid file) while `run` owns
    the dir used to let `pause` and a second `run` in beside it. Now `pause` is carried
    out by the owner (still found through its socket), and a second `run` is refused."""
    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle")["id"]
    with cli.running() as run:
        wait_until(lambda: owner_pid(cli.data_dir) == run.pid, what="run to own the data dir")
        for name in ("lock", "owner.pid"):
            (cli.data_dir / name).unlink(missing_ok=True)
        assert not [p for p in cli.data_dir.iterdir() if "lock" in p.name or "pid" in p.name]
        assert cli("pause", mid, check=0).stdout == f"{mid} paused\n"
        second = subprocess.run(
            [sys.executable, "-m", "tui_tracker", "--data-dir", str(cli.data_dir), "run"],
            capture_output=True, text=True, env=cli.env, timeout=60, stdin=subprocess.DEVNULL)
        assert second.returncode == 1 and "in use by" in second.stderr, second.stderr
        assert run.poll() is None
        assert cli.json("list")[0]["mode"] == "paused"  # done by the one owner
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=30) == 0
    cli("resume", mid, check=0)


def test_a_price_rule_makes_a_selector_and_regex_monitor_a_price(cli: Cli, site: Site) -> None:
    # The regex captures bare digits (no currency): without the rule deciding the kind,
    # auto would settle on text and `--below` could never fire.
    added = cli.json("add", site.url("/product/1"), "--selector", ".price",
                     "--regex", r"\$([\d.]+)", "--below", "90")
    assert added["kind"] == "price"
    checked = cli.json("check")
    assert checked[0]["ok"] and checked[0]["readings"][0]["value"] == 49.99
    events = cli.json("notifications", added["id"])
    assert [e["rule"] for e in events] == ["price_below"]
