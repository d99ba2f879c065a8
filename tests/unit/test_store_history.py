"""History files: append-only JSONL, torn lines, compaction bounds (real files)."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui_tracker.core.model import HistoryEntry, Reading
from tui_tracker.store import history as hist
from tui_tracker.store.history import HistoryFiles, downsample

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def _entry(i: int, value: float | None = None) -> HistoryEntry:
    return HistoryEntry(at=T0 + timedelta(minutes=i),
                        readings=(Reading("price", "Kettle", float(i if value is None else value),
                                          "USD"),))


def _minutes(entries: list[HistoryEntry]) -> list[int]:
    return [int((e.at - T0).total_seconds() // 60) for e in entries]


def test_append_is_one_line_per_entry(tmp_path: Path) -> None:
    files = HistoryFiles(tmp_path)
    for i in range(3):
        files.append("abcde", _entry(i))
    lines = (tmp_path / "abcde.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert json.loads(lines[2]) == _entry(2).to_dict()


def test_page_text_with_newlines_stays_on_one_line(tmp_path: Path) -> None:
    files = HistoryFiles(tmp_path)
    nasty = HistoryEntry(at=T0, readings=(Reading("text", "a\nb\r\u2028c", "x\n{}\n", None),))
    files.append("abcde", nasty)
    files.append("abcde", _entry(1))
    assert len((tmp_path / "abcde.jsonl").read_bytes().splitlines()) == 2
    assert files.read("abcde") == [nasty, _entry(1)]


def test_torn_last_line_is_skipped_and_isolated(tmp_path: Path) -> None:
    files = HistoryFiles(tmp_path)
    files.append("abcde", _entry(0))
    files.append("abcde", _entry(1))
    path = tmp_path / "abcde.jsonl"
    # What kill -9 in the middle of a write leaves: half a line, no newline.
    whole = json.dumps(_entry(2).to_dict()).encode()
    with open(path, "ab") as fh:
        fh.write(whole[: len(whole) // 2])
    assert _minutes(files.read("abcde")) == [0, 1]
    assert _minutes(files.read("abcde", limit=5)) == [0, 1]
    # The next append must not glue itself onto the fragment.
    fresh = HistoryFiles(tmp_path)
    fresh.append("abcde", _entry(3))
    assert _minutes(fresh.read("abcde")) == [0, 1, 3]
    assert _minutes(fresh.read("abcde", limit=1)) == [3]


def test_garbage_lines_in_the_middle_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "abcde.jsonl"
    good = [json.dumps(_entry(i).to_dict()) for i in range(3)]
    path.write_bytes("\n".join([good[0], "not json", "[1,2]", '{"at": 5}', "\x00\xff",
                                good[1], "", good[2]]).encode("utf-8", "surrogatepass") + b"\n")
    assert _minutes(HistoryFiles(tmp_path, readonly=True).read("abcde")) == [0, 1, 2]


def test_limit_reads_the_tail_across_blocks(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(hist, "_TAIL_BLOCK", 64)  # force many backwards block reads
    files = HistoryFiles(tmp_path)
    for i in range(50):
        files.append("abcde", _entry(i))
    assert _minutes(files.read("abcde", limit=7)) == list(range(43, 50))
    assert _minutes(files.read("abcde", limit=500)) == list(range(50))


def test_newest_point_of_lines_longer_than_the_first_block(tmp_path: Path) -> None:
    """Many readings make a line longer than the first 4 KB read; a torn last line
    (a writer killed mid-append) means no newest point, as a full read would say."""
    files = HistoryFiles(tmp_path)
    many = tuple(Reading(f"s{i}", f"Section {i:04d} " + "x" * 40, float(i), "seats")
                 for i in range(200))
    files.append("abcde", _entry(1))
    files.append("abcde", HistoryEntry(at=_entry(2).at, readings=many))
    newest = files.read("abcde", limit=1)
    assert _minutes(newest) == [2] and newest[0].readings == many
    assert len(files.path("abcde").read_bytes().splitlines()[-1]) > hist._FIRST_BLOCK
    with open(files.path("abcde"), "ab") as fh:
        fh.write(b'{"at": "2026-01-01T00:0')
    assert files.read("abcde", limit=1) == []
    assert _minutes(files.read("abcde", limit=2)) == [2]


def test_readonly_creates_nothing(tmp_path: Path) -> None:
    files = HistoryFiles(tmp_path / "history", readonly=True)
    assert files.read("abcde") == []
    assert not (tmp_path / "history").exists()


def test_downsample_keeps_recent_and_change_points() -> None:
    # 600 older entries with a value step every 50, then 100 recent ones.
    entries = [_entry(i, value=i // 50) for i in range(600)] + [_entry(i) for i in range(600, 700)]
    kept = downsample(entries, keep_recent=100, older_budget=40)
    assert len(kept) <= 140
    assert kept[-100:] == entries[-100:]
    older = _minutes(kept[:-100])
    assert older == sorted(older)
    for step in range(0, 600, 50):  # every change point survives
        assert step in older
    assert len(older) >= 30  # the budget is used, not just the 12 change points


def test_downsample_with_too_many_change_points_spreads_evenly() -> None:
    entries = [_entry(i) for i in range(1000)]  # every entry is a change point
    kept = downsample(entries, keep_recent=100, older_budget=50)
    older = _minutes(kept[:-100])
    assert len(older) == 50
    assert older[0] == 0 and older[-1] == 899
    gaps = {b - a for a, b in itertools.pairwise(older)}
    assert max(gaps) - min(gaps) <= 1


def test_downsample_small_input_unchanged() -> None:
    entries = [_entry(i) for i in range(10)]
    assert downsample(entries, keep_recent=5, older_budget=5) == entries


@pytest.mark.parametrize("rounds", [1, 3])
def test_compaction_keeps_file_bounded_and_newest_entries(tmp_path: Path, monkeypatch,
                                                          rounds: int) -> None:
    monkeypatch.setattr(hist, "HISTORY_CAP", 100)
    monkeypatch.setattr(hist, "KEEP_RECENT", 20)
    monkeypatch.setattr(hist, "OLDER_BUDGET", 30)
    files = HistoryFiles(tmp_path)
    total = 100 * rounds + 37
    sizes = []
    for i in range(total):
        files.append("abcde", _entry(i, value=i // 10))
        sizes.append(len((tmp_path / "abcde.jsonl").read_bytes().splitlines()))
    assert max(sizes) <= 100
    entries = files.read("abcde")
    minutes = _minutes(entries)
    assert minutes == sorted(minutes)
    assert minutes[-20:] == list(range(total - 20, total))
    assert minutes[0] == 0  # the first point of the history survives
    assert not list(tmp_path.glob(".hist-*"))


def test_compaction_counts_lines_of_an_existing_file(tmp_path: Path, monkeypatch) -> None:
    """A process that starts on a large file learns its size and compacts it."""
    monkeypatch.setattr(hist, "HISTORY_CAP", 50)
    monkeypatch.setattr(hist, "KEEP_RECENT", 10)
    monkeypatch.setattr(hist, "OLDER_BUDGET", 10)
    path = tmp_path / "abcde.jsonl"
    path.write_text("".join(json.dumps(_entry(i).to_dict()) + "\n" for i in range(80)),
                    encoding="utf-8")
    HistoryFiles(tmp_path).append("abcde", _entry(80))
    assert len(path.read_text(encoding="utf-8").splitlines()) == 20


def test_delete_removes_the_file(tmp_path: Path) -> None:
    files = HistoryFiles(tmp_path)
    files.append("abcde", _entry(0))
    files.delete("abcde")
    files.delete("abcde")  # idempotent
    assert files.read("abcde") == []
    assert not (tmp_path / "abcde.jsonl").exists()
