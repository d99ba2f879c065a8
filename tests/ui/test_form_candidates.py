"""The add form lists a price page's candidates after a preview; picking one fills the
selector, and the saved monitor then reads that amount."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.helpers import screen_text, wait_for
from tui_tracker.ui.screens.form import MonitorForm
from tui_tracker.ui.widgets.candidates import CandidateList


async def test_preview_lists_candidates_and_picking_one_fills_the_selector(site, make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, MonitorForm)
        form.query_one("#url", Input).value = site.url("/lantern.html")
        await pilot.press("ctrl+r")
        listed = form.query_one(CandidateList)
        await wait_for(pilot, lambda: listed.display and listed.option_count == 2,
                       "the candidates after the preview")
        text = screen_text(app)
        assert "could each be the price" in text
        assert "$24.00" in text and "span.price.price-b" in text
        listed.focus()
        listed.highlighted = 1  # the second amount, $24.00
        await pilot.press("enter")
        selector = form.query_one("#selector", Input)
        await wait_for(pilot, lambda: selector.value == "span.price.price-b",
                       "the picked selector in the Selector field")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "from selector" in screen_text(app),
                       "a preview through the picked selector")
        assert "$24.00" in screen_text(app)
