"""Building alert emails: plain words in, a header-safe `EmailMessage` out.

Page text (monitor names, section labels, values) is untrusted. Headers only ever
receive it through `core.text.header_safe` (one line, no CR/LF/NUL/U+2028/NEL/VT,
at most 120 characters), because `EmailMessage` raises on a line break in a header
and would otherwise fail the alert, and older code paths would emit a new header.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tui_tracker.core.errors import NotifyError
from tui_tracker.core.formatting import describe_readings, event_values
from tui_tracker.core.model import Event, utcnow
from tui_tracker.core.text import clean_text, header_safe

RULE_TITLES = {
    "price_below": "Price at or below target",
    "price_drop": "Price dropped",
    "back_in_stock": "Back in stock",
    "seats_opened": "Seats open",
    "seats_at_least": "Seats available",
    "changed": "Changed",
    "error": "Monitor failing",
    "recovered": "Monitor working again",
    "test": "Test message",
}


def rule_title(rule: str) -> str:
    """A short human title for a rule name (unknown names are shown as they are)."""
    return RULE_TITLES.get(rule, clean_text(rule, 40).replace("_", " ").capitalize())


def format_when(at: datetime) -> str:
    """UTC ISO time plus the machine's local time, so nobody has to convert."""
    local = at.astimezone()
    return f"{at.isoformat(timespec='seconds')} (local {local:%Y-%m-%d %H:%M %Z})"


def subject_for(events: list[Event]) -> str:
    """One event: "Price dropped: Acme Kettle". Several: "3 alerts: Acme Kettle, CS 101"."""
    if len(events) == 1:
        ev = events[0]
        return header_safe(f"{rule_title(ev.rule)}: {ev.monitor_name or ev.monitor_id}")
    names: list[str] = []
    for ev in events:
        n = clean_text(ev.monitor_name or ev.monitor_id, 60)
        if n not in names:
            names.append(n)
    return header_safe(f"{len(events)} alerts: {', '.join(names)}")


def body_for(events: list[Event]) -> str:
    """A plain-text body: per event what fired, old -> new values, the URL and the time."""
    blocks: list[str] = []
    if len(events) > 1:
        blocks.append(f"tui-tracker has {len(events)} alerts for you.")
    for ev in events:
        name = clean_text(ev.monitor_name or ev.monitor_id, 120)
        titles = ", ".join(rule_title(r) for r in (ev.rules or [ev.rule]))
        lines = [f"{name} — {titles}", clean_text(ev.message, 1000)]
        if ev.old_in_stock is not None and ev.new_in_stock is not None:
            lines.append(f"  Stock:  {event_values(ev, 8)}")
        elif ev.old or ev.new:
            lines.append(f"  Before: {describe_readings(ev.old)}")
            lines.append(f"  Now:    {describe_readings(ev.new)}")
        if ev.url:
            lines.append(f"  Page:   {clean_text(ev.url, 2000)}")
        lines.append(f"  When:   {format_when(ev.at)}")
        blocks.append("\n".join(lines))
    blocks.append("-- \nSent by tui-tracker. Run `tui-tracker notifications ID` for the history.")
    return "\n\n".join(blocks) + "\n"


def make_message(sender: str, to: str | list[str], subject: str, body: str,
                 *, when: datetime | None = None) -> EmailMessage:
    """A plain-text message with Date and Message-ID; every header value made safe.

    Raises:
        NotifyError: (permanent) when an address cannot be put in a header at all.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    msg = EmailMessage()
    try:
        msg["From"] = header_safe(sender, 254)
        msg["To"] = ", ".join(header_safe(a, 254) for a in recipients)
        msg["Subject"] = header_safe(subject)
        msg["Date"] = format_datetime(when or utcnow())
        # An explicit domain: make_msgid() would otherwise ask DNS for our FQDN.
        domain = header_safe(sender.rpartition("@")[2], 100) if "@" in sender else ""
        msg["Message-ID"] = make_msgid(domain=domain or "tui-tracker.localhost")
    except (ValueError, TypeError, IndexError) as exc:
        raise NotifyError(
            f"The address list {', '.join(recipients)!r} or sender {sender!r} is not a valid "
            "email address.", permanent=True) from exc
    msg["X-Mailer"] = "tui-tracker"
    msg.set_content(body)
    return msg


def build_message(events: list[Event], to: str, sender: str) -> EmailMessage:
    """ONE message for all of a recipient's `events` (several fire in one pass)."""
    if not events:
        raise ValueError("build_message needs at least one event")
    return make_message(sender, to, subject_for(events), body_for(events),
                        when=max(ev.at for ev in events))
