"""Issue 12 through the real `tui-tracker` command: rules that can be undone, no
duplicates, refused selectors, tags, readable notifications and absolute times."""

from __future__ import annotations

import json
import re

from tests.cli.conftest import Cli
from tests.servers.site import Site

LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [A-Z][A-Za-z0-9:+-]*")


def test_every_rule_can_be_turned_off(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--below", "45", "--drop-pct", "10",
                   "--any-change", "--error-after", "2")["id"]
    rules = cli.json("edit", mid, "--below", "none", "--drop-pct", "off", "--no-any-change",
                     "--no-back-in-stock", "--error-after", "none")["rules"]
    assert rules["below"] is None and rules["drop_pct"] is None
    assert rules["any_change"] is False and rules["back_in_stock"] is False
    assert rules["error_after"] == 0
    rules = cli.json("edit", mid, "--below", "40", "--back-in-stock")["rules"]
    assert rules["below"] == 40 and rules["back_in_stock"] is True
    assert cli.json("edit", mid, "--below", "")["rules"]["below"] is None


def test_a_zero_target_is_refused_naming_how_to_turn_it_off(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--below", "45")["id"]
    proc = cli("edit", mid, "--below", "0", check=2)
    assert "--below none" in proc.stderr
    assert cli.json("list")[0]["rules"]["below"] == 45


def test_seat_rules_turn_off_too(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/seats"), "--kind", "seats", "--seats-at-least", "3")["id"]
    rules = cli.json("edit", mid, "--seats-at-least", "none", "--no-seats-opened")["rules"]
    assert rules["seats_at_least"] is None and rules["seats_opened"] is False


def test_add_refuses_a_duplicate_naming_the_existing_id(cli: Cli, site: Site) -> None:
    first = cli.json("add", site.url("/product/1"), "--below", "45")["id"]
    proc = cli("add", site.url("/product/1#reviews"), "--name", "Again", check=2)
    assert first in proc.stderr and "--allow-duplicate" in proc.stderr
    assert len(cli.json("list")) == 1
    # Another kind or selector is another watch; --allow-duplicate insists.
    cli.json("add", site.url("/product/1"), "--kind", "text", "--name", "Text of it")
    cli.json("add", site.url("/product/1"), "--name", "Twice", "--allow-duplicate")
    assert len(cli.json("list")) == 3


def test_edit_refuses_to_make_a_duplicate_naming_the_existing_id(cli: Cli, site: Site) -> None:
    first = cli.json("add", site.url("/product/1"), "--kind", "price", "--name", "Kettle")["id"]
    other = cli.json("add", site.url("/product/2"), "--name", "Other")["id"]
    proc = cli("edit", other, "--url", site.url("/product/1/"), check=2)
    assert first in proc.stderr and "--allow-duplicate" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    listed = {m["id"]: m["url"] for m in cli.json("list")}
    assert listed[other] == site.url("/product/2")  # nothing saved
    # Another kind is another watch; --allow-duplicate insists.
    assert cli.json("edit", other, "--url", site.url("/product/1"), "--kind", "text"
                    )["url"] == site.url("/product/1")
    proc = cli("edit", other, "--kind", "auto", check=2)
    assert first in proc.stderr
    cli.json("edit", other, "--kind", "auto", "--allow-duplicate")
    # A pair kept on purpose stays editable in everything else.
    assert cli.json("edit", other, "--interval", "30m")["interval"] == 1800
    assert cli.json("edit", other, "--name", "Kept")["name"] == "Kept"


def test_import_twice_adds_nothing_the_second_time(cli: Cli, site: Site, tmp_path) -> None:
    cli.json("add", site.url("/product/1"), "--name", "Kettle")
    cli.json("add", site.url("/seats"), "--kind", "seats", "--name", "CS 101")
    export = tmp_path / "export.json"
    cli("export", str(export), check=0)
    other = Cli(tmp_path / "other")
    assert len(other.json("import", str(export))) == 2
    proc = other("import", str(export), check=0)
    assert "Imported 0 monitors." in proc.stdout
    assert "Skipped 2 monitors already watched" in proc.stderr
    assert len(other.json("list")) == 2
    assert len(other.json("import", str(export), "--allow-duplicate")) == 2


def test_a_selector_matching_nothing_is_refused_with_nearest(cli: Cli, site: Site) -> None:
    proc = cli("add", site.url("/product/1"), "--selector", ".prize", check=2)
    assert "matches nothing" in proc.stderr and ".price ($49.99)" in proc.stderr
    assert cli.json("list") == []
    mid = cli.json("add", site.url("/product/1"), "--selector", ".price")["id"]
    proc = cli("edit", mid, "--selector", "#prices", check=2)
    assert ".price" in proc.stderr
    assert cli.json("list")[0]["selector"] == ".price"


def test_tags_on_add_and_edit_and_list(cli: Cli, site: Site) -> None:
    a = cli.json("add", site.url("/seats"), "--kind", "seats", "--tag", "CS",
                 "--tag", "#fall")["id"]
    b = cli.json("add", site.url("/product/1"), "--tag", "shop")["id"]
    assert cli.json("list", "--tag", "cs")[0]["id"] == a
    assert [m["id"] for m in cli.json("list", "--tag", "shop")] == [b]
    assert cli.json("edit", b, "--tag", "cs", "--tag", "kitchen")["tags"] == ["cs", "kitchen"]
    assert len(cli.json("list", "--tag", "cs")) == 2
    assert "kitchen" in cli("list", check=0).stdout
    assert cli.json("edit", b, "--tag", "")["tags"] == []
    proc = cli("edit", b, "--tag", "no spaces!", check=2)
    assert "tag" in proc.stderr


def test_notifications_text_shows_absolute_times_and_whole_errors(cli: Cli,
                                                                   site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--below", "60",
                   "--email", "someone-with-a-long-address@example.com")["id"]
    cli("check", check=0)
    out = cli("notifications", mid, check=0).stdout
    assert LOCAL_TIME.search(out), out
    assert "ago)" in out
    # The whole delivery reason, not "… email me@example.com p".
    assert "someone-with-a-long-address@example.com: failed after" in out
    assert "email is not configured (set TUI_TRACKER_SMTP_HOST" in out
    assert "price_below" in out
    events = cli.json("notifications", mid)
    assert events[0]["at"].endswith("+00:00")
    hist = cli("history", mid, check=0).stdout
    assert LOCAL_TIME.search(hist), hist


def test_json_times_keep_their_offset(cli: Cli, site: Site) -> None:
    cli.json("add", site.url("/product/1"))
    cli("check", check=0)
    listed = cli.json("list")[0]
    assert re.search(r"[+-]\d\d:\d\d$", listed["last_checked"])
    text = json.dumps(cli.json("history", listed["id"]))
    assert "+00:00" in text


def test_run_writes_one_activity_line_per_check_and_no_httpx_lines(cli: Cli,
                                                                    site: Site) -> None:
    import signal

    from tests.cli.conftest import wait_until

    mid = cli.json("add", site.url("/product/1"), "--name", "Kettle", "--below", "60")["id"]
    with cli.running() as run:
        wait_until(lambda: site.requests.get("/product/1", 0) >= 1 or run.poll() is not None,
                   what="the first check")
        wait_until(lambda: cli.json("notifications", mid) or run.poll() is not None,
                   what="the alert")
        run.send_signal(signal.SIGTERM)
        out, err = run.communicate(timeout=30)
    assert run.returncode == 0, err
    assert "HTTP Request" not in out and "HTTP Request" not in err
    checks = [line for line in out.splitlines() if f"  {mid}  " in line]
    assert any(" check " in line and "Kettle: $49.99" in line for line in checks), out
    assert any(" alert " in line and "price_below" in line for line in checks), out
    assert all(LOCAL_TIME.match(line) for line in checks), out


def test_one_seat_opening_is_one_alert_naming_every_rule(cli: Cli, site: Site) -> None:
    site.state["sections"] = [("A1", 30, 0), ("B2", 40, 0)]
    mid = cli.json("add", site.url("/seats"), "--kind", "seats", "--seats-at-least", "3",
                   "--any-change", "--email", "me@example.com")["id"]
    cli("check", check=0)
    site.state["sections"] = [("A1", 30, 5), ("B2", 40, 0)]
    cli("check", check=0)
    events = cli.json("notifications", mid)
    assert len(events) == 1, events
    assert events[0]["rules"] == ["seats_opened", "seats_at_least", "changed"]
    assert "A1 has 5 open seats (was full), at or above your 3." in events[0]["message"]
    assert len(events[0]["deliveries"]) == 1


def test_back_in_stock_shows_the_stock_change(cli: Cli, site: Site) -> None:
    site.state["in_stock"] = False
    mid = cli.json("add", site.url("/product/1"), "--below", "40")["id"]
    cli("check", check=0)
    site.state["in_stock"] = True
    cli("check", check=0)
    [event] = cli.json("notifications", mid)
    assert event["rule"] == "back_in_stock"
    assert event["old_in_stock"] is False and event["new_in_stock"] is True
    out = cli("notifications", mid, check=0).stdout
    assert "is back in stock at $49.99" in out


def test_a_price_change_meeting_two_rules_is_one_alert(cli: Cli, site: Site) -> None:
    mid = cli.json("add", site.url("/product/1"), "--below", "45", "--drop-pct", "10")["id"]
    cli("check", check=0)
    site.state["price"] = 39.99
    cli("check", check=0)
    [event] = cli.json("notifications", mid)
    assert event["rules"] == ["price_below", "price_drop"]
    assert "at or below your target $45.00" in event["message"]
    assert "dropped 20%" in event["message"]
