"""Alerts end to end: `check` against a moving site mails a real SMTP server once per crossing."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator

import pytest

from tests.cli.conftest import Cli, wait_until
from tests.servers.site import Site
from tests.servers.smtp import SmtpTestServer

PASSWORD = "hunter2-very-secret"


@pytest.fixture
def smtp() -> Iterator[SmtpTestServer]:
    server = SmtpTestServer(auth=("alice", PASSWORD)).start()
    yield server
    server.stop()


@pytest.fixture
def mail_cli(cli: Cli, smtp: SmtpTestServer) -> Cli:
    cli.env.update({
        "TUI_TRACKER_SMTP_HOST": "127.0.0.1", "TUI_TRACKER_SMTP_PORT": str(smtp.port),
        "TUI_TRACKER_SMTP_TLS": "none", "TUI_TRACKER_SMTP_USER": "alice",
        "TUI_TRACKER_SMTP_PASSWORD": PASSWORD, "TUI_TRACKER_SMTP_FROM": "tracker@example.com",
        "TUI_TRACKER_NOTIFY_TO": "me@example.com",
    })
    return cli


def test_price_drop_mails_once_per_crossing_and_rearms(mail_cli: Cli, site: Site,
                                                        smtp: SmtpTestServer) -> None:
    cli = mail_cli
    mid = cli.json("add", site.url("/product/1"), "--below", "45")["id"]
    cli.json("check")
    assert smtp.messages == []  # 49.99 is above the target
    site.state["price"] = 44.99
    cli.json("check")
    assert len(smtp.messages) == 1
    msg = smtp.messages[0]
    assert "Acme Kettle" in msg["Subject"] and msg["To"] == "me@example.com"
    assert "44.99" in msg.get_content() and site.url("/product/1") in msg.get_content()
    cli.json("check")
    site.state["price"] = 43.0
    cli.json("check")
    assert len(smtp.messages) == 1  # still below: no repeat
    site.state["price"] = 50.0
    cli.json("check")
    site.state["price"] = 44.0
    cli.json("check")
    assert len(smtp.messages) == 2  # re-armed after going above, fired again
    events = cli.json("notifications", mid)
    assert [e["rule"] for e in events] == ["price_below", "price_below"]
    assert all(e["deliveries"][0]["state"] == "sent" for e in events)


def test_condition_true_at_first_check_fires_then(mail_cli: Cli, site: Site,
                                                  smtp: SmtpTestServer) -> None:
    site.state["sections"] = [("A1", 30, 0), ("B2", 40, 2)]
    mail_cli.json("add", site.url("/seats"), "--kind", "seats", "--email", "student@example.com")
    mail_cli.json("check")
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == "student@example.com"
    assert "B2" in smtp.messages[0].get_content()


def test_sections_opening_in_one_pass_are_one_mail(mail_cli: Cli, site: Site,
                                                   smtp: SmtpTestServer) -> None:
    site.state["sections"] = [("A1", 30, 0), ("B2", 40, 0), ("C3", 20, 0)]
    mail_cli.json("add", site.url("/seats"), "--kind", "seats")
    mail_cli.json("check")
    assert smtp.messages == []
    site.state["sections"] = [("A1", 30, 1), ("B2", 40, 3), ("C3", 20, 0)]
    mail_cli.json("check")
    assert len(smtp.messages) == 1
    body = smtp.messages[0].get_content()
    assert "A1" in body and "B2" in body


def test_refused_smtp_keeps_delivery_pending_then_retries(mail_cli: Cli, site: Site,
                                                          smtp: SmtpTestServer) -> None:
    mid = mail_cli.json("add", site.url("/product/1"), "--below", "100")["id"]
    smtp.stop()
    mail_cli.json("check")
    [event] = mail_cli.json("notifications", mid)
    delivery = event["deliveries"][0]
    assert delivery["state"] == "pending" and delivery["attempts"] == 1
    assert "refused" in delivery["error"]
    smtp.start()
    assert smtp.messages == []


def test_wrong_password_reported_and_secrets_stay_out_of_files(mail_cli: Cli, site: Site,
                                                               smtp: SmtpTestServer,
                                                               tmp_path) -> None:
    mail_cli.env["TUI_TRACKER_SMTP_PASSWORD"] = PASSWORD + "-wrong"
    proc = mail_cli("notify-test", "me@example.com")
    assert proc.returncode == 1 and "535" in proc.stderr
    assert PASSWORD not in proc.stderr
    mail_cli.env["TUI_TRACKER_SMTP_PASSWORD"] = PASSWORD
    mail_cli("notify-test", check=0)
    assert len(smtp.messages) == 1
    mail_cli.json("add", site.url("/product/1"), "--below", "100")
    mail_cli.json("check")
    export = tmp_path / "export.json"
    mail_cli("export", str(export), "--history", check=0)
    for path in [export, *mail_cli.data_dir.rglob("*")]:
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_hostile_product_name_gives_a_clean_subject(mail_cli: Cli, site: Site,
                                                    smtp: SmtpTestServer) -> None:
    site.state["name"] = "Deal\r\nBcc: victim@example.com"
    mail_cli.json("add", site.url("/product/1"), "--below", "100")
    mail_cli.json("check")
    [msg] = smtp.messages
    assert "\n" not in msg["Subject"] and msg["Bcc"] is None
    assert all("victim" not in r for r in smtp.received[0].rcpt_tos)
    assert json.dumps(msg["Subject"])


def test_run_mails_when_the_price_drops_and_stops_on_sigterm(mail_cli: Cli, site: Site,
                                                             smtp: SmtpTestServer) -> None:
    mid = mail_cli.json("add", site.url("/product/1"), "--below", "45", "--interval", "5s")["id"]
    with mail_cli.running() as run:
        wait_until(lambda: site.requests.get("/product/1", 0) >= 2, what="run's first check")
        assert smtp.messages == []  # 49.99: nothing yet
        site.state["price"] = 42.0
        wait_until(lambda: smtp.messages, what="the alert mail")
        assert len(smtp.messages) == 1 and "42.00" in smtp.messages[0].get_content()
        run.send_signal(signal.SIGTERM)
        out, err = run.communicate(timeout=30)
        assert run.returncode == 0, err
        assert "Traceback" not in err and mid in out  # one log line per check
    [event] = mail_cli.json("notifications", mid)
    assert event["deliveries"][0]["state"] == "sent"
