"""A real SMTP server for tests: aiosmtpd's `Controller` on 127.0.0.1, in a thread.

Usage (fixture-friendly; also a context manager):

    server = SmtpTestServer(auth=("alice", "s3cret"), starttls=True).start()
    settings = server.settings(smtp_user="alice", smtp_password="s3cret")
    notifier = SmtpNotifier(settings, tls_ca=server.ca_file)
    ...; server.messages[0]["Subject"]; server.stop()

Knobs: `auth` (require login with this user/password), `starttls` (offer STARTTLS),
`implicit_tls` (TLS from the first byte, like port 465), `reject` (recipients that
get "550 5.1.1 no such user"), `drop_on_data` (hang up mid-session). `stop()` makes
the port refuse connections; `start()` again brings it back on the same port.

The certificate is self-signed for IP 127.0.0.1, made once per process with the
`openssl` command (trustme is not installed here); clients trust it via `ca_file`.
Failed logins answer with `AuthResult(success=False, handled=False)`: the default
`handled=True` sends no reply at all and the client hangs until its timeout.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

HOST = "127.0.0.1"

# Login without TLS is on purpose here (the STARTTLS-downgrade and local-relay cases).
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")

_cert_lock = threading.Lock()
_cert_paths: tuple[str, str] | None = None


def self_signed_cert() -> tuple[str, str]:
    """(cert.pem, key.pem) for 127.0.0.1/localhost, generated once per test process."""
    global _cert_paths
    with _cert_lock:
        if _cert_paths is None:
            openssl = shutil.which("openssl")
            if openssl is None:
                raise RuntimeError("openssl is needed to make a test certificate")
            d = Path(tempfile.mkdtemp(prefix="tui-tracker-smtp-cert-"))
            cert, key = d / "cert.pem", d / "key.pem"
            subprocess.run(
                [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
                 "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-keyout", str(key), "-out", str(cert)],
                check=True, capture_output=True,
            )
            _cert_paths = (str(cert), str(key))
        return _cert_paths


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class Received:
    """One accepted message: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage


class _Handler:
    def __init__(self, owner: SmtpTestServer) -> None:
        self.owner = owner

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() in self.owner.reject:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.owner.drop_on_data:
            server.transport.close()
            return "421 closing"
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.owner.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                            raw, msg))  # type: ignore[arg-type]
        if self.owner.on_received is not None:
            self.owner.on_received()
        return "250 Message accepted for delivery"


class SmtpTestServer:
    """See the module docstring. All knobs may be changed between sends."""

    def __init__(self, *, auth: tuple[str, str] | None = None, starttls: bool = False,
                 implicit_tls: bool = False, reject: set[str] | None = None,
                 drop_on_data: bool = False, port: int | None = None) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.auth = auth
        self.starttls = starttls
        self.implicit_tls = implicit_tls
        self.reject = {a.lower() for a in reject or ()}
        self.drop_on_data = drop_on_data
        self.received: list[Received] = []
        self.on_received: Callable[[], None] | None = None
        """Called (in the server's thread) as each message is accepted, before the reply."""
        self.logins: list[tuple[str, bool]] = []
        """(user, accepted) for every AUTH attempt."""
        self._controller: Controller | None = None
        self.ca_file: str | None = None
        if starttls or implicit_tls:
            self.ca_file = self_signed_cert()[0]

    # ------------------------------------------------------------------ control

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.received]

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> SmtpTestServer:
        if self._controller is not None:
            return self
        kwargs: dict[str, Any] = {}
        ctx = None
        if self.starttls or self.implicit_tls:
            cert, key = self_signed_cert()
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(cert, key)
        if self.starttls:
            kwargs["tls_context"] = ctx
        if self.auth is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True,
                          auth_require_tls=self.starttls)
        controller = Controller(
            _Handler(self), hostname=self.host, port=self.port,
            ssl_context=ctx if self.implicit_tls else None,
            server_hostname="smtp.test", **kwargs,
        )
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop listening: connections to the port are refused until `start()`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpTestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def settings(self, **overrides: Any):
        """A `Settings` pointing at this server (plain unless TLS is on), short timeout."""
        from tui_tracker.config import Settings

        tls = "ssl" if self.implicit_tls else ("starttls" if self.starttls else "none")
        values: dict[str, Any] = dict(smtp_host=self.host, smtp_port=self.port, smtp_tls=tls,
                                      smtp_from="tracker@example.test", smtp_timeout=5.0,
                                      notify_to=["me@example.test"])
        values.update(overrides)
        return Settings(**values)

    # ------------------------------------------------------------------ auth

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword) or self.auth is None:
            return AuthResult(success=False, handled=False)
        user = auth_data.login.decode("utf-8", "replace")
        ok = (user, auth_data.password.decode("utf-8", "replace")) == self.auth
        self.logins.append((user, ok))
        # handled=False: let aiosmtpd send "535"; the default handled=True sends nothing.
        return AuthResult(success=True) if ok else AuthResult(success=False, handled=False)
