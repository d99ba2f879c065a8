"""The demo site: it serves, its numbers move with the tick, and our extractors read them.

The tick is pinned through the server's injectable clock, so "moves between two
requests" is deterministic: no sleeping and no timing.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tui_tracker.core.errors import ExtractionError, InputError
from tui_tracker.core.model import FetchMode, Kind
from tui_tracker.demo.launch import seed_data_dir
from tui_tracker.demo.server import (
    CYCLE,
    KETTLE_TARGET,
    PRODUCTS,
    DemoServer,
    make_demo_monitors,
    schedule_sections,
    static_sections,
)


class Ticks:
    """A settable clock for the server: `ticks.now = 9` moves the site to tick 9."""

    def __init__(self, period: float) -> None:
        self.period = period
        self.now = 0

    def __call__(self) -> float:
        return self.now * self.period + self.period / 2


@pytest.fixture
def ticks() -> Ticks:
    return Ticks(period=5.0)


@pytest.fixture
def demo(ticks: Ticks) -> Iterator[DemoServer]:
    server = DemoServer(period=ticks.period, clock=ticks).start()
    yield server
    server.stop()


def get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=10)


def ld_offer(page: str) -> dict:
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">')
    return json.loads(page[start:page.index("</script>", start)])["offers"]


def extract_fn():
    """Our real extractor; skipped (with the reason) only until it has landed."""
    try:
        from tui_tracker.extractors import extract
    except ImportError as exc:  # pragma: no cover - only before extractors/ exists
        pytest.skip(f"tui_tracker.extractors.extract is not available yet: {exc}")
    return extract


# ---------------------------------------------------------------- serving


def test_serves_every_page_as_utf8_html(demo: DemoServer) -> None:
    assert set(demo.urls) == {"kettle", "headphones", "grinder", "cs101", "math221"}
    for name, url in demo.urls.items():
        r = get(url)
        assert r.status_code == 200, name
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        assert r.headers["cache-control"] == "no-store"
        assert "<html" in r.text
    index = get(demo.base_url + "/")
    assert all(url in index.text for url in demo.urls.values())


def test_unknown_path_is_404_and_query_strings_are_ignored(demo: DemoServer) -> None:
    assert get(demo.base_url + "/shop/nothing").status_code == 404
    assert get(demo.base_url + "/../etc/passwd").status_code == 404
    plain = get(demo.urls["kettle"]).text
    assert get(demo.urls["kettle"] + "?item=17").text == plain
    assert demo.requests >= 4


def test_keep_alive_connection_serves_several_requests(demo: DemoServer) -> None:
    with httpx.Client(timeout=10) as client:
        first = client.get(demo.urls["kettle"])
        second = client.get(demo.urls["cs101"])
    assert first.http_version == "HTTP/1.1"
    assert first.headers.get("connection", "").lower() != "close"
    assert second.status_code == 200


def test_loopback_only_and_a_busy_port_is_one_sentence(demo: DemoServer) -> None:
    with pytest.raises(InputError, match="loopback only"):
        DemoServer(host="0.0.0.0")
    with pytest.raises(InputError, match=f"could not listen on 127.0.0.1:{demo.port}"):
        DemoServer(port=demo.port)


def test_base_url_and_port_match_the_bound_socket(demo: DemoServer) -> None:
    with socket.create_connection(("127.0.0.1", demo.port), timeout=5):
        pass
    assert demo.base_url == f"http://127.0.0.1:{demo.port}"


# ---------------------------------------------------------------- moving numbers


def test_kettle_price_moves_and_crosses_the_target_once_per_cycle(
        demo: DemoServer, ticks: Ticks) -> None:
    ticks.now = 0
    before = ld_offer(get(demo.urls["kettle"]).text)
    ticks.now = 9
    after = ld_offer(get(demo.urls["kettle"]).text)
    assert float(before["price"]) > KETTLE_TARGET >= float(after["price"])
    below = [float(PRODUCTS["kettle"].price(t)) <= KETTLE_TARGET for t in range(CYCLE)]
    crossings = sum(1 for t in range(CYCLE) if below[t] and not below[t - 1])
    assert crossings == 1
    # Long enough below target that a 15 s monitor cannot miss it.
    assert sum(below) * demo.period >= 2 * 15


def test_headphones_go_out_of_stock_and_come_back(demo: DemoServer, ticks: Ticks) -> None:
    seen = []
    for t in (0, 6, 12):
        ticks.now = t
        page = get(demo.urls["headphones"]).text
        seen.append(ld_offer(page)["availability"].rsplit("/", 1)[-1])
        assert ("Out of stock" in page) == (seen[-1] == "OutOfStock")
    assert seen == ["InStock", "OutOfStock", "InStock"]


def test_static_course_opens_a_seat_in_a_full_section(demo: DemoServer, ticks: Ticks) -> None:
    ticks.now = 0
    full = get(demo.urls["cs101"]).text
    ticks.now = 6
    opened = get(demo.urls["cs101"]).text
    assert "<td>CS 101-001</td><td>Hopper</td><td>30</td><td>30</td><td>0</td>" in full
    assert "<td>CS 101-001</td><td>Hopper</td><td>30</td><td>28</td><td>2</td>" in opened


def test_schedule_api_moves_and_the_shell_has_no_numbers(demo: DemoServer,
                                                         ticks: Ticks) -> None:
    api = demo.base_url + "/api/math221/sections.json"
    ticks.now = 0
    a = get(api).json()
    ticks.now = 16
    b = get(api).json()
    assert a["sections"] != b["sections"]
    assert [s["open"] for s in a["sections"]][1] == 0
    assert [s["open"] for s in b["sections"]][1] == 2
    shell = get(demo.urls["math221"]).text
    assert "Seats Open" not in shell.split("<script>")[0]
    assert '<div id="app">' in shell


def test_every_tick_of_the_cycle_has_sane_numbers() -> None:
    for t in range(CYCLE):
        for p in PRODUCTS.values():
            assert 0 < p.price(t) < p.list_price
        for _code, _who, cap, enrolled in static_sections(t):
            assert 0 <= enrolled <= cap
        for s in schedule_sections(t):
            assert 0 <= s["open"] <= s["capacity"]
            assert (s["waitlist"] > 0) <= (s["open"] == 0)


# ---------------------------------------------------------------- our extractor reads it


def test_extractor_reads_price_currency_stock_and_a_literal_name(
        demo: DemoServer, ticks: Ticks) -> None:
    extract = extract_fn()
    ticks.now = 9
    ex = extract(get(demo.urls["kettle"]).text, url=demo.urls["kettle"], kind=Kind.PRICE)
    assert ex.kind is Kind.PRICE
    assert ex.readings[0].value == pytest.approx(39.99)
    assert ex.readings[0].unit == "USD"
    assert ex.in_stock is True
    assert ex.title == "Deluxe [Limited] Kettle"

    ex = extract(get(demo.urls["grinder"]).text, url=demo.urls["grinder"], kind=Kind.AUTO)
    assert ex.kind is Kind.PRICE
    assert ex.readings[0].unit == "EUR"

    ticks.now = 7
    ex = extract(get(demo.urls["headphones"]).text, url=demo.urls["headphones"],
                 kind=Kind.PRICE)
    assert ex.in_stock is False
    assert ex.readings[0].value == pytest.approx(129.0)


def test_extractor_reads_the_static_seats_table(demo: DemoServer, ticks: Ticks) -> None:
    extract = extract_fn()
    ticks.now = 0
    closed = extract(get(demo.urls["cs101"]).text, url=demo.urls["cs101"], kind=Kind.SEATS)
    ticks.now = 6
    opened = extract(get(demo.urls["cs101"]).text, url=demo.urls["cs101"], kind=Kind.SEATS)
    assert [r.value for r in closed.readings] == [0, 0, 0]
    assert opened.readings[0].value == 2
    assert all(r.unit == "seats" for r in opened.readings)
    assert "001" in opened.readings[0].label


def test_extractor_finds_nothing_in_the_unrendered_shell(demo: DemoServer) -> None:
    extract = extract_fn()
    with pytest.raises(ExtractionError) as info:
        extract(get(demo.urls["math221"]).text, url=demo.urls["math221"], kind=Kind.SEATS)
    assert info.value.looks_script_rendered


def _chromium() -> str:
    for name in ("chromium-headless-shell", "chromium", "chromium-browser"):
        path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists()
                                      else None)
        if path:
            return path
    pytest.fail("No Chromium found; scripts/test.sh installs chromium-headless-shell.")


async def test_schedule_builder_renders_in_chromium_and_extracts(
        demo: DemoServer, ticks: Ticks) -> None:
    from playwright.async_api import async_playwright

    ticks.now = 16
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=_chromium(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = await browser.new_page()
            await page.goto(demo.urls["math221"])
            await page.wait_for_selector(".section .seats")
            rendered = await page.content()
        finally:
            await browser.close()
    assert "Seats Open: 2 of 35" in rendered
    assert "Full (0 of 35), Waitlist" not in rendered  # 201 is open at tick 16
    extract = extract_fn()
    ex = extract(rendered, url=demo.urls["math221"], kind=Kind.SEATS)
    assert [r.value for r in ex.readings] == [s["open"] for s in schedule_sections(16)]
    assert "201" in ex.readings[1].label


# ---------------------------------------------------------------- demo monitors


def test_demo_monitors_cover_every_page_with_short_intervals(demo: DemoServer) -> None:
    monitors = make_demo_monitors(demo.urls)
    assert sorted(m.url for m in monitors) == sorted(demo.urls.values())
    assert all(15 <= m.interval <= 30 for m in monitors)
    by_url = {m.url: m for m in monitors}
    assert by_url[demo.urls["kettle"]].rules.below == KETTLE_TARGET
    assert by_url[demo.urls["kettle"]].name == ""  # named from the page
    assert by_url[demo.urls["grinder"]].rules.drop_pct == 10.0
    assert by_url[demo.urls["math221"]].fetcher is FetchMode.BROWSER
    assert {m.kind for m in monitors} == {Kind.PRICE, Kind.SEATS}
    assert all(m.rules.seats_opened for m in monitors if m.kind is Kind.SEATS)


def test_seed_data_dir_stores_the_demo_monitors(demo: DemoServer, tmp_path: Path) -> None:
    from tui_tracker.store.repository import Store

    seed_data_dir(tmp_path / "demo", demo.urls)
    with Store.open(tmp_path / "demo", readonly=True) as store:
        stored = store.list_monitors()
    assert [m.url for m in stored] == [m.url for m in make_demo_monitors(demo.urls)]
    assert len({m.id for m in stored}) == len(stored)
    assert all(m.id for m in stored)


# ---------------------------------------------------------------- `tui-tracker demo` end to end


def test_demo_command_opens_the_tui_and_cleans_up(tmp_path: Path) -> None:
    """The real `tui-tracker demo` in a pseudo-terminal: it shows the kettle named from the
    page (so the server, store, engine and TUI all ran), quits on `q` with status 0, and
    leaves no data dir behind."""
    import fcntl
    import os
    import pty
    import re
    import select
    import struct
    import sys
    import termios
    import time

    env = {**os.environ, "TMPDIR": str(tmp_path), "TERM": "xterm-256color",
           "TUI_TRACKER_SMTP_HOST": "", "TUI_TRACKER_NOTIFY_TO": ""}
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execve(sys.executable, [sys.executable, "-m", "tui_tracker", "demo"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    screen = b""
    status: int | None = None

    def read_until(pattern: bytes, limit: float) -> bool:
        nonlocal screen
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    screen += os.read(fd, 65536)
                except OSError:
                    return False
                if re.search(pattern, re.sub(rb"\x1b\[[0-9;?<>=]*[a-zA-Z]", b"", screen)):
                    return True
        return False

    try:
        seen = read_until(rb"Deluxe \[Limited\] Kettle", 60)
        created = list(tmp_path.glob("tui-tracker-demo-*"))
        os.write(fd, b"q")
        deadline = time.monotonic() + 30
        while status is None and time.monotonic() < deadline:
            read_until(rb"$^", 0.2)
            done, raw = os.waitpid(pid, os.WNOHANG)
            status = os.waitstatus_to_exitcode(raw) if done else None
    finally:
        if status is None:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    text = screen.decode("utf-8", "replace")
    assert seen, text[-2000:]
    assert "Traceback" not in text
    assert len(created) == 1
    assert status == 0
    assert not list(tmp_path.glob("tui-tracker-demo-*"))
