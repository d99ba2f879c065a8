"""The TUI's "send a test email" action: real SMTP server, real app, toast with the outcome."""

from __future__ import annotations

from tests.servers.smtp import SmtpTestServer
from tests.ui.helpers import screen_text, wait_for
from tui_tracker.engine.engine import Engine
from tui_tracker.engine.local import LocalEngine
from tui_tracker.store.repository import Store
from tui_tracker.ui.app import TrackerApp


async def test_test_email_is_sent_and_confirmed(data_dir) -> None:
    smtp = SmtpTestServer().start()
    try:
        settings = smtp.settings(smtp_tls="none", notify_to=["me@example.com"])
        store = Store.open(data_dir)
        app = TrackerApp(LocalEngine(Engine(store, settings)), settings=settings)
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await pilot.press("t")
            await wait_for(pilot, lambda: smtp.messages, "the test mail")
            assert smtp.received[0].rcpt_tos == ["me@example.com"]
            await wait_for(pilot, lambda: "Test email" in screen_text(app), "the toast")
        store.close()
    finally:
        smtp.stop()


async def test_test_email_failure_is_one_sentence_in_a_toast(make_app) -> None:
    app = make_app()  # settings without an SMTP host
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("t")
        await wait_for(pilot, lambda: "not configured" in screen_text(app), "the error toast")
        assert app.is_running
