"""`run_tui` refuses a data dir another owner holds, and reports a damaged store, cleanly."""

from __future__ import annotations

from tui_tracker.config import Settings
from tui_tracker.store.lock import DataDirLock
from tui_tracker.ui.launch import run_tui


def test_locked_data_dir_is_one_sentence_and_exit_1(tmp_path, capsys):
    with DataDirLock(tmp_path):
        code = run_tui(tmp_path, Settings())
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("tui-tracker: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_damaged_store_is_exit_2_and_left_untouched(tmp_path, capsys):
    damaged = tmp_path / "monitors.json"
    damaged.write_bytes(b'{"monitors": [1, 2]')
    code = run_tui(tmp_path, Settings())
    err = capsys.readouterr().err
    assert code == 2 and "damaged" in err and "Traceback" not in err
    assert damaged.read_bytes() == b'{"monitors": [1, 2]'
