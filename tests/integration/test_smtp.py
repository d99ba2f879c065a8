"""SmtpNotifier and alert messages against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.servers.smtp import SmtpTestServer
from tui_tracker.config import Settings
from tui_tracker.core.errors import NotifyError
from tui_tracker.core.model import Event, Reading
from tui_tracker.notifiers.compose import body_for, build_message, subject_for
from tui_tracker.notifiers.registry import create_notifier, notifier_class
from tui_tracker.notifiers.smtp import SmtpNotifier, send_test

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

PASSWORD = "hunter2-very-secret"


@pytest.fixture
def smtp_server():
    """A factory: smtp_server(**knobs) starts a server that is stopped after the test."""
    servers: list[SmtpTestServer] = []

    def make(**knobs) -> SmtpTestServer:
        server = SmtpTestServer(**knobs).start()
        servers.append(server)
        return server

    yield make
    for s in servers:
        s.stop()


def event(name: str = "Acme Kettle", rule: str = "price_below",
          message: str = "Acme Kettle is $44.99, at or below your target $45.00.") -> Event:
    return Event(id="e1", monitor_id="m1", at=datetime(2026, 3, 1, 12, 30, tzinfo=UTC),
                 rule=rule, message=message, monitor_name=name, url="http://127.0.0.1:8000/kettle",
                 old=[Reading("price", name, 49.99, "USD")],
                 new=[Reading("price", name, 44.99, "USD")])


async def test_alert_arrives_with_subject_and_plain_words(smtp_server):
    server = smtp_server()
    ev = event()
    await SmtpNotifier(server.settings()).send(["me@example.test"], subject_for([ev]),
                                               body_for([ev]))
    [got] = server.received
    assert got.rcpt_tos == ["me@example.test"]
    msg = got.message
    assert msg["Subject"] == "Price at or below target: Acme Kettle"
    assert msg["From"] == "tracker@example.test"
    assert msg["Date"] and msg["Message-ID"]
    body = msg.get_content()
    assert "Acme Kettle is $44.99, at or below your target $45.00." in body
    assert "Before: $49.99" in body and "Now:    $44.99" in body
    assert "http://127.0.0.1:8000/kettle" in body
    assert "2026-03-01T12:30:00+00:00" in body


@pytest.mark.parametrize("evil", [
    "Deal\r\nBcc: victim@x", "Deal\nBcc: victim@x", "Deal\rBcc: victim@x",
    "Deal\u2028Bcc: victim@x", "Deal\x85Bcc: victim@x", "Deal\x0bBcc: victim@x",
    "Deal\x00Bcc: victim@x",
])
async def test_hostile_product_name_gives_a_clean_subject(smtp_server, evil):
    server = smtp_server()
    ev = event(name=evil, message=f"{evil} is $1.00.")
    msg = build_message([ev], "me@example.test", "tracker@example.test")
    await SmtpNotifier(server.settings()).send_message(msg, ["me@example.test"])
    [got] = server.received
    assert got.rcpt_tos == ["me@example.test"]
    assert got.message["Bcc"] is None
    subject = got.message["Subject"]
    assert subject == "Price at or below target: Deal Bcc: victim@x"
    # Header section of the raw bytes: no line begins with Bcc.
    head = got.raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    assert not any(line.lower().startswith(b"bcc") for line in head.splitlines())


def test_long_hostile_subject_is_capped_to_one_short_line():
    ev = event(name="X" * 500 + "\r\nBcc: a@b")
    msg = build_message([ev], "me@example.test", "tracker@example.test")
    assert len(msg["Subject"]) <= 120 and "\n" not in msg["Subject"]


def test_several_events_make_one_message():
    evs = [event(), event(name="CS 101", rule="seats_opened", message="CS 101: A has 2 open"),
           event(name="CS 101", rule="seats_opened", message="CS 101: B has 1 open")]
    msg = build_message(evs, "me@example.test", "tracker@example.test")
    assert msg["Subject"] == "3 alerts: Acme Kettle, CS 101"
    body = msg.get_content()
    assert "CS 101: A has 2 open" in body and "CS 101: B has 1 open" in body


async def test_login_over_starttls_then_send(smtp_server):
    server = smtp_server(auth=("alice", PASSWORD), starttls=True)
    settings = server.settings(smtp_user="alice", smtp_password=PASSWORD)
    await SmtpNotifier(settings, tls_ca=server.ca_file).send(["me@example.test"], "hi", "body")
    assert server.logins == [("alice", True)]
    assert server.messages[0]["Subject"] == "hi"


async def test_implicit_tls(smtp_server):
    server = smtp_server(implicit_tls=True)
    await SmtpNotifier(server.settings(), tls_ca=server.ca_file).send(["a@example.test"],
                                                                      "over tls", "body")
    assert server.messages[0]["Subject"] == "over tls"


async def test_wrong_password_says_535_and_never_shows_the_password(smtp_server):
    server = smtp_server(auth=("alice", "right-password"), starttls=True)
    settings = server.settings(smtp_user="alice", smtp_password=PASSWORD)
    with pytest.raises(NotifyError) as info:
        await SmtpNotifier(settings, tls_ca=server.ca_file).send(["me@example.test"], "s", "b")
    err = info.value
    assert "SMTP login refused (535)" in str(err)
    assert PASSWORD not in str(err) and PASSWORD not in repr(err.args)
    assert err.permanent
    assert server.received == []


async def test_starttls_not_offered_refuses_to_log_in(smtp_server):
    # A downgraded server: offers AUTH in the clear but no STARTTLS.
    server = smtp_server(auth=("alice", PASSWORD))
    settings = server.settings(smtp_tls="starttls", smtp_user="alice", smtp_password=PASSWORD)
    with pytest.raises(NotifyError, match="did not offer STARTTLS"):
        await SmtpNotifier(settings).send(["me@example.test"], "s", "b")
    assert server.logins == []  # the password never left
    assert server.received == []


async def test_refused_connection_is_a_temporary_failure():
    server = SmtpTestServer()  # never started: the port refuses
    with pytest.raises(NotifyError) as info:
        await SmtpNotifier(server.settings()).send(["me@example.test"], "s", "b")
    assert str(info.value) == (
        f"could not connect to SMTP server 127.0.0.1:{server.port} (connection refused).")
    assert not info.value.permanent


async def test_rejected_recipient_shows_the_server_reply(smtp_server):
    server = smtp_server(reject={"nobody@example.test"})
    with pytest.raises(NotifyError) as info:
        await SmtpNotifier(server.settings()).send(["nobody@example.test"], "s", "b")
    assert "nobody@example.test (550 5.1.1 no such user here)" in str(info.value)
    assert info.value.permanent


async def test_tls_mode_mismatch_is_named(smtp_server):
    server = smtp_server()  # plain SMTP, client configured for implicit TLS
    with pytest.raises(NotifyError, match="TLS mode mismatch: port 465 expects ssl"):
        await SmtpNotifier(server.settings(smtp_tls="ssl")).send(["a@example.test"], "s", "b")


async def test_starttls_client_against_implicit_tls_port_is_named(smtp_server):
    server = smtp_server(implicit_tls=True)
    settings = server.settings(smtp_tls="starttls", smtp_timeout=1.0)
    with pytest.raises(NotifyError, match=r"sent no greeting.*TLS mode mismatch"):
        await SmtpNotifier(settings, tls_ca=server.ca_file).send(["a@example.test"], "s", "b")


async def test_untrusted_certificate_is_refused(smtp_server):
    server = smtp_server(starttls=True)
    with pytest.raises(NotifyError, match=r"certificate .* could not be verified"):
        await SmtpNotifier(server.settings()).send(["a@example.test"], "s", "b")  # no CA
    assert server.received == []


async def test_server_dropping_mid_session_is_temporary(smtp_server):
    server = smtp_server(drop_on_data=True)
    with pytest.raises(NotifyError, match="closed the connection") as info:
        await SmtpNotifier(server.settings()).send(["a@example.test"], "s", "b")
    assert not info.value.permanent


@pytest.mark.parametrize("bad", ["no-at-sign", "a@b\r\nRCPT TO:<x@y>", "a b@c", ""])
async def test_malformed_recipient_is_refused_before_connecting(smtp_server, bad):
    server = smtp_server()
    with pytest.raises(NotifyError, match="not a valid email address") as info:
        await SmtpNotifier(server.settings()).send([bad], "s", "b")
    assert info.value.permanent and server.received == []


async def test_not_configured_is_permanent():
    with pytest.raises(NotifyError, match="email is not configured: set TUI_TRACKER_SMTP_HOST") \
            as info:
        await SmtpNotifier(Settings()).send(["a@example.test"], "s", "b")
    assert info.value.permanent


async def test_send_test_reports_success_and_uses_default_recipients(smtp_server):
    server = smtp_server()
    line = await send_test(server.settings(notify_to=["ops@example.test"]))
    assert line == (f"Test mail sent to ops@example.test via 127.0.0.1:{server.port} (none).")
    assert server.received[0].rcpt_tos == ["ops@example.test"]
    assert server.messages[0]["Subject"] == "tui-tracker test message"


async def test_send_test_reports_the_exact_failure():
    server = SmtpTestServer()
    with pytest.raises(NotifyError, match="connection refused"):
        await send_test(server.settings(), ["a@example.test"])
    with pytest.raises(NotifyError, match="no recipient"):
        await send_test(server.settings(notify_to=[]))
    with pytest.raises(NotifyError, match="email is not configured"):
        await send_test(Settings(), ["a@example.test"])


def test_registry():
    assert create_notifier(Settings()) is None
    assert isinstance(create_notifier(Settings(smtp_host="127.0.0.1")), SmtpNotifier)
    with pytest.raises(Exception, match="known: email"):
        notifier_class("pigeon")
