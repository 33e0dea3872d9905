"""An officer at Kordai records a seizure with the keyboard, finds it by the driver's name typed in
the other script, edits it and sees the history; the same driver, typed again, is offered and
linked instead of recorded twice."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-9"


def test_record_find_edit_and_history_of_a_seizure(live_server, live_directory, page):
    from blonet.accounts.models import Posting, User
    from blonet.records.models import Person, Seizure
    from blonet.records.services import seizure_record

    user = User.objects.create_user("officer.test", password=PASSWORD, display_name="Officer Test")
    Posting.objects.create(user=user, office_id="kz-kordai-blo", role="officer")

    page.goto(f"{live_server.url}/")
    page.fill("input[name=login]", "officer.test")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")

    # From the home page to the form, by keyboard.
    page.focus("[data-testid=register] >> text=Record a seizure")
    page.keyboard.press("Enter")
    page.wait_for_url("**/records/seizures/new/")
    assert page.input_value("#id_site") == "kz-kordai-bcp"  # from the posting
    assert page.input_value("#id_owner_office") == "kz-kordai-blo"
    assert page.input_value("#id_distribution") == "national"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page.input_value("#id_occurred_at"))

    keyboard = page.keyboard
    page.focus("#id_conveyance")
    keyboard.type("Truck")
    keyboard.press("Tab")  # how detected
    keyboard.type("X-ray")
    assert page.input_value("#id_conveyance") == "truck"
    assert page.input_value("#id_detection_method") == "scanner"

    # The first item row is there; the second comes from "Add an item".
    page.focus("#id_items-0-commodity")
    keyboard.type("Heroin")
    keyboard.press("Tab")
    keyboard.type("12.5")
    page.focus("[data-testid=add-item]")
    keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_items-1-commodity"
    keyboard.type("Hashish")
    keyboard.press("Tab")
    keyboard.type("800")
    keyboard.press("Tab")
    keyboard.type("g")
    assert page.input_value("#id_items-1-unit") == "g"

    # A driver and the truck.
    page.focus("[data-testid=add-person]")
    keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_involvements-0-person_full_name"
    keyboard.press("Shift+Tab")  # the role
    keyboard.type("Driver")
    keyboard.press("Tab")
    keyboard.type("Qurbonov Yusuf")
    keyboard.press("Tab")
    keyboard.type("1985-03-02")
    keyboard.press("Tab")
    keyboard.type("TJ")
    assert page.input_value("#id_involvements-0-role") == "driver"
    page.focus("[data-testid=add-vehicle]")
    keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_involvements-1-vehicle_plate"
    keyboard.type("01 KG 123 ABC")
    keyboard.press("Tab")
    keyboard.type("KG")
    keyboard.press("Tab")
    keyboard.type("Volvo")
    assert not page.locator("#id_involvements-1-person_full_name").is_visible()
    keyboard.press("Enter")  # submits the form

    page.wait_for_url(re.compile(r".*/records/seizures/[0-9a-f-]{36}/$"))
    seizure = Seizure.objects.get()
    assert seizure.items.count() == 2
    assert seizure.involvements.count() == 2
    assert f"Seizure {seizure.reference} is recorded." in page.inner_text("main")
    items = page.locator("[data-testid=items] tbody tr")
    assert items.count() == 2
    assert "Heroin" in items.nth(0).inner_text()
    assert "12.5 kg" in items.nth(0).inner_text()
    assert "800 g" in items.nth(1).inner_text()
    links = page.inner_text("[data-testid=links]")
    assert "Driver" in links
    assert "Qurbonov Yusuf" in links
    assert "01 KG 123 ABC" in links
    # The sections other contexts add come after the page (htmx) and leave no placeholder.
    expect(page.locator("[data-testid=exchange-section]")).to_contain_text(
        "Notify across the border"
    )
    expect(page.locator("[data-testid=section-placeholder]")).to_have_count(0)

    # Found in the list by the driver's name, typed in Cyrillic, among others.
    seizure_record(
        actor=user,
        office="kz-kordai-blo",
        data={"occurred_at": "2026-11-02 10:00", "conveyance": "bus"},
        items=[{"commodity": "opium", "quantity": "3", "unit": "kg"}],
        involvements=[{"kind": "person", "role": "courier", "data": {"full_name": "Ivanov Petr"}}],
    )
    page.click("nav >> text=Seizures")
    page.wait_for_url("**/records/seizures/")
    expect(page.locator("[data-testid=result-count]")).to_have_text("2 results")
    page.focus("#id_q")
    keyboard.type("Курбонов")
    # htmx swaps the rows and pushes the query into the address (no page load)
    expect(page.locator("[data-testid=result-count]")).to_have_text("1 result")
    expect(page).to_have_url(re.compile(r"\?q=%D0%9A%D1%83%D1%80%D0%B1%D0%BE%D0%BD%D0%BE%D0%B2&"))
    page.locator("#rows a", has_text=seizure.reference).click()
    page.wait_for_url(f"**{seizure.get_absolute_url()}")

    # Edit: another conveyance and quantity; the history shows both versions.
    page.click("[data-testid=edit]")
    page.wait_for_url("**/edit/")
    assert page.locator("[data-testid=linked-entity]").first.is_visible()
    page.focus("#id_conveyance")
    keyboard.type("Bus")
    page.fill("#id_items-0-quantity", "13")
    page.focus("#id_items-0-quantity")
    keyboard.press("Enter")
    page.wait_for_url(f"**{seizure.get_absolute_url()}")
    assert f"Seizure {seizure.reference} is saved as version 2." in page.inner_text("main")
    entries = page.locator("[data-testid=history-entry]")
    assert entries.count() == 2
    newest = entries.nth(0).inner_text()
    assert "Version 2" in newest
    assert "Officer Test" in newest
    assert "Truck → Bus" in newest
    assert "Version 1" in entries.nth(1).inner_text()
    assert page.inner_text("[data-testid=version]") == "2"

    # The same driver at the next crossing: offered while typing, linked instead of re-entered.
    person = seizure.involvements.get(role="driver").person
    page.goto(f"{live_server.url}/records/seizures/new/")
    page.focus("#id_items-0-commodity")
    keyboard.type("Opium")
    keyboard.press("Tab")
    keyboard.type("2")
    page.focus("[data-testid=add-person]")
    keyboard.press("Enter")
    keyboard.type("Курбонов Юсуф")
    offer = page.locator("#involvements-0-duplicates [data-testid=duplicates]")
    expect(offer).to_contain_text("Possibly already recorded:")
    expect(offer).to_contain_text("Qurbonov Yusuf")
    offer.locator("button", has_text="Use this person").focus()
    keyboard.press("Enter")
    expect(page.locator("[data-testid=linked-entity]")).to_contain_text("Qurbonov Yusuf")
    assert page.input_value("input[name=involvements-0-entity]") == str(person.pk)
    assert not page.locator("#id_involvements-0-person_full_name").is_visible()
    page.click("[data-testid=save]")
    page.wait_for_url(re.compile(r".*/records/seizures/[0-9a-f-]{36}/$"))
    third = Seizure.objects.order_by("-created_at").first()
    assert third.involvements.get().person_id == person.pk
    assert Person.objects.filter(full_name__startswith="Qurbonov").count() == 1


def test_the_offer_keeps_the_focus_when_a_late_answer_replaces_it(
    live_server, live_directory, page
):
    """Leaving the name field for "Use this person" fires the field's change event; its answer
    replaces the offer while the officer is on the button, and Enter must still link."""
    from blonet.accounts.models import Posting, User
    from blonet.records.services import seizure_record

    user = User.objects.create_user("officer.test", password=PASSWORD, display_name="Officer Test")
    Posting.objects.create(user=user, office_id="kz-kordai-blo", role="officer")
    seizure_record(
        actor=user, office="kz-kordai-blo", data={"occurred_at": "2026-11-02 10:00"},
        items=[{"commodity": "opium", "quantity": "3", "unit": "kg"}],
        involvements=[{"kind": "person", "role": "driver",
                       "data": {"full_name": "Qurbonov Yusuf"}}],
    )  # fmt: skip
    page.goto(f"{live_server.url}/")
    page.fill("input[name=login]", "officer.test")
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/records/seizures/new/")
    page.focus("[data-testid=add-person]")
    page.keyboard.press("Enter")
    page.keyboard.type("Курбонов Юсуф")
    offer = page.locator("#involvements-0-duplicates [data-testid=duplicates]")
    expect(offer).to_contain_text("Qurbonov Yusuf")
    button = offer.locator("button", has_text="Use this person")
    with page.expect_response(lambda r: "duplicates" in r.url):
        button.focus()  # the name field's change event asks again
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(100)  # htmx settles the swap after the answer
    assert page.evaluate("document.activeElement.textContent.trim()") == "Use this person"
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid=linked-entity]")).to_contain_text("Qurbonov Yusuf")
