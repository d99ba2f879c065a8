"""User-facing errors: one sentence a person can act on, one subclass per layer.

Library exceptions are translated at the layer boundary (`raise XError(...) from exc`)
so nothing above a layer ever has to know httpx, Playwright, TinyDB or aiosmtplib.
"""

from __future__ import annotations


class TrackerError(Exception):
    """Base of every error meant for a user. `str(err)` is the sentence to show."""

    exit_code: int = 1

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.title = title or "Error"

    def __str__(self) -> str:
        return self.message


class InputError(TrackerError):
    """Bad usage or bad input (malformed URL, invalid selector, unknown id): exit 2."""

    exit_code = 2


class DuplicateError(InputError):
    """`add` or `import` of a page already watched the same way; `existing_id` names it."""

    def __init__(self, message: str, existing_id: str = "") -> None:
        super().__init__(message)
        self.existing_id = existing_id


class FetchError(TrackerError):
    """The page could not be fetched (network, HTTP status, size, timeout, browser)."""

    def __init__(self, message: str, *, retry_after: float | None = None,
                 status: int | None = None) -> None:
        super().__init__(message, "Fetch failed")
        self.retry_after = retry_after
        self.status = status


class BlockedError(FetchError):
    """A login wall or bot challenge answered instead of the page (health `blocked`).

    Not a reading and not an ordinary failure: no value rule fires, and one "login
    needed" alert names the command that fixes it. `site` is the watched page's host.
    """

    def __init__(self, message: str, *, kind: str, site: str, status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.title = "Blocked"
        self.kind = kind
        self.site = site


class BrowserUnavailable(FetchError):
    """No browser could be started (missing, not executable, crashed at launch).

    Typed so that `auto` can fall back to plain HTTP on exactly this, not on the
    wording of a message.
    """


class ExtractionError(TrackerError):
    """The page was fetched but the wanted value was not found or not readable."""

    def __init__(self, message: str, *, looks_script_rendered: bool = False,
                 candidates: list | None = None) -> None:
        super().__init__(message, "Nothing extracted")
        self.looks_script_rendered = looks_script_rendered
        self.candidates = list(candidates or [])
        """core.model.Candidate items a person may pick from (an ambiguous price page)."""


class SelectorMissed(ExtractionError):
    """An explicit selector matched nothing; `nearest` holds (selector, sample text) pairs
    the page does have, nearest first."""

    def __init__(self, message: str, *, nearest: list | None = None,
                 candidates: list | None = None, looks_script_rendered: bool = False) -> None:
        super().__init__(message, looks_script_rendered=looks_script_rendered,
                         candidates=candidates)
        self.nearest = list(nearest or [])


class StoreError(TrackerError):
    """The data dir cannot be used: damaged file, unknown schema, not writable: exit 2."""

    exit_code = 2


class SaveError(StoreError):
    """A write failed for a reason outside the data (disk full, EFBIG, EIO): exit 1.

    Not bad input: the same command succeeds once there is room again, so it is a
    failure (1), not a usage error (2) (README "Exit status").
    """

    exit_code = 1


class LockedError(StoreError):
    """Another live process owns the data dir: not bad input, so exit 1 (try again later)."""

    exit_code = 1

    def __init__(self, pid: int | None, path: str) -> None:
        who = f"process {pid}" if pid else "another process"
        super().__init__(
            f"The data dir {path} is in use by {who} (the TUI or `tui-tracker run`); "
            "a second engine cannot run on it, but `tui-tracker` and write commands "
            "attach to that one."
        )
        self.pid = pid


class NotifyError(TrackerError):
    """A notification could not be delivered; the message says why (SMTP reply, ...)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message, "Notification failed")
        self.permanent = permanent


class ConfigError(TrackerError):
    """The config file or an environment variable is invalid: exit 2."""

    exit_code = 2
