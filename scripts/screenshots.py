"""Regenerate screenshots/*.svg (and .png when cairosvg is installed) from the real app.

Drives `TrackerApp.run_test()` against the demo site on 127.0.0.1 with a real store in
a temp dir and a real engine. The demo's clock is advanced by hand and every monitor
checked after each step, so the sparklines and charts have a history to show within
seconds instead of minutes.

    .venv/bin/python scripts/screenshots.py [--out screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.cells import cell_len  # noqa: E402

from tui_tracker.config import Settings  # noqa: E402
from tui_tracker.core.model import HistoryEntry  # noqa: E402
from tui_tracker.demo.server import DemoServer, make_demo_monitors  # noqa: E402
from tui_tracker.engine.engine import Engine  # noqa: E402
from tui_tracker.engine.local import LocalEngine  # noqa: E402
from tui_tracker.store.repository import Store  # noqa: E402
from tui_tracker.ui.app import TrackerApp  # noqa: E402

STEPS = 14
"""Demo ticks to walk through before taking pictures (the history the charts show)."""
SPANS = {"kettle": timedelta(days=3), "cs101": timedelta(minutes=40)}
"""How long each walked history is made to span in the pictures."""
HOURS = timedelta(hours=6)


class ManualClock:
    """The demo server's clock, moved one tick at a time by this script."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


async def wait(pilot, condition, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        await pilot.pause(0.1)
    return True


PNG_FONT = "DejaVu Sans Mono"
"""An installed monospace font for the PNGs.

Textual's SVG asks for "Fira Code" (a web font). cairosvg cannot load it, and
fontconfig substitutes a proportional font (DejaVu Sans). Then block and box glyphs
come out wider or narrower than a cell: sparklines seem to run into the next column
and chart frames look broken, though the terminal text is right. The PNG is
rendered with a real monospace font; the SVG is left as Textual wrote it.
"""
SVG_CELL = 12.2
"""Textual's SVG cell width (20 px Fira Code)."""
PNG_CELL = 13
"""Whole pixels per cell in the PNG, so glyphs meet without anti-aliased seams."""
PNG_FONT_SIZE = round(20 * SVG_CELL / 12.04, 2)
"""DejaVu Sans Mono advances 0.602 em (12.04 px at 20 px): this size fills a cell."""
_TEXT_RUN = re.compile(r'<text class="([^"]*)" x="([\d.]+)" y="([\d.]+)" '
                       r'textLength="([\d.]+)" clip-path="([^"]*)">([^<]*)</text>')


def _one_glyph_per_cell(match: re.Match[str]) -> str:
    """Split a text run into one <text> per character at its cell's x.

    cairosvg ignores `textLength`, so a run drawn with hinted advances drifts off
    the cell grid by a few pixels over 40 cells (a chart's right frame comes out
    slanted). Placing each glyph at its own cell keeps the picture true to the grid.
    """
    cls, x, y, length, clip, content = match.groups()
    chars = html.unescape(content)
    cells = cell_len(chars)
    if cells == 0:
        return ""
    cell = float(length) / cells
    out, offset = [], 0
    for ch in chars:
        if ch not in " \xa0":
            out.append(f'<text class="{cls}" x="{float(x) + offset * cell:.1f}" y="{y}" '
                       f'clip-path="{clip}">{html.escape(ch)}</text>')
        offset += cell_len(ch)
    return "".join(out)


def to_png(svg: Path) -> None:
    try:
        import cairosvg
    except ImportError:
        return
    text = svg.read_text(encoding="utf-8").replace(
        "font-family: Fira Code, monospace;\n        font-size: 20px;",
        f"font-family: {PNG_FONT}, monospace;\n        font-size: {PNG_FONT_SIZE}px;")
    text = _TEXT_RUN.sub(_one_glyph_per_cell, text)
    view = re.search(r'viewBox="0 0 ([\d.]+) ', text)
    width = float(view.group(1)) if view else 1482.0
    cairosvg.svg2png(bytestring=text.encode("utf-8"), write_to=str(svg.with_suffix(".png")),
                     output_width=round(width * PNG_CELL / SVG_CELL))


def save(app: TrackerApp, out: Path, name: str) -> None:
    path = out / f"{name}.svg"
    app.save_screenshot(filename=path.name, path=str(out))
    to_png(path)
    print(f"wrote {path}")


async def history_walk(walk_dir: Path, clock: ManualClock, server: DemoServer) -> None:
    """Check every demo monitor once per demo tick with a headless engine."""
    store = Store.open(walk_dir)
    try:
        for m in make_demo_monitors(server.urls):
            m.interval = 3600  # only the picture session's own actions fetch later
            store.add(m)
        engine = Engine(store, Settings(host_gap=0.0))
        for _ in range(STEPS + 1):
            await engine.run_once()
            clock.now += server.period
    finally:
        store.close()


def spread(times: list[datetime], span: timedelta, end: datetime) -> dict[datetime, datetime]:
    """Map walk times (seconds apart) to evenly spaced times over `span` ending at `end`."""
    step = span / max(1, len(times) - 1)
    return {t: end - span + step * i for i, t in enumerate(sorted(times))}


def copy_with_spread_history(walk_dir: Path, data_dir: Path, urls: dict[str, str]) -> None:
    """The walked monitors, history and alerts, as if checked over `SPANS[name]`.

    The walk takes seconds; a chart of it would be a few seconds wide. The pictures
    should show a chart spanning days (the kettle) and one spanning minutes.
    """
    by_url = {url: name for name, url in urls.items()}
    src = Store.open(walk_dir, readonly=True)
    dst = Store.open(data_dir)
    try:
        for m in src.list_monitors():
            dst.add(m)
            history = src.history(m.id)
            if not history:
                continue
            end = history[-1].at
            when = spread([h.at for h in history], SPANS.get(by_url.get(m.url, ""), HOURS), end)
            for h in history:
                dst.append_history(m.id, HistoryEntry(when[h.at], h.readings))
            for e in src.events(m.id):
                before = [t for t in when if t <= e.at]
                dst.add_event(replace(e, at=when[max(before)] if before else e.at))
    finally:
        src.close()
        dst.close()


async def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    clock = ManualClock()
    server = DemoServer(clock=clock).start()
    with tempfile.TemporaryDirectory(prefix="tui-tracker-shots-") as tmp:
        walk_dir, data_dir = Path(tmp) / "walk", Path(tmp) / "data"
        await history_walk(walk_dir, clock, server)
        copy_with_spread_history(walk_dir, data_dir, server.urls)
        store = Store.open(data_dir)
        settings = Settings(host_gap=0.0)
        app = TrackerApp(LocalEngine(Engine(store, settings)), settings=settings)
        try:
            async with app.run_test(size=(160, 45)) as pilot:
                await wait(pilot, lambda: app.table.row_count == len(server.urls))
                await pilot.pause(1.0)
                save(app, out, "dashboard-160x45")
                await app.api.check_now(list(app.table.models))
                await wait(pilot, lambda: not app.api.checking, timeout=60)
                await pilot.press("l")
                await pilot.pause(1.5)
                save(app, out, "activity")
                await pilot.press("escape")
                await pilot.press("question_mark")
                await pilot.pause(0.5)
                save(app, out, "help")
                await pilot.press("escape")
                await pilot.resize_terminal(120, 36)
                await pilot.pause(1.0)  # the sparklines are seeded from history
                save(app, out, "dashboard")

                await pilot.press("enter")
                await wait(pilot, lambda: app.detail.monitor_id is not None)
                await pilot.pause(0.5)
                save(app, out, "detail")
                await pilot.press("down", "down", "down")
                await pilot.pause(0.8)
                save(app, out, "detail-seats")
                await pilot.press("escape")

                await pilot.press("n")
                await pilot.pause(0.3)
                await pilot.press("a")
                await pilot.pause(0.8)
                save(app, out, "notifications")
                await pilot.press("enter")
                await pilot.pause(0.5)
                save(app, out, "notification-detail")
                await pilot.press("escape")
                await pilot.press("escape")

                await pilot.press("a")
                await pilot.pause(0.3)
                await pilot.click("#url")
                await pilot.press(*server.urls["grinder"])
                await pilot.press("ctrl+r")
                await wait(pilot, lambda: "via" in str(
                    app.screen.query_one("#preview").render()), timeout=30)
                await pilot.pause(0.3)
                save(app, out, "add-form-preview")
                await pilot.press("escape")
                await pilot.pause(0.3)

                await pilot.resize_terminal(80, 24)
                await pilot.pause(0.8)
                save(app, out, "dashboard-80x24")
                await pilot.press("n")
                await pilot.pause(0.3)
                await pilot.press("a")
                await pilot.pause(0.8)
                save(app, out, "notifications-80x24")
                await pilot.press("escape")
        finally:
            store.close()
            server.stop()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    sys.exit(asyncio.run(main(parser.parse_args().out)))
