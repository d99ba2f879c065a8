"""Fixtures for driving the real `tui-tracker` command in a subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers.site import Site
from tests.waiting import wait_until  # noqa: F401  (re-exported to the CLI tests)


class Cli:
    """Runs `python -m tui_tracker` with its own data dir and a clean environment."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TUI_TRACKER_")}

    def __call__(self, *args: str, check: int | None = None,
                 timeout: float = 90) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "tui_tracker", "--data-dir", str(self.data_dir), *args],
            capture_output=True, text=True, env=self.env, timeout=timeout, stdin=subprocess.DEVNULL,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        if check is not None:
            assert proc.returncode == check, (proc.returncode, proc.stdout, proc.stderr)
        return proc

    def json(self, *args: str, check: int | None = 0) -> Any:
        proc = self(*args, "--json", check=check)
        return json.loads(proc.stdout)

    @contextlib.contextmanager
    def running(self) -> Iterator[subprocess.Popen[str]]:
        """`tui-tracker run` in the background on this data dir; killed if a test fails."""
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui_tracker", "--data-dir", str(self.data_dir), "run"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env,
            stdin=subprocess.DEVNULL,
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data")


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    yield server
    server.stop()
