"""The one validator of what a person sets on a monitor: CLI options, the form, import files.

Three copies of these checks once disagreed (the form read `12,50` as 1250, `add` refused
it, `import` took `drop_pct: 500`). Now every path builds a `MonitorInput` (or hands over
a whole `Monitor`, for import) and ends in `check_monitor`, so a rule is stated once.

Selector and regex syntax are checked by the extractors, which core may not import: the
engine passes that check in as `check_extraction` (the CLI and the form never call the
extractors themselves; the engine validates again before it saves anything).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui_tracker.core.errors import InputError
from tui_tracker.core.intervals import MIN_INTERVAL, parse_interval
from tui_tracker.core.model import FetchMode, Kind, Monitor, Rules, copy_monitor_shallow
from tui_tracker.core.text import clean_text
from tui_tracker.core.urls import validate_url
from tui_tracker.core.validation import DEFAULT_INTERVAL, validate_email

ExtractionCheck = Callable[[str | None, str | None], None]
"""`check(selector, regex)`: raises InputError naming what is wrong with either."""

LABELS = {
    "url": "The URL", "name": "The name", "kind": "The kind", "fetcher": "The fetcher",
    "selector": "The selector", "regex": "The regex", "interval": "The interval",
    "below": "The target price", "drop_pct": "The drop %",
    "seats_at_least": "The seats minimum", "emails": "The email list",
    "error_after": "The error alert count", "tags": "The tags",
}
NUMBER_RULES = ("below", "drop_pct", "seats_at_least")
FLAG_RULES = ("back_in_stock", "seats_opened", "any_change")
OFF_WORDS = ("none", "off", "no", "never")
"""What turns a number rule off when typed as its value (`--below none`); "" does too."""
OFF_HINT = {"below": "--below none", "drop_pct": "--drop-pct none",
            "seats_at_least": "--seats-at-least none"}
MAX_TAGS = 20
TAG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.+:/")


class FieldErrors(InputError):
    """Bad input in one or more fields: `errors` maps field -> sentence (exit 2).

    `str()` is the first sentence, which is what the CLI prints; the form shows each
    sentence under its field.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())) if errors else "Invalid input.")
        self.errors = dict(errors)


def parse_number(value: object, field: str) -> float | None:
    """A non-negative finite number from what a person typed; "" or None = no value.

    Accepts `12.50`, `12,50` (decimal comma), `1,299.99`, `1.299,99`, `1'299` and
    `1 299`: a lone comma followed by exactly three digits groups thousands
    (`1,250` = 1250), any other lone comma is the decimal point.
    """
    label = LABELS.get(field, field)
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldErrors({field: f"{label} must be a number."})
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = "".join(value.split()).replace("'", "").replace("\u2019", "")
        if not text or text.lower() in OFF_WORDS:
            return None
        if "," in text and "." in text:
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        elif text.count(",") == 1 and len(text.rpartition(",")[2]) != 3:
            text = text.replace(",", ".")
        else:
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise FieldErrors({field: f"{label} must be a number."}) from None
    else:
        raise FieldErrors({field: f"{label} must be a number."})
    if not math.isfinite(number) or number < 0:
        raise FieldErrors({field: f"{label} must be a positive number."})
    return number


def rule_number(value: object, field: str) -> float | None:
    """A number rule's value, or None (off); a value that could never mean anything is
    refused with the way to turn the rule off (`--below 0` once saved "≤ $0.00")."""
    number = parse_number(value, field)
    if number is None:
        return None
    how = f"to turn it off, use {OFF_HINT[field]} (or clear the field)"
    if field == "below" and number <= 0:
        raise FieldErrors({field: f"The target price must be above 0; {how}."})
    if field == "seats_at_least" and number < 1:
        raise FieldErrors({field: f"The seats minimum must be 1 or more; {how}."})
    if field == "drop_pct" and not 0 < number < 100:
        raise FieldErrors({field: f"The drop % must be between 0 and 100; {how}."})
    return number


def parse_tags(value: list[str] | str) -> list[str]:
    """Tags as typed (a list, or comma/space separated): lower case, `#` dropped, unique."""
    items = value.replace(",", " ").split() if isinstance(value, str) else [
        t for v in value for t in str(v).replace(",", " ").split()]
    out: list[str] = []
    for raw in items:
        tag = raw.strip().lstrip("#").lower()
        if not tag:
            continue
        if len(tag) > 30 or not set(tag) <= TAG_CHARS:
            raise FieldErrors({"tags": f"The tag '{clean_text(raw, 40)}' is not a tag: use "
                                       "letters, digits and - _ . (at most 30)."})
        if tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise FieldErrors({"tags": f"A monitor may have at most {MAX_TAGS} tags."})
    return out


def _emails(value: list[str] | str) -> list[str]:
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    return [validate_email(str(a)) for a in items if str(a).strip()]


@dataclass(slots=True)
class MonitorInput:
    """What a person may set on a monitor, as typed. None = leave as it is; "" clears.

    Strings are parsed here (numbers with decimal commas, `10m` intervals, comma
    separated emails), so the CLI and the form pass them on unparsed.
    """

    url: str | None = None
    name: str | None = None
    kind: str | None = None
    fetcher: str | None = None
    selector: str | None = None
    regex: str | None = None
    interval: str | float | None = None
    below: str | float | None = None
    drop_pct: str | float | None = None
    seats_at_least: str | float | None = None
    any_change: bool | None = None
    back_in_stock: bool | None = None
    seats_opened: bool | None = None
    error_after: str | int | None = None
    emails: list[str] | str | None = None
    tags: list[str] | str | None = None
    allow_duplicate: bool | None = None
    """Not a monitor field: `add`/`edit --allow-duplicate` saves a page already watched."""

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: object) -> MonitorInput:
        """From a control-socket request; fields of the wrong type are refused."""
        if not isinstance(data, dict):
            raise InputError("The monitor input is not an object.")
        out = cls()
        for f in dataclasses.fields(cls):
            value = data.get(f.name)
            if value is None:
                continue
            ok = (isinstance(value, bool) if f.name in (*FLAG_RULES, "allow_duplicate") else
                  isinstance(value, str | list) if f.name in ("emails", "tags") else
                  isinstance(value, str | int | float) and not isinstance(value, bool))
            if not ok:
                raise InputError(f"The field {f.name!r} has the wrong type.")
            setattr(out, f.name, value)
        return out

    def apply(self, base: Monitor | None = None, *,
              check_extraction: ExtractionCheck | None = None) -> Monitor:
        """A validated copy of `base` (or a new monitor) with these changes.

        Raises FieldErrors listing every bad field; `base` is never modified.
        """
        m = copy_monitor(base) if base is not None else Monitor(
            id="", url="", interval=DEFAULT_INTERVAL, rules=Rules())
        errors: dict[str, str] = {}

        def attempt(field: str, fn: Callable[[], None]) -> None:
            try:
                fn()
            except FieldErrors as exc:
                errors.update(exc.errors)
            except InputError as exc:
                errors[field] = str(exc)

        def set_(attr: str, value: Any) -> None:
            setattr(m, attr, value)

        if self.url is not None or base is None:
            attempt("url", lambda: set_("url", validate_url(self.url or "")))
        if self.name is not None:
            m.name = clean_text(self.name, 120)
        if self.kind is not None:
            attempt("kind", lambda: set_("kind", _enum(Kind, self.kind, "kind")))
        if self.fetcher is not None:
            attempt("fetcher", lambda: set_("fetcher", _enum(FetchMode, self.fetcher, "fetcher")))
        if self.selector is not None:
            m.selector = self.selector.strip() or None
        if self.regex is not None:
            m.regex = self.regex or None
        if self.interval is not None:
            attempt("interval", lambda: set_("interval", _interval(self.interval)))
        for rule in NUMBER_RULES:
            value = getattr(self, rule)
            if value is not None:
                def set_rule(r: str = rule, v: object = value) -> None:
                    setattr(m.rules, r, rule_number(v, r))

                attempt(rule, set_rule)
        for flag in FLAG_RULES:
            if getattr(self, flag) is not None:
                setattr(m.rules, flag, bool(getattr(self, flag)))
        if self.error_after is not None:
            attempt("error_after", lambda: setattr(m.rules, "error_after",
                                                   _error_after(self.error_after)))
        if self.emails is not None:
            attempt("emails", lambda: set_("emails", _emails(self.emails or [])))
        if self.tags is not None:
            attempt("tags", lambda: set_("tags", parse_tags(self.tags or [])))
        try:
            check_monitor(m, check_extraction=None if errors else check_extraction)
        except FieldErrors as exc:
            for field, message in exc.errors.items():
                errors.setdefault(field, message)  # the parse error says more
        if errors:
            raise FieldErrors(errors)
        return m


def _error_after(value: object) -> int:
    """Failed checks in a row before one error alert; 0 or `none` = never."""
    if isinstance(value, str) and value.strip().lower() in OFF_WORDS:
        return 0
    number = parse_number(value, "error_after")
    if number is None:
        return 0
    if number != int(number):
        raise FieldErrors({"error_after": "The error alert count must be a whole number."})
    return int(number)


def _enum(cls: type[Kind] | type[FetchMode], value: object, field: str) -> Any:
    try:
        return cls(str(value))
    except ValueError:
        known = ", ".join(v.value for v in cls)
        raise FieldErrors({field: f"{LABELS[field]} must be one of {known}."}) from None


def _interval(value: str | float | None) -> float:
    if isinstance(value, str):
        return parse_interval(value or "10m")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldErrors({"interval": "The interval must be a duration like 10m."})
    if not math.isfinite(value) or value < MIN_INTERVAL:
        raise FieldErrors({"interval": f"The interval is too short; the minimum is "
                                       f"{MIN_INTERVAL:g}s."})
    return float(value)


def copy_monitor(m: Monitor) -> Monitor:
    """A deep-enough copy: rules, lists and the state dicts are new objects.

    Field by field: through `to_dict`/`from_dict` (ISO strings and back) it cost ~0.1 ms
    a monitor, once per monitor of every `check` report.
    """
    c = copy_monitor_shallow(m)
    c.rule_state, c.fetch_state, c.learned = dict(m.rule_state), dict(m.fetch_state), \
        dict(m.learned)
    return c


def check_monitor(m: Monitor, *, check_extraction: ExtractionCheck | None = None) -> None:
    """Every rule a saved monitor must meet; raises FieldErrors naming each bad field.

    Also the gate for whole monitors read from an import file, whose fields may have
    any JSON type at all.
    """
    errors: dict[str, str] = {}
    try:
        m.url = validate_url(m.url if isinstance(m.url, str) else "")
    except InputError as exc:
        errors["url"] = str(exc)
    if not isinstance(m.name, str):
        errors["name"] = "The name must be text."
    else:
        m.name = clean_text(m.name, 120)
    try:
        _interval(m.interval)
    except InputError as exc:
        errors["interval"] = str(exc)
    for rule in NUMBER_RULES:
        value = getattr(m.rules, rule)
        try:
            if value is not None and (isinstance(value, str) or parse_number(value, rule) is None):
                raise FieldErrors({rule: f"{LABELS[rule]} must be a number."})
        except FieldErrors as exc:
            errors.update(exc.errors)
    drop = m.rules.drop_pct
    if "drop_pct" not in errors and drop is not None and not 0 < drop < 100:
        errors["drop_pct"] = "The drop % must be between 0 and 100."
    for flag in FLAG_RULES:
        if not isinstance(getattr(m.rules, flag), bool):
            errors[flag] = f"The rule {flag} must be true or false."
    after = m.rules.error_after
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        errors["error_after"] = "The error alert count must be a whole number, 0 or more."
    if not isinstance(m.tags, list) or not all(isinstance(t, str) for t in m.tags):
        errors["tags"] = "The tags must be a list of words."
    else:
        try:
            m.tags = parse_tags(m.tags)
        except FieldErrors as exc:
            errors.update(exc.errors)
    try:
        if not isinstance(m.emails, list):
            raise InputError("The email list must be a list of addresses.")
        m.emails = [validate_email(str(a)) for a in m.emails]
    except InputError as exc:
        errors["emails"] = str(exc)
    for field in ("selector", "regex"):
        value = getattr(m, field)
        if value is not None and not isinstance(value, str):
            errors[field] = f"{LABELS[field]} must be text."
    if check_extraction is not None and "selector" not in errors and "regex" not in errors:
        for field, args in (("selector", (m.selector, None)), ("regex", (None, m.regex))):
            try:
                if args[0] or args[1]:
                    check_extraction(*args)
            except InputError as exc:
                errors[field] = str(exc)
    if errors:
        raise FieldErrors(errors)


def watch_key(m: Monitor) -> tuple[str, str | None, str | None]:
    """What makes two monitors the same watch: the page (scheme and host in lower case,
    no fragment, no trailing slash), the selector and the regex. Kind is compared apart
    (`auto` matches any kind, since a monitor's auto kind is resolved at its first check).
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(m.url.strip())
    path = parts.path.rstrip("/") or ""
    url = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))
    selector = (m.selector or "").strip() or None
    return url, selector, (m.regex or None)


def same_watch(a: Monitor, b: Monitor) -> bool:
    """True when `a` watches the same thing as `b` (see `watch_key`)."""
    if watch_key(a) != watch_key(b):
        return False
    return a.kind is Kind.AUTO or b.kind is Kind.AUTO or a.kind is b.kind


def find_duplicate(m: Monitor, others: list[Monitor]) -> Monitor | None:
    """The first of `others` that watches what `m` watches (an imported monitor may
    carry the id of the very monitor it duplicates)."""
    return next((o for o in others if same_watch(m, o)), None)


def duplicate_sentence(existing: Monitor, *, command: str = "add") -> str:
    name = clean_text(existing.display_name, 60)
    return (f"This page is already watched the same way by {existing.id} ({name}); "
            f"edit that one (tui-tracker edit {existing.id}), or {command} with "
            "--allow-duplicate to keep two.")
