"""`Secrets.for_check`: what each check sends, read with one look at secrets.json."""

from __future__ import annotations

import os
from pathlib import Path

from tui_tracker.config import Settings
from tui_tracker.core.cookies import Cookie
from tui_tracker.core.model import Monitor
from tui_tracker.engine.access import access_for
from tui_tracker.fetchers.base import NO_ACCESS
from tui_tracker.store.secrets import MonitorSecrets, Secrets


def test_no_file_means_no_access(tmp_path: Path) -> None:
    secrets = Secrets(tmp_path)
    assert secrets.for_check("m1") == ((), None)
    assert access_for("http://a.test/", Settings(), secrets, Monitor("m1", "http://a.test/")) \
        is NO_ACCESS


def test_sites_and_monitor_secrets_follow_the_file(tmp_path: Path) -> None:
    secrets = Secrets(tmp_path)
    secrets.put_site("a.test", [Cookie("sid", "one", "a.test")], "cookies.txt")
    cookies, own = secrets.for_check("m1")
    assert [c.value for c in cookies] == ["one"] and own is None

    # Another process (a `session import`) replaces the file: the next check sees it.
    other = Secrets(tmp_path)
    other.put_site("a.test", [Cookie("sid", "two", "a.test")], "cookies.txt")
    other.put_monitor("m1", MonitorSecrets(headers=[("X-Key", "k")], proxy="http://p.test:1"))
    cookies, own = secrets.for_check("m1")
    assert [c.value for c in cookies] == ["two"]
    assert own is not None and own.headers == [("X-Key", "k")]
    access = access_for("http://a.test/", Settings(), secrets, Monitor("m1", "http://a.test/"))
    assert access.headers == (("X-Key", "k"),) and access.proxy == "http://p.test:1"
    assert [c.value for c in access.cookies] == ["two"]
    assert secrets.for_check("m2")[1] is None

    os.unlink(tmp_path / "secrets.json")
    assert secrets.for_check("m1") == ((), None)


def test_expired_cookies_are_not_sent(tmp_path: Path) -> None:
    secrets = Secrets(tmp_path)
    secrets.put_site("a.test", [Cookie("old", "x", "a.test", expires=1.0),
                                Cookie("new", "y", "a.test")], "cookies.txt")
    access = access_for("http://a.test/", Settings(), secrets)
    assert [c.name for c in access.cookies] == ["new"]
