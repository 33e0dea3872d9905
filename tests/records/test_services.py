"""The write path of records: one row, one audit event, field-level errors, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from blonet.audit.models import AuditEvent
from blonet.core.errors import PermissionDenied, ValidationError
from blonet.records.models import Involvement, Person, Seizure, SeizureItem, Vehicle
from blonet.records.services import (
    entity_create,
    entity_delete,
    entity_update,
    incident_record,
    person_likely_duplicates,
    seizure_delete,
    seizure_record,
    seizure_update,
)
from tests.records.conftest import DEFAULT_ITEMS, seizure_data

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Seizure.objects.count(),
        SeizureItem.objects.count(),
        Person.objects.count(),
        Involvement.objects.count(),
        AuditEvent.objects.count(),
    )


def test_record_writes_the_seizure_items_entities_and_audit(kz_officer, record_seizure):
    before = AuditEvent.objects.count()
    seizure = record_seizure(kz_officer)
    assert seizure.reference.startswith("KZ-2026-")
    assert len(seizure.reference) == len("KZ-2026-") + 8
    assert seizure.owner_office_id == "kz-kordai-blo"
    assert seizure.owner_country_id == "KZ"
    assert seizure.owner_agency_id == seizure.owner_office.agency_id
    assert seizure.version == 1
    assert seizure.total_kg == Decimal("13.300")
    assert seizure.commodities == "hashish heroin"
    assert [a.pk for a in seizure.agencies.all()] == [seizure.owner_office.agency_id]
    items = list(seizure.items.order_by("position"))
    assert [(i.commodity, i.quantity_kg) for i in items] == [
        ("heroin", Decimal("12.500")),
        ("hashish", Decimal("0.800")),
    ]
    links = list(seizure.involvements.order_by("pk"))
    assert [(link.role, link.entity_kind) for link in links] == [
        ("driver", "person"),
        ("used", "vehicle"),
    ]
    person = links[0].person
    assert person.name_latin == "Qurbonov Yusuf"
    assert person.dob_year == 1985
    assert person.distribution == "bilateral"
    assert person.counterpart_country_id == "KG"
    assert links[1].vehicle.plate_normalised == "01KG123ABC"
    actions = list(
        AuditEvent.objects.filter(seq__gt=before).order_by("seq").values_list("action", flat=True)
    )
    assert actions == [
        "records.person.created",
        "records.vehicle.created",
        "records.seizure.recorded",
    ]


def test_route_and_search_text(kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    assert seizure.route == ["AF", "TJ", "KG", "RU"]
    for token in (" route:af ", " qurbonov ", " 01kg123abc ", " heroin ", " scorpion "):
        assert token in seizure.search_text


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([{"commodity": "heroin", "quantity": "-1", "unit": "kg"}], "items[0].quantity"),
        ([{"commodity": "heroin", "quantity": "0", "unit": "kg"}], "items[0].quantity"),
        ([{"commodity": "heroin", "quantity": "abc", "unit": "kg"}], "items[0].quantity"),
        ([{"commodity": "heroin", "quantity": "500", "unit": "t"}], "items[0].quantity"),
        ([{"commodity": "unobtainium", "quantity": "1", "unit": "kg"}], "items[0].commodity"),
        ([{"commodity": "heroin", "quantity": "1", "unit": "bushel"}], "items[0].unit"),
        ([{"commodity": "heroin", "quantity": "1", "unit": "currency"}], "items[0].unit"),
        ([{"commodity": "cash", "quantity": "1000", "unit": "currency"}], "items[0].currency"),
        (
            [{"commodity": "heroin", "quantity": "1", "unit": "kg", "purity": "120"}],
            "items[0].purity",
        ),
        ([], "items"),
    ],
)
def test_bad_items_are_refused_with_the_field(kz_officer, items, field):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        seizure_record(actor=kz_officer, office="kz-kordai-blo", data=seizure_data(), items=items)
    assert field in exc.value.fields
    assert _counts() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": (timezone.now() + dt.timedelta(days=2)).isoformat()}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "1975-01-01 10:00"}, "occurred_at"),
        ({"distribution": "bilateral", "counterpart_country": ""}, "counterpart_country"),
        ({"distribution": "bilateral", "counterpart_country": "KZ"}, "counterpart_country"),
        ({"distribution": "galactic"}, "distribution"),
        ({"handling_codes": ["H3"]}, "handling_conditions"),
        ({"handling_codes": ["H9"]}, "handling_codes"),
        ({"origin_country": "XX"}, "origin_country"),
        ({"transit_countries": ["TJ", "ZZ"]}, "transit_countries"),
        ({"site": "nowhere"}, "site"),
        ({"lat": "95", "lon": "70"}, "lat"),
        ({"lat": "42.9"}, "lon"),
        ({"conveyance": "teleport"}, "conveyance"),
    ],
)
def test_bad_event_fields_are_refused_with_the_field(kz_officer, overrides, field):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        seizure_record(
            actor=kz_officer,
            office="kz-kordai-blo",
            data=seizure_data(**overrides),
            items=DEFAULT_ITEMS,
        )
    assert field in exc.value.fields, exc.value.fields
    assert _counts() == before


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"kind": "container", "role": "used", "data": {"number": "CSQU3054384"}}, "number"),
        (
            {"kind": "account", "role": "owner", "data": {"number": "KZ86125KZT5004100101"}},
            "number",
        ),
        ({"kind": "vehicle", "role": "used", "data": {"vin": "1HGCM82633A00435O"}}, "vin"),
        ({"kind": "vehicle", "role": "used", "data": {"make": "MAN"}}, "plate"),
        (
            {"kind": "person", "role": "driver", "data": {"full_name": "A B", "dob": "1985-13-40"}},
            "dob",
        ),
        ({"kind": "person", "role": "driver", "data": {"full_name": ""}}, "full_name"),
        (
            {"kind": "person", "role": "driver", "data": {"full_name": "A", "nationality": "QQ"}},
            "nationality",
        ),
        ({"kind": "phone", "role": "used", "data": {"number": "12"}}, "number"),
        ({"kind": "spaceship", "role": "used", "data": {}}, "kind"),
        ({"kind": "person", "role": "overlord", "data": {"full_name": "A"}}, "role"),
    ],
)
def test_bad_entities_are_refused_with_the_field(kz_officer, row, field):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        seizure_record(
            actor=kz_officer,
            office="kz-kordai-blo",
            data=seizure_data(),
            items=DEFAULT_ITEMS,
            involvements=[row],
        )
    assert f"involvements[0].{field}" in exc.value.fields, exc.value.fields
    assert _counts() == before


def test_valid_identifiers_pass(kz_officer, record_seizure):
    seizure = record_seizure(
        kz_officer,
        involvements=[
            {"kind": "container", "role": "used", "data": {"number": "CSQU 305438-3"}},
            {"kind": "account", "role": "owner", "data": {"number": "GB82 WEST 1234 5698 7654 32"}},
            {"kind": "phone", "role": "used", "data": {"number": "+996 555 12-34-56"}},
        ],
    )
    container, account, phone = (link.entity for link in seizure.involvements.order_by("pk"))
    assert container.number_normalised == "CSQU3054383"
    assert account.is_iban is True
    assert account.number_normalised == "GB82WEST12345698765432"
    assert phone.number_normalised == "996555123456"


def test_only_staff_of_the_office_may_record(kg_officer, make_user, directory):
    viewer = make_user("viewer", office="uz-unodc-roca-hq", role="programme_viewer")
    for actor, office in ((kg_officer, "kz-kordai-blo"), (viewer, "uz-unodc-roca-hq")):
        before = _counts()
        with pytest.raises(PermissionDenied):
            seizure_record(actor=actor, office=office, data=seizure_data(), items=DEFAULT_ITEMS)
        assert _counts() == before


def test_update_bumps_the_version_keeps_history_and_audits(kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    seizure_update(
        actor=kz_officer,
        seizure=seizure,
        data={"narrative": "Found behind the spare wheel"},
        items=[{"commodity": "heroin", "quantity": "13", "unit": "kg"}],
    )
    seizure.refresh_from_db()
    assert seizure.version == 2
    assert seizure.total_kg == Decimal("13.000")
    assert list(seizure.items.values_list("quantity", flat=True)) == [Decimal("13.000")]
    assert seizure.involvements.count() == 2  # not given: kept
    assert seizure.history.count() == 2
    assert (
        AuditEvent.objects.filter(
            action="records.seizure.updated", target_id=str(seizure.pk)
        ).count()
        == 1
    )


def test_update_by_another_office_is_refused_and_changes_nothing(
    kz_officer, kg_officer, record_seizure
):
    seizure = record_seizure(kz_officer)
    with pytest.raises(PermissionDenied):
        seizure_update(actor=kg_officer, seizure=seizure, data={"narrative": "mine now"})
    seizure.refresh_from_db()
    assert (seizure.version, seizure.narrative) == (1, "")


def test_delete_is_a_tombstone_with_a_reason(kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    with pytest.raises(ValidationError) as exc:
        seizure_delete(actor=kz_officer, seizure=seizure, reason="  ")
    assert "reason" in exc.value.fields
    seizure_delete(actor=kz_officer, seizure=seizure, reason="Entered twice")
    seizure.refresh_from_db()
    assert seizure.is_deleted
    assert (seizure.deleted_reason, seizure.deleted_by, seizure.version) == (
        "Entered twice",
        kz_officer,
        2,
    )
    assert Seizure.objects.filter(pk=seizure.pk).exists()
    assert Seizure.objects.alive().filter(pk=seizure.pk).exists() is False
    with pytest.raises(ValidationError):
        seizure_update(actor=kz_officer, seizure=seizure, data={"narrative": "x"})


def test_linking_an_existing_person_reuses_it(kz_officer, record_seizure):
    first = record_seizure(kz_officer)
    person = first.involvements.get(role="driver").person
    second = record_seizure(
        kz_officer, involvements=[{"kind": "person", "role": "courier", "entity": str(person.pk)}]
    )
    assert second.involvements.get().person == person
    assert Person.objects.count() == 1


def test_a_hidden_entity_cannot_be_linked(kz_officer, uz_officer, record_seizure):
    person = record_seizure(kz_officer).involvements.get(role="driver").person
    with pytest.raises(ValidationError) as exc:
        seizure_record(
            actor=uz_officer,
            office="uz-oybek-blo",
            data=seizure_data(site=None, distribution="national"),
            items=DEFAULT_ITEMS,
            involvements=[{"kind": "person", "role": "driver", "entity": str(person.pk)}],
        )
    assert "involvements[0].entity" in exc.value.fields


def test_entity_update_refreshes_the_search_text_of_its_records(kz_officer, record_seizure):
    seizure = record_seizure(kz_officer)
    vehicle = seizure.involvements.get(role="used").vehicle
    entity_update(actor=kz_officer, entity=vehicle, data={"plate": "777 ABC 02"})
    seizure.refresh_from_db()
    assert " 777abc02 " in seizure.search_text
    assert " 01kg123abc " not in seizure.search_text
    vehicle.refresh_from_db()
    assert (vehicle.version, vehicle.history.count()) == (2, 2)


def test_entity_create_and_delete(kz_officer):
    vehicle = entity_create(
        actor=kz_officer, kind="vehicle", office="kz-kordai-blo", data={"plate": "123 ABC 02"}
    )
    assert isinstance(vehicle, Vehicle)
    assert vehicle.plate_normalised == "123ABC02"
    entity_delete(actor=kz_officer, entity=vehicle, reason="test entry")
    vehicle.refresh_from_db()
    assert vehicle.is_deleted
    assert list(
        AuditEvent.objects.filter(target_id=str(vehicle.pk)).values_list("action", flat=True)
    ) == ["records.vehicle.created", "records.vehicle.deleted"]


def test_likely_duplicates_across_scripts_and_posts(kz_officer, kg_officer, record_seizure):
    record_seizure(kz_officer)  # Qurbonov Yusuf, 1985, bilateral KZ-KG
    found = person_likely_duplicates(user=kg_officer, full_name="Курбонов Юсуф", dob="1985")
    assert [p.full_name for p in found] == ["Qurbonov Yusuf"]
    swapped = person_likely_duplicates(user=kg_officer, full_name="Yusuf QURBONOV")
    assert [p.full_name for p in swapped] == ["Qurbonov Yusuf"]
    assert (
        list(person_likely_duplicates(user=kg_officer, full_name="Курбонов Юсуф", dob="1960")) == []
    )
    assert list(person_likely_duplicates(user=kg_officer, full_name="Алиев Рустам")) == []


def test_incident_without_items(kz_officer):
    incident = incident_record(
        actor=kz_officer,
        office="kz-kordai-blo",
        data={
            "occurred_at": "2026-11-29 03:10",
            "kind": "attempted_crossing",
            "place": "green border 3 km east",
        },
        involvements=[{"kind": "person", "role": "suspect", "data": {"full_name": "Иванов Пётр"}}],
    )
    assert incident.reference.startswith("KZ-2026-")
    assert incident.involvements.get().person.name_latin == "Ivanov Pyotr"
    with pytest.raises(ValidationError) as exc:
        incident_record(
            actor=kz_officer,
            office="kz-kordai-blo",
            data={"occurred_at": "2026-11-29 03:10", "kind": "alien"},
        )
    assert "kind" in exc.value.fields


def test_times_are_taken_in_the_local_time_of_the_office(kz_officer, kg_officer, record_seizure):
    kz = record_seizure(kz_officer, occurred_at="2026-11-30 14:00")
    kg = record_seizure(
        kg_officer,
        office="kg-ak-zhol-blo",
        occurred_at="2026-11-30 14:00",
        counterpart_country="KZ",
    )
    assert kz.occurred_at.astimezone(dt.UTC).hour == 9  # Almaty, UTC+5
    assert kg.occurred_at.astimezone(dt.UTC).hour == 8  # Bishkek, UTC+6


def test_pages_show_the_local_time_of_the_viewer(client, kg_officer):
    from django.utils import timezone as tz

    seen = {}

    def probe(request):
        from django.http import HttpResponse

        seen["zone"] = str(tz.get_current_timezone())
        return HttpResponse("ok")

    from blonet.accounts.middleware import PostingTimeZoneMiddleware

    request = type("R", (), {"user": kg_officer})()
    PostingTimeZoneMiddleware(probe)(request)
    assert seen["zone"] == "Asia/Bishkek"


@pytest.mark.django_db
def test_a_reference_already_taken_is_drawn_again(kz_officer, record_seizure, monkeypatch):
    import uuid

    from blonet.records.services import events

    first = record_seizure(kz_officer)
    taken = first.reference.rsplit("-", 1)[-1].lower()
    draws = iter([uuid.UUID(taken + "0" * 24), uuid.UUID(taken + "0" * 24), uuid.uuid4()])
    monkeypatch.setattr(events.uuid, "uuid4", lambda: next(draws))
    second = record_seizure(kz_officer)
    assert second.reference != first.reference
    assert second.reference.startswith(first.reference.rsplit("-", 1)[0])
    assert next(draws, None) is None  # the taken value was drawn twice, then a free one
