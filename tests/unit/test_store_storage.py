"""AtomicJSONStorage and Store.open against damaged, foreign and newer files (real files)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_tracker.core.errors import StoreError
from tui_tracker.core.model import Monitor
from tui_tracker.store import schema
from tui_tracker.store.repository import EVENTS_FILE, MONITORS_FILE, Store
from tui_tracker.store.storage import AtomicJSONStorage, read_json_file

ROOT = Path(__file__).resolve().parents[2]

GOOD_MONITOR = {"id": "abcde", "url": "http://127.0.0.1/x"}
META = {"1": dict(schema.META_DOC)}

DAMAGED: dict[str, bytes] = {
    "zero-bytes": b"",
    "whitespace": b"  \n",
    "truncated": json.dumps({"meta": META, "monitors": {"1": GOOD_MONITOR}}).encode()[:-7],
    "trailing-garbage": json.dumps({"meta": META}).encode() + b"]}garbage",
    "list": b"[]",
    "null": b"null",
    "bom": b"\xef\xbb\xbf" + json.dumps({"meta": META}).encode(),
    "nul-bytes": b'{"meta": {"1": {"schema": 1, "app": "tui-tracker"}}}\x00\x00\x00',
    "table-is-list": b'{"monitors": [1, 2]}',
    "invalid-utf8": b'{"meta": {"1": {"schema": 1, "app": "tui-\xff\xfe"}}}',
    "doc-not-dict": json.dumps({"meta": META, "monitors": {"1": [1]}}).encode(),
    "non-numeric-doc-id": json.dumps({"meta": META, "monitors": {"x": GOOD_MONITOR}}).encode(),
    "monitor-without-url": json.dumps({"meta": META, "monitors": {"1": {"id": "a"}}}).encode(),
    "monitor-bad-kind": json.dumps(
        {"meta": META, "monitors": {"1": {**GOOD_MONITOR, "kind": "bogus"}}}).encode(),
    "monitor-path-id": json.dumps(
        {"meta": META, "monitors": {"1": {**GOOD_MONITOR, "id": "../../etc"}}}).encode(),
    "duplicate-ids": json.dumps(
        {"meta": META, "monitors": {"1": GOOD_MONITOR, "2": GOOD_MONITOR}}).encode(),
    "no-meta": json.dumps({"monitors": {"1": GOOD_MONITOR}}).encode(),
    "foreign-app": json.dumps({"meta": {"1": {"schema": 1, "app": "other"}}}).encode(),
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
}


def _snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `directory` with its bytes and mtime, to prove nothing was written."""
    return {str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(directory.rglob("*")) if p.is_file()}


# Monitor documents are only checked in monitors.json.
CASES = [(name, case) for name in (MONITORS_FILE, EVENTS_FILE) for case in sorted(DAMAGED)
         if name == MONITORS_FILE or not case.startswith(("monitor-", "duplicate"))]


@pytest.mark.parametrize(("filename", "case"), CASES)
def test_damaged_file_is_refused_and_left_untouched(tmp_path: Path, filename: str,
                                                    case: str) -> None:
    raw = DAMAGED[case]
    target = tmp_path / filename
    target.write_bytes(raw)
    before = _snapshot(tmp_path)
    for readonly in (False, True):
        with pytest.raises(StoreError) as info:
            Store.open(tmp_path, readonly=readonly)
        message = str(info.value)
        assert str(target) in message
        assert "damaged" in message and "left untouched" in message
        assert "\n" not in message
    # Nothing was created, swept or rewritten.
    assert target.read_bytes() == raw
    assert _snapshot(tmp_path) == before


def test_bad_event_document_is_refused(tmp_path: Path) -> None:
    (tmp_path / EVENTS_FILE).write_text(
        json.dumps({"meta": META, "events": {"1": {"id": "e1"}}}), encoding="utf-8")
    with pytest.raises(StoreError, match=r"event 1 cannot be read"):
        Store.open(tmp_path)


def test_newer_schema_version_is_named(tmp_path: Path) -> None:
    raw = json.dumps({"meta": {"1": {"schema": 7, "app": "tui-tracker"}}, "monitors": {}})
    (tmp_path / MONITORS_FILE).write_text(raw, encoding="utf-8")
    with pytest.raises(StoreError, match=r"schema version 7") as info:
        Store.open(tmp_path)
    assert "reads only version 1" in str(info.value)
    assert (tmp_path / MONITORS_FILE).read_text(encoding="utf-8") == raw


def test_empty_object_is_a_new_database(tmp_path: Path) -> None:
    (tmp_path / MONITORS_FILE).write_text("{}", encoding="utf-8")
    with Store.open(tmp_path) as store:
        assert store.list_monitors() == []
    data = json.loads((tmp_path / MONITORS_FILE).read_text(encoding="utf-8"))
    assert data["meta"] == {"1": schema.META_DOC}


def test_missing_dir_readonly_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "nothing-here"
    with Store.open(target, readonly=True) as store:
        assert store.list_monitors() == []
        assert store.history("abcde") == []
        assert store.events() == []
        with pytest.raises(StoreError, match="read-only"):
            store.add(Monitor(id="abcde", url="http://127.0.0.1/"))
    assert not target.exists()


def test_writable_open_creates_layout_with_meta(tmp_path: Path) -> None:
    data_dir = tmp_path / "deep" / "dir"
    Store.open(data_dir).close()
    assert (data_dir / "history").is_dir()
    for name in (MONITORS_FILE, EVENTS_FILE):
            meta = read_json_file(data_dir / name)["meta"]["1"]
            assert {k: meta[k] for k in schema.META_DOC} == schema.META_DOC


def test_reopen_of_a_valid_store_writes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.add(Monitor(id="abcde", url="http://127.0.0.1/"))
    before = _snapshot(tmp_path)
    Store.open(tmp_path).close()
    assert _snapshot(tmp_path) == before


def test_stale_temp_files_are_swept_only_when_writable(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    stale = [tmp_path / ".db-monitors.json-x1.tmp", tmp_path / ".db-abc.tmp",
             tmp_path / "history" / ".hist-abcde-zz.tmp"]
    keep = tmp_path / "notes.tmp"
    for p in [*stale, keep]:
        p.write_text("partial", encoding="utf-8")
    Store.open(tmp_path, readonly=True).close()
    assert all(p.exists() for p in stale)
    Store.open(tmp_path).close()
    assert not any(p.exists() for p in stale)
    assert keep.exists()


def test_write_is_atomic_replace_and_utf8(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.write({"t": {"1": {"name": "Käse – 1.299,00 €", "ctl": "\x1b[31m"}}})
    raw = path.read_bytes()
    assert json.loads(raw.decode("utf-8"))["t"]["1"]["name"] == "Käse – 1.299,00 €"
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]
    # A fresh instance reads it back; read() hands out copies, not the cache itself.
    again = AtomicJSONStorage(path)
    copy = again.read()
    copy["t"]["1"]["name"] = "changed"
    assert again.read()["t"]["1"]["name"] == "Käse – 1.299,00 €"


def test_readonly_storage_refuses_write(tmp_path: Path) -> None:
    storage = AtomicJSONStorage(tmp_path / "db.json", readonly=True)
    with pytest.raises(StoreError, match="read-only"):
        storage.write({})
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_old_file_and_cache(tmp_path: Path) -> None:
    """A write into a directory that vanished fails with a sentence; memory stays as on disk."""
    sub = tmp_path / "sub"
    sub.mkdir()
    storage = AtomicJSONStorage(sub / "db.json")
    storage.write({"t": {"1": {"v": 1}}})
    (sub / "db.json").unlink()
    sub.rmdir()
    with pytest.raises(StoreError, match=r"^Could not save .*db\.json: No such file"):
        storage.write({"t": {"1": {"v": 2}}})
    assert storage.read() == {"t": {"1": {"v": 1}}}


def test_locale_does_not_change_the_encoding(tmp_path: Path) -> None:
    """Under LANG=C (ASCII locale) non-ASCII names still round-trip (HOSTILE-INPUTS 53)."""
    script = "\n".join([
        "import sys; from pathlib import Path",
        "from tui_tracker.store.repository import Store",
        "from tui_tracker.core.model import Monitor",
        "d = Path(sys.argv[1])",
        "name = '\\u00a51,280 K\\u00e4se'",
        "with Store.open(d) as s:",
        "    s.add(Monitor(id='abcde', url='http://127.0.0.1/', name=name))",
        "with Store.open(d, readonly=True) as s:",
        "    print(s.get('abcde').name.encode('unicode_escape').decode())",
    ])
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0",
           "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=env,
                         capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "\\xa51,280 K\\xe4se"


def test_history_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "history").write_text("not a dir", encoding="utf-8")
    with pytest.raises(StoreError, match=r"^Could not use the history dir .*history"):
        Store.open(tmp_path)
    with Store.open(tmp_path, readonly=True) as store:
        assert store.list_monitors() == []
        with pytest.raises(StoreError, match=r"^Could not read .*abcde\.jsonl: Not a directory"):
            store.history("abcde")


def test_data_dir_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="Could not create the data dir"):
        Store.open(target)
    with pytest.raises(StoreError, match="not a directory"):
        Store.open(target, readonly=True)
