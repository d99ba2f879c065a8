"""Fault injection for faults the real parts cannot be made to produce on demand here."""

from __future__ import annotations

import threading
import time

from tui_tracker.core.errors import SaveError, StoreError
from tui_tracker.store.repository import Store


class FlakyStore(Store):
    """Fault injection (HOSTILE-INPUTS 46): the next `failures` batched saves fail as a
    full disk would, through the store's own error type."""

    failures = 0

    def save_many(self, monitors):
        if self.failures:
            self.failures -= 1
            raise StoreError("Could not save monitors.json: No space left on device; "
                             "the previous version was kept.")
        return super().save_many(monitors)


class FullDiskEvents(Store):
    """The next `failures` alert writes fail as a full disk makes them (the tmpfs test in
    tests/cli/test_alert_durability.py does it for real, but needs root)."""

    failures = 0

    def add_events(self, events):
        if self.failures:
            self.failures -= 1
            raise SaveError("Could not save notifications.journal: No space left on device; "
                            "what was saved before was kept.")
        return super().add_events(events)


class SlowHistoryReads(Store):
    """A slow disk (an SD card under load): while `pause` is set, reading a monitor's
    history takes that long, and `reading` is set as such a read begins. A check reads
    its monitor's newest history point right after its page arrives, so a test can act
    inside the window between a check's fetch and its writes."""

    pause = 0.0
    reading: threading.Event | None = None

    def history(self, monitor_id, limit=None):
        if self.pause:
            if self.reading is not None:
                self.reading.set()
            time.sleep(self.pause)
        return super().history(monitor_id, limit)
