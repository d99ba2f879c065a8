"""Alert rules: decide which alerts one check fires, and remember why (pure, no I/O).

Every rule fires once per *crossing*: when its condition goes from false to true.
It re-arms only after the condition has been seen false again, so a price that
stays low does not mail the user at every check. A condition that is already true
at a monitor's first successful check fires then (the user wants to know now).

The memory lives in `Monitor.rule_state`, a JSON-able dict owned by this module:

    {
      "v": 1,
      "armed": {"price_below": bool, "back_in_stock": bool},
      "below_target": float,          # the target `armed.price_below` refers to
      "baseline": float, "baseline_unit": str,   # price-drop baseline (see below)
      "seats_open": {section_key: bool},     # last seen "has open seats" per section
      "seats_at_least": {section_key: bool}, # last seen ">= N" per section
      "seats_status": {section_key: str},    # last seen status (open/full/...)
      "seats_n": float,                      # the N those flags refer to
      "error_alerted": bool, "error_failures": int,
      "blocked_alerted": bool,
    }

Semantics worth knowing:

- `evaluate` is called only for successful checks; a failed check never counts as a
  change or a crossing. The engine calls `evaluate_failure` for failures.
- Seats are tracked per section key. A section is open when its count is above 0,
  or, shown only as Open (value None), when its status is `open`; "seats opened"
  fires when that turns true (from 0 seats, full, wait list or closed).
  Seats are tracked per section key. A section missing from a check keeps its
  memory untouched: a disappeared section is not "0 seats", so its reappearance
  with the same seats fires nothing. A section seen for the first time with open
  seats fires "seats_opened" (at the first check, that is the "already true" case).
- Price drop %: the baseline is the price at the monitor's first successful check
  (or the first check after the rule was enabled, or after the currency changed).
  When the rule fires, the baseline becomes the alerted price, so the next alert
  needs a further drop of N % from there. A price rise does not move the baseline.
  The rule cannot fire at the first check (nothing has dropped yet).
- Back in stock fires on an observed out-of-stock -> in-stock transition only; a
  product that is simply in stock at the first check is not "back". An unknown
  stock state (None) changes nothing.
- Changed ("any change", always on for text monitors) fires whenever the readings
  differ from the previous successful check's; never on the first check.
- Error alerts: one "error" after `rules.error_after` consecutive failures, one
  "recovered" at the next success, nothing in between. `evaluate` includes the
  recovery, so an engine that calls `evaluate_recovery` first and stores its state
  gets no second "recovered".
- Blocked (a login wall or bot challenge, HOSTILE 60): one "blocked" alert at the
  first blocked check, naming the command that fixes it; one "unblocked" at the next
  success; no value rule looks at a blocked check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui_tracker.core.formatting import describe_reading, describe_readings, format_price
from tui_tracker.core.model import Kind, Monitor, Reading, copy_plain, same_values
from tui_tracker.core.text import clean_text

STATE_VERSION = 1

RULE_NAMES = (
    "price_below", "price_drop", "back_in_stock", "seats_opened", "seats_at_least",
    "changed", "error", "recovered", "blocked", "unblocked",
)
FIX_COMMAND = "tui-tracker session import cookies.txt --site {site}"

@dataclass(frozen=True, slots=True)
class Fired:
    """One alert a check produced: which rule, and a sentence saying what happened.

    A check's value rules make one alert together (`rules` names every rule the
    change met, `rule` is the first), so one seat opening is one mail, not two.
    """

    rule: str
    message: str
    rules: tuple[str, ...] = ()
    old_in_stock: bool | None = None
    new_in_stock: bool | None = None

    @property
    def all_rules(self) -> tuple[str, ...]:
        return self.rules or (self.rule,)


LIFECYCLE = ("error", "recovered", "blocked", "unblocked")
"""Alerts about the monitor itself, never merged with a change's alert."""


def merge(fired: list[Fired]) -> list[Fired]:
    """One alert per change: the rules one change met become one `Fired` naming them all
    (a "changed" sentence is left out when another rule already says what moved).

    A price page has one value, so a check's price, drop, stock and change rules are one
    change. Seat sections are separate changes (each already one sentence naming both
    seat rules it met); "any change" joins the first of them.
    """
    values = [f for f in fired if f.rule not in LIFECYCLE]
    if len(values) <= 1:
        return fired
    seats = [f for f in values if f.rule.startswith("seats_")]
    if seats:
        changed = any(f.rule == "changed" for f in values)
        first = seats[0]
        if changed:
            seats[0] = Fired(first.rule, first.message, (*first.all_rules, "changed"))
        return [f for f in fired if f.rule in LIFECYCLE] + seats
    rules = tuple(dict.fromkeys(r for f in values for r in f.all_rules))
    said = [f for f in values if f.rule != "changed"] or values
    stock = next((f for f in values if f.old_in_stock is not None), None)
    one = Fired(said[0].rule, " ".join(f.message for f in said), rules,
                stock.old_in_stock if stock else None, stock.new_in_stock if stock else None)
    out = [f for f in fired if f.rule in LIFECYCLE]
    return [*out, one]


def _seats_word(n: float) -> str:
    seats = int(n) if n == int(n) else n
    return f"{seats} open seat{'' if seats == 1 else 's'}"


def _name(monitor: Monitor) -> str:
    return clean_text(monitor.display_name, 80)


# --------------------------------------------------------------------------- helpers


def _fresh_state(raw: dict[str, Any] | None) -> dict[str, Any]:
    """A deep copy of a stored rule state, upgraded to the current shape."""
    state = copy_plain(raw) if isinstance(raw, dict) else {}
    state["v"] = STATE_VERSION
    state.setdefault("armed", {})
    state.setdefault("seats_open", {})
    state.setdefault("seats_at_least", {})
    return state


def _price(readings: list[Reading]) -> Reading | None:
    """The current price reading: the first numeric one (DESIGN: readings[0])."""
    for r in readings:
        if r.number is not None:
            return r
    return None


def _is_seats(monitor: Monitor, readings: list[Reading]) -> bool:
    if monitor.kind == Kind.SEATS:
        return True
    return monitor.kind == Kind.AUTO and bool(readings) and all(
        r.unit == "seats" for r in readings)


def _is_text(monitor: Monitor, readings: list[Reading]) -> bool:
    if monitor.kind == Kind.TEXT:
        return True
    return monitor.kind == Kind.AUTO and bool(readings) and all(
        r.number is None and r.unit != "seats" for r in readings)


# --------------------------------------------------------------------------- rules


def _price_rules(monitor: Monitor, state: dict, old: list[Reading], new: list[Reading],
                 first_check: bool) -> list[Fired]:
    rules = monitor.rules
    fired: list[Fired] = []
    cur = _price(new)
    if cur is None:
        return fired
    price = cur.number
    assert price is not None
    was = _price(old)
    was_txt = (f" (was {format_price(was.number, was.unit)})"
               if was is not None and was.number != price else "")
    name = _name(monitor)

    if rules.below is not None:
        armed = state["armed"]
        if state.get("below_target") != rules.below:
            # A new target is a new condition: judge it afresh.
            armed["price_below"] = True
            state["below_target"] = rules.below
        cond = price <= rules.below
        if cond and armed.get("price_below", True):
            fired.append(Fired("price_below", (
                f"{name} is {format_price(price, cur.unit)}, at or below your target "
                f"{format_price(rules.below, cur.unit)}{was_txt}.")))
            armed["price_below"] = False
        elif not cond:
            armed["price_below"] = True

    if rules.drop_pct is not None and rules.drop_pct > 0:
        base = state.get("baseline")
        if base is None or state.get("baseline_unit") != cur.unit or base <= 0:
            state["baseline"] = price
            state["baseline_unit"] = cur.unit
        elif price <= base * (1 - rules.drop_pct / 100) + 1e-9:
            pct = (base - price) / base * 100
            fired.append(Fired("price_drop", (
                f"{name} dropped {pct:.0f}% to {format_price(price, cur.unit)} from "
                f"{format_price(base, cur.unit)} (your alert: a {rules.drop_pct:g}% drop).")))
            state["baseline"] = price
    else:
        state.pop("baseline", None)
        state.pop("baseline_unit", None)
    return fired


def _stock_rule(monitor: Monitor, state: dict, new: list[Reading],
                in_stock: bool | None) -> list[Fired]:
    if in_stock is None:
        return []  # unknown is not a crossing either way
    armed = state["armed"]
    fired: list[Fired] = []
    if in_stock and armed.get("back_in_stock", False) and monitor.rules.back_in_stock:
        cur = _price(new)
        at = f" at {format_price(cur.number, cur.unit)}" if cur is not None else ""
        fired.append(Fired("back_in_stock", f"{_name(monitor)} is back in stock{at}.",
                           old_in_stock=False, new_in_stock=True))
    # Armed exactly while the product is known to be out of stock.
    armed["back_in_stock"] = not in_stock
    return fired


def _seats_rules(monitor: Monitor, state: dict, new: list[Reading]) -> list[Fired]:
    rules = monitor.rules
    fired: list[Fired] = []
    name = _name(monitor)
    open_mem: dict[str, bool] = state["seats_open"]
    least_mem: dict[str, bool] = state["seats_at_least"]
    if state.get("seats_n") != rules.seats_at_least:
        least_mem.clear()  # a new N is a new condition
        state["seats_n"] = rules.seats_at_least
    for r in new:
        n = r.number
        if n is None and r.status is None:
            continue  # a section we could not read says nothing; keep its memory
        label = clean_text(r.label or r.key, 80)
        is_open = r.is_open
        opened = is_open and not open_mem.get(r.key, False) and rules.seats_opened
        was = f" (was {_was(state, r.key)})" if r.key in open_mem else ""
        open_mem[r.key] = is_open
        if r.status is not None:
            state.setdefault("seats_status", {})[r.key] = r.status
        reached = False
        if rules.seats_at_least is not None and n is not None:
            at_least = n >= rules.seats_at_least
            reached = at_least and not least_mem.get(r.key, False)
            least_mem[r.key] = at_least
        what = f"has {_seats_word(n)}" if n is not None else "is open"
        your = f"at or above your {rules.seats_at_least:g}" if reached else ""
        # One sentence per section, naming both rules when one opening meets both.
        if opened and reached:
            fired.append(Fired("seats_opened", f"{name}: {label} {what}{was}, {your}.",
                               ("seats_opened", "seats_at_least")))
        elif opened:
            fired.append(Fired("seats_opened", f"{name}: {label} {what}{was}."))
        elif reached:
            fired.append(Fired("seats_at_least", f"{name}: {label} {what}, {your}."))
    return fired


def _was(state: dict, key: str) -> str:
    """What a section was before it opened, in words: "full", "closed", "wait list"."""
    before = (state.get("seats_status") or {}).get(key)
    return {"closed": "closed", "waitlist": "wait list only"}.get(before or "", "full")


def _changed_rule(monitor: Monitor, old: list[Reading], new: list[Reading],
                  first_check: bool) -> list[Fired]:
    if first_check or not old or same_values(old, new):
        return []
    if not (monitor.rules.any_change or _is_text(monitor, new)):
        return []
    name = _name(monitor)
    if _is_seats(monitor, new):
        before = {r.key: r for r in old}
        parts = []
        for r in new:
            o = before.pop(r.key, None)
            if o is None:
                parts.append(f"{describe_reading(r, Kind.SEATS)} (new)")
            elif (o.value, o.unit, o.status) != (r.value, r.unit, r.status):
                parts.append(f"{clean_text(r.label or r.key, 80)}: {_seat_state(o)} → "
                             f"{_seat_state(r)}")
        parts += [f"{clean_text(o.label or o.key, 80)} no longer listed" for o in before.values()]
        return [Fired("changed", f"{name} changed: {'; '.join(parts)}.")]
    return [Fired("changed", f"{name} changed from {describe_readings(old, monitor.kind)} to "
                             f"{describe_readings(new, monitor.kind)}.")]


def _seat_state(r: Reading) -> str:
    """A section's count, or its status word when the page gives no count."""
    if r.number is not None:
        return _num(r.number)
    return clean_text(r.status or r.value or "?", 40)


def _num(v: object) -> str:
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return clean_text(v, 80)


# --------------------------------------------------------------------------- API


def evaluate(monitor: Monitor, old: list[Reading], new: list[Reading],
             new_in_stock: bool | None, first_check: bool) -> tuple[list[Fired], dict]:
    """Alerts fired by one *successful* check, and the rule state to store.

    Args:
        monitor: the monitor; its `rules` and current `rule_state` are read, not changed.
        old: the readings of the previous successful check (empty at the first).
        new: this check's readings.
        new_in_stock: this check's stock state (None = the page does not say).
        first_check: True for the monitor's first successful check.

    Returns:
        (fired alerts in a stable order, the new `rule_state` to save on the monitor).
    """
    state = _fresh_state(monitor.rule_state)
    fired = _unblocked(monitor, state, new) + _recovery(monitor, state, new)
    if _is_seats(monitor, new):
        fired += _seats_rules(monitor, state, new)
    elif not _is_text(monitor, new):
        fired += _price_rules(monitor, state, old, new, first_check)
        fired += _stock_rule(monitor, state, new, new_in_stock)
    fired += _changed_rule(monitor, old, new, first_check)
    return merge(fired), state


def evaluate_failure(monitor: Monitor, failures: int, error: str) -> tuple[list[Fired], dict]:
    """A failed check: one "error" alert once `failures` reaches `rules.error_after`.

    Args:
        failures: consecutive failed checks including this one.
        error: the check's error sentence (shown in the alert).
    """
    state = _fresh_state(monitor.rule_state)
    limit = monitor.rules.error_after
    if limit and limit > 0 and failures >= limit and not state.get("error_alerted"):
        state["error_alerted"] = True
        state["error_failures"] = failures
        checks = "check" if failures == 1 else f"{failures} checks in a row"
        return [Fired("error", (
            f"{_name(monitor)} failed {checks}: {clean_text(error, 200)} "
            "You will get one more message when it works again."))], state
    return [], state


def evaluate_recovery(monitor: Monitor) -> tuple[list[Fired], dict]:
    """A successful check after an error alert: one "recovered" alert, then quiet.

    `evaluate` already does this; use it alone only when not calling `evaluate`.
    """
    state = _fresh_state(monitor.rule_state)
    return _recovery(monitor, state, monitor.readings), state


def _recovery(monitor: Monitor, state: dict, latest: list[Reading]) -> list[Fired]:
    if not state.get("error_alerted"):
        return []
    state["error_alerted"] = False
    n = state.pop("error_failures", None)
    after = f" after {n} failed checks" if n else ""
    now = f" Latest value: {describe_readings(latest, monitor.kind)}." if latest else ""
    return [Fired("recovered", f"{_name(monitor)} works again{after}.{now}")]


def evaluate_blocked(monitor: Monitor, reason: str, kind: str,
                     site: str) -> tuple[list[Fired], dict]:
    """A check met a wall: one "blocked" alert (naming the fix) until a check works again.

    Args:
        reason: the sentence health `blocked` shows ("login needed at idp.example.edu").
        kind: login, expired, challenge or denied.
        site: the watched page's host, which `session import --site` takes.
    """
    state = _fresh_state(monitor.rule_state)
    if state.get("blocked_alerted"):
        return [], state
    state["blocked_alerted"] = True
    fix = FIX_COMMAND.format(site=site or "HOST")
    reason = clean_text(reason, 200)
    if kind == "challenge":
        advice = ("The site showed a bot check, so no values were read. Cookies from a "
                  f"browser that passed the check may help: {fix}")
    else:
        advice = ("The saved login is missing or has expired, so no values were read. Log "
                  "in on a desktop browser, export the cookies (cookies.txt) and run: "
                  f"{fix}")
    return [Fired("blocked", (
        f"{_name(monitor)}: {reason}. {advice} "
        "You will get one more message when it works again."))], state


def _unblocked(monitor: Monitor, state: dict, latest: list[Reading]) -> list[Fired]:
    if not state.get("blocked_alerted"):
        return []
    state["blocked_alerted"] = False
    now = f" Latest value: {describe_readings(latest, monitor.kind)}." if latest else ""
    return [Fired("unblocked", f"{_name(monitor)} works again: the page answered, "
                               f"not a login or bot check.{now}")]
