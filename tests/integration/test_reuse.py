"""Work a check skips, and the readings staying right when values change between checks.

Real engine, real store, real local site (tests/servers/site.py), real Chromium for
the learned-endpoint cases. Which way a check read its values is the outcome's `via`
(`read` in `check --json`); the site's request counts prove what was (not) fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clock import ManualClock
from tests.servers.site import Site
from tui_tracker.config import Settings
from tui_tracker.core.model import FetchMode, Kind, Monitor
from tui_tracker.engine import learned, reuse
from tui_tracker.engine.checker import CheckOutcome
from tui_tracker.engine.engine import Engine
from tui_tracker.store.repository import Store


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site("127.0.0.3").start()
    yield server
    server.stop()


class Harness:
    """One monitor in a real store, checked with `check`-style passes."""

    def __init__(self, tmp_path: Path, monitor: Monitor, **settings: object) -> None:
        self.store = Store.open(tmp_path / "data")
        monitor.id = self.store.new_id()
        self.store.add(monitor)
        self.id = monitor.id
        self.clock = ManualClock()
        self.settings = Settings(browser_wait=0.5, deadline=15.0, **settings)  # type: ignore[arg-type]

    async def check(self) -> CheckOutcome:
        # A new Engine each pass, as each `tui-tracker check` is a new process.
        engine = Engine(self.store, self.settings, clock=self.clock, rng=lambda: 0.5)
        outcomes = await engine.run_once([self.id])
        assert len(outcomes) == 1
        self.clock.advance(60)
        return outcomes[0]

    @property
    def monitor(self) -> Monitor:
        found = self.store.get(self.id)
        assert found is not None
        return found


def values(outcome: CheckOutcome) -> list[tuple[str, float | str]]:
    return [(r.key.upper(), r.value) for r in outcome.monitor.readings]


# --------------------------------------------------------------- static pages

async def test_conditional_request_304_keeps_the_readings_and_a_change_is_read(
        tmp_path: Path, site: Site) -> None:
    site.state["validators"] = True
    h = Harness(tmp_path, Monitor(id="", url=site.url("/product/1"), kind=Kind.PRICE,
                                  fetcher=FetchMode.HTTP))
    first = await h.check()
    assert first.ok and first.via == "http" and values(first) == [("PRICE", 49.99)]
    assert h.monitor.fetch_state.get("etag")

    second = await h.check()
    assert site.not_modified == 1, "the second check must ask conditionally and get a 304"
    assert second.ok and second.via == "not-modified" and not second.changed
    assert values(second) == [("PRICE", 49.99)]
    # Each pass is a new engine (a new `check` process): an unchanged value adds no
    # history point until the heartbeat is due.
    assert len(h.store.history(h.id)) == 1

    site.state["price"] = 41.50  # a new body, so a new ETag: a full answer, read afresh
    third = await h.check()
    assert third.ok and third.via == "http" and third.changed
    assert values(third) == [("PRICE", 41.5)]
    assert site.not_modified == 1
    assert len(h.store.history(h.id)) == 2


async def test_identical_body_skips_extraction_until_the_extractor_version_changes(
        tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    h = Harness(tmp_path, Monitor(id="", url=site.url("/product/1"), kind=Kind.PRICE,
                                  fetcher=FetchMode.HTTP))
    assert (await h.check()).via == "http"
    same = await h.check()
    assert same.via == "same-body" and not same.changed and values(same) == [("PRICE", 49.99)]

    calls = []
    import tui_tracker.extractors as extractors

    real = extractors.extract
    monkeypatch.setattr(extractors, "extract", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(reuse, "EXTRACTOR_VERSION", "bumped-for-test")
    bumped = await h.check()
    assert bumped.via == "http" and calls == [1], "a version bump must extract afresh"
    assert values(bumped) == [("PRICE", 49.99)] and not bumped.changed
    assert (await h.check()).via == "same-body"  # keyed with the new version from now on

    site.state["price"] = 39.0
    moved = await h.check()
    assert moved.via == "http" and moved.changed and values(moved) == [("PRICE", 39.0)]


async def test_a_failed_check_is_not_followed_by_a_reused_reading(
        tmp_path: Path, site: Site) -> None:
    site.state["validators"] = True
    h = Harness(tmp_path, Monitor(id="", url=site.url("/product/1"), kind=Kind.PRICE,
                                  fetcher=FetchMode.HTTP))
    await h.check()
    site.state["status"] = 503
    assert not (await h.check()).ok
    site.state["status"] = 200
    after = await h.check()
    assert after.ok and after.via == "http" and site.not_modified == 0


# ----------------------------------------------------------- learned endpoints

def seats_monitor(site: Site, path: str = "/js-seats") -> Monitor:
    return Monitor(id="", url=site.url(path), kind=Kind.SEATS, fetcher=FetchMode.BROWSER)


async def test_learned_endpoint_reads_unchanged_values_and_renders_every_change(
        tmp_path: Path, site: Site) -> None:
    h = Harness(tmp_path, seats_monitor(site))
    first = await h.check()
    assert first.ok and first.via == "browser"
    assert values(first) == [("A1", 0), ("B2", 5)]
    assert h.monitor.read_via == "endpoint"
    assert h.monitor.to_public()["data_endpoint"] == site.url("/api/sections")

    renders = site.requests["/js-seats"]
    quiet = await h.check()
    assert quiet.via == "endpoint" and not quiet.changed
    assert values(quiet) == [("A1", 0), ("B2", 5)]
    assert site.requests["/js-seats"] == renders, "an unchanged endpoint must not render"

    # A seat opens: the endpoint differs, so the page is rendered and read before any
    # rule sees the value, and the alert carries the rendered numbers.
    site.state["sections"] = [("A1", 30, 3), ("B2", 40, 5)]
    opened = await h.check()
    assert opened.via == "browser" and opened.changed
    assert values(opened) == [("A1", 3), ("B2", 5)]
    assert site.requests["/js-seats"] == renders + 1
    assert [f.rule for f in opened.fired] == ["seats_opened"]
    assert (await h.check()).via == "endpoint"  # re-learned from that render

    # The shape changes (a new section): rendered, the new section read.
    site.state["sections"] = [("A1", 30, 3), ("B2", 40, 5), ("C3", 20, 0)]
    grown = await h.check()
    assert grown.via == "browser" and values(grown) == [("A1", 3), ("B2", 5), ("C3", 0)]


async def test_learned_endpoint_is_rendered_on_schedule_and_when_it_fails(
        tmp_path: Path, site: Site) -> None:
    h = Harness(tmp_path, seats_monitor(site), endpoint_verify=3600.0)
    await h.check()
    assert (await h.check()).via == "endpoint"
    h.clock.advance(3600 * 1.25)  # past the longest spread of the schedule
    scheduled = await h.check()
    assert scheduled.via == "browser" and values(scheduled) == [("A1", 0), ("B2", 5)]
    assert h.monitor.learned.get("last_reason", "").startswith("a scheduled render")

    site.state["api_fails_direct"] = True  # the page still renders; the direct ask fails
    failed = await h.check()
    assert failed.ok and failed.via == "browser" and values(failed) == [("A1", 0), ("B2", 5)]
    assert "the data endpoint failed" in h.monitor.learned.get("last_reason", "")


async def test_values_transformed_by_script_fall_back_to_rendering_for_good(
        tmp_path: Path, site: Site) -> None:
    h = Harness(tmp_path, seats_monitor(site, "/js-computed"))
    for _ in range(learned.MISSES_FOR_GOOD):
        outcome = await h.check()
        assert outcome.via == "browser" and values(outcome) == [("A1", 0), ("B2", 5)]
    assert h.monitor.learned["mode"] == "render"
    assert h.monitor.read_via == "browser"
    site.state["sections"] = [("A1", 30, 2), ("B2", 40, 5)]
    moved = await h.check()
    assert moved.via == "browser" and values(moved) == [("A1", 2), ("B2", 5)]


async def test_a_post_request_is_never_repeated_on_its_own(tmp_path: Path, site: Site) -> None:
    h = Harness(tmp_path, seats_monitor(site, "/js-posted"))
    outcome = await h.check()
    assert outcome.ok and values(outcome) == [("A1", 0), ("B2", 5)]
    assert h.monitor.learned.get("mode") != "endpoint"
    assert "POST" in h.monitor.learned.get("reason", "")
    assert (await h.check()).via == "browser"


async def test_learning_off_renders_every_check(tmp_path: Path, site: Site) -> None:
    h = Harness(tmp_path, seats_monitor(site), learn_endpoints=False)
    await h.check()
    assert (await h.check()).via == "browser" and not h.monitor.learned
