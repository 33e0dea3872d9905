"""A seizure's page offers the one-click notification across the border."""

from __future__ import annotations

import pytest

from tests.records.sections import page_with_sections

pytestmark = pytest.mark.django_db


def test_the_seizure_page_offers_the_notification(client, kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    client.force_login(kz_officer)
    page = page_with_sections(client, seizure.get_absolute_url())
    assert f'href="/exchange/seizures/{seizure.pk}/notify/"' in page


def test_not_on_a_deleted_seizure(client, kz_officer, record_seizure):
    from blonet.records.services import seizure_delete

    seizure = record_seizure(kz_officer)
    seizure_delete(actor=kz_officer, seizure=seizure, reason="entered twice")
    client.force_login(kz_officer)
    page = page_with_sections(client, seizure.get_absolute_url())
    assert "/notify/" not in page
