"""The dashboard's live table: one row per monitor, patched in place as checks finish.

Rows are keyed by monitor id and columns by field, so a finished check costs a few
`update_cell` calls. Changes are coalesced: `mark_dirty` only records the id and a
short timer calls `flush()`, so a burst of 1,000 results is one repaint, not 1,000.
The table is rebuilt only on user acts that reorder it (sort, filter, a layout change
on resize); even then the cursor stays on the same monitor.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from tui_tracker.core.model import Health, Mode, Monitor, Reading, utcnow
from tui_tracker.ui.widgets import cells
from tui_tracker.ui.widgets.cells import Palette

TREND_POINTS = 12
"""Values kept per monitor for the sparkline (the detail chart reads full history)."""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    """Fixed width; 0 = the name column, which takes what is left."""
    min_screen: int
    """Shown only when the table is at least this wide (80x24 keeps the essentials)."""


COLUMNS: tuple[Column, ...] = (
    Column("health", "Health", 9, 0),
    Column("mode", "Mode", 9, 0),
    Column("name", "Name", 0, 0),
    Column("value", "Value", 24, 0),
    Column("target", "Target", 10, 112),
    Column("tags", "Tags", 10, 140),
    Column("trend", "Trend", TREND_POINTS, 96),
    Column("checked", "Checked", 8, 0),
    Column("changed", "Changed", 8, 132),
    Column("next", "Next", 7, 104),
)
FITTED = {"value": (12, 48), "target": (6, 20), "tags": (6, 16)}
"""Columns sized to what they hold, within (least, most): values and targets get their
room before the name (at 160 columns a value was once cut at 24 while the name had 56)."""
NAME_FLOOR = 28
"""The name keeps at least this much when the values would take everything."""
TIME_COLUMNS = ("health", "checked", "changed", "next")
"""Cells that change with the clock alone (health turns stale with time)."""
MIN_NAME = 12
_HEALTH_ORDER = {Health.ERROR: 0, Health.BLOCKED: 1, Health.STALE: 2, Health.NEW: 3,
                 Health.HEALTHY: 4}
_MODE_ORDER = {Mode.ACTIVE: 0, Mode.PAUSED: 1, Mode.STOPPED: 2}
_EPOCH = datetime.fromtimestamp(0).astimezone()
_UNPLACED = object()
"""The remembered sort key of a row not placed yet (never equal to a real key)."""


def _sort_key(column: str, m: Monitor, trend: float | None, now: datetime) -> Any:
    if column == "health":
        return (_HEALTH_ORDER[m.health(now)], m.display_name.lower())
    if column == "mode":
        return (_MODE_ORDER[m.mode], m.display_name.lower())
    if column in ("value", "trend"):
        return (trend is None, trend if trend is not None else 0.0)
    if column == "target":
        return (m.rules.below is None, m.rules.below or 0.0)
    if column in ("checked", "changed", "next"):
        attr = {"checked": "last_checked", "changed": "last_changed", "next": "next_check"}
        return getattr(m, attr[column]) or _EPOCH
    return m.display_name.lower()


class MonitorTable(DataTable):
    """DataTable of monitors with filter, sort, multi-selection and coalesced updates."""

    DEFAULT_CSS = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.models: dict[str, Monitor] = {}
        self.trends: dict[str, deque[float]] = {}
        self.marked: set[str] = set()
        self.palette = Palette()
        self.filter_text = ""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._dirty: set[str] = set()
        self._sort_keys: dict[str, Any] = {}
        """Each shown row's sort key when it was last placed (flush re-sorts on change)."""
        self._layout: tuple[str, ...] = ()
        self._name_width = 20
        self._widths: dict[str, int] = {}
        self.checking: frozenset[str] = frozenset()
        """Monitors being checked right now; their Checked cell says so."""
        self.on_flushed: Callable[[], None] | None = None

    # ---------------------------------------------------------------- model
    def load(self, monitors: Iterable[Monitor]) -> None:
        """Replace every model (start-up) and draw the table once."""
        self.models = {m.id: m for m in monitors}
        self.rebuild()

    def upsert(self, monitor: Monitor) -> None:
        self.models[monitor.id] = monitor
        self._dirty.add(monitor.id)

    def drop(self, monitor_id: str) -> None:
        self.models.pop(monitor_id, None)
        self.trends.pop(monitor_id, None)
        self.marked.discard(monitor_id)
        self._dirty.add(monitor_id)

    def push_trend(self, monitor_id: str, readings: Iterable[Reading]) -> None:
        value = cells.trend_value(list(readings))
        if value is None:
            return
        points = self.trends.setdefault(monitor_id, deque(maxlen=TREND_POINTS))
        points.append(value)
        self._dirty.add(monitor_id)

    def seed_trend(self, monitor_id: str, values: Iterable[float]) -> None:
        self.trends[monitor_id] = deque(values, maxlen=TREND_POINTS)
        self._dirty.add(monitor_id)

    @property
    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        try:
            key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except CellDoesNotExist:
            return None
        return key.value

    def target_ids(self) -> list[str]:
        """The marked monitors, else the one under the cursor."""
        if self.marked:
            return [i for i in self.models if i in self.marked]
        selected = self.selected_id
        return [selected] if selected else []

    def toggle_mark(self) -> None:
        mid = self.selected_id
        if mid is None:
            return
        self.marked.symmetric_difference_update({mid})
        self._dirty.add(mid)
        self.flush()

    def clear_marks(self) -> bool:
        """Unmark every row; False when nothing was marked."""
        if not self.marked:
            return False
        marked, self.marked = self.marked, set()
        self._dirty |= marked
        self.flush()
        return True

    def set_checking(self, ids: frozenset[str]) -> None:
        """Show which rows are being checked (only the rows that changed are redrawn)."""
        if ids != self.checking:
            self._dirty |= (ids ^ self.checking) & self.models.keys()
            self.checking = ids

    def select(self, monitor_id: str) -> None:
        """Move the cursor to a monitor's row (after a flush has placed it)."""
        self._restore_cursor(monitor_id)

    @property
    def visible_columns(self) -> tuple[str, ...]:
        """Column keys shown at the current width, in order."""
        return self._layout

    def visible_ids(self) -> list[str]:
        return [row.key.value for row in self.ordered_rows if row.key.value is not None]

    # -------------------------------------------------------------- filtering
    def matches(self, m: Monitor) -> bool:
        """The filter: words all present in the name, URL or tags; `tag:cs` (or `#cs`)
        only monitors tagged exactly cs."""
        for word in self.filter_text.casefold().split():
            tag = word[4:] if word.startswith("tag:") else word[1:] if word[:1] == "#" else None
            if tag is not None:
                if tag.lstrip("#") not in m.tags:
                    return False
            elif not (word in m.display_name.casefold() or word in m.url.casefold()
                      or any(word in t for t in m.tags)):
                return False
        return True

    def set_filter(self, text: str) -> None:
        if text != self.filter_text:
            self.filter_text = text
            self.rebuild()

    def sort_by(self, column: str) -> None:
        """Sort by `column`; choosing the same column again reverses the order."""
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.rebuild()

    def ordered_models(self) -> list[Monitor]:
        shown = [m for m in self.models.values() if self.matches(m)]
        if self.sort_column:
            now = utcnow()
            col = self.sort_column
            shown.sort(key=lambda m: _sort_key(col, m, self._trend_now(m.id), now),
                       reverse=self.sort_reverse)
        return shown

    def _trend_now(self, monitor_id: str) -> float | None:
        m = self.models.get(monitor_id)
        return cells.trend_value(m.readings) if m else None

    # --------------------------------------------------------------- drawing
    def _columns_for(self, width: int) -> tuple[str, ...]:
        """Columns that fit `width`; Tags only once some monitor has a tag."""
        tagged = any(m.tags for m in self.models.values())
        return tuple(c.key for c in COLUMNS if width >= c.min_screen
                     and (c.key != "tags" or tagged))

    def _needed(self, key: str) -> int:
        """The width the widest cell of a fitted column asks for (header included)."""
        least, most = FITTED[key]
        now = utcnow()
        label = next(c.label for c in COLUMNS if c.key == key)
        # An error sentence in the value column claims no room: the detail pane has it.
        cells_ = [self._cell(key, m, now).cell_len for m in self.models.values()
                  if key != "value" or m.error is None]
        return max(least, min(most, max([len(label) + 2, *cells_])))

    def _widths_for(self, width: int) -> tuple[tuple[str, ...], dict[str, int]]:
        """Columns shown at `width` and each one's width: fitted columns first, the
        name gets the rest (never below NAME_FLOOR while the values can give room)."""
        keys = self._columns_for(width)
        widths = {c.key: c.width for c in COLUMNS if c.key in keys and c.width}
        for key in FITTED:
            if key in keys:
                widths[key] = self._needed(key)
        padding = 2 * self.cell_padding * len(keys)
        room = width - sum(widths.values()) - padding - 2
        if room < NAME_FLOOR:
            for key in ("tags", "value", "target"):  # give back, least useful first
                if key in widths and room < NAME_FLOOR:
                    give = min(widths[key] - FITTED[key][0], NAME_FLOOR - room)
                    widths[key] -= give
                    room += give
        widths["name"] = max(MIN_NAME, room)
        return keys, widths

    def _apply_layout(self, width: int) -> None:
        self._layout, self._widths = self._widths_for(width)
        self._name_width = self._widths["name"]

    def rebuild(self) -> None:
        """Draw every row again (user-driven: filter, sort, resize), keeping the cursor."""
        keep = self.selected_id
        self._apply_layout(self.size.width or self.app.size.width)
        self.clear(columns=True)
        for col in COLUMNS:
            if col.key in self._layout:
                label = self._header_label(col)
                self.add_column(label, key=col.key, width=self._widths[col.key])
        now = utcnow()
        ordered = self.ordered_models()
        for m in ordered:
            self.add_row(*self._cells(m, now), key=m.id)
        self._remember_sort_keys(ordered, now)
        self._dirty.clear()
        self._restore_cursor(keep)

    def _sort_key_of(self, m: Monitor, now: datetime) -> Any:
        return _sort_key(self.sort_column, m, self._trend_now(m.id), now) \
            if self.sort_column else None

    def _remember_sort_keys(self, ordered: list[Monitor], now: datetime) -> None:
        self._sort_keys = {m.id: self._sort_key_of(m, now) for m in ordered}

    def resort(self) -> None:
        """Move rows to their sorted places without rebuilding them.

        `DataTable.sort` hands the key function cell values, not row keys; every
        row's name cell is its own `Text` object, so its identity names the row.
        """
        now = utcnow()
        ordered = self.ordered_models()
        rank = {m.id: i for i, m in enumerate(ordered)}
        row_of_cell = {id(self.get_cell(mid, "name")): mid for mid in rank if mid in self.rows}
        self.sort("name", key=lambda cell: rank.get(row_of_cell.get(id(cell), ""), len(rank)))
        self._remember_sort_keys(ordered, now)

    def _header_label(self, col: Column) -> Text:
        arrow = ""
        if col.key == self.sort_column:
            arrow = " ▼" if self.sort_reverse else " ▲"
        return Text(col.label + arrow, end="")

    def _restore_cursor(self, monitor_id: str | None) -> None:
        if monitor_id is None:
            return
        try:
            index = self.get_row_index(monitor_id)
        except RowDoesNotExist:
            return
        self.move_cursor(row=index, animate=False, scroll=True)

    def _cell(self, key: str, m: Monitor, now: datetime) -> Text:
        p = self.palette
        if key == "health":
            return cells.health_cell(m.health(now), p, m.mode is Mode.ACTIVE)
        if key == "mode":
            return cells.mode_cell(m.mode, p)
        if key == "name":
            return cells.name_cell(m, m.id in self.marked)
        if key == "value":
            return cells.value_cell(m, p)
        if key == "target":
            return cells.target_cell(m, p)
        if key == "tags":
            return cells.plain(" ".join(m.tags), 60)
        if key == "trend":
            return cells.spark_cell(self.trends.get(m.id, ()), p, TREND_POINTS)
        if key == "checked":
            if m.id in self.checking:
                return Text("⟳ now", style=p.accent, end="")
            return cells.time_cell(m.last_checked, now, p)
        if key == "changed":
            return cells.time_cell(m.last_changed, now, p)
        return cells.next_cell(m, now, p)

    def _cells(self, m: Monitor, now: datetime) -> list[Text]:
        return [self._cell(key, m, now) for key in self._layout]

    def flush(self) -> int:
        """Patch the rows of every monitor changed since the last flush; returns how many."""
        if not self._dirty:
            return 0
        if self._outgrown(self._dirty):
            count = len(self._dirty)
            self.rebuild()
            if self.on_flushed is not None:
                self.on_flushed()
            return count
        ids, self._dirty = self._dirty, set()
        keep = self.selected_id
        now = utcnow()
        moved = False
        with self.app.batch_update():
            for mid in ids:
                m = self.models.get(mid)
                present = mid in self.rows
                if m is None or not self.matches(m):
                    if present:
                        self.remove_row(mid)
                    self._sort_keys.pop(mid, None)
                    continue
                if self.sort_column and self._sort_keys.get(mid, _UNPLACED) != \
                        self._sort_key_of(m, now):
                    moved = True  # a new row, or its sort value changed
                if not present:
                    self.add_row(*self._cells(m, now), key=mid)
                    continue
                for key in self._layout:
                    self.update_cell(mid, key, self._cell(key, m, now))
            if moved:
                self.resort()
        if keep is not None and keep in self.rows:
            self._restore_cursor(keep)
        if self.on_flushed is not None:
            self.on_flushed()
        return len(ids)

    def tick(self) -> None:
        """Refresh clock-driven cells of the rows on screen only."""
        if not self.row_count:
            return
        first = int(self.scroll_y)
        last = min(self.row_count, first + self.size.height + 1)
        now = utcnow()
        keys = [k for k in TIME_COLUMNS if k in self._layout]
        rows = self.ordered_rows[first:last]
        with self.app.batch_update():
            for row in rows:
                m = self.models.get(row.key.value or "")
                if m is None:
                    continue
                for key in keys:
                    self.update_cell(row.key, key, self._cell(key, m, now))

    def repaint_all(self) -> None:
        """Every cell again (theme changed): colours live in the cells."""
        self._dirty.update(self.models)
        self.flush()

    def on_resize(self) -> None:
        if self._widths_for(self.size.width) != (self._layout, self._widths):
            self.rebuild()

    def _outgrown(self, ids: set[str]) -> bool:
        """A changed row's value, target or tags no longer fit a column that may grow
        (only the changed rows are measured: a flush stays cheap with 1,000 rows)."""
        now = utcnow()
        if "tags" not in self._layout and any(
                (m := self.models.get(mid)) is not None and m.tags for mid in ids):
            return "tags" in self._columns_for(self.size.width or self.app.size.width)
        for key in FITTED:
            if key not in self._layout:
                continue
            limit = min(self._widths.get(key, 0), FITTED[key][1])
            if limit >= FITTED[key][1]:
                continue
            for mid in ids:
                m = self.models.get(mid)
                if m is None or (key == "value" and m.error is not None):
                    continue
                if self._cell(key, m, now).cell_len > limit:
                    return self._widths_for(self.size.width or self.app.size.width) != (
                        self._layout, self._widths)
        return False

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        if event.column_key.value:
            self.sort_by(event.column_key.value)
