"""Log in with MFA, open the map, find the Kordai BLO and its counterpart, in two languages."""

from __future__ import annotations

import pytest
from tests.helpers import totp_code

pytestmark = pytest.mark.browser


def test_login_with_mfa_then_map_finds_kordai_and_counterpart(
    live_server, live_directory, page, settings
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from blonet.accounts.models import Posting, User

    settings.BLONET_REQUIRE_MFA = True
    user = User.objects.create_user("analyst.test", password="correct-horse-battery-9")
    Posting.objects.create(user=user, office_id="kz-caricc-rc", role="analyst")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    page.goto(f"{live_server.url}/")
    page.fill("input[name=login]", "analyst.test")
    page.fill("input[name=password]", "correct-horse-battery-9")
    page.press("input[name=password]", "Enter")  # keyboard only
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", "123456" if totp_code(secret) != "123456" else "654321")
    page.press("input[name=code]", "Enter")
    assert page.locator("input[name=code]").is_visible()  # a wrong code keeps us out
    page.fill("input[name=code]", totp_code(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert "Welcome" in page.inner_text("h1")

    page.click("nav >> text=Map")
    page.wait_for_selector("#map[data-ready=true]")
    assert int(page.get_attribute("#map", "data-pair-count")) >= 6
    assert page.locator("path.counterpart-link").count() >= 6
    page.fill("#map-q", "Kordai")
    page.press("#map-q", "Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Kordai BLO" in popup.inner_text()
    link = popup.locator("a", has_text="Kordai BLO")
    assert (link.get_attribute("href") or "").endswith("/directory/offices/kz-kordai-blo/")
    # The map pans to show the popup. A click while it moves can land on the map beside the
    # link, which closes the popup and opens nothing (three CI runs out of seven): click once
    # the link has stopped moving.
    page.wait_for_function(
        """() => new Promise((done) => {
            const link = document.querySelector(".leaflet-popup-content a");
            if (!link) return done(false);
            const a = link.getBoundingClientRect();
            setTimeout(() => {
                const b = link.getBoundingClientRect();
                done(a.x === b.x && a.y === b.y);
            }, 400);
        })"""
    )
    link.click()
    page.wait_for_url("**/directory/offices/kz-kordai-blo/", timeout=30_000)
    counterpart = page.locator("[data-testid=counterparts]")
    assert "Ak-Zhol" in counterpart.inner_text()

    page.select_option("#language", "ru")
    page.wait_for_load_state()
    assert "Партнёр" in page.inner_text(
        "[data-testid=counterparts]"
    ) or "Ак-Жол" in page.inner_text("[data-testid=counterparts]")
    page.goto(f"{live_server.url}/directory/offices/?q=Кордай")
    assert page.locator("[data-testid=result-count]").inner_text().startswith("1")
