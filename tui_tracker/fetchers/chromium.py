"""Finding a Chromium executable for Playwright to drive.

`playwright install` needs network access a server may not have, and Debian's
`chromium-headless-shell` package is the same headless build Playwright itself uses
(and measured ~1.4x faster than full `chromium` in headless mode), so a system
browser is as good as a bundled one. Order: the user's choice, Playwright's own
download, then well-known names on PATH and in /usr/bin.
"""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

from tui_tracker.config import Settings
from tui_tracker.core.errors import BrowserUnavailable

ENV_VAR = "TUI_TRACKER_CHROMIUM"
SYSTEM_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome",
                "google-chrome-stable")
# Debian's /usr/bin/chromium-headless-shell is a `sh` wrapper that does not exec, so a
# kill or crash reaches only the shell; launching the real binary avoids that layer.
_REAL_BINARIES = {"chromium-headless-shell": "/usr/lib/chromium/chromium-headless-shell"}
HOW_TO_GET = f"apt-get install chromium-headless-shell or set {ENV_VAR}"

# Relative to Playwright's browser cache; headless shell first (see DESIGN "Engine").
_PLAYWRIGHT_GLOBS = (
    "chromium_headless_shell-*/chrome-headless-shell-linux64/chrome-headless-shell",
    "chromium_headless_shell-*/chrome-linux/headless_shell",
    "chromium-*/chrome-linux64/chrome",
    "chromium-*/chrome-linux/chrome",
)


def _usable(path: str | os.PathLike[str]) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _playwright_cache() -> Path:
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env and env != "0":
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ms-playwright"


def playwright_browsers() -> list[str]:
    """Browsers `playwright install` put in its cache, newest revision first."""
    root = _playwright_cache()
    found: list[str] = []
    for pattern in _PLAYWRIGHT_GLOBS:
        found += sorted(glob.glob(str(root / pattern)), reverse=True)
    return [p for p in found if _usable(p)]


def find_chromium(settings: Settings) -> str | None:
    """The browser to launch, or None when none is installed.

    Raises:
        BrowserUnavailable: the user named one (setting or TUI_TRACKER_CHROMIUM) that is
            missing or not executable; silently using another would hide the mistake.
    """
    chosen = settings.chromium or os.environ.get(ENV_VAR)
    if chosen:
        path = shutil.which(chosen) or chosen
        if not _usable(path):
            raise BrowserUnavailable(f"Chromium not found at {chosen} ({HOW_TO_GET})")
        return path
    bundled = playwright_browsers()
    if bundled:
        return bundled[0]
    for name in SYSTEM_NAMES:
        real = _REAL_BINARIES.get(name)
        if real and _usable(real):
            return real
        path = shutil.which(name)  # type: ignore[assignment]  # None is handled below
        if path is None and _usable(f"/usr/bin/{name}"):
            path = f"/usr/bin/{name}"
        if path:
            return path
    return None


def require_chromium(settings: Settings) -> str:
    """Like `find_chromium`, but a missing browser is a BrowserUnavailable saying how to get one."""
    path = find_chromium(settings)
    if path is None:
        raise BrowserUnavailable(f"Chromium not found ({HOW_TO_GET}; "
                         "or run `playwright install chromium-headless-shell`)")
    return path


def descendants(pid: int) -> list[int]:
    """Pids of every live descendant of `pid` (Linux /proc; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(name))
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            out.append(child)
            todo.append(child)
    return out


def executable_of(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None
