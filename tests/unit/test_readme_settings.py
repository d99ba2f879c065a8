"""The README's settings table and the code's settings stay together (issue 12.13)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from tui_tracker.config import _ENV, Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _table() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Configuration"):]
    start = section.index("| environment variable | config.toml |")
    rows = []
    for line in section[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


def _file_key(cell: str) -> str | None:
    found = re.fullmatch(r"`(?:\[(\w+)\] ?)?(\w*)`", cell)
    if not found:
        return None
    section, key = found.groups()
    if section and key:
        return f"{section}_{key}"
    return section or key


def test_every_setting_the_code_reads_is_in_the_readme_table() -> None:
    rows = _table()
    in_readme = {_file_key(r[1]) for r in rows if r[1]}
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert fields - in_readme == set(), "settings missing from the README table"
    assert in_readme - fields == set(), "README names settings the code does not know"


def test_every_environment_variable_is_in_the_readme_table() -> None:
    rows = _table()
    env_cells = " ".join(r[0] for r in rows)
    named = set(re.findall(r"`(TUI_TRACKER_\w+)`", env_cells))
    code_vars = set(_ENV) | {"TUI_TRACKER_HOME", "TUI_TRACKER_DEBUG"}
    assert code_vars - named == set()
    assert named - code_vars == set()
    for var, field in _ENV.items():  # each on the row of the setting it sets
        [row] = [r for r in rows if f"`{var}`" in r[0]]
        assert _file_key(row[1]) == field, var


def test_the_code_reads_no_other_tui_tracker_variable() -> None:
    package = README.parent / "tui_tracker"
    used = set()
    for path in package.rglob("*.py"):
        used |= set(re.findall(r"[\"'](TUI_TRACKER_[A-Z_]+)[\"']", path.read_text("utf-8")))
    assert used <= set(_ENV) | {"TUI_TRACKER_HOME", "TUI_TRACKER_DEBUG"}, used
