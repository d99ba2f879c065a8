"""The activity log on disk (store/activitylog.py) through the real Store: appended in
batches, read back newest first, bounded, and tolerant of torn or foreign lines."""

from __future__ import annotations

import json

from tui_tracker.engine.activity import Activity, ActivityLog, restore
from tui_tracker.store import activitylog
from tui_tracker.store.repository import Store


def line(n: int) -> dict:
    return {"at": f"2026-01-01T00:00:{n % 60:02d}+00:00", "kind": "check",
            "text": f"Kettle: ${n}", "monitor_id": "kettl"}


def test_lines_survive_a_reopen_newest_first(tmp_path):
    with Store.open(tmp_path) as store:
        store.append_activity([line(1), line(2)])
        store.append_activity([line(3)])
    with Store.open(tmp_path) as store:
        texts = [d["text"] for d in store.activity()]
        assert texts == ["Kettle: $3", "Kettle: $2", "Kettle: $1"]
        assert [d["text"] for d in store.activity(2)] == ["Kettle: $3", "Kettle: $2"]
    with Store.open(tmp_path, readonly=True) as store:  # `list` beside a running owner
        assert len(store.activity()) == 3


def test_the_file_is_cut_back_to_the_newest(tmp_path, monkeypatch):
    monkeypatch.setattr(activitylog, "CAP", 50)
    monkeypatch.setattr(activitylog, "KEEP", 20)
    with Store.open(tmp_path) as store:
        for start in range(0, 120, 10):
            store.append_activity([line(n) for n in range(start, start + 10)])
        lines = (tmp_path / "activity.jsonl").read_text().splitlines()
        assert 20 <= len(lines) <= 50, len(lines)
        assert store.activity(1)[0]["text"] == "Kettle: $119"
    assert not list(tmp_path.glob("*.tmp"))


def test_torn_and_foreign_lines_are_skipped(tmp_path):
    path = tmp_path / "activity.jsonl"
    path.write_text(json.dumps(line(1)) + "\n[1, 2]\nnot json\n" + '{"at": 5}\n'
                    + json.dumps(line(2))[:25])  # killed mid-line
    with Store.open(tmp_path) as store:
        assert [d["text"] for d in store.activity()] == ["Kettle: $1"]
        store.append_activity([line(3)])  # starts on a line of its own
        assert [d["text"] for d in store.activity()] == ["Kettle: $3", "Kettle: $1"]


def test_restored_lines_are_cleaned_and_bad_ones_dropped():
    saved = [{"at": "2026-01-01T00:00:00+00:00", "kind": "check",
              "text": "Evil\x1b[31m name\x07", "monitor_id": "kettl"},
             {"at": "2026-01-01T00:00:00+00:00", "kind": 7, "text": ["x"], "monitor_id": 3},
             {"kind": "check"}]
    out = restore(saved)
    assert "\x1b" not in out[0].text and "\x07" not in out[0].text
    assert len(out) == 2  # the one without a time is dropped


def test_the_ring_hands_new_lines_to_the_store_once_and_keeps_old_ones_first():
    log = ActivityLog(size=5)
    log.note("start", "the engine started")
    older = [Activity.from_json(line(2)), Activity.from_json(line(1))]
    log.preload(older)
    assert [a.text for a in log.recent()] == ["the engine started", "Kettle: $2", "Kettle: $1"]
    unsaved = log.take_unsaved()
    assert [a.text for a in unsaved] == ["the engine started"]  # not the preloaded ones
    assert log.take_unsaved() == []
    log.note("stop", "the engine stopped")
    log.put_back(unsaved)  # the write failed: offered again, in order
    assert [a.text for a in log.take_unsaved()] == ["the engine started", "the engine stopped"]
