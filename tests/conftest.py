"""Shared pytest fixtures. Server code lives in tests/servers/; only fixtures here."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.servers.hostile import HostileServer
from tests.servers.login_site import LoginSite


@pytest.fixture(scope="session")
def hostile() -> Iterator[HostileServer]:
    """The misbehaving HTTP server on 127.0.0.1 (routes: tests/servers/hostile.py)."""
    other = HostileServer("127.0.0.2").start()
    server = HostileServer("127.0.0.1").start()
    server.other = other
    yield server
    server.stop()
    other.stop()


@pytest.fixture
def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def campus() -> Iterator[LoginSite]:
    """A login site on 127.0.0.2 (the session's own site in session tests)."""
    with LoginSite("127.0.0.2") as server:
        yield server


@pytest.fixture
def elsewhere() -> Iterator[LoginSite]:
    """A second login site on 127.0.0.3: another host a session must never reach."""
    with LoginSite("127.0.0.3") as server:
        yield server
