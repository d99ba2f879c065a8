"""`notify-test`: send one mail with the current settings and report exactly what failed."""

from __future__ import annotations

import asyncio

from tui_tracker.cli.context import Context
from tui_tracker.cli.output import emit_json
from tui_tracker.core.validation import validate_email


def notify_test(ctx: Context) -> int:
    from tui_tracker.engine.local import send_test_mail

    settings = ctx.settings(create=True)
    to = [validate_email(a) for a in ctx.args.addr] or None
    message = asyncio.run(send_test_mail(settings, to))
    if ctx.as_json:
        emit_json({"ok": True, "message": message})
    else:
        print(message)
    return 0
