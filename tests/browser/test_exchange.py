"""Issue 4's flow in two browser contexts: the Kordai officer (English) sends a vehicle alert and
a request for information to Ak-Zhol; the Ak-Zhol officer (Russian UI) sees them arrive without
reloading, acknowledges the alert and answers the request before its deadline; the Kordai
officer sees the answer arrive, then the thread with the measured response time."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from tests.browser.conftest import CHROMIUM_ARGS

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery-9"
KORDAI, AK_ZHOL = "kz-kordai-blo", "kg-ak-zhol-blo"


@pytest.fixture
def serial_live_server(transactional_db) -> Iterator[str]:
    """A live server whose requests run one at a time when the test database is an in-memory
    SQLite one: its threads then share one connection, and two pages polling at once would
    collide on it ("database table is locked"). On PostgreSQL requests run in parallel."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}

    class Thread(LiveServerThread):
        def _create_server(self, connections_override: Any = None) -> Any:
            server = super()._create_server(connections_override)
            if shared:
                app, lock = server.get_app(), threading.Lock()

                def one_at_a_time(environ: Any, start_response: Any) -> Any:
                    with lock:
                        return list(app(environ, start_response))

                server.set_app(one_at_a_time)
            return server

    thread = Thread("127.0.0.1", static_handler=StaticFilesHandler, connections_override=shared)
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}/")


def _watch(page, errors: list[str]) -> None:
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )


def test_alert_and_rfi_answered_across_the_border(serial_live_server, live_directory, monkeypatch):
    from playwright.sync_api import sync_playwright

    from blonet.accounts.models import Posting, User
    from blonet.exchange.models import Message, Recipient

    for username, office in (("officer.kordai", KORDAI), ("officer.akzhol", AK_ZHOL)):
        user = User.objects.create_user(username, password=PASSWORD)
        Posting.objects.create(user=user, office_id=office, role="officer")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = serial_live_server
    errors: list[str] = []
    expected = (dt.datetime.now() + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        kz = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        kg = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
        for context in (kz, kg):
            context.set_default_timeout(15_000)
        kz_page, kg_page = kz.new_page(), kg.new_page()
        _watch(kz_page, errors)
        _watch(kg_page, errors)
        _login(kz_page, base, "officer.kordai")
        _login(kg_page, base, "officer.akzhol")

        # Ak-Zhol keeps its inbox open, in Russian.
        kg_page.goto(f"{base}/exchange/")
        kg_page.wait_for_url(f"**/exchange/inbox/{AK_ZHOL}/")
        assert kg_page.get_attribute("html", "lang") == "ru"
        assert kg_page.locator("[data-testid=inbox-row]").count() == 0
        kg_page.evaluate("window.__stillTheSamePage = 'yes'")

        # Kordai: a vehicle alert to the counterpart, in one click from the inbox.
        kz_page.goto(f"{base}/exchange/")
        kz_page.click("[data-testid=quick-alert]")
        kz_page.wait_for_selector("input[name=s_plate]")
        assert kz_page.locator(f"select[name=recipients] option[value={AK_ZHOL}]").evaluate(
            "o => o.selected"
        )
        kz_page.fill("input[name=s_plate]", "01 KG 123 ABC")
        kz_page.fill("input[name=s_driver]", "Qurbonov Yusuf")
        kz_page.select_option("select[name=s_commodity]", "heroin")
        kz_page.fill("input[name=s_expected_at]", expected)
        kz_page.fill("input[name=subject]", "MAN truck towards Ak-Zhol")
        kz_page.fill("textarea[name=body]", "Driver nervous at the scanner <check the trailer>.")
        sent_alert = time.monotonic()
        kz_page.click("[data-testid=send]")
        kz_page.wait_for_url("**/exchange/threads/**")

        # Ak-Zhol sees it arrive, without reloading.
        kg_page.wait_for_selector("[data-testid=inbox-row][data-kind=alert]", timeout=10_000)
        alert_seen_after = time.monotonic() - sent_alert
        assert kg_page.evaluate("window.__stillTheSamePage") == "yes"

        # Kordai: a request for information, urgent (due in 3 days by default).
        kz_page.goto(f"{base}/exchange/")
        kz_page.click("[data-testid=quick-rfi]")
        kz_page.wait_for_selector("input[name=s_full_name]")
        kz_page.fill("input[name=s_full_name]", "Qurbonov Yusuf")
        kz_page.fill("input[name=s_dob]", "1985-03-02")
        kz_page.fill("input[name=subject]", "Driver check before the post")
        kz_page.fill("textarea[name=body]", "Is the driver known to you?")
        kz_page.click("[data-testid=send]")
        kz_page.wait_for_url("**/exchange/threads/**")
        kz_page.goto(f"{base}/exchange/")

        kg_page.wait_for_selector("[data-testid=inbox-row][data-kind=rfi]", timeout=10_000)
        assert kg_page.evaluate("window.__stillTheSamePage") == "yes"
        assert kg_page.inner_text("[data-testid=count-mine]") == "1"

        # Ak-Zhol opens the alert: the driver's name also in Cyrillic; acknowledges.
        kg_page.click("[data-testid=inbox-row][data-kind=alert] a")
        kg_page.wait_for_selector("[data-testid=structured]")
        assert "(Курбонов Юсуф)" in kg_page.inner_text("[data-testid=structured]")
        assert "<check the trailer>" in kg_page.inner_text("[data-testid=body]")
        kg_page.click("[data-testid=acknowledge]")
        kg_page.wait_for_selector("[data-testid=acknowledge]", state="detached")
        assert kg_page.inner_text(f"[data-testid=ack-{AK_ZHOL}]") != "—"

        # Ak-Zhol answers the request.
        kg_page.goto(f"{base}/exchange/inbox/{AK_ZHOL}/?tab=mine")
        kg_page.click("[data-testid=inbox-row][data-kind=rfi] a")
        kg_page.fill(
            "[data-testid=answer-form] textarea[name=body]", "Известен: изъятие в 2025 году."
        )
        kg_page.click("[data-testid=send-answer]")
        kg_page.wait_for_selector("[data-testid=message][data-kind=answer]")

        # Kordai's open inbox shows the answer arrive; the thread shows the response time.
        kz_page.wait_for_selector("[data-testid=inbox-row][data-kind=answer]", timeout=10_000)
        kz_page.click("[data-testid=inbox-row][data-kind=answer] a")
        kz_page.wait_for_selector("[data-testid=message][data-kind=answer]")
        assert "Известен: изъятие в 2025 году." in kz_page.inner_text(
            "[data-testid=message][data-kind=answer]"
        )
        assert "on time" in kz_page.inner_text(f"[data-testid=response-{AK_ZHOL}]")

        kz.close()
        kg.close()
        browser.close()

    rfi = Message.objects.get(kind="rfi")
    receipt = Recipient.objects.get(message=rfi)
    assert receipt.answered_at is not None and receipt.answered_at <= rfi.due_at
    assert Recipient.objects.get(message__kind="alert").acknowledged_at is not None
    assert alert_seen_after < 10  # the 2 s figure is bench/exchange_inbox.py's, on an idle server
    assert errors == [], f"browser errors: {errors}"
