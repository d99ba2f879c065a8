"""Pages behind a login through the real engine: sessions sent, walls told from changes.

A local site with a cookie login (tests/servers/login_site.py); both fetchers; a real
store and secrets file in a temp data dir.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.login_site import LoginSite
from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie
from tui_tracker.core.model import FetchMode, Health, Kind, Monitor
from tui_tracker.engine.engine import Engine
from tui_tracker.store.repository import Store
from tui_tracker.store.secrets import MonitorSecrets, Secrets


@pytest.fixture
def login_site() -> Iterator[LoginSite]:
    server = LoginSite().start()
    yield server
    server.stop()


def make_engine(tmp_path: Path, *monitors: Monitor) -> Engine:
    store = Store.open(tmp_path / "data")
    for m in monitors:
        m.id = m.id or store.new_id()
        store.add(m)
    return Engine(store, Settings(deadline=20, browser_wait=0.5))


def log_in(site: LoginSite, data_dir: Path) -> str:
    """What `session import` does with a fresh browser login: the sid cookie, stored."""
    sid = site.new_session()
    Secrets(data_dir).put_site(site.host, [Cookie("sid", sid, site.host, host_only=True)],
                               "test")
    return sid


@pytest.mark.parametrize("fetcher", [FetchMode.HTTP, FetchMode.BROWSER])
async def test_expired_session_is_blocked_not_changed_and_alerts_once(
        tmp_path, login_site, fetcher) -> None:
    m = Monitor(id="", url=login_site.url("/classes"), name="CS 101", kind=Kind.SEATS,
                fetcher=fetcher)
    engine = make_engine(tmp_path, m)
    data = tmp_path / "data"
    sid = log_in(login_site, data)
    login_site.state["sections"] = [("A1", 30, 0), ("B2", 40, 0)]

    [first] = await engine.run_once()
    assert first.ok and [r.value for r in first.monitor.readings] == [0, 0]
    assert f"sid={sid}" in login_site.cookies_seen("/classes")[-1]

    login_site.expire()
    login_site.state["sections"] = [("A1", 30, 3), ("B2", 40, 0)]  # unseen behind the wall
    [blocked] = await engine.run_once()
    m = blocked.monitor
    assert not blocked.ok and not blocked.changed
    assert m.health() is Health.BLOCKED
    assert blocked.error == f"login needed at {login_site.host}:{login_site.port}"
    assert [r.value for r in m.readings] == [0, 0]  # the last good value stays
    events = await engine.events(m.id)
    assert [e.rule for e in events] == ["blocked"]
    assert f"tui-tracker session import cookies.txt --site {login_site.host}" in \
        events[0].message
    assert blocked.to_json()["health"] == "blocked" and blocked.to_json()["changed"] is False

    [again] = await engine.run_once()
    assert again.monitor.health() is Health.BLOCKED
    assert [e.rule for e in await engine.events(m.id)] == ["blocked"]  # once

    log_in(login_site, data)
    [back] = await engine.run_once()
    assert back.ok and back.monitor.health() is Health.HEALTHY
    rules = [e.rule for e in await engine.events(m.id)]
    # Newest first: works again, and the seat that opened behind the wall fires now.
    assert sorted(rules) == sorted(["blocked", "unblocked", "seats_opened"])


async def test_session_expired_page_at_the_same_address_is_blocked(tmp_path,
                                                                   login_site) -> None:
    login_site.state["expired_style"] = "page"
    m = Monitor(id="", url=login_site.url("/notes"), name="Notes", kind=Kind.TEXT,
                fetcher=FetchMode.HTTP)
    engine = make_engine(tmp_path, m)
    log_in(login_site, tmp_path / "data")
    [ok] = await engine.run_once()
    assert ok.ok and "Registration opens Monday" in str(ok.monitor.readings[0].value)

    login_site.expire()
    [out] = await engine.run_once()
    assert not out.changed and out.monitor.health() is Health.BLOCKED
    assert out.error.startswith("session expired at 127.0.0.2")
    assert [e.rule for e in await engine.events(out.monitor.id)] == ["blocked"]  # no "changed"


@pytest.mark.parametrize("fetcher", [FetchMode.HTTP, FetchMode.BROWSER])
async def test_challenge_page_is_a_bot_check(tmp_path, login_site, fetcher) -> None:
    m = Monitor(id="", url=login_site.url("/shop"), name="Kettle", kind=Kind.PRICE,
                fetcher=fetcher)
    engine = make_engine(tmp_path, m)
    [out] = await engine.run_once()
    assert out.monitor.health() is Health.BLOCKED and not out.monitor.readings
    assert out.error.startswith("bot check at 127.0.0.2") and "HTTP 403" in out.error
    [event] = await engine.events(out.monitor.id)
    assert event.rule == "blocked" and "tui-tracker session import" in event.message

    login_site.state["challenge"] = False
    [ok] = await engine.run_once()
    assert ok.ok and ok.monitor.readings[0].value == 49.99


async def test_script_built_page_behind_login_in_the_browser(tmp_path, login_site) -> None:
    m = Monitor(id="", url=login_site.url("/app"), name="Builder", kind=Kind.SEATS,
                fetcher=FetchMode.BROWSER)
    engine = make_engine(tmp_path, m)
    [out] = await engine.run_once()  # no session: the script sends the page to /login
    assert out.monitor.health() is Health.BLOCKED, out.error
    assert out.error.startswith("login needed at 127.0.0.2")

    log_in(login_site, tmp_path / "data")
    [ok] = await engine.run_once()
    assert ok.ok, ok.error
    assert [r.value for r in ok.monitor.readings] == [0, 5]


@pytest.mark.parametrize("fetcher", [FetchMode.HTTP, FetchMode.BROWSER])
async def test_monitor_headers_go_to_its_host_only_and_cookies_are_sent(
        tmp_path, login_site, fetcher) -> None:
    m = Monitor(id="", url=login_site.url("/classes"), name="CS", kind=Kind.SEATS,
                fetcher=fetcher)
    engine = make_engine(tmp_path, m)
    sid = login_site.new_session()
    Secrets(tmp_path / "data").put_monitor(m.id, MonitorSecrets(
        headers=[("X-Api-Key", "k-123")],
        cookies=[Cookie("sid", sid, login_site.host, host_only=True)]))
    [out] = await engine.run_once()
    assert out.ok, out.error
    [(_, headers)] = [(p, h) for p, h in login_site.seen if p == "/classes"]
    assert headers.get("x-api-key") == "k-123" and f"sid={sid}" in headers.get("cookie", "")
