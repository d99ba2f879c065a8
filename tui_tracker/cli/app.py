"""Commands that open the TUI: the dashboard on the data dir, and the self-contained demo."""

from __future__ import annotations

from tui_tracker.cli.context import Context


def tui(ctx: Context) -> int:
    from tui_tracker.ui.launch import run_tui

    return run_tui(ctx.data_dir, ctx.settings(create=True))


def demo(ctx: Context) -> int:
    from tui_tracker.demo.launch import run_demo

    return run_demo(port=ctx.args.port)
