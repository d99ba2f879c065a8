"""Times for people (local with zone) and what an alert changed, in words."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest

from tui_tracker.core.formatting import event_values, local_time, zone_name
from tui_tracker.core.model import Event, Reading


@pytest.fixture
def zone():
    old = os.environ.get("TZ")

    def set_zone(tz: str) -> None:
        os.environ["TZ"] = tz
        time.tzset()

    yield set_zone
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_local_time_names_its_zone(zone) -> None:
    at = datetime(2026, 11, 30, 18, 9, 16, tzinfo=UTC)
    zone("Europe/Paris")
    assert local_time(at) == "2026-11-30 19:09:16 CET"
    zone("Asia/Kolkata")
    assert local_time(at) == "2026-11-30 23:39:16 IST"
    zone("UTC")
    assert local_time(at) == "2026-11-30 18:09:16 UTC"


def test_a_zone_without_a_name_reads_as_an_offset(zone) -> None:
    zone("<+0530>-5:30")
    local = datetime(2026, 1, 1, tzinfo=UTC).astimezone()
    assert zone_name(local) == "UTC+05:30"


def _event(old, new, old_stock=None, new_stock=None) -> Event:
    return Event(id="e", monitor_id="m", at=datetime.now(UTC), rule="back_in_stock",
                 message="", old=old, new=new, old_in_stock=old_stock, new_in_stock=new_stock)


def test_back_in_stock_values_show_the_stock_not_a_same_price() -> None:
    price = [Reading("price", "Headphones", 129.0, "USD")]
    text = event_values(_event(price, price, False, True))
    assert text == "out of stock → in stock ($129.00)"
    assert "$129.00 → $129.00" not in text


def test_price_values_show_old_and_new() -> None:
    old = [Reading("price", "Kettle", 49.99, "USD")]
    new = [Reading("price", "Kettle", 39.5, "USD")]
    assert event_values(_event(old, new)) == "$49.99 → $39.50"


def test_the_mail_of_a_back_in_stock_alert_says_what_changed() -> None:
    from tui_tracker.notifiers.compose import body_for

    price = [Reading("price", "Headphones", 129.0, "USD")]
    event = _event(price, price, False, True)
    event.rules = ["back_in_stock", "price_below"]
    body = body_for([event])
    assert "Stock:  out of stock → in stock ($129.00)" in body
    assert "Back in stock, Price at or below target" in body
    assert "Before:" not in body
