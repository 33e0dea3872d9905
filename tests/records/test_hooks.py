"""Higher contexts hear of saved records on commit, and add sections to a record's page."""

from __future__ import annotations

import pytest

from blonet.records import hooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(hooks, "RECORD_SAVED", [])
    hooks.register_record_saved(
        lambda *, actor, record: calls.append((actor.username, record.reference))
    )
    return calls


def test_handlers_run_after_commit_only(
    kz_officer, record_seizure, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        seizure = record_seizure(kz_officer)
    assert heard == []
    for callback in callbacks:
        callback()
    assert heard == [("kz.officer", seizure.reference)]


def test_a_failing_handler_never_undoes_the_record(
    kz_officer, record_seizure, monkeypatch, django_capture_on_commit_callbacks
):
    from blonet.records.models import Seizure

    def boom(**kwargs):
        raise RuntimeError("listener down")

    monkeypatch.setattr(hooks, "RECORD_SAVED", [boom])
    with django_capture_on_commit_callbacks(execute=True):
        seizure = record_seizure(kz_officer)
    assert Seizure.objects.filter(pk=seizure.pk).exists()


def test_sections_show_on_the_record_page(client, kz_officer, record_seizure, monkeypatch):
    seizure = record_seizure(kz_officer)
    monkeypatch.setattr(
        hooks,
        "RECORD_SECTIONS",
        [
            lambda user, record: {"template": "records/_tombstone.html", "record": record},
            lambda u, r: None,
        ],
    )
    assert len(hooks.record_sections(kz_officer, seizure)) == 1
    client.force_login(kz_officer)
    response = client.get(seizure.get_absolute_url())
    assert response.status_code == 200
