"""Cookies a server sets later on a site with an imported session are kept, as a
browser keeps them: through both fetchers, into secrets.json (0600), scoped to the
session's site, and they outlive a restart (real login site on 127.0.0.2, another
site on 127.0.0.3, real store and secrets file)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.servers.login_site import LoginSite
from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie
from tui_tracker.core.model import FetchMode, Kind, Monitor
from tui_tracker.engine.engine import Engine
from tui_tracker.store.repository import Store
from tui_tracker.store.secrets import Secrets


@pytest.fixture
def shop(elsewhere: LoginSite) -> LoginSite:
    """The other host, setting a cookie of its own on every page."""
    elsewhere.state["challenge"] = False
    elsewhere.state["set_cookies"] = ["tracker=shop-secret-7; Path=/; Max-Age=86400"]
    return elsewhere


async def check_all(data: Path) -> list:
    """One `check` pass as a fresh process would run it (a new store and engine)."""
    store = Store.open(data)
    try:
        return await Engine(store, Settings(deadline=20, browser_wait=0.5)).run_once(
            last=True)
    finally:
        store.close()


def saved(data: Path, site: str) -> dict[str, Cookie]:
    return {c.name: c for c in Secrets(data).sites()[site].cookies}


@pytest.mark.parametrize("fetcher", [FetchMode.HTTP, FetchMode.BROWSER])
async def test_a_renewed_session_is_saved_and_used_after_a_restart(
        tmp_path, campus, shop, fetcher) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.add(Monitor(id="cs101", url=campus.url("/classes"), name="CS 101",
                          kind=Kind.SEATS, fetcher=fetcher))
        store.add(Monitor(id="kettl", url=shop.url("/shop"), name="Kettle", kind=Kind.PRICE,
                          fetcher=fetcher))
    first = campus.new_session()
    Secrets(data).put_site(campus.host, [Cookie("sid", first, campus.host, host_only=True)],
                           "cookies.txt")
    campus.state["rotate"] = True  # every page renews the session; the old id dies
    campus.state["set_cookies"] = ["pref=dark; Path=/; Max-Age=86400"]

    outcomes = await check_all(data)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    cookies = saved(data, campus.host)
    assert cookies["sid"].value != first and cookies["sid"].value in campus.sessions
    assert cookies["sid"].http_only and cookies["sid"].host_only
    assert cookies["pref"].value == "dark" and cookies["pref"].expires is not None
    # The shop's cookie is saved nowhere: no session of its own, and not the campus's.
    text = (data / "secrets.json").read_text()
    assert "shop-secret-7" not in text and set(Secrets(data).sites()) == {campus.host}
    assert stat.S_IMODE((data / "secrets.json").stat().st_mode) == 0o600
    # The campus session never went to the other host.
    assert not any("sid=" in c for c in shop.cookies_seen("/shop"))

    # A restart: only the saved, renewed id gets in (the imported one is dead).
    renewed = cookies["sid"].value
    [again] = [o for o in await check_all(data) if o.monitor.id == "cs101"]
    assert again.ok, (again.error, renewed, campus.cookies_seen("/classes"),
                      [p for p, _h in campus.seen])
    assert f"sid={renewed}" in campus.cookies_seen("/classes")[-1]
    assert saved(data, campus.host)["sid"].value != renewed  # renewed once more

    # A cookie the server deletes is deleted from the session too.
    campus.state["rotate"] = False
    campus.state["set_cookies"] = ["pref=; Path=/; Max-Age=0"]
    await check_all(data)
    assert "pref" not in saved(data, campus.host)
    assert "sid" in saved(data, campus.host)


async def test_a_blocked_check_leaves_the_saved_session_alone(tmp_path, campus) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        store.add(Monitor(id="cs101", url=campus.url("/classes"), name="CS 101",
                          kind=Kind.SEATS, fetcher=FetchMode.HTTP))
    Secrets(data).put_site(campus.host, [Cookie("sid", "dead-id", campus.host,
                                                host_only=True)], "cookies.txt")
    campus.state["set_cookies"] = ["pref=dark; Path=/"]
    before = (data / "secrets.json").read_bytes()
    [blocked] = await check_all(data)
    assert not blocked.ok and "login needed" in (blocked.error or "")
    assert (data / "secrets.json").read_bytes() == before


async def test_checks_starting_together_in_one_browser_all_send_the_session(
        tmp_path, campus, shop) -> None:
    """Checks of two hosts share the browser's context, and its jar is filled when the
    first check starts. Two starting together both cleared and refilled it, so a page
    could go out between the other's clear and fill, without the session, and read as
    a login wall (seen as a flaky CI run). Each pass is a fresh browser: the race is at
    its start."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        for i in range(3):
            store.add(Monitor(id=f"cs10{i}", url=campus.url(f"/classes?s={i}"), name=f"CS {i}",
                              kind=Kind.SEATS, fetcher=FetchMode.BROWSER))
            store.add(Monitor(id=f"shop{i}", url=shop.url(f"/shop?s={i}"), name=f"Shop {i}",
                              kind=Kind.PRICE, fetcher=FetchMode.BROWSER))
    sid = campus.new_session()
    Secrets(data).put_site(campus.host, [Cookie("sid", sid, campus.host, host_only=True)],
                           "cookies.txt")
    for attempt in range(4):
        outcomes = await check_all(data)
        failed = [(o.monitor.id, o.error) for o in outcomes if not o.ok]
        assert not failed, f"pass {attempt + 1}: {failed}"
