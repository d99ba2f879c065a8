"""The notifier contract: deliver a subject and a plain-text body, or raise NotifyError.

A notifier translates every library failure into a `NotifyError` whose message is
one sentence a person can act on, with `permanent=True` when retrying cannot help
(bad login, rejected recipient, missing configuration). The outbox relies on that
flag to decide between backing off and giving up.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol


class Sender(Protocol):
    """What the outbox needs of a notifier (a `Notifier` subclass, or a test stand-in)."""

    name: str

    async def send(self, to: list[str], subject: str, body: str) -> None: ...

    def describe(self) -> str: ...

    async def aclose(self) -> None: ...


class Notifier(ABC):
    """One shared instance per engine; safe to call concurrently."""

    name: str
    """The channel name stored in `Delivery.channel` (e.g. "email")."""

    @abstractmethod
    async def send(self, to: list[str], subject: str, body: str) -> None:
        """Deliver one message to `to`.

        Args:
            to: recipient addresses (user input, not yet validated by the server).
            subject: one line; made header-safe again by the notifier.
            body: plain text.

        Raises:
            NotifyError: on any failure (never another exception type).
        """

    def describe(self) -> str:
        """A short description of where messages go, for status lines."""
        return self.name

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release shared resources."""
