"""One place that shows a worker's unexpected exception, whichever screen ran it.

Every worker runs with `exit_on_error=False` (a failed preview must not end the app),
so an exception nobody caught would vanish. `Worker.StateChanged` does not bubble: it
reaches only the node that started the worker, so each screen mixes this in and the
one handler below says what went wrong.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState

from tui_tracker.core.errors import TrackerError
from tui_tracker.core.text import clean_text


def worker_error_text(worker: Worker[object]) -> str:
    """What to tell a person about a failed worker (a TrackerError is its own sentence)."""
    error = worker.error
    if isinstance(error, TrackerError):
        return str(error)
    return (f"Unexpected internal error in {worker.name or 'a task'} "
            f"({type(error).__name__}: {error}); please report it.")


class ShowsWorkerErrors:
    """Mixin for the app and its screens: a worker that ended in an error is a toast.

    Listed after the Textual base class: Textual's CSS type names follow the first base,
    so a mixin in front would hide `Screen`/`ModalScreen` styles.
    """

    if TYPE_CHECKING:
        app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.app.notify(clean_text(worker_error_text(event.worker), 400), title="Error",
                            severity="error", markup=False, timeout=15)
