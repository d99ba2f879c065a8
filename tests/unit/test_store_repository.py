"""Store: monitors, events and history round-trips on real files in tmp_path."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from tui_tracker.core.errors import InputError, StoreError
from tui_tracker.core.model import (
    Delivery,
    DeliveryState,
    Event,
    FetchMode,
    HistoryEntry,
    Kind,
    Mode,
    Monitor,
    Reading,
    Rules,
    utcnow,
)
from tui_tracker.store import eventlog
from tui_tracker.store.repository import EVENTS_FILE, MONITORS_FILE, Store


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path) as s:
        yield s


def _monitor(mid: str, **kw) -> Monitor:
    return Monitor(id=mid, url=f"http://127.0.0.1/{mid}", **kw)


def _event(eid: str, mid: str, *, state: DeliveryState = DeliveryState.SENT,
           minutes: int = 0) -> Event:
    return Event(id=eid, monitor_id=mid, at=utcnow() + timedelta(minutes=minutes),
                 rule="below", message=f"event {eid}",
                 deliveries=[Delivery("email", "a@example.test", state=state)])


def _entry(value: float, minutes: int = 0) -> HistoryEntry:
    return HistoryEntry(at=utcnow() + timedelta(minutes=minutes),
                        readings=(Reading("price", "Kettle", value, "USD"),))


def test_monitor_round_trip_through_a_reopen(tmp_path: Path) -> None:
    now = utcnow()
    full = Monitor(
        id="kettl", url="http://127.0.0.1/k", name="[bold red]X[/]", kind=Kind.PRICE,
        fetcher=FetchMode.BROWSER, selector=".price", regex=r"\d+", interval=90.0,
        mode=Mode.PAUSED, rules=Rules(below=40.0, drop_pct=10.0), emails=["a@example.test"],
        resolved_fetcher=FetchMode.HTTP, title="Kettle", in_stock=True, source="json-ld",
        readings=[Reading("price", "Kettle", 49.99, "USD")], last_checked=now,
        last_success=now, last_changed=now, next_check=now, error=None, failures=2,
        rule_state={"below": {"armed": False}},
    )
    with Store.open(tmp_path) as s:
        s.add(full)
        s.add(_monitor("other"))
    with Store.open(tmp_path, readonly=True) as s:
        assert [m.id for m in s.list_monitors()] == ["kettl", "other"]
        assert s.get("kettl") == full
        assert s.get("nope") is None
    doc = json.loads((tmp_path / MONITORS_FILE).read_text(encoding="utf-8"))
    assert doc["meta"] == {"1": {"schema": 1, "app": "tui-tracker"}}
    assert [d["id"] for d in doc["monitors"].values()] == ["kettl", "other"]


def test_new_id_is_short_typeable_and_unique(store: Store) -> None:
    ids = set()
    for _ in range(300):
        mid = store.new_id()
        assert re.fullmatch(r"[a-z][a-z0-9]{4}", mid)
        store.add(_monitor(mid))
        ids.add(mid)
    assert len(ids) == 300 == len(store.list_monitors())


def test_add_assigns_id_and_refuses_duplicates_and_path_ids(store: Store) -> None:
    m = store.add(Monitor(id="", url="http://127.0.0.1/"))
    assert re.fullmatch(r"[a-z][a-z0-9]{4}", m.id)
    with pytest.raises(InputError, match="already exists"):
        store.add(_monitor(m.id))
    for bad in ("../etc", "a/b", ".hidden", "x" * 65):
        with pytest.raises(InputError, match="not allowed"):
            store.add(Monitor(id=bad, url="http://127.0.0.1/"))
    assert len(store.list_monitors()) == 1


def test_resolve_exact_prefix_unknown_and_ambiguous(store: Store) -> None:
    for mid in ("abcde", "abxyz", "abc", "qwert"):
        store.add(_monitor(mid))
    assert store.resolve("qw").id == "qwert"
    assert store.resolve("abc").id == "abc"  # exact beats prefix
    assert store.resolve(" abcd ").id == "abcde"
    with pytest.raises(InputError, match=r"^No monitor with id 'zz'\.$"):
        store.resolve("zz")
    with pytest.raises(InputError, match=r"matches several monitors \(abc, abcde, abxyz\)"):
        store.resolve("ab")
    with pytest.raises(InputError):
        store.resolve("")


def test_save_updates_in_place_and_inserts_new(store: Store) -> None:
    store.add(_monitor("aaaaa"))
    store.add(_monitor("bbbbb"))
    m = store.get("aaaaa")
    m.mode = Mode.STOPPED
    m.readings = [Reading("price", "p", 3.5, "EUR")]
    store.save(m)
    store.save(_monitor("ccccc"))
    assert [x.id for x in store.list_monitors()] == ["aaaaa", "bbbbb", "ccccc"]
    assert store.get("aaaaa").mode is Mode.STOPPED
    with Store.open(store.data_dir, readonly=True) as again:
        assert again.get("aaaaa").readings == [Reading("price", "p", 3.5, "EUR")]


def test_save_many_of_1000_monitors_is_one_file_write(store: Store, monkeypatch) -> None:
    storage = store._mdb.storage
    writes = []
    real_write = storage.write
    monkeypatch.setattr(storage, "write", lambda data: (writes.append(1), real_write(data)))
    monitors = [_monitor(f"m{i:04d}", name=f"n{i}") for i in range(1000)]
    store.save_many(monitors)
    assert len(writes) == 1
    for m in monitors:
        m.failures = 7
    monitors.append(_monitor("extra"))
    store.save_many(monitors)
    assert len(writes) == 2
    with Store.open(store.data_dir, readonly=True) as again:
        listed = again.list_monitors()
    assert len(listed) == 1001
    assert {m.failures for m in listed[:1000]} == {7}
    # save_many's doc ids must not collide with a later TinyDB insert.
    store.add(_monitor("after"))
    assert store.list_monitors()[-1].id == "after"


def test_remove_deletes_history_and_events_and_stays_removed(store: Store) -> None:
    store.add(_monitor("gone1"))
    store.add(_monitor("keep1"))
    for mid in ("gone1", "keep1"):
        store.append_history(mid, _entry(1.0))
        store.add_event(_event(f"ev-{mid}", mid))
    hist = store.data_dir / "history" / "gone1.jsonl"
    assert hist.exists()
    store.remove("gone1")
    assert not hist.exists()
    assert [m.id for m in store.list_monitors()] == ["keep1"]
    assert [e.id for e in store.events()] == ["ev-keep1"]
    # A check that finishes after the removal must not resurrect it or its history.
    store.save_many([_monitor("gone1"), _monitor("keep1", name="renamed")])
    store.append_history("gone1", _entry(2.0))
    assert [m.id for m in store.list_monitors()] == ["keep1"]
    assert store.get("keep1").name == "renamed"
    assert not hist.exists()
    with pytest.raises(InputError, match="No monitor"):
        store.remove("gone1")
    # An explicit add brings the id back.
    store.add(_monitor("gone1"))
    assert store.get("gone1") is not None


def test_history_round_trip_and_limit(store: Store) -> None:
    store.add(_monitor("hist1"))
    for i in range(10):
        store.append_history("hist1", _entry(float(i), minutes=i))
    assert [e.readings[0].value for e in store.history("hist1")] == [float(i) for i in range(10)]
    assert [e.readings[0].value for e in store.history("hist1", limit=3)] == [7.0, 8.0, 9.0]
    assert store.history("hist1", limit=0) == []
    assert store.history("unknown") == []
    assert store.history("../etc/passwd") == []


def test_events_round_trip_order_and_pending(store: Store) -> None:
    store.add(_monitor("evmon"))
    store.add(_monitor("other"))
    store.add_event(_event("e1", "evmon", minutes=1))
    store.add_event(_event("e2", "evmon", minutes=3, state=DeliveryState.PENDING))
    store.add_event(_event("e3", "other", minutes=2))
    assert [e.id for e in store.events()] == ["e2", "e3", "e1"]
    assert [e.id for e in store.events("evmon")] == ["e2", "e1"]
    assert [e.id for e in store.events(limit=1)] == ["e2"]
    assert [e.id for e in store.pending_events()] == ["e2"]
    ev = store.events("evmon")[0]
    ev.deliveries[0].state = DeliveryState.FAILED
    ev.deliveries[0].error = "550 no such user"
    ev.deliveries[0].attempts = 3
    store.update_event(ev)
    assert store.pending_events() == []
    with Store.open(store.data_dir, readonly=True) as again:
        stored = again.events("evmon")[0]
    assert stored == ev
    with pytest.raises(ValueError, match="already stored"):
        store.add_event(_event("e1", "evmon"))
    store.update_event(_event("never-added", "evmon"))  # no-op, no error
    assert len(store.events()) == 3


def test_events_are_capped_per_monitor_but_pending_ones_survive(store: Store,
                                                               monkeypatch) -> None:
    monkeypatch.setattr(eventlog, "EVENTS_PER_MONITOR", 5)
    store.add(_monitor("capme"))
    store.add_event(_event("old-pending", "capme", minutes=0, state=DeliveryState.PENDING))
    for i in range(1, 12):
        store.add_event(_event(f"e{i}", "capme", minutes=i))
    store.add_event(_event("x1", "other", minutes=0))
    ids = [e.id for e in store.events("capme")]
    assert len(ids) == 5
    assert "old-pending" in ids
    assert ids[:4] == ["e11", "e10", "e9", "e8"]
    assert [e.id for e in store.events("other")] == ["x1"]


def test_events_total_cap(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(eventlog, "EVENTS_TOTAL", 6)
    for i in range(10):
        store.add_event(_event(f"t{i}", f"m{i % 3}", minutes=i))
    assert [e.id for e in store.events()] == [f"t{i}" for i in range(9, 3, -1)]


def test_readonly_store_refuses_every_write(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        s.add(_monitor("romon"))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with Store.open(tmp_path, readonly=True) as ro:
        m = ro.get("romon")
        attempts = [
            lambda: ro.add(_monitor("new01")),
            lambda: ro.save(m),
            lambda: ro.save_many([m]),
            lambda: ro.remove("romon"),
            lambda: ro.append_history("romon", _entry(1.0)),
            lambda: ro.add_event(_event("e", "romon")),
            lambda: ro.update_event(_event("e", "romon")),
        ]
        for attempt in attempts:
            with pytest.raises(StoreError, match="read-only"):
                attempt()
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_closed_store_refuses_writes(tmp_path: Path) -> None:
    s = Store.open(tmp_path)
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.add(_monitor("late1"))


def test_events_file_layout(store: Store) -> None:
    """A new event is one journal line; compaction folds it into the TinyDB snapshot."""
    store.add_event(_event("lay1", "abcde"))
    doc = json.loads((store.data_dir / EVENTS_FILE).read_text(encoding="utf-8"))
    assert doc["meta"]["1"]["schema"] == 1 and doc["meta"]["1"]["app"] == "tui-tracker"
    assert doc["events"] == {}
    journal = (store.data_dir / "notifications.journal").read_text(encoding="utf-8")
    head, line = journal.splitlines()
    assert json.loads(head) == {"gen": doc["meta"]["1"]["journal"]}
    assert json.loads(line)["put"]["id"] == "lay1"
    store._events.compact()
    doc = json.loads((store.data_dir / EVENTS_FILE).read_text(encoding="utf-8"))
    assert [d["id"] for d in doc["events"].values()] == ["lay1"]
    assert (store.data_dir / "notifications.journal").read_text().count("\n") == 1


def test_returned_monitors_do_not_alias_the_cache(store: Store) -> None:
    """Changing a monitor (nested rule state included) changes nothing until it is saved."""
    m = _monitor("alias", rule_state={"below": {"armed": True}})
    store.add(m)
    m.rule_state["below"]["armed"] = False
    got = store.get("alias")
    assert got.rule_state == {"below": {"armed": True}}
    got.rule_state["below"]["armed"] = False
    got.readings.append(Reading("price", "p", 1.0, "USD"))
    assert store.list_monitors()[0].rule_state == {"below": {"armed": True}}
    assert store.resolve("ali").readings == []
    store.save(got)
    assert store.get("alias").rule_state == {"below": {"armed": False}}


def test_reader_racing_a_compaction_still_sees_every_event(store: Store) -> None:
    """A read-only opener that read the snapshot just before the owner compacted finds a
    newer journal; it re-reads the snapshot instead of missing the folded-in events."""
    from tui_tracker.store.eventlog import EventLog, journal_path
    from tui_tracker.store.storage import AtomicJSONStorage

    for i in range(3):
        store.add_event(_event(f"race{i}", "abcde", minutes=i))
    path = store.data_dir / EVENTS_FILE
    early = AtomicJSONStorage(path, readonly=True)  # the reader has read the snapshot ...
    store._events.compact()  # ... when the owner folds the journal into a new one
    log = EventLog(early, journal_path(path), readonly=True)
    assert sorted(d["id"] for d in log.docs()) == ["race0", "race1", "race2"]


def test_first_list_after_open_reuses_what_validation_parsed(tmp_path: Path) -> None:
    """The monitors parsed at open are handed out once, unaliased, then parsed afresh."""
    with Store.open(tmp_path) as s:
        s.save_many([_monitor(f"m{i}", rule_state={"armed": {"x": i % 2 == 0}})
                     for i in range(3)])
    with Store.open(tmp_path) as s:
        first = s.list_monitors()
        assert [m.id for m in first] == ["m0", "m1", "m2"]
        first[0].rule_state["armed"]["x"] = "changed"
        first[1].emails.append("b@example.test")
        again = s.list_monitors()
        assert again[0].rule_state == {"armed": {"x": True}} and again[1].emails == []
        assert again[0] is not first[0]
        s.save(first[0])
        assert s.list_monitors()[0].rule_state == {"armed": {"x": "changed"}}
    with Store.open(tmp_path) as s:  # a save before the first list: the disk's version
        m = s.get("m1")
        m.name = "renamed"
        s.save(m)
        assert [x.name for x in s.list_monitors()] == ["", "renamed", ""]
