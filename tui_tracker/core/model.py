"""The core data model: monitors, readings, events. Pure dataclasses, no I/O.

Everything that crosses a layer boundary is one of these types, so the store can
serialise them with `to_dict`/`from_dict` and the CLI can print them as JSON.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a monitor extracts. `auto` is resolved at the first successful check."""

    AUTO = "auto"
    PRICE = "price"
    SEATS = "seats"
    TEXT = "text"


class FetchMode(StrEnum):
    """How a page is fetched: plain HTTP, a real browser, or HTTP first then browser."""

    AUTO = "auto"
    HTTP = "http"
    BROWSER = "browser"


class Mode(StrEnum):
    """What the user wants: poll it, hold it (keeping state), or it is finished."""

    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class Health(StrEnum):
    """What the system observes; separate from Mode on purpose."""

    HEALTHY = "healthy"
    STALE = "stale"
    ERROR = "error"
    BLOCKED = "blocked"
    """A login wall or bot challenge answered instead of the page; `error` says why."""
    NEW = "new"
    """Never checked yet: there is no value to be fresh or stale."""


class DeliveryState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


def utcnow() -> datetime:
    """Aware UTC now; every stored time carries its offset (DESIGN: ISO 8601 with offset)."""
    return datetime.now(UTC)


def copy_plain(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, tuples of plain values).

    What `copy.deepcopy` does for a stored `rule_state`, at a third of the cost (no memo,
    no dispatch table): it runs for every monitor at open, check and save.
    """
    if isinstance(value, dict):
        return {k: copy_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(copy_plain(v) for v in value)
    return value


def iso(dt: datetime | None) -> str | None:
    return dt.isoformat() if dt is not None else None


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


SEAT_STATUSES = ("open", "full", "waitlist", "closed")
"""What a seat reading's `status` may say; None when the page does not say."""


@dataclass(frozen=True, slots=True)
class Reading:
    """One extracted value: a price, one section's open seats, or a text.

    `value` is a finite float for price/seats and a str for text; extractors never
    produce NaN/inf (plotext cannot draw them and they are never a real price).
    A seats reading may have `value` None: the page shows the section as open
    without a count. `status` (seats only) is one of SEAT_STATUSES or None.
    """

    key: str
    label: str
    value: float | str | None
    unit: str | None = None
    status: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"key": self.key, "label": self.label, "value": self.value,
                             "unit": self.unit}
        if self.status is not None or self.unit == "seats":
            d["status"] = self.status
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Reading:
        status = d.get("status")
        return cls(key=str(d["key"]), label=str(d.get("label", d["key"])), value=d.get("value"),
                   unit=d.get("unit"),
                   status=status if status in SEAT_STATUSES else None)

    @property
    def number(self) -> float | None:
        """The value as a finite float, or None for text readings and count-less seats."""
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            return None
        return float(self.value) if math.isfinite(self.value) else None

    @property
    def is_open(self) -> bool:
        """Seats: the section can be joined now (a count above 0, or shown as Open)."""
        n = self.number
        if n is not None:
            return n > 0
        return self.status == "open"


def readings_to_json(readings: list[Reading] | tuple[Reading, ...] | None) -> list[dict]:
    return [r.to_dict() for r in readings or ()]


def readings_from_json(items: list[dict] | None) -> list[Reading]:
    return [Reading.from_dict(d) for d in items or ()]


def same_values(a: list[Reading] | None, b: list[Reading] | None) -> bool:
    """True when two reading lists carry the same keys, values and statuses (labels may drift)."""
    if a is None or b is None:
        return False
    return ([(r.key, r.value, r.unit, r.status) for r in a]
            == [(r.key, r.value, r.unit, r.status) for r in b])


@dataclass(frozen=True, slots=True)
class Candidate:
    """An amount a price page shows that a person may pick as the price to watch.

    `selector` selects that element alone (usable as a monitor's selector);
    `context` is the words around it, already cleaned.
    """

    value: float
    unit: str | None
    context: str
    selector: str

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "context": self.context,
                "selector": self.selector}


@dataclass(slots=True)
class Extraction:
    """What an extractor found in one page. Produced by `extractors.extract`."""

    kind: Kind
    readings: list[Reading]
    source: str
    title: str | None = None
    in_stock: bool | None = None
    candidates: list[Candidate] = field(default_factory=list)
    """Price pages: the amounts the page shows, best first (DESIGN "candidates")."""


@dataclass(slots=True)
class Rules:
    """Alert rules of one monitor. All optional; see core/rules.py for semantics."""

    below: float | None = None
    """Fire when the price is at or below this."""
    drop_pct: float | None = None
    """Fire when the price has dropped this many percent from the baseline price."""
    back_in_stock: bool = True
    """Fire when in_stock goes false -> true."""
    seats_opened: bool = True
    """Fire when any section goes from 0 to >0 open seats."""
    seats_at_least: float | None = None
    """Fire when a section has at least this many open seats."""
    any_change: bool = False
    """Fire on any change of the readings (always on for text monitors)."""
    error_after: int = 3
    """Send one error alert after this many consecutive failed checks (0 = never)."""

    def to_dict(self) -> dict[str, Any]:
        # Every field is a scalar, so this is `dataclasses.asdict` without its deep copy.
        return {name: getattr(self, name) for name in _RULE_FIELDS}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Rules:
        return cls(**{k: v for k, v in (d or {}).items() if k in _RULE_FIELDS})


_RULE_FIELDS = tuple(f.name for f in dataclasses.fields(Rules))


@dataclass(slots=True)
class Monitor:
    """A watched page: what the user asked for plus the state the engine keeps.

    The first block is user intent (changed by add/edit/pause/...); the second is
    observed state, written by the engine after each check.
    """

    id: str
    url: str
    name: str = ""
    kind: Kind = Kind.AUTO
    fetcher: FetchMode = FetchMode.AUTO
    selector: str | None = None
    regex: str | None = None
    interval: float = 600.0
    """Seconds between checks."""
    mode: Mode = Mode.ACTIVE
    rules: Rules = field(default_factory=Rules)
    emails: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    """Words a person groups monitors by (`--tag cs`); lower case, no spaces."""
    created_at: datetime = field(default_factory=utcnow)

    # --- observed state ---
    resolved_fetcher: FetchMode | None = None
    """For fetcher=auto: what worked last time (http or browser), tried first next time."""
    title: str | None = None
    readings: list[Reading] = field(default_factory=list)
    """The latest successful readings (empty until the first success)."""
    in_stock: bool | None = None
    source: str | None = None
    final_url: str | None = None
    last_checked: datetime | None = None
    last_success: datetime | None = None
    last_changed: datetime | None = None
    next_check: datetime | None = None
    error: str | None = None
    """The last check's error sentence; None when the last check succeeded."""
    failures: int = 0
    """Consecutive failed checks (drives backoff and error alerts)."""
    blocked: bool = False
    """The last check met a login wall or bot challenge; `error` holds the reason."""
    rule_state: dict[str, Any] = field(default_factory=dict)
    """Per-rule memory (armed flags, baselines) owned by core/rules.py."""
    last_event: str | None = None
    """Id of the newest alert event whose firing `rule_state` already includes.

    An event is stored with the rule state that fired it (one durable write); when
    the saved monitor names an older event, the store adopts the event's state, so
    a kill between the two writes neither repeats nor loses the alert.
    """
    fetch_state: dict[str, Any] = field(default_factory=dict)
    """What lets the next check skip work: the page's validators (ETag, Last-Modified)
    and a digest of the body the readings came from, with the extractor version and
    extraction spec they are valid for (engine/reuse.py owns the keys)."""
    learned: dict[str, Any] = field(default_factory=dict)
    """A JSON data endpoint learned from a browser check that holds the readings, and
    how far it is trusted (engine/learned.py owns the keys); empty when none."""

    @property
    def fetch_target(self) -> tuple[str, Kind, FetchMode]:
        """What a page fetch depends on; when it changes, what `auto` learned is stale."""
        return (self.url, self.kind, self.fetcher)

    @property
    def probe_kind(self) -> Kind:
        """What to extract: the user's kind, or for `auto` what its rules imply.

        A price rule means a price (with `--regex '\\$([\\d.]+)'` the auto reader would
        otherwise settle on text and the rule could never fire); a seats rule means seats.
        """
        if self.kind is not Kind.AUTO:
            return self.kind
        if self.rules.below is not None or self.rules.drop_pct is not None:
            return Kind.PRICE
        if self.rules.seats_at_least is not None:
            return Kind.SEATS
        return Kind.AUTO

    @property
    def display_name(self) -> str:
        return self.name or self.title or self.url

    def health(self, now: datetime | None = None) -> Health:
        """Derived health: blocked and error beat stale; stale = no success within ~2x interval.

        `new` until the first check. Only an active monitor goes stale (DESIGN
        "Concepts"): a paused or stopped one keeps the health it last had.
        """
        if self.error is not None and self.blocked:
            return Health.BLOCKED
        if self.error is not None:
            return Health.ERROR
        now = now or utcnow()
        if self.last_success is None:
            return Health.NEW if self.last_checked is None else Health.STALE
        if self.mode is not Mode.ACTIVE:
            return Health.HEALTHY
        if (now - self.last_success).total_seconds() > 2 * self.interval + 60:
            return Health.STALE
        return Health.HEALTHY

    def to_dict(self) -> dict[str, Any]:
        """Storage form (also the base of the CLI's JSON)."""
        return {
            "id": self.id,
            "url": self.url,
            "name": self.name,
            "kind": self.kind.value,
            "fetcher": self.fetcher.value,
            "selector": self.selector,
            "regex": self.regex,
            "interval": self.interval,
            "mode": self.mode.value,
            "rules": self.rules.to_dict(),
            "emails": list(self.emails),
            "tags": list(self.tags),
            "created_at": iso(self.created_at),
            "resolved_fetcher": self.resolved_fetcher.value if self.resolved_fetcher else None,
            "title": self.title,
            "readings": readings_to_json(self.readings),
            "in_stock": self.in_stock,
            "source": self.source,
            "final_url": self.final_url,
            "last_checked": iso(self.last_checked),
            "last_success": iso(self.last_success),
            "last_changed": iso(self.last_changed),
            "next_check": iso(self.next_check),
            "error": self.error,
            "failures": self.failures,
            "blocked": self.blocked,
            "rule_state": dict(self.rule_state),
            "last_event": self.last_event,
            "fetch_state": dict(self.fetch_state),
            "learned": dict(self.learned),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Monitor:
        rf = d.get("resolved_fetcher")
        return cls(
            id=str(d["id"]),
            url=str(d["url"]),
            name=d.get("name") or "",
            kind=Kind(d.get("kind", "auto")),
            fetcher=FetchMode(d.get("fetcher", "auto")),
            selector=d.get("selector"),
            regex=d.get("regex"),
            interval=float(d.get("interval", 600)),
            mode=Mode(d.get("mode", "active")),
            rules=Rules.from_dict(d.get("rules")),
            emails=list(d.get("emails") or []),
            tags=[str(t) for t in d.get("tags") or [] if isinstance(t, str | int)],
            created_at=parse_iso(d.get("created_at")) or utcnow(),
            resolved_fetcher=FetchMode(rf) if rf else None,
            title=d.get("title"),
            readings=readings_from_json(d.get("readings")),
            in_stock=d.get("in_stock"),
            source=d.get("source"),
            final_url=d.get("final_url"),
            last_checked=parse_iso(d.get("last_checked")),
            last_success=parse_iso(d.get("last_success")),
            last_changed=parse_iso(d.get("last_changed")),
            next_check=parse_iso(d.get("next_check")),
            error=d.get("error"),
            failures=int(d.get("failures", 0)),
            blocked=bool(d.get("blocked", False)),
            rule_state=dict(d.get("rule_state") or {}),
            last_event=d.get("last_event"),
            fetch_state=dict(d.get("fetch_state") or {}),
            learned=dict(d.get("learned") or {}),
        )

    def to_public(self, now: datetime | None = None) -> dict[str, Any]:
        """The `list --json` shape: storage form plus derived health."""
        d = self.to_dict()
        d["health"] = self.health(now).value
        d["name"] = self.display_name
        # Engine bookkeeping stays private; what a person wants is how the page is read.
        d.pop("fetch_state", None)
        learned = d.pop("learned", None) or {}
        d["read_via"] = self.read_via
        d["data_endpoint"] = learned.get("url") if learned.get("mode") == "endpoint" else None
        return d

    @property
    def read_via(self) -> str | None:
        """`endpoint` (a learned JSON data endpoint, rendered when it changes), `browser`,
        `http`, or None before the first check."""
        if self.learned.get("mode") == "endpoint":
            return "endpoint"
        fetcher = self.resolved_fetcher or (self.fetcher if self.fetcher is not
                                            FetchMode.AUTO else None)
        return fetcher.value if fetcher else None


def _field_copier(cls: type) -> Any:
    """A function making a shallow copy of a `cls` (a slotted, non-frozen dataclass).

    `dataclasses.replace` re-runs `__init__` with every field as a keyword: ~4 us for a
    Monitor, and a check copies one three times. Plain attribute copies, generated
    from the fields as dataclasses generates `__init__`, take ~0.3 us and follow any
    field added later.
    """
    names = [f.name for f in dataclasses.fields(cls)]
    source = "\n".join(["def copy(o):", "    n = new(cls)", *(f"    n.{x} = o.{x}" for x in names),
                        "    return n"])
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    exec(source, namespace)
    return namespace["copy"]


_copy_monitor_fields = _field_copier(Monitor)
_copy_rules = _field_copier(Rules)


def copy_monitor_shallow(monitor: Monitor) -> Monitor:
    """A copy sharing nothing a check or an edit changes in place: rules, emails,
    readings are new; the state dicts (replaced, never mutated, by the engine) and the
    tags are shared."""
    m = _copy_monitor_fields(monitor)
    m.rules = _copy_rules(monitor.rules)
    m.emails = list(monitor.emails)
    m.readings = list(monitor.readings)
    return m


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One point of a monitor's history: the readings of one successful check."""

    at: datetime
    readings: tuple[Reading, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"at": iso(self.at), "readings": readings_to_json(self.readings)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> HistoryEntry:
        return cls(at=parse_iso(d["at"]) or utcnow(),
                   readings=tuple(readings_from_json(d.get("readings"))))


@dataclass(slots=True)
class Delivery:
    """One channel/recipient of an event and how far its sending got."""

    channel: str
    to: str
    state: DeliveryState = DeliveryState.PENDING
    error: str | None = None
    attempts: int = 0
    next_attempt: datetime | None = None
    sent_at: datetime | None = None
    """When it went out; lets a new process rebuild the hourly storm-guard count."""

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "to": self.to, "state": self.state.value,
                "error": self.error, "attempts": self.attempts,
                "next_attempt": iso(self.next_attempt), "sent_at": iso(self.sent_at)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Delivery:
        return cls(channel=d["channel"], to=d["to"], state=DeliveryState(d["state"]),
                   error=d.get("error"), attempts=int(d.get("attempts", 0)),
                   next_attempt=parse_iso(d.get("next_attempt")),
                   sent_at=parse_iso(d.get("sent_at")))


@dataclass(slots=True)
class Event:
    """A rule that fired (or an error/recovery alert), with its deliveries."""

    id: str
    monitor_id: str
    at: datetime
    rule: str
    message: str
    monitor_name: str = ""
    url: str = ""
    old: list[Reading] = field(default_factory=list)
    new: list[Reading] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    rule_state: dict[str, Any] | None = None
    """The monitor's rule state right after this event fired (see Monitor.last_event)."""
    rules: list[str] = field(default_factory=list)
    """Every rule this one change met (`rule` is the first): one alert per change."""
    old_in_stock: bool | None = None
    new_in_stock: bool | None = None
    """Stock before and after, so a back-in-stock alert shows what changed."""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "monitor_id": self.monitor_id, "at": iso(self.at),
             "rule": self.rule, "rules": list(self.rules or [self.rule]),
             "message": self.message, "monitor_name": self.monitor_name,
             "url": self.url, "old": readings_to_json(self.old),
             "new": readings_to_json(self.new),
             "deliveries": [x.to_dict() for x in self.deliveries]}
        if self.old_in_stock is not None or self.new_in_stock is not None:
            d["old_in_stock"], d["new_in_stock"] = self.old_in_stock, self.new_in_stock
        if self.rule_state is not None:
            d["rule_state"] = self.rule_state
        return d

    def to_public(self) -> dict[str, Any]:
        """The `notifications --json` shape: the stored form without engine bookkeeping."""
        d = self.to_dict()
        d.pop("rule_state", None)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(id=d["id"], monitor_id=d["monitor_id"], at=parse_iso(d["at"]) or utcnow(),
                   rule=d["rule"], message=d["message"], monitor_name=d.get("monitor_name", ""),
                   url=d.get("url", ""), old=readings_from_json(d.get("old")),
                   new=readings_from_json(d.get("new")),
                   deliveries=[Delivery.from_dict(x) for x in d.get("deliveries") or []],
                   rules=[str(r) for r in d.get("rules") or [] if isinstance(r, str)],
                   old_in_stock=d.get("old_in_stock"), new_in_stock=d.get("new_in_stock"),
                   rule_state=d["rule_state"] if isinstance(d.get("rule_state"), dict) else None)
