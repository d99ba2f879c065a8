"""Issue 12 in the real app (pilot): readable notification history at any width, rules
the form offers by kind and can turn off, health words, tags, toasts, keys, the log."""

from __future__ import annotations

import re
from datetime import timedelta

from textual.widgets import Checkbox, Input, Select

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.core.model import (
    Delivery,
    DeliveryState,
    Event,
    HistoryEntry,
    Kind,
    Mode,
    Monitor,
    Reading,
    Rules,
    utcnow,
)
from tui_tracker.store.repository import Store
from tui_tracker.ui.screens.form import MonitorForm
from tui_tracker.ui.screens.notifications import EventScreen, NotificationsScreen

LONG_ERROR = ("SMTP server smtp.example.org refused the recipient (550 5.1.1 mailbox "
              "unavailable: the address someone@example.com does not exist here) END-OF-ERROR")
LONG_MESSAGE = ("Acme Kettle is $39.50, at or below your target $45.00 (was $49.99). "
                "This sentence goes on long enough that no column could hold it END-OF-MESSAGE")


def seed(data_dir, *monitors: Monitor, events: tuple[Event, ...] = ()) -> None:
    store = Store.open(data_dir)
    for m in monitors:
        store.add(m)
    if events:
        store.add_events(list(events))
    store.close()


def kettle_event(monitor_id: str) -> Event:
    return Event(
        id="ev0000001", monitor_id=monitor_id, at=utcnow() - timedelta(minutes=3),
        rule="price_below", rules=["price_below", "price_drop"], message=LONG_MESSAGE,
        monitor_name="Acme Kettle", url="http://127.0.0.1/kettle",
        old=[Reading("price", "Acme Kettle", 49.99, "USD")],
        new=[Reading("price", "Acme Kettle", 39.5, "USD")],
        deliveries=[Delivery("email", "someone@example.com", DeliveryState.FAILED,
                             LONG_ERROR, attempts=3)])


async def _read_history(app, pilot) -> None:
    await pilot.press("n")
    assert isinstance(app.screen, NotificationsScreen)
    await wait_for(pilot, lambda: app.screen.events, "the notifications")
    await pilot.pause()


async def test_notification_history_is_readable_at_80_columns(make_app, data_dir):
    seed(data_dir, Monitor(id="kettl", url="http://127.0.0.1:9/k", name="Acme Kettle",
                           mode=Mode.PAUSED),
         events=(kettle_event("kettl"),))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _read_history(app, pilot)
        detail = str(app.screen.query_one("#notification-text").render())
        assert "END-OF-MESSAGE" in detail and "END-OF-ERROR" in detail
        assert "failed after 3 attempts" in detail and "price_below, price_drop" in detail
        assert "$49.99 → $39.50" in detail
        await pilot.press("enter")
        assert isinstance(app.screen, EventScreen)
        text = screen_text(app)
        assert "END-OF-ERROR" in text and "END-OF-MESSAGE" in text
        assert "someone@example.com" in text
        await pilot.press("escape")
        assert isinstance(app.screen, NotificationsScreen)


async def test_notification_history_gives_the_message_the_room_at_160(make_app, data_dir):
    seed(data_dir, Monitor(id="kettl", url="http://127.0.0.1:9/k", name="Acme Kettle",
                           mode=Mode.PAUSED),
         events=(kettle_event("kettl"),))
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await _read_history(app, pilot)
        text = screen_text(app)
        assert "This sentence goes on long enough that no column" in text
        assert "END-OF-ERROR" in text  # the pane under the table, in full
        await pilot.press("right")
        assert isinstance(app.screen, EventScreen)


async def test_form_offers_the_rules_of_the_kind_and_turns_them_off(make_app, data_dir):
    seed(data_dir, Monitor(id="cs101", url="http://127.0.0.1:9/seats", name="CS 101",
                           kind=Kind.SEATS, mode=Mode.PAUSED,
                           rules=Rules(seats_at_least=3, any_change=True)))
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: "cs101" in app.table.models, "the monitor")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, MonitorForm)
        await pilot.pause()
        shown = {f: form.query_one(f"#row-{f}").display
                 for f in ("below", "drop_pct", "seats_at_least")}
        assert shown == {"below": False, "drop_pct": False, "seats_at_least": True}
        assert form.query_one("#seats_opened", Checkbox).display
        assert not form.query_one("#back_in_stock", Checkbox).display
        assert form.query_one("#any_change", Checkbox).value is True
        form.query_one("#seats_at_least", Input).value = ""     # off
        form.query_one("#any_change", Checkbox).value = False   # off
        form.query_one("#tags", Input).value = "cs, fall"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, MonitorForm), "the save")
        saved = app.api.engine.get("cs101")
        assert saved.rules.seats_at_least is None and saved.rules.any_change is False
        assert saved.tags == ["cs", "fall"]
        await pilot.press("a")
        form = app.screen
        form.query_one("#kind", Select).value = Kind.PRICE
        await pilot.pause()
        assert form.query_one("#row-below").display
        assert not form.query_one("#row-seats_at_least").display
        form.query_one("#kind", Select).value = Kind.TEXT
        await pilot.pause()
        assert not form.query_one("#row-flags").display
        assert form.query_one("#text-rules").display


async def test_paused_and_never_checked_monitors_are_not_stale(make_app, data_dir):
    old = utcnow() - timedelta(days=3)
    seed(data_dir,
         Monitor(id="pause", url="http://127.0.0.1:9/a", name="Paused one", mode=Mode.PAUSED,
                 readings=[Reading("price", "x", 5.0, "USD")], last_success=old,
                 last_checked=old),
         Monitor(id="fresh", url="http://127.0.0.1:9/b", name="Never checked",
                 mode=Mode.STOPPED))
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: len(app.table.models) == 2, "the monitors")
        await pilot.pause()
        assert str(app.table.get_cell("pause", "health")) == "● ok"  # kept, not stale
        assert str(app.table.get_cell("fresh", "health")) == "○ new"
        assert app.api.engine.get("fresh").to_public()["health"] == "new"
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.resize_terminal(120, 70)  # the whole help on screen at once
        await pilot.pause()
        text = screen_text(app)
        for words in ("● ok", "◌ stale", "✖ error", "⊘ blocked", "○ new",
                      "twice the interval"):
            assert words in text, words
        assert len(re.findall(r"escape +Close", text)) == 1  # listed once


async def test_keys_reverse_sort_copy_url_and_activity_log(site, make_app, data_dir):
    seed(data_dir,
         Monitor(id="kettl", url=site.url("/kettle.html"), name="Kettle", tags=["shop"]),
         Monitor(id="lante", url=site.url("/lantern.html"), name="Lantern",
                 tags=["shop", "camp"]),
         Monitor(id="cours", url=site.url("/courses.html"), name="Courses", kind=Kind.SEATS,
                 tags=["cs"]))
    app = make_app()
    copied: list[str] = []
    async with app.run_test(size=(160, 45)) as pilot:
        app.copy_to_clipboard = copied.append  # what Textual would send as OSC 52
        await wait_for(pilot, lambda: all(m.last_checked for m in app.table.models.values()),
                       "three checks")
        await pilot.press("o")  # sort by the first column, then reverse it
        first = app.table.visible_ids()
        await pilot.press("O")
        assert app.table.sort_reverse and app.table.visible_ids() == first[::-1]
        assert "tags" in app.table.visible_columns
        assert str(app.table.get_cell("lante", "tags")) == "shop camp"
        await pilot.press("slash")
        await pilot.press(*"tag:cs")
        await wait_for(pilot, lambda: app.table.visible_ids() == ["cours"], "the tag filter")
        await pilot.press("enter")  # keep the filter, back to the table
        await pilot.press("y")
        assert copied == [site.url("/courses.html")]
        await pilot.press("escape")  # clear the filter
        await pilot.press("l")
        from tui_tracker.ui.screens.activity import ActivityScreen

        assert isinstance(app.screen, ActivityScreen)
        await wait_for(pilot, lambda: len(app.screen.visible_lines()) >= 3, "activity lines")
        lines = app.screen.visible_lines()
        assert any("check" in line and "Kettle: $49.99" in line for line in lines), lines
        app.screen.query_one("#activity-filter", Input).value = "lante"
        await wait_for(pilot, lambda: app.screen.visible_lines() and all(
            "lante" in line for line in app.screen.visible_lines()), "the filtered lines")
        await pilot.press("escape")


async def test_value_toasts_are_one_per_burst_and_never_over_a_modal(site, make_app,
                                                                     data_dir):
    seed(data_dir, *[Monitor(id=f"k{i:04d}", url=site.url("/kettle.html") + f"?n={i}",
                             name=f"Kettle {i}") for i in range(6)])
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: all(m.readings for m in app.table.models.values()),
                       "the first checks")
        site.pages["/kettle.html"] = site.pages["/kettle.html"].replace("49.99", "39.50")
        await pilot.press("n")  # a modal is open while the values change
        ids = list(app.table.models)
        await app.api.check_now(ids)
        await wait_for(pilot, lambda: all(m.readings[0].value == 39.5
                                          for m in app.table.models.values()), "the changes")
        await pilot.pause(0.5)
        assert not app._notifications, "no toast over a modal"
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(app._notifications) == 1, "one summary toast")
        [toast] = list(app._notifications)
        assert "6 values changed" in toast.message


async def test_toasts_can_be_turned_off(site, make_app, data_dir, settings):
    settings.toasts = "off"
    seed(data_dir, Monitor(id="kettl", url=site.url("/kettle.html"), name="Kettle"))
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.table.models["kettl"].readings, "the first check")
        site.pages["/kettle.html"] = site.pages["/kettle.html"].replace("49.99", "39.50")
        await app.api.check_now(["kettl"])
        await wait_for(pilot, lambda: app.table.models["kettl"].readings[0].value == 39.5,
                       "the change")
        await pilot.pause(0.5)
        assert not app._notifications


async def test_seat_chart_counts_whole_seats_from_zero():
    from tui_tracker.ui.widgets.chart import render_chart

    now = utcnow()
    history = [HistoryEntry(now - timedelta(minutes=10 - i), (Reading("A", "CS A", 0, "seats"),))
               for i in range(3)]
    lines = render_chart(history, 60, 12, color=False).plain.splitlines()
    labels = [line.split("┤")[0].strip() for line in lines if "┤" in line]
    assert labels == ["1", "0"]
    assert not any("." in label or "-" in label for label in labels)


async def test_values_and_targets_get_their_room_first_at_160(make_app, data_dir):
    sections = [Reading(f"S{i}", f"Section {i:03d}", float(i), "seats") for i in range(1, 7)]
    seed(data_dir,
         Monitor(id="price", url="http://127.0.0.1:9/p", name="A product with a rather long "
                 "name that goes on and on", kind=Kind.PRICE, mode=Mode.PAUSED,
                 readings=[Reading("price", "x", 80.0, "USD")],
                 rules=Rules(below=80.0, drop_pct=10)),
         Monitor(id="seats", url="http://127.0.0.1:9/s", name="CS 101", kind=Kind.SEATS,
                 mode=Mode.PAUSED, readings=sections))
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_for(pilot, lambda: len(app.table.models) == 2, "the monitors")
        await pilot.pause()
        widths = {c.key.value: c.width for c in app.table.columns.values()}
        target = app.table.get_cell("price", "target")
        assert target.plain == "≤ $80.00 -10%" and widths["target"] >= target.cell_len
        value = app.table.get_cell("seats", "value")
        assert widths["value"] >= value.cell_len > 24  # once cut at 24 columns
        assert widths["name"] >= 28


async def test_open_without_a_display_copies_and_the_detail_links_the_url(make_app,
                                                                          data_dir,
                                                                          monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    seed(data_dir, Monitor(id="kettl", url="http://127.0.0.1:9/kettle", name="Kettle",
                           mode=Mode.PAUSED))
    app = make_app()
    copied: list[str] = []
    opened: list[str] = []
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        app.copy_to_clipboard = copied.append
        app.open_url = lambda url, **_: opened.append(url)
        await wait_for(pilot, lambda: app.table.row_count == 1, "the row")
        await pilot.press("b")
        assert copied == ["http://127.0.0.1:9/kettle"] and opened == []
        monkeypatch.setenv("DISPLAY", ":0")
        await pilot.press("b")
        assert opened == ["http://127.0.0.1:9/kettle"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.detail.monitor_id == "kettl", "the detail pane")
        text = app.detail.query_one("#detail-text").render()
        links = {span.style.link for span in text.spans
                 if hasattr(span.style, "link") and span.style.link}
        assert links == {"http://127.0.0.1:9/kettle"}


async def test_the_bell_rings_on_an_alert_when_set(site, make_app, data_dir, settings):
    settings.bell = True
    seed(data_dir, Monitor(id="kettl", url=site.url("/kettle.html"), name="Kettle",
                           rules=Rules(below=60)))
    app = make_app()
    rang: list[bool] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.bell = lambda: rang.append(True)
        await wait_for(pilot, lambda: rang, "the bell on the first check's alert")
