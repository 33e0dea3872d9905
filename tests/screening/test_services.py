"""The screening write path: lists, entries, checks, hits, dismissed namesakes, audit."""

from __future__ import annotations

import pytest

from blonet.audit.models import AuditEvent
from blonet.core.errors import NotFound, PermissionDenied, ValidationError
from blonet.screening.choices import HitStatus, RunSource
from blonet.screening.models import DismissedPair, Hit, ScreeningRun, Watchlist, WatchlistEntry
from blonet.screening.services import (
    entry_add,
    entry_remove,
    hit_confirm,
    hit_dismiss,
    screen_subject,
    watchlist_create,
)
from tests.screening.conftest import td3_mrz

pytestmark = pytest.mark.django_db


def _names(result):
    return [h.entry.name for h in result.hits]


def test_watchlist_create_audits_and_refuses_a_stranger(directory, analyst, kz_officer):
    wl = watchlist_create(
        actor=analyst,
        office="kz-caricc-rc",
        data={"name": "Couriers", "kind": "person", "distribution": "regional"},
    )
    assert (wl.owner_office_id, wl.owner_country_id, wl.distribution) == (
        "kz-caricc-rc",
        "KZ",
        "regional",
    )
    events = AuditEvent.objects.filter(action="screening.watchlist.created")
    assert [(e.target_id, e.data["kind"]) for e in events] == [(str(wl.pk), "person")]
    with pytest.raises(PermissionDenied):
        watchlist_create(
            actor=kz_officer, office="kz-caricc-rc", data={"name": "X", "kind": "person"}
        )
    assert Watchlist.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        watchlist_create(actor=analyst, office="kz-caricc-rc", data={"name": "", "kind": "boat"})
    assert sorted(exc.value.fields) == ["kind", "name"]


def test_entry_add_validates_and_refuses_duplicates(make_list, add_entry):
    wl = make_list("person")
    entry = add_entry(wl, name="  Курбонов Юсуф ", dob="12.03.1985", nationality="TJK")
    assert (entry.name, entry.dob, entry.nationality) == ("Курбонов Юсуф", "1985-03-12", "TJ")
    assert entry.distribution == "regional"  # from the list
    with pytest.raises(ValidationError) as exc:
        add_entry(wl, name="Курбонов Юсуф", dob="1985-03-12", nationality="TJ")
    assert exc.value.fields == {"name": ["Already on this list."]}
    with pytest.raises(ValidationError) as exc:
        entry_add(
            actor=None,
            watchlist=wl,
            data={"name": "محمد", "dob": "1985-13-40", "nationality": "XX", "reason": ""},
        )
    assert sorted(exc.value.fields) == ["dob", "name", "nationality", "reason"]
    assert WatchlistEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("vehicle", {"plate": "", "vin": ""}, "plate"),
        ("container", {"container_number": "CSQU3054384"}, "container_number"),
        ("phone", {"phone": "12"}, "phone"),
        ("organisation", {"org_name": " «» "}, "org_name"),
        ("document", {"doc_number": "1"}, "doc_number"),
    ],
)
def test_identifier_entries_are_validated(make_list, add_entry, kind, data, field):
    wl = make_list(kind)
    with pytest.raises(ValidationError) as exc:
        add_entry(wl, **data)
    assert list(exc.value.fields) == [field]


def test_single_check_finds_the_cyrillic_entry_from_an_mrz(person_list, kz_officer):
    result = screen_subject(actor=kz_officer, kind="person", data={"name": td3_mrz()})
    assert _names(result) == ["Курбонов Юсуф Абдуллоевич"]
    hit = result.hits[0]
    assert hit.score >= 0.95
    assert hit.explanation[:2] == [
        "family name Курбонов = QURBONOV (Tajik Cyrillic → MRZ)",
        "given name Юсуф = YUSUF (Tajik Cyrillic → MRZ)",
    ]
    assert "DOB 1985-03-12 exact" in hit.explanation
    assert result.query.given["dob"] == "1985-03-12"  # read from the MRZ
    assert result.query.warnings == []
    run = result.run
    assert (run.source, run.office_id, run.hits_count, run.user_id) == (
        RunSource.SINGLE,
        "kz-kordai-blo",
        1,
        kz_officer.pk,
    )
    [event] = AuditEvent.objects.filter(action="screening.check")
    assert event.target_id == str(run.pk)
    assert event.actor_id == kz_officer.pk
    assert event.data["run"] == str(run.pk)
    assert "Курбонов" not in str(event.data) and "QURBONOV" not in str(event.data)


def test_bad_mrz_check_digit_is_reported_and_still_screened(person_list, kz_officer):
    result = screen_subject(actor=kz_officer, kind="person", data={"name": td3_mrz(bad_dob=True)})
    assert _names(result) == ["Курбонов Юсуф Абдуллоевич"]
    assert result.query.warnings == [
        "MRZ check digit of the date of birth is wrong (8, expected 7): check the document; "
        "the holder was screened anyway."
    ]
    assert result.run.issues == result.query.warnings


def test_exact_hits_in_latin_and_namesake_with_other_dob_is_not_a_hit(person_list, kg_officer):
    typed = screen_subject(
        actor=kg_officer,
        kind="person",
        data={"name": "Qurbonov Yusuf", "dob": "1985-03-12", "nationality": "TJ"},
    )
    assert _names(typed) == ["Курбонов Юсуф Абдуллоевич"]
    namesake = screen_subject(
        actor=kg_officer, kind="person", data={"name": "Qurbonov Yusuf", "dob": "1961-07-30"}
    )
    assert _names(namesake) == []
    assert ScreeningRun.objects.count() == 2
    assert AuditEvent.objects.filter(action="screening.check").count() == 2


def test_dismissed_namesake_is_not_alerted_again(person_list, kz_officer, kg_officer):
    query = {"name": "Qurbonov Yusuf", "dob": "1985-03-12", "doc_number": "A1234567"}
    first = screen_subject(actor=kz_officer, kind="person", data=query)
    [hit] = first.hits
    with pytest.raises(ValidationError) as exc:
        hit_dismiss(actor=kz_officer, hit=hit, reason=" ")
    assert list(exc.value.fields) == ["reason"]
    with pytest.raises(PermissionDenied):  # another post does not decide our hit
        hit_dismiss(actor=kg_officer, hit=hit, reason="namesake")
    hit, remembered = hit_dismiss(actor=kz_officer, hit=hit, reason="Other father's name")
    assert remembered is True
    assert (hit.status, hit.decided_by_id) == (HitStatus.DISMISSED, kz_officer.pk)
    assert DismissedPair.objects.filter(entry=hit.entry, fingerprint=hit.fingerprint).count() == 1
    # the same traveller, typed in Cyrillic this time, at another post: not alerted again
    again = screen_subject(
        actor=kg_officer,
        kind="person",
        data={"name": "Курбонов Юсуф", "dob": "1985-03-12", "doc_number": "A 123 4567"},
    )
    assert again.hits == []
    assert [s.entry.pk for s in again.suppressed] == [hit.entry.pk]
    assert again.run.suppressed_count == 1
    # another traveller of that name (another document) is still alerted
    other = screen_subject(
        actor=kz_officer,
        kind="person",
        data={"name": "Qurbonov Yusuf", "dob": "1985-03-12", "doc_number": "B7654321"},
    )
    assert _names(other) == ["Курбонов Юсуф Абдуллоевич"]
    with pytest.raises(ValidationError):
        hit_dismiss(actor=kz_officer, hit=hit, reason="twice")
    assert AuditEvent.objects.filter(action="screening.hit.dismissed").count() == 1


def test_a_bare_name_dismissal_is_not_remembered(person_list, kz_officer):
    [hit] = screen_subject(actor=kz_officer, kind="person", data={"name": "Qurbonov Yusuf"}).hits
    assert hit.fingerprint == ""
    _hit, remembered = hit_dismiss(actor=kz_officer, hit=hit, reason="namesake")
    assert remembered is False
    assert DismissedPair.objects.count() == 0
    again = screen_subject(actor=kz_officer, kind="person", data={"name": "Qurbonov Yusuf"})
    assert _names(again) == ["Курбонов Юсуф Абдуллоевич"]


def test_hit_confirm(person_list, kz_officer):
    [hit] = screen_subject(actor=kz_officer, kind="person", data={"name": td3_mrz()}).hits
    hit_confirm(actor=kz_officer, hit=hit, reason="Passport matches the file photo")
    hit.refresh_from_db()
    assert (hit.status, hit.reason) == (HitStatus.CONFIRMED, "Passport matches the file photo")
    [event] = AuditEvent.objects.filter(action="screening.hit.confirmed")
    assert event.data == {"run": str(hit.run_id), "entry": str(hit.entry_id)}


def test_entries_are_seen_only_where_shared(make_list, add_entry, kz_officer, kg_officer):
    national = make_list("person", office="kz-kordai-blo", name="Kordai", distribution="national")
    add_entry(national, name="Qurbonov Yusuf", dob="1985-03-12")
    bilateral = make_list(
        "person",
        office="kz-kordai-blo",
        name="Kordai–Ak-Zhol",
        distribution="bilateral",
        counterpart_country="KG",
    )
    secret = add_entry(bilateral, name="Qurbonov Yusuf", dob="1985-03-12", nationality="TJ")
    query = {"name": "QURBONOV<<YUSUF", "dob": "1985-03-12"}
    kz = screen_subject(actor=kz_officer, kind="person", data=query)
    assert len(kz.hits) == 2
    kg = screen_subject(actor=kg_officer, kind="person", data=query)
    assert [h.entry_id for h in kg.hits] == [secret.pk]
    # a confidential entry on a shared list is not seen with restricted clearance
    secret.classification = 2
    secret.save()
    assert screen_subject(actor=kg_officer, kind="person", data=query).hits == []


def test_hits_are_seen_by_the_post_with_their_entry(person_list, kz_officer, uz_officer):
    from blonet.screening import selectors

    [hit] = screen_subject(actor=kz_officer, kind="person", data={"name": td3_mrz()}).hits
    assert selectors.hit_get_for(user=kz_officer, pk=hit.pk) == hit
    with pytest.raises(NotFound):
        selectors.hit_get_for(user=uz_officer, pk=hit.pk)
    with pytest.raises(NotFound):
        selectors.hit_get_for(user=kz_officer, pk="not-a-uuid")


def test_removed_and_expired_entries_are_not_hits(person_list, kz_officer):
    import datetime as dt

    entry = WatchlistEntry.objects.get(name__startswith="Курбонов")
    query = {"name": "Qurbonov Yusuf", "dob": "1985-03-12"}
    assert len(screen_subject(actor=kz_officer, kind="person", data=query).hits) == 1
    entry.valid_until = dt.date(2020, 1, 1)
    entry.save()
    assert screen_subject(actor=kz_officer, kind="person", data=query).hits == []
    entry.valid_until = None
    entry.save()
    with pytest.raises(ValidationError):
        entry_remove(actor=None, entry=entry, reason="")
    entry_remove(actor=None, entry=entry, reason="Acquitted")
    assert screen_subject(actor=kz_officer, kind="person", data=query).hits == []
    assert Hit.objects.filter(status=HitStatus.OPEN).count() == 1  # the first check's hit stays


def test_programme_roles_do_not_screen(person_list, make_user):
    viewer = make_user("viewer", office="uz-unodc-roca-hq", role="programme_viewer")
    with pytest.raises(PermissionDenied):
        screen_subject(actor=viewer, kind="person", data={"name": "Qurbonov Yusuf"})
    assert ScreeningRun.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"name": ""}, ["name"]),
        ({"name": "a"}, ["name"]),
        ({"name": "محمد علي"}, ["name"]),
        ({"name": "王小明"}, ["name"]),
        ({"name": "\x00\x07"}, ["name"]),
        ({"name": "Qurbonov", "dob": "yesterday"}, ["dob"]),
        ({"name": "Qurbonov", "dob": "2999-01-01"}, ["dob"]),
        ({"name": "Qurbonov", "nationality": "ZZZ"}, ["nationality"]),
        ({"name": ["list"]}, ["name"]),
        ({"name": "x" * 401}, ["name"]),
    ],
)
def test_garbage_is_refused_with_a_field_message(person_list, kz_officer, data, fields):
    with pytest.raises(ValidationError) as exc:
        screen_subject(actor=kz_officer, kind="person", data=data)
    assert sorted(exc.value.fields) == fields
    assert ScreeningRun.objects.count() == 0


def test_mixed_scripts_and_control_characters_are_screened(person_list, kz_officer):
    # Latin "o" inside Cyrillic, a zero-width space and a bell
    result = screen_subject(
        actor=kz_officer,
        kind="person",
        data={"name": "Курбoнов\u200b Юсуф\x07", "dob": "1985-03-12"},
    )
    assert _names(result) == ["Курбонов Юсуф Абдуллоевич"]
    assert result.query.warnings == ["Control characters were removed from the input."]


@pytest.mark.parametrize(
    ("kind", "entry", "query", "expected"),
    [
        ("vehicle", {"plate": "01 А 123 ВС"}, {"plate": "01A123BC"}, 1.0),
        ("vehicle", {"vin": "WDB9634031L123456"}, {"vin": "wdb9634031l123456"}, 1.0),
        ("container", {"container_number": "CSQU 305438-3"}, {"container": "csqu3054383"}, 1.0),
        ("organisation", {"org_name": "ТОО «Ақ Жол»"}, {"organisation": "Ak Zhol LLP"}, 1.0),
        ("phone", {"phone": "+996 555 123 456"}, {"phone": "0555 123456"}, 0.9),
        ("document", {"doc_number": "AB 1234567"}, {"doc_number": "AB1234567"}, 1.0),
    ],
)
def test_identifier_checks(make_list, add_entry, kz_officer, kind, entry, query, expected):
    wl = make_list(kind)
    add_entry(wl, **entry)
    result = screen_subject(actor=kz_officer, kind=kind, data=query)
    assert [h.score for h in result.hits] == [expected]
    assert result.hits[0].explanation != []
