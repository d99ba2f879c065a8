"""The durable outbox against a real TinyDB store in tmp_path and a real aiosmtpd server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.servers.smtp import SmtpTestServer
from tui_tracker.core.model import DeliveryState, Kind, Monitor, Reading
from tui_tracker.core.rules import Fired
from tui_tracker.engine.outbox import MAX_ATTEMPTS, NOT_CONFIGURED, Outbox, retry_delay
from tui_tracker.notifiers.smtp import SmtpNotifier
from tui_tracker.store.repository import Store

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OLD = [Reading("A", "CS 101 Section A", 0, "seats"), Reading("B", "CS 101 Section B", 0, "seats")]
NEW = [Reading("A", "CS 101 Section A", 2, "seats"), Reading("B", "CS 101 Section B", 1, "seats")]


class Clock:
    """The outbox's injectable `now`; tests move it instead of sleeping."""

    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def server():
    s = SmtpTestServer().start()
    yield s
    s.stop()


def monitor(store: Store, emails: list[str] | None = None) -> Monitor:
    m = Monitor(id=store.new_id(), url="http://127.0.0.1:8000/course", name="CS 101",
                kind=Kind.SEATS, emails=list(emails or []))
    store.add(m)
    return m


def fired3() -> list[Fired]:
    return [Fired("seats_opened", "CS 101: CS 101 Section A has 2 open seats (was full)."),
            Fired("seats_opened", "CS 101: CS 101 Section B has 1 open seat (was full)."),
            Fired("seats_at_least", "CS 101: CS 101 Section A has 2 open seats, at or above 2.")]


def states(store: Store) -> list[list[str]]:
    return [[d.state.value for d in ev.deliveries] for ev in store.events()]


async def test_record_is_durable_before_any_send(tmp_path, store, server):
    settings = server.settings(notify_to=["default@example.test"])
    clock = Clock()
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=clock)
    m = monitor(store, emails=["a@example.test", "b@example.test", "A@example.test"])
    events = await outbox.record(m, fired3()[:1], OLD, NEW)
    assert server.received == []  # nothing sent yet
    reopened = Store.open(tmp_path / "data", readonly=True)
    [ev] = reopened.events()
    assert ev.id == events[0].id and ev.rule == "seats_opened"
    assert [(d.to, d.state, d.attempts, d.next_attempt) for d in ev.deliveries] == [
        ("a@example.test", DeliveryState.PENDING, 0, T0),
        ("b@example.test", DeliveryState.PENDING, 0, T0),
    ]
    assert ev.old == OLD and ev.new == NEW and ev.url == m.url
    # Without the monitor's own addresses, the default list is used.
    [ev2] = await outbox.record(monitor(store), fired3()[:1], OLD, NEW)
    assert [d.to for d in ev2.deliveries] == ["default@example.test"]
    assert await outbox.next_due() == T0


async def test_no_recipients_still_records_the_event(store, server):
    settings = server.settings(notify_to=[])
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=Clock())
    [ev] = await outbox.record(monitor(store), fired3()[:1], OLD, NEW)
    assert store.events()[0].id == ev.id and ev.deliveries == []
    assert await outbox.next_due() is None


async def test_three_events_go_out_as_one_message_per_recipient(store, server):
    settings = server.settings()
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=Clock())
    m = monitor(store, emails=["a@example.test", "b@example.test"])
    await outbox.record(m, fired3(), OLD, NEW)
    changed = await outbox.deliver_due()
    assert len(changed) == 3
    assert sorted(r.rcpt_tos[0] for r in server.received) == ["a@example.test", "b@example.test"]
    for msg in server.messages:
        assert msg["Subject"] == "3 alerts: CS 101"
        body = msg.get_content()
        assert "Section A has 2 open seats" in body and "Section B has 1 open seat" in body
    assert states(store) == [["sent", "sent"]] * 3
    assert all(d.attempts == 1 and d.error is None for ev in store.events() for d in ev.deliveries)
    assert await outbox.next_due() is None
    assert await outbox.deliver_due() == []  # nothing is sent twice
    assert len(server.received) == 2


async def test_refused_then_retried_until_the_server_comes_back(store):
    server = SmtpTestServer()  # down at first: connections are refused
    settings = server.settings()
    clock = Clock()
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=clock, rng=lambda: 1.0)
    await outbox.record(monitor(store), fired3()[:1], OLD, NEW)

    await outbox.deliver_due()
    [d] = store.events()[0].deliveries
    assert d.state is DeliveryState.PENDING and d.attempts == 1
    assert "connection refused" in d.error
    assert T0 < d.next_attempt <= T0 + timedelta(seconds=30)  # first retry within 30 s
    assert await outbox.next_due() == d.next_attempt

    clock.advance(5)
    assert await outbox.deliver_due() == []  # not due yet: no new attempt
    assert store.events()[0].deliveries[0].attempts == 1

    server.start()
    try:
        clock.t = d.next_attempt
        await outbox.deliver_due()
        [d] = store.events()[0].deliveries
        assert (d.state, d.attempts, d.error) == (DeliveryState.SENT, 2, None)
        assert len(server.received) == 1
    finally:
        server.stop()


async def test_failed_after_max_attempts_with_growing_capped_backoff(store):
    server = SmtpTestServer()  # never started
    settings = server.settings()
    clock = Clock()
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=clock)
    await outbox.record(monitor(store), fired3()[:1], OLD, NEW)
    gaps = []
    for _ in range(MAX_ATTEMPTS):
        await outbox.deliver_due()
        d = store.events()[0].deliveries[0]
        if d.state is DeliveryState.PENDING:
            gaps.append((d.next_attempt - clock.t).total_seconds())
            clock.t = d.next_attempt
    d = store.events()[0].deliveries[0]
    assert d.state is DeliveryState.FAILED and d.attempts == MAX_ATTEMPTS
    assert "connection refused" in d.error
    assert len(gaps) == MAX_ATTEMPTS - 1
    assert gaps[0] <= 30 and gaps[1] > gaps[0] and max(gaps) <= 3600
    assert await outbox.next_due() is None


def test_retry_delay_bounds():
    assert retry_delay(1, lambda: 0.0) == 15 and retry_delay(1, lambda: 1.0) == 25
    assert retry_delay(2, lambda: 0.5) == 60
    assert retry_delay(20, lambda: 1.0) == 3600


async def test_permanent_error_fails_at_once_and_other_recipients_still_get_mail(store):
    server = SmtpTestServer(reject={"gone@example.test"}).start()
    try:
        settings = server.settings()
        outbox = Outbox(store, SmtpNotifier(settings), settings, now=Clock())
        await outbox.record(monitor(store, ["gone@example.test", "ok@example.test"]), fired3()[:1],
                      OLD, NEW)
        await outbox.deliver_due()
        gone, ok = store.events()[0].deliveries
        assert gone.state is DeliveryState.FAILED and gone.attempts == 1
        assert "550 5.1.1 no such user here" in gone.error
        assert ok.state is DeliveryState.SENT
        assert [r.rcpt_tos for r in server.received] == [["ok@example.test"]]
    finally:
        server.stop()


async def test_pending_event_survives_a_restart(tmp_path):
    data = tmp_path / "data"
    down = SmtpTestServer()
    settings = down.settings()
    first = Store.open(data)
    outbox = Outbox(first, SmtpNotifier(settings), settings, now=Clock())
    [ev] = await outbox.record(monitor(first), fired3()[:1], OLD, NEW)
    await outbox.deliver_due()  # refused: stays pending
    first.close()

    with SmtpTestServer(port=down.port) as server:  # a new process, the server is back
        second = Store.open(data)
        try:
            clock = Clock()
            clock.advance(3600)
            outbox2 = Outbox(second, SmtpNotifier(settings), settings, now=clock)
            assert await outbox2.next_due() is not None
            changed = await outbox2.deliver_due()
            assert [e.id for e in changed] == [ev.id]
            assert len(server.received) == 1
            assert server.messages[0]["Subject"] == "Seats open: CS 101"
        finally:
            second.close()
    third = Store.open(data, readonly=True)
    [d] = third.events()[0].deliveries
    assert (d.state, d.attempts) == (DeliveryState.SENT, 2)


async def test_email_not_configured_marks_deliveries_failed(store):
    from tui_tracker.config import Settings

    settings = Settings(notify_to=["me@example.test"])
    outbox = Outbox(store, None, settings, now=Clock())
    await outbox.record(monitor(store), fired3()[:1], OLD, NEW)
    changed = await outbox.deliver_due()
    [d] = changed[0].deliveries
    assert d.state is DeliveryState.FAILED and d.error == NOT_CONFIGURED
    assert store.events()[0].deliveries[0].state is DeliveryState.FAILED
    assert await outbox.next_due() is None


async def test_storm_guard_holds_then_sends_one_digest(store, server):
    settings = server.settings()
    clock = Clock()
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=clock, max_per_hour=2)
    m = monitor(store)
    for i in range(5):  # a price flipping every minute
        await outbox.record(m, [Fired("changed", f"flip {i}")], OLD, NEW)
        await outbox.deliver_due()
        clock.advance(60)
    assert len(server.received) == 2
    held = [d for ev in store.events() for d in ev.deliveries if d.state is DeliveryState.PENDING]
    assert len(held) == 3
    assert all("held back" in d.error and d.next_attempt == T0 + timedelta(hours=1)
               for d in held)
    clock.t = T0 + timedelta(hours=1)
    await outbox.deliver_due()
    assert len(server.received) == 3
    digest = server.messages[2]
    assert digest["Subject"] == "3 alerts: CS 101"
    assert all(f"flip {i}" in digest.get_content() for i in (2, 3, 4))
    assert states(store) == [["sent"]] * 5


async def test_storm_guard_counts_mails_sent_by_an_earlier_process(store, server):
    settings = server.settings()
    clock = Clock()
    m = monitor(store)
    for i in range(2):  # two cron `check` runs, each a new Outbox, each mailing once
        outbox = Outbox(store, SmtpNotifier(settings), settings, now=clock, max_per_hour=2)
        await outbox.record(m, [Fired("changed", f"flip {i}")], OLD, NEW)
        await outbox.deliver_due()
        clock.advance(60)
    third = Outbox(store, SmtpNotifier(settings), settings, now=clock, max_per_hour=2)
    await third.record(m, [Fired("changed", "flip 2")], OLD, NEW)
    await third.deliver_due()
    assert len(server.received) == 2  # the third run remembers the first two
    [held] = [d for ev in store.events() for d in ev.deliveries
              if d.state is DeliveryState.PENDING]
    assert "held back" in held.error


async def test_password_never_reaches_the_data_files(tmp_path, store):
    password = "pw-that-must-not-leak-42"
    server = SmtpTestServer(auth=("alice", "other"), starttls=True).start()
    try:
        settings = server.settings(smtp_user="alice", smtp_password=password)
        outbox = Outbox(store, SmtpNotifier(settings, tls_ca=server.ca_file), settings,
                        now=Clock())
        await outbox.record(monitor(store), fired3()[:1], OLD, NEW)
        await outbox.deliver_due()
    finally:
        server.stop()
    [d] = store.events()[0].deliveries
    assert d.state is DeliveryState.FAILED and "SMTP login refused (535)" in d.error
    for f in (tmp_path / "data").rglob("*"):
        if f.is_file():
            assert password.encode() not in f.read_bytes(), f


async def test_flood_guard_never_holds_a_seat_opening_or_a_monitors_first_alert(store,
                                                                                 server):
    settings = server.settings(max_alerts_per_hour=2)
    clock = Clock()
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=clock)
    assert outbox.max_per_hour == 2  # from the setting
    noisy, quiet = monitor(store), monitor(store)
    for i in range(3):  # the noisy monitor fills the hour, its third alert waits
        await outbox.record(noisy, [Fired("changed", f"flip {i}")], OLD, NEW)
        await outbox.deliver_due()
        clock.advance(60)
    assert len(server.received) == 2
    await outbox.record(quiet, [Fired("price_below", "quiet one, first in the hour")], OLD, NEW)
    await outbox.record(noisy, [Fired("seats_opened", "A opened")], OLD, NEW)
    await outbox.deliver_due()
    sent = [m.get_content() for m in server.messages]
    assert len(server.received) == 3  # both urgent ones go now, together
    assert "quiet one, first in the hour" in sent[2] and "A opened" in sent[2]
    assert "flip 2" not in "".join(sent)
    [held] = [d for ev in store.events() for d in ev.deliveries
              if d.state is DeliveryState.PENDING]
    assert "max_alerts_per_hour" in held.error


async def test_flood_guard_off_with_zero(store, server):
    settings = server.settings(max_alerts_per_hour=0)
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=Clock())
    m = monitor(store)
    for i in range(25):
        await outbox.record(m, [Fired("changed", f"flip {i}")], OLD, NEW)
        await outbox.deliver_due()
    assert len(server.received) == 25


async def _two_sent_one_held(store, server):
    """An outbox allowed 2 mails an hour on a manual clock, after 3 alerts a minute apart."""
    from tests.clock import ManualClock

    settings = server.settings()
    clock = ManualClock(T0)
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=clock.now,
                    monotonic=clock.monotonic, max_per_hour=2)
    m = monitor(store)
    for i in range(3):
        await outbox.record(m, [Fired("changed", f"flip {i}")], OLD, NEW)
        await outbox.deliver_due()
        clock.advance(60)
    assert len(server.received) == 2
    return outbox, clock, m


async def test_storm_guard_hour_ignores_a_wall_clock_jumping_forward_a_day(store, server):
    """HOSTILE-INPUTS 51: an NTP step of a day must not empty the hour's count."""
    outbox, clock, m = await _two_sent_one_held(store, server)
    clock.jump_wall(timedelta(days=1))
    await outbox.record(m, [Fired("changed", "flip 3")], OLD, NEW)
    await outbox.deliver_due()
    assert len(server.received) == 2, "a wall-clock jump released held mails"
    held = [d for ev in store.events() for d in ev.deliveries
            if d.state is DeliveryState.PENDING]
    assert len(held) == 2 and all("held back" in d.error for d in held)
    clock.advance(3600 - 180)  # the hour since the first mail has passed, on any clock
    await outbox.deliver_due()
    assert len(server.received) == 3
    digest = server.messages[2].get_content()
    assert "flip 2" in digest and "flip 3" in digest


async def test_storm_guard_hour_ignores_a_wall_clock_stepping_back_an_hour(store, server):
    """A wall clock stepped back an hour must not hold mails for two hours."""
    outbox, clock, _m = await _two_sent_one_held(store, server)
    clock.jump_wall(timedelta(hours=-1))
    clock.advance(3600 - 180)  # an hour since the first mail, though the wall says 0 s
    await outbox.deliver_due()
    assert len(server.received) == 3, "held for a second hour after the clock stepped back"
    assert "flip 2" in server.messages[2].get_content()
    assert states(store) == [["sent"]] * 3


async def test_the_wait_for_a_retry_is_said_in_seconds_a_wall_clock_step_cannot_stretch(store):
    """The sender waits `next_wait()` seconds. A wall time it had to subtract its own later
    reading from was off by any step of the wall clock in between: stepped back an hour,
    a retry due in 20 s waited an hour (seen as a flaky engine test under load)."""
    server = SmtpTestServer()  # down: the first attempt is refused
    settings = server.settings()
    clock, mono = Clock(), [1000.0]
    outbox = Outbox(store, SmtpNotifier(settings), settings, now=clock, rng=lambda: 0.5,
                    monotonic=lambda: mono[0])
    await outbox.record(monitor(store), fired3()[:1], OLD, NEW)
    await outbox.deliver_due()
    first = await outbox.next_wait()
    assert first is not None and 0 < first <= 30
    clock.t -= timedelta(hours=1)  # the wall clock is stepped back
    assert await outbox.next_wait() == pytest.approx(first)
    mono[0] += 5
    assert await outbox.next_wait() == pytest.approx(first - 5)
