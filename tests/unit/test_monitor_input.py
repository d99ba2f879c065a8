"""The one validator of monitor input (core/monitor_input.py): CLI, form and import use it."""

from __future__ import annotations

import pytest

from tui_tracker.core.errors import InputError
from tui_tracker.core.model import Kind, Monitor, Rules
from tui_tracker.core.monitor_input import FieldErrors, MonitorInput, check_monitor, parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("12.50", 12.5), ("12,50", 12.5), ("12,5", 12.5), ("1,250", 1250.0),
    ("1,299.99", 1299.99), ("1.299,99", 1299.99), ("1'299", 1299.0), ("1 299,50", 1299.5),
    (" 45 ", 45.0), ("0", 0.0), (7, 7.0), ("", None), (None, None),
])
def test_numbers_read_the_same_everywhere(text, value) -> None:
    assert parse_number(text, "below") == value


@pytest.mark.parametrize("text", ["abc", "-3", "nan", "inf", "1e999", True, [1]])
def test_bad_numbers_are_refused_with_a_sentence(text) -> None:
    with pytest.raises(FieldErrors) as info:
        parse_number(text, "below")
    assert "The target price must be" in str(info.value)


def test_every_bad_field_is_reported_at_once() -> None:
    spec = MonitorInput(url="ftp://x/", interval="soon", emails="nope", drop_pct="150",
                        below="abc")
    with pytest.raises(FieldErrors) as info:
        spec.apply()
    assert set(info.value.errors) == {"url", "interval", "emails", "drop_pct", "below"}
    assert "between 0 and 100" in info.value.errors["drop_pct"]
    assert info.value.exit_code == 2


def test_apply_returns_a_new_monitor_and_leaves_the_base_alone() -> None:
    base = Monitor(id="abcde", url="https://shop.example/k", rules=Rules(below=10))
    edited = MonitorInput(below="12,50", kind="price", emails="a@b.org; c@d.org").apply(base)
    assert edited.rules.below == 12.5 and edited.kind is Kind.PRICE
    assert edited.emails == ["a@b.org", "c@d.org"]
    assert base.rules.below == 10 and base.kind is Kind.AUTO and base.emails == []
    cleared = MonitorInput(below="").apply(edited)
    assert cleared.rules.below is None


def test_extraction_check_is_the_engines_and_maps_to_fields() -> None:
    def check(selector, regex):
        if selector == "p[":
            raise InputError("'p[' is not a valid CSS selector.")
        if regex == "(":
            raise InputError("The regex '(' does not compile.")

    spec = MonitorInput(url="https://shop.example/k", selector="p[", regex="(")
    spec.apply()  # without the engine's check only the core rules apply
    with pytest.raises(FieldErrors) as info:
        spec.apply(check_extraction=check)
    assert set(info.value.errors) == {"selector", "regex"}


@pytest.mark.parametrize(("rules", "field"), [
    ({"drop_pct": 500}, "drop_pct"), ({"below": -3}, "below"), ({"below": "12"}, "below"),
    ({"any_change": "yes"}, "any_change"), ({"error_after": -1}, "error_after"),
])
def test_import_gate_refuses_what_add_refuses(rules, field) -> None:
    m = Monitor.from_dict({"id": "abcde", "url": "https://shop.example/k", "rules": rules})
    with pytest.raises(FieldErrors) as info:
        check_monitor(m)
    assert field in info.value.errors


def test_wire_form_refuses_wrong_types() -> None:
    assert MonitorInput.from_json({"url": "https://x.example/", "below": 3}).below == 3
    with pytest.raises(InputError):
        MonitorInput.from_json({"url": ["x"]})
    with pytest.raises(InputError):
        MonitorInput.from_json("add everything")
