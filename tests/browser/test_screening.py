"""An officer at Kordai pastes a passport MRZ, gets the hit on the Tajik Cyrillic list entry with
its explanation, dismisses the traveller as a namesake, checks again and is not alerted."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from tests.screening.conftest import td3_mrz

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-9"


@pytest.fixture(autouse=True)
def fresh_index():
    from blonet.screening.engine import LIVE

    LIVE.reset()
    yield
    LIVE.reset()


def test_paste_mrz_hit_dismiss_and_not_alerted_again(live_server, live_directory, page):
    from blonet.accounts.models import Posting, User
    from blonet.screening.models import DismissedPair
    from blonet.screening.services import entry_add, watchlist_create

    wl = watchlist_create(
        actor=None,
        office="kz-caricc-rc",
        data={"name": "CARICC couriers", "kind": "person", "distribution": "regional"},
    )
    entry_add(
        actor=None,
        watchlist=wl,
        data={"name": "Курбонов Юсуф Абдуллоевич", "dob": "1985-03-12", "nationality": "TJ",
              "reason": "Courier of 12.5 kg of heroin"},
    )  # fmt: skip
    user = User.objects.create_user("officer.test", password=PASSWORD)
    Posting.objects.create(user=user, office_id="kz-kordai-blo", role="officer")

    page.goto(f"{live_server.url}/screening/")
    page.fill("input[name=login]", "officer.test")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/screening/")

    page.fill("#id_name", td3_mrz())
    page.click("[data-testid=screen]")
    hit = page.locator("[data-testid=hit]")
    expect(hit).to_have_count(1)
    expect(hit.locator("[data-testid=hit-entry]")).to_have_text("Курбонов Юсуф Абдуллоевич")
    explanation = hit.locator("[data-testid=explanation]")
    expect(explanation).to_contain_text(
        "family name Курбонов = QURBONOV (Tajik Cyrillic → ICAO MRZ)"
    )
    expect(explanation).to_contain_text("date of birth 1985-03-12 exact")
    expect(page.locator("[data-testid=mrz]")).to_contain_text("A12345678")

    # dismissing needs a reason
    hit.locator("[data-testid=dismiss]").click()
    expect(page.locator("[data-testid=hit-error]")).to_contain_text("Say why")
    page.fill("[data-testid=hit-reason]", "Namesake: other father, other birthplace")
    page.locator("[data-testid=dismiss]").click()
    expect(page.locator("[data-testid=hit]")).to_have_attribute("data-status", "dismissed")
    expect(page.locator("[data-testid=remembered]")).to_be_visible()
    assert DismissedPair.objects.count() == 1

    # the same passport again: no alert, the known namesake is named
    page.click("[data-testid=screen]")
    expect(page.locator("[data-testid=no-hit]")).to_be_visible()
    expect(page.locator("[data-testid=suppressed]")).to_contain_text("Курбонов Юсуф Абдуллоевич")
    expect(page.locator("[data-testid=hit]")).to_have_count(0)
