"""`notify-test`: send a test alert through every configured channel; say which failed and why.

With no argument it tests email (when SMTP is set up, or when no other channel is)
and every Apprise URL: `notify_urls` from config and each monitor's own `--notify`.
Arguments pick what to test: an address tests email to it, a URL tests that URL.
URLs are only ever printed masked.
"""

from __future__ import annotations

import asyncio

from tui_tracker.cli.context import Context
from tui_tracker.cli.output import emit_json, sentence, warn
from tui_tracker.core.errors import NotifyError
from tui_tracker.core.validation import validate_email

TEST_TITLE = "tui-tracker test message"
TEST_BODY = "This is a test message from tui-tracker. If you can read it, alerts will reach you."


async def _email(settings, to: list[str] | None) -> dict:
    from tui_tracker.engine.alerts import send_test_mail as send_test

    who = ", ".join(to or settings.notify_to) or "(no recipient)"
    try:
        return {"channel": "email", "to": who, "ok": True,
                "message": await send_test(settings, to)}
    except NotifyError as exc:
        return {"channel": "email", "to": who, "ok": False, "error": sentence(exc)}


async def _url(url: str) -> dict:
    from tui_tracker.engine.alerts import describe_url, send_test_url

    channel, masked = describe_url(url)
    row = {"channel": channel, "to": masked}
    try:
        await send_test_url(url, TEST_TITLE, TEST_BODY)
    except NotifyError as exc:
        return {**row, "ok": False, "error": sentence(exc)}
    return {**row, "ok": True, "message": f"Test alert sent to {row['to']}."}


def _configured_urls(ctx: Context, settings) -> list[str]:
    from tui_tracker.store.secrets import Secrets

    urls = list(settings.notify_urls)
    for own in Secrets(ctx.data_dir).monitor_urls().values():
        urls += own
    return list(dict.fromkeys(urls))


def notify_test(ctx: Context) -> int:
    settings = ctx.settings(create=True)
    given = list(ctx.args.addr)
    urls = [a.strip() for a in given if "://" in a]
    emails = [validate_email(a) for a in given if "://" not in a]
    if urls:
        from tui_tracker.engine.alerts import validate_notify_url

        urls = [validate_notify_url(u) for u in urls]
    if not given:
        urls = _configured_urls(ctx, settings)

    async def run() -> list[dict]:
        rows = []
        if emails or (not given and (settings.smtp_host or not urls)):
            rows.append(await _email(settings, emails or None))
        for url in urls:
            rows.append(await _url(url))
        return rows

    rows = asyncio.run(run())
    failed = [r for r in rows if not r["ok"]]
    if ctx.as_json:
        emit_json({"ok": not failed, "channels": rows,
                   "message": rows[0].get("message") if len(rows) == 1 else None})
    for r in rows:
        if r["ok"]:
            if not ctx.as_json:
                print(r["message"])
        else:
            warn(r["error"])
    return 1 if failed else 0
