"""Apprise channels through the real outbox, against a local webhook/ntfy sink."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.clock import ManualClock
from tests.servers.login_site import LoginSite
from tests.servers.sink import Sink
from tests.servers.site import Site
from tui_tracker.config import Settings
from tui_tracker.core.model import DeliveryState, FetchMode, Kind, Monitor, Rules, utcnow
from tui_tracker.engine.engine import Engine
from tui_tracker.notifiers.apprise_notify import mask_url, scrub
from tui_tracker.store.repository import Store
from tui_tracker.store.secrets import MonitorSecrets, Secrets

TOKEN = "tk-5ecret-webhook-987"
PASSWORD = "pw-Sink-Secret-42"


@pytest.fixture
def sink() -> Iterator[Sink]:
    server = Sink().start()
    yield server
    server.stop()


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    yield server
    server.stop()


def engine_with(tmp_path: Path, m: Monitor, urls: list[str], clock: ManualClock | None = None,
                **settings) -> Engine:
    store = Store.open(tmp_path / "data")
    m.id = store.new_id()
    store.add(m)
    if urls:
        Secrets(tmp_path / "data").put_monitor(m.id, MonitorSecrets(notify_urls=urls))
    return Engine(store, Settings(**settings), clock=clock)


def price_monitor(site: Site) -> Monitor:
    return Monitor(id="", url=site.url("/product/1"), name="Kettle", kind=Kind.PRICE,
                   fetcher=FetchMode.HTTP, rules=Rules(below=60))


def no_secret_in(data_dir: Path, *secrets: str) -> None:
    for path in data_dir.rglob("*"):
        if path.is_file() and path.name != "secrets.json":
            text = path.read_text(encoding="utf-8", errors="replace")
            for s in secrets:
                assert s not in text, (path, s)


async def test_alert_goes_to_webhook_and_ntfy_with_states(tmp_path, site, sink) -> None:
    hook = f"json://127.0.0.1:{sink.port}/hooks/{TOKEN}"
    ntfy = f"ntfy://127.0.0.1:{sink.port}/topic-{TOKEN}"
    engine = engine_with(tmp_path, price_monitor(site), [hook, ntfy])
    await engine.run_once()
    [event] = await engine.events()
    assert event.rule == "price_below"
    got = {d.channel: d for d in event.deliveries}
    assert set(got) == {"json", "ntfy"}
    assert all(d.state is DeliveryState.SENT and d.attempts == 1 for d in got.values())
    assert got["json"].to == f"json://127.0.0.1:{sink.port}/…"
    texts = sink.texts()
    assert len(texts) == 2 and all("Kettle" in t for t in texts)
    assert any(TOKEN in r["path"] or TOKEN in str(r["body"]) for r in sink.received)
    no_secret_in(tmp_path / "data", TOKEN)


async def test_failing_channel_retries_then_sends_and_never_leaks(tmp_path, site,
                                                                  sink) -> None:
    hook = f"json://alice:{PASSWORD}@127.0.0.1:{sink.port}/hooks/{TOKEN}"
    sink.fail = 1
    clock = ManualClock(utcnow())
    engine = engine_with(tmp_path, price_monitor(site), [hook], clock=clock)
    await engine.run_once()
    [event] = await engine.events()
    [d] = event.deliveries
    assert d.state is DeliveryState.PENDING and d.attempts == 1 and d.error
    assert f"json://****@127.0.0.1:{sink.port}/…" in d.error
    assert d.next_attempt is not None and d.next_attempt - clock.now() < timedelta(seconds=30)
    for secret in (PASSWORD, TOKEN, base64.b64encode(f"alice:{PASSWORD}".encode()).decode()):
        assert secret not in d.error

    clock.advance(120)  # the retry is due
    await engine.deliver()
    [event] = await engine.events()
    assert event.deliveries[0].state is DeliveryState.SENT and event.deliveries[0].attempts == 2
    assert len(sink.received) == 1
    no_secret_in(tmp_path / "data", PASSWORD, TOKEN)


async def test_config_default_urls_and_one_message_for_a_burst(tmp_path, site, sink) -> None:
    hook = f"json://127.0.0.1:{sink.port}/default"
    m = price_monitor(site)
    m.rules = Rules(below=60, any_change=True)
    engine = engine_with(tmp_path, m, [], notify_urls=[hook])
    sink.fail = 1
    await engine.run_once()  # price_below fires; the send fails
    site.state["price"] = 44.0
    await engine.run_once()  # "changed" fires: due now, it takes the retry along
    assert len(sink.received) == 1  # one message carried both alerts
    assert "at or below" in sink.texts()[0] and "changed" in sink.texts()[0]
    rules = sorted(e.rule for e in await engine.events())
    assert rules == ["changed", "price_below"]
    assert all(d.state is DeliveryState.SENT for e in await engine.events()
               for d in e.deliveries)


async def test_login_needed_alert_reaches_the_phone(tmp_path, sink) -> None:
    walled = LoginSite().start()
    try:
        m = Monitor(id="", url=walled.url("/classes"), name="CS 101", kind=Kind.SEATS,
                    fetcher=FetchMode.HTTP)
        engine = engine_with(tmp_path, m, [f"ntfy://127.0.0.1:{sink.port}/seats"])
        await engine.run_once()
        await engine.run_once()
    finally:
        walled.stop()
    [text] = sink.texts()  # one "login needed", not one per check
    assert "login needed" in text and "session import" in text


def test_masking_and_scrubbing() -> None:
    assert mask_url("tgram://123456:ABCdef/987") == "tgram://1…f/…"
    assert mask_url("ntfy://ntfy.sh/my-topic") == "ntfy://ntfy.sh/…"
    assert mask_url("json://u:p@127.0.0.1:9") == "json://****@127.0.0.1:9"
    url = f"discord://{TOKEN}/{PASSWORD}"
    assert scrub(f"bad {TOKEN} and {PASSWORD}", url) == "bad **** and ****"
