"""Email over SMTP with aiosmtplib: STARTTLS (587), implicit TLS (465) or plain (relays).

Choices, each with its measured reason (HOSTILE-INPUTS D 38-43):

- `starttls` sets `start_tls=True`, never aiosmtplib's default `None`: with `None` a
  server that does not offer STARTTLS (a downgrade) got our AUTH in cleartext. With
  `True` we refuse and say "the server did not offer STARTTLS".
- A timeout of `settings.smtp_timeout` (15 s) per SMTP step and four times that for a
  whole send, because aiosmtplib's default is 60 s and a silent server would
  otherwise hold a delivery for minutes.
- Every aiosmtplib/ssl/OS error becomes one `NotifyError` sentence; 5xx replies, a
  refused login and missing configuration are `permanent` (retrying cannot help).
- The password is only handed to aiosmtplib; it is scrubbed from any error text.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
from email.message import EmailMessage

import aiosmtplib

from tui_tracker.config import Settings
from tui_tracker.core.errors import NotifyError
from tui_tracker.core.text import clean_text
from tui_tracker.notifiers.base import Notifier
from tui_tracker.notifiers.compose import make_message
from tui_tracker.notifiers.secrets import scrub

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
NOT_CONFIGURED = (
    "email is not configured: set TUI_TRACKER_SMTP_HOST (and TUI_TRACKER_SMTP_PORT, _USER, "
    "_PASSWORD, _FROM, _TLS) or the [smtp] table in config.toml."
)
# Deliberately loose (the server is the judge), but no spaces or control characters,
# which would let an address smuggle extra SMTP commands or headers.
_ADDRESS = re.compile(r"[^@\s<>,;\"\x00-\x1f\x7f]+@[^@\s<>,;\"\x00-\x1f\x7f]+")
MISMATCH = "TLS mode mismatch: port 465 expects ssl, 587 expects starttls"


class SmtpNotifier(Notifier):
    """Sends each message over a fresh SMTP connection (alerts are rare; no pooling).

    Args:
        settings: SMTP host/port/user/password/from/tls/timeout come from here.
        tls_ca: a CA bundle (PEM) to trust instead of the system store, for a relay
            with a private CA (and for tests with a self-signed certificate).
    """

    name = "email"

    def __init__(self, settings: Settings, *, tls_ca: str | None = None) -> None:
        self.settings = settings
        self.tls_ca = tls_ca or getattr(settings, "smtp_ca_file", None)
        self.mode = settings.smtp_tls
        self.host = settings.smtp_host
        self.port = settings.smtp_port or DEFAULT_PORTS.get(self.mode, 587)
        self.timeout = float(settings.smtp_timeout)

    # ------------------------------------------------------------------ public

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def sender(self) -> str:
        """From: the configured address, else the login if it is one, else a local name."""
        s = self.settings
        if s.smtp_from:
            return s.smtp_from
        if s.smtp_user and "@" in s.smtp_user:
            return s.smtp_user
        return "tui-tracker@localhost"

    def describe(self) -> str:
        who = f" as {self.settings.smtp_user}" if self.settings.smtp_user else ""
        return f"{self.host}:{self.port} ({self.mode}){who}"

    async def send(self, to: list[str], subject: str, body: str) -> None:
        self._require_config()
        if not to:
            raise NotifyError("no recipient address was given.", permanent=True)
        for addr in to:
            if not _ADDRESS.fullmatch(addr):
                raise NotifyError(f"{clean_text(addr, 100)!r} is not a valid email address.",
                                  permanent=True)
        await self.send_message(make_message(self.sender, to, subject, body), to)

    async def send_message(self, msg: EmailMessage, to: list[str]) -> None:
        """Send a ready message (see compose.build_message) to `to`."""
        self._require_config()
        s = self.settings
        try:
            async with asyncio.timeout(self.timeout * 4):
                await aiosmtplib.send(
                    msg,
                    sender=self.sender,
                    recipients=list(to),
                    hostname=self.host,
                    port=self.port,
                    username=s.smtp_user or None,
                    password=(s.smtp_password or None) if s.smtp_user else None,
                    use_tls=self.mode == "ssl",
                    start_tls=self.mode == "starttls",
                    timeout=self.timeout,
                    tls_context=self._tls_context(),
                    local_hostname="tui-tracker.localhost",
                )
        except NotifyError:
            raise
        except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as exc:
            raise self._scrub(self._translate(exc)) from None

    # ------------------------------------------------------------------ internals

    def _require_config(self) -> None:
        if not self.host:
            raise NotifyError(NOT_CONFIGURED, permanent=True)

    def _tls_context(self) -> ssl.SSLContext | None:
        if self.mode == "none":
            return None
        try:
            return ssl.create_default_context(cafile=self.tls_ca)
        except (OSError, ssl.SSLError) as exc:
            raise NotifyError(f"The TLS CA file {self.tls_ca} cannot be read: {exc}.",
                              permanent=True) from None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def _scrub(self, err: NotifyError) -> NotifyError:
        """Remove the password, in every encoding we sent it, from an error text."""
        clean = scrub(err.message, self.settings.smtp_user, self.settings.smtp_password)
        return err if clean == err.message else NotifyError(clean, permanent=err.permanent)

    def _reply(self, message: object) -> str:
        """A server reply as one short clean line, scrubbed BEFORE it is cut short (a cut
        base64 blob would no longer match what we sent)."""
        text = scrub(str(message), self.settings.smtp_user, self.settings.smtp_password)
        return clean_text(text, 200) or "no reason given"

    def _translate(self, exc: BaseException) -> NotifyError:
        where = self.where
        if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
            return NotifyError(
                f"SMTP login refused ({exc.code}) for user {self.settings.smtp_user!r} at "
                f"{where}: check the user name and password (Gmail needs an app password); "
                f"the server said: {self._reply(exc.message)}.", permanent=True)
        if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
            parts = [f"{r.recipient} ({r.code} {self._reply(r.message)})" for r in exc.recipients]
            return NotifyError(
                f"The SMTP server {where} refused the recipient {', '.join(parts)}.",
                permanent=all(r.code >= 500 for r in exc.recipients))
        if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
            return NotifyError(
                f"The SMTP server {where} refused the recipient {exc.recipient} "
                f"({exc.code} {self._reply(exc.message)}).", permanent=exc.code >= 500)
        if isinstance(exc, aiosmtplib.SMTPSenderRefused):
            return NotifyError(
                f"The SMTP server {where} refused the sender {exc.sender} "
                f"({exc.code} {self._reply(exc.message)}); check TUI_TRACKER_SMTP_FROM.",
                permanent=exc.code >= 500)
        if isinstance(exc, aiosmtplib.SMTPDataError):
            return NotifyError(
                f"The SMTP server {where} rejected the message ({exc.code} "
                f"{self._reply(exc.message)}).", permanent=exc.code >= 500)
        if isinstance(exc, aiosmtplib.SMTPConnectTimeoutError):
            if "ready message" in str(exc) and self.mode != "ssl":
                # Connected, but no banner: the classic sign of an implicit-TLS port.
                return NotifyError(
                    f"The SMTP server {where} accepted the connection but sent no greeting "
                    f"within {self.timeout:g} s; {MISMATCH} (TUI_TRACKER_SMTP_TLS is "
                    f"{self.mode}, port {self.port}).")
            return NotifyError(
                f"Could not connect to SMTP server {where} within {self.timeout:g} s"
                f"{self._mismatch_hint()}.")
        if isinstance(exc, aiosmtplib.SMTPConnectResponseError):
            return NotifyError(
                f"The SMTP server {where} refused the session ({exc.code} "
                f"{self._reply(exc.message)}).", permanent=exc.code >= 500)
        if isinstance(exc, aiosmtplib.SMTPConnectError):
            return self._connect_error(exc)
        if isinstance(exc, aiosmtplib.SMTPTimeoutError | TimeoutError):
            return NotifyError(
                f"The SMTP server {where} did not answer within {self.timeout:g} s"
                f"{self._mismatch_hint()}.")
        if isinstance(exc, aiosmtplib.SMTPServerDisconnected):
            return NotifyError(f"The SMTP server {where} closed the connection unexpectedly.")
        if isinstance(exc, aiosmtplib.SMTPResponseException):
            if "Malformed SMTP response" in str(exc.message):
                return NotifyError(f"{where} did not answer like an SMTP server (wrong port?).")
            return NotifyError(f"The SMTP server {where} replied {exc.code} "
                               f"{self._reply(exc.message)}.", permanent=exc.code >= 500)
        text = str(exc)
        if "STARTTLS extension not supported" in text:
            return NotifyError(
                f"The SMTP server {where} did not offer STARTTLS, so nothing was sent and no "
                "password left this machine (use TUI_TRACKER_SMTP_TLS=none only for a "
                "trusted local relay).")
        if "AUTH extension not supported" in text:
            return NotifyError(
                f"The SMTP server {where} does not accept a login here; remove "
                "TUI_TRACKER_SMTP_USER for a relay that needs none, or use starttls/ssl.",
                permanent=True)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return NotifyError(f"The TLS certificate of {where} could not be verified "
                               f"({exc.verify_message or exc.reason}).", permanent=True)
        if isinstance(exc, ssl.SSLError):
            return self._ssl_error(exc)
        return NotifyError(f"Sending mail through {where} failed: "
                           f"{clean_text(text or type(exc).__name__, 200)}.")

    def _connect_error(self, exc: aiosmtplib.SMTPConnectError) -> NotifyError:
        where, cause = self.where, exc.__cause__
        if isinstance(cause, ConnectionRefusedError):
            return NotifyError(f"could not connect to SMTP server {where} (connection refused).")
        if isinstance(cause, socket.gaierror):
            return NotifyError(f"could not find the SMTP server {self.host!r} "
                               f"({cause.strerror or cause}).")
        if isinstance(cause, ssl.SSLCertVerificationError):
            return NotifyError(f"The TLS certificate of {where} could not be verified "
                               f"({cause.verify_message or cause.reason}).", permanent=True)
        if isinstance(cause, ssl.SSLError):
            return self._ssl_error(cause)
        if isinstance(cause, aiosmtplib.SMTPServerDisconnected) or "EOF" in str(exc):
            return NotifyError(f"The SMTP server {where} closed the connection before "
                               f"greeting{self._mismatch_hint()}.")
        detail = clean_text(cause or exc, 200)
        return NotifyError(f"could not connect to SMTP server {where} ({detail}).")

    def _ssl_error(self, exc: ssl.SSLError) -> NotifyError:
        text = f"{exc.reason or ''} {exc}".upper()
        if "WRONG_VERSION_NUMBER" in text or "UNKNOWN_PROTOCOL" in text or \
                "RECORD_LAYER_FAILURE" in text or "PACKET_LENGTH_TOO_LONG" in text:
            return NotifyError(
                f"{MISMATCH} (TUI_TRACKER_SMTP_TLS is {self.mode}, port {self.port}).",
                permanent=True)
        return NotifyError(f"The TLS connection to {self.where} failed "
                           f"({clean_text(exc.reason or exc, 200)}).")

    def _mismatch_hint(self) -> str:
        if (self.mode == "ssl" and self.port in (25, 587)) or (
                self.mode != "ssl" and self.port == 465):
            return f"; {MISMATCH} (TUI_TRACKER_SMTP_TLS is {self.mode}, port {self.port})"
        return ""


async def send_test(settings: Settings, to: list[str] | None = None, *,
                    tls_ca: str | None = None) -> str:
    """Send a test mail (`tui-tracker notify-test [ADDR]`); one line on success.

    Raises:
        NotifyError: the exact failure (not configured, no recipient, SMTP reply, ...).
    """
    notifier = SmtpNotifier(settings, tls_ca=tls_ca)
    if not notifier.configured:
        raise NotifyError(NOT_CONFIGURED, permanent=True)
    recipients = [a for a in (to or settings.notify_to) if a.strip()]
    if not recipients:
        raise NotifyError("no recipient: give an address (`tui-tracker notify-test ADDR`) or "
                          "set TUI_TRACKER_NOTIFY_TO.", permanent=True)
    body = (
        "This is a test message from tui-tracker.\n\n"
        f"It was sent through {notifier.describe()} from {notifier.sender}.\n"
        "If you can read it, alerts will reach you.\n"
    )
    await notifier.send(recipients, "tui-tracker test message", body)
    return f"Test mail sent to {', '.join(recipients)} via {notifier.describe()}."
