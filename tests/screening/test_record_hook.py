"""Every person entered in a seizure is screened when the seizure commits; its page says so."""

from __future__ import annotations

import pytest

from tests.records.sections import page_with_sections

pytestmark = pytest.mark.django_db


def test_a_watchlisted_driver_is_screened_and_shown_on_the_seizure(
    client, kz_officer, record_seizure, django_capture_on_commit_callbacks
):
    from blonet.screening.models import Hit
    from blonet.screening.services import entry_add, watchlist_create

    watchlist = watchlist_create(
        actor=kz_officer,
        office="kz-kordai-blo",
        data={"name": "Couriers", "kind": "person", "distribution": "national"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry_add(
            actor=kz_officer,
            watchlist=watchlist,
            data={"name": "Курбонов Юсуф", "dob": "1985-03-02", "reason": "courier network"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        seizure = record_seizure(kz_officer)  # driver Qurbonov Yusuf, 1985-03-02
    hits = list(Hit.objects.filter(run__record_id=seizure.pk))
    assert [h.entry.name for h in hits] == ["Курбонов Юсуф"]
    client.force_login(kz_officer)
    page = page_with_sections(client, seizure.get_absolute_url())
    assert 'data-testid="record-hits"' in page
    assert "Курбонов Юсуф" in page
