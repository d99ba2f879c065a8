"""Where things live on disk: one function per location.

Precedence: `--data-dir`, then `TUI_TRACKER_HOME`, then the platform's user dirs.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tui-tracker"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data dir holding monitors, history and notifications."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("TUI_TRACKER_HOME")
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_file(explicit_data_dir: str | os.PathLike[str] | None = None) -> Path:
    """`config.toml`: in the data dir when one is given, else the platform config dir."""
    if explicit_data_dir or os.environ.get("TUI_TRACKER_HOME"):
        return data_dir(explicit_data_dir) / "config.toml"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"
