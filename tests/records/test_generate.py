"""`records_generate`: deterministic, realistic, and the same derived fields as the services."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from blonet.audit.models import AuditEvent
from blonet.core.listing import CappedPagination, CappedPaginator
from blonet.records import normalise
from blonet.records.filters import SeizureFilter
from blonet.records.generate import ACTION, generate
from blonet.records.generate.entities import name_forms
from blonet.records.generate.names import uz_to_cyrillic
from blonet.records.generate.profiles import commodity_weights
from blonet.records.generate.run import spread
from blonet.records.models import (
    BankAccount,
    Container,
    Document,
    Incident,
    Involvement,
    Organisation,
    Person,
    Phone,
    Seizure,
    SeizureItem,
    Vehicle,
)
from blonet.records.search import _name_forms, search_q
from blonet.records.selectors import entity_appearances, seizure_list_visible_to
from blonet.records.services import entity_update, seizure_update
from blonet.screening.matching.plates import guess_plate_country

pytestmark = pytest.mark.django_db

N = 200
SEED = 11
UNTIL = dt.date(2026, 11, 30)
ALPHA3 = {"UZ": "UZB", "KZ": "KAZ", "KG": "KGZ", "TJ": "TJK", "RU": "RUS", "TM": "TKM"}
PHONE_CODES = {
    "KZ": "+7 7", "RU": "+7 9", "KG": "+996 ", "TJ": "+992 ", "UZ": "+998 ", "TM": "+993 ",
    "AF": "+93 ",
}  # fmt: skip
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")


@pytest.fixture
def generated(directory):
    return generate(seizures=N, seed=SEED, until=UNTIL)


def _snapshot() -> tuple[list[tuple[str, str]], list[str], list[str]]:
    refs = sorted(Seizure.objects.values_list("reference", "id"))
    names = sorted(Person.objects.values_list("full_name", flat=True))
    plates = sorted(Vehicle.objects.values_list("plate", flat=True))
    return [(r, str(i)) for r, i in refs], names, plates


def test_counts_and_one_audit_event(generated):
    assert generated.skipped is False
    assert Seizure.objects.count() == N
    assert Incident.objects.count() == N // 10
    items = SeizureItem.objects.count()
    assert 1.15 * N <= items <= 1.45 * N
    links = Involvement.objects.filter(seizure__isnull=False).count()
    assert 1.2 * N <= links <= 1.8 * N
    assert generated.counts["seizure"] == N
    assert generated.counts["item"] == items
    events = list(AuditEvent.objects.filter(action=ACTION))
    assert len(events) == 1
    assert events[0].data["seed"] == SEED
    assert events[0].data["seizure"] == N
    assert events[0].data["incident"] == N // 10
    assert not AuditEvent.objects.exclude(action=ACTION).filter(action__startswith="records.")
    assert not Seizure.history.exists()
    assert not Person.history.exists()


def test_same_seed_same_records(directory):
    with transaction.atomic():
        generate(seizures=N, seed=SEED, until=UNTIL)
        first = _snapshot()
        transaction.set_rollback(True)
    assert Seizure.objects.count() == 0
    generate(seizures=N, seed=SEED, until=UNTIL)
    assert _snapshot() == first
    assert len(first[0]) == N


def test_another_seed_other_records(directory):
    generate(seizures=50, seed=1, until=UNTIL)
    one = set(Seizure.objects.values_list("reference", flat=True))
    generate(seizures=50, seed=2, until=UNTIL)
    assert Seizure.objects.count() == 100
    assert len(one & set(Seizure.objects.exclude(reference__in=one).values_list(
        "reference", flat=True))) == 0  # fmt: skip


def test_rerun_with_the_same_seed_adds_nothing(generated):
    before = (Seizure.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    again = generate(seizures=N, seed=SEED, until=UNTIL)
    assert again.skipped is True
    assert (Seizure.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


def test_command_says_when_it_skips(directory):
    out = StringIO()
    call_command("records_generate", "--seizures", "30", "--seed", "4", stdout=out)
    assert "seed 4: 30 seizures" in out.getvalue()
    out = StringIO()
    call_command("records_generate", "--seizures", "30", "--seed", "4", stdout=out)
    assert "seed 4 was generated before; nothing to do" in out.getvalue()
    assert Seizure.objects.count() == 30


def test_references_owner_and_period(generated):
    now = timezone.now()
    for s in Seizure.objects.select_related("owner_office"):
        local = timezone.localtime(s.occurred_at)
        assert re.fullmatch(rf"{s.owner_country_id}-{local:%Y}-[0-9A-F]{{8}}", s.reference)
        assert s.owner_agency_id == s.owner_office.agency_id
        assert s.owner_country_id == s.owner_office.country_id
        assert s.occurred_at <= now
        assert s.created_at >= s.occurred_at
        assert local.date() >= UNTIL - dt.timedelta(days=5 * 366)
        assert local.date() <= UNTIL
    countries = Counter(Seizure.objects.values_list("owner_country_id", flat=True))
    assert set(countries) == {"KZ", "KG", "TJ", "TM", "UZ"}
    levels = Counter(Seizure.objects.values_list("distribution", flat=True))
    assert levels.most_common(1)[0][0] == "national"
    assert {"bilateral", "regional"} <= set(levels)
    for s in Seizure.objects.filter(distribution="bilateral"):
        assert s.counterpart_country_id not in (None, s.owner_country_id)


def test_both_scripts_and_the_right_one_per_nationality(generated):
    rows = list(Person.objects.values_list("full_name", "nationality"))
    for name, nationality in rows:
        if nationality in ("TJ", "KZ", "KG", "RU"):
            assert CYRILLIC.search(name) and not LATIN.search(name), name
        elif nationality in ("TM", "AF"):
            assert LATIN.search(name) and not CYRILLIC.search(name), name
    nationalities = {n for _name, n in rows}
    assert {"TJ", "UZ", "KZ", "KG"} <= nationalities
    assert any("oʻgʻli" in n or "ўғли" in n or "qizi" in n for n, _ in rows)
    assert any(CYRILLIC.search(n) for n, _ in rows)
    assert any(LATIN.search(n) for n, _ in rows)


def test_plates_phones_containers_accounts_in_their_formats(generated):
    vehicles = list(Vehicle.objects.all())
    assert vehicles
    for v in vehicles:
        assert guess_plate_country(v.plate) == ALPHA3[v.country], v.plate
    for ph in Phone.objects.all():
        assert ph.number.startswith(PHONE_CODES[ph.country]), ph.number
    for c in Container.objects.all():
        number, problem = normalise.normalise_container(c.number)
        assert (number, problem) == (c.number_normalised, "")
    for a in BankAccount.objects.filter(is_iban=True):
        assert normalise.iban_problem(a.number) == ""


def test_networks_recur_across_countries(generated, make_user):
    analyst = make_user("analyst.gen", office="kz-caricc-rc", role="analyst")
    recurring = []
    for person in Person.objects.filter(distribution="regional"):
        countries = set(
            Seizure.objects.filter(involvements__person=person).values_list(
                "owner_country_id", flat=True
            )
        )
        if len(countries) >= 2:
            recurring.append(person)
    assert len(recurring) >= 3
    # What the entity page of the regional analyst shows: appearances in several countries.
    shown = [
        {s.owner_country_id for s in entity_appearances(user=analyst, entity=p)["seizures"]}
        for p in recurring
    ]
    assert max(len(countries) for countries in shown) >= 2
    vehicles = [
        v for v in Vehicle.objects.filter(distribution="regional")
        if Seizure.objects.filter(involvements__vehicle=v).count() >= 2
    ]  # fmt: skip
    assert vehicles


def _event_data(s: Seizure) -> dict:
    return {
        "occurred_at": s.occurred_at, "site": s.site_id, "office": s.office_id, "lat": s.lat,
        "lon": s.lon, "place": s.place, "narrative": s.narrative,
        "detection_method": s.detection_method, "concealment": s.concealment,
        "concealment_detail": s.concealment_detail, "conveyance": s.conveyance,
        "origin_country": s.origin_country, "transit_countries": s.transit_countries,
        "destination_country": s.destination_country, "distribution": s.distribution,
        "counterpart_country": s.counterpart_country_id, "handling_codes": s.handling_codes,
        "handling_conditions": s.handling_conditions,
        "source_reliability": s.source_reliability,
        "information_accuracy": s.information_accuracy, "classification": s.classification,
    }  # fmt: skip


def _item_data(item: SeizureItem) -> dict:
    return {
        "commodity": item.commodity, "quantity": item.quantity, "unit": item.unit,
        "currency": item.currency, "purity": item.purity, "packaging": item.packaging,
        "markings": item.markings,
    }  # fmt: skip


DERIVED = ("search_text", "total_kg", "commodities", "reference", "owner_agency_id")


def test_generated_seizures_pass_seizure_update_unchanged(generated):
    seizures = list(Seizure.objects.order_by("reference")[:40])
    for s in seizures:
        before = {f: getattr(s, f) for f in DERIVED}
        items = list(s.items.order_by("position"))
        before_items = [(i.commodity, i.quantity_kg, i.quantity_units) for i in items]
        links = [
            {"kind": link.entity_kind, "role": link.role, "entity": link.entity}
            for link in s.involvements.order_by("pk")
        ]
        seizure_update(
            actor=None,
            seizure=s,
            data=_event_data(s),
            items=[_item_data(i) for i in items],
            involvements=links,
        )
        s.refresh_from_db()
        assert {f: getattr(s, f) for f in DERIVED} == before, s.reference
        after_items = [
            (i.commodity, i.quantity_kg, i.quantity_units) for i in s.items.order_by("position")
        ]
        assert after_items == before_items


ENTITY_DERIVED = {
    Person: ("search_text", "name_latin", "name_keys", "dob", "dob_year"),
    Vehicle: ("search_text", "plate_normalised", "vin"),
    Organisation: ("search_text", "name_key"),
    Phone: ("search_text", "number_normalised"),
    Document: ("search_text", "number_normalised"),
    Container: ("search_text", "number_normalised"),
    BankAccount: ("search_text", "number_normalised", "is_iban"),
}


def test_generated_entities_pass_entity_update_unchanged(generated):
    for model, fields in ENTITY_DERIVED.items():
        rows = list(model.objects.order_by("pk")[:30])
        if model in (Person, Vehicle, Phone):
            assert rows, model
        for entity in rows:
            before = {f: getattr(entity, f) for f in fields}
            entity_update(actor=None, entity=entity, data={})
            entity.refresh_from_db()
            assert {f: getattr(entity, f) for f in fields} == before, entity.pk


_TJ_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшыэюяғӣқӯҳҷ"
_TJ_LATIN_SPELLINGS = (
    "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh y e yu ya gh i q u h j"
)
_TJ_LATIN = dict(zip(_TJ_CYRILLIC, _TJ_LATIN_SPELLINGS.split(" "), strict=True))


def _tajik_latin(word: str) -> str:
    out = "".join(_TJ_LATIN.get(ch, "") for ch in word.lower())
    return out.capitalize()


def test_a_person_is_found_by_the_name_in_the_other_script(generated):
    tajik = Person.objects.filter(nationality="TJ").order_by("pk").first()
    latin = _tajik_latin(tajik.family_name)
    assert LATIN.fullmatch(latin[0])
    assert tajik in Person.objects.filter(search_q(latin))
    seizures = Seizure.objects.filter(involvements__person=tajik)
    assert set(seizures) <= set(Seizure.objects.filter(search_q(f"{latin}")))
    uzbek = Person.objects.filter(nationality="UZ", full_name__regex=r"^[A-Za-z]").first()
    cyrillic = uz_to_cyrillic(f"{uzbek.family_name} {uzbek.given_names}")
    assert CYRILLIC.search(cyrillic)
    assert uzbek in Person.objects.filter(search_q(cyrillic))


def test_opiates_peak_after_the_harvest_and_synthetics_rise():
    names, january = commodity_weights("af_border", 1, 0.0)
    _names, september = commodity_weights("af_border", 9, 0.0)
    heroin = names.index("heroin")
    assert september[heroin] > 2 * january[heroin]
    meth = names.index("methamphetamine")
    assert commodity_weights("af_border", 1, 4.0)[1][meth] > 3 * january[meth]


def test_spread_is_exact():
    assert spread(10, [1.0, 1.0, 1.0]) == [4, 3, 3]
    assert sum(spread(1_000_003, [0.3, 1.7, 2.2, 0.9])) == 1_000_003
    assert spread(0, [1.0, 2.0]) == [0, 0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_cached_name_forms_equal_the_originals(text):
    assert _name_forms(text) == normalise.search_words(text)
    assert name_forms(text) == normalise.name_forms(text)


def test_item_quantities_are_normalised(generated):
    for item in SeizureItem.objects.all():
        if item.unit in ("g", "kg", "t", "ml", "l"):
            assert item.quantity_kg is not None and item.quantity_kg > 0
            assert item.quantity_units is None
        else:
            assert item.quantity_kg is None and item.quantity_units == item.quantity
    for s in Seizure.objects.prefetch_related("items"):
        assert s.total_kg == sum((i.quantity_kg or Decimal(0) for i in s.items.all()), Decimal(0))
        assert s.commodities == " ".join(sorted({i.commodity for i in s.items.all()}))


def test_list_count_is_capped_past_the_cap(generated, make_user, django_assert_num_queries):
    analyst = make_user("analyst.cap", office="kz-caricc-rc", role="analyst")
    rows = seizure_list_visible_to(user=analyst)
    visible = rows.count()
    assert visible > 30
    capped = CappedPaginator(rows, 10, cap=20)
    with django_assert_num_queries(3):  # the page (+1 row), its items, the capped count
        first = capped.get_page(1)
        assert capped.capped is True
    assert (capped.count, str(capped.count), f"{capped.count:,}") == (20, "20+", "20+")
    assert (capped.num_pages, str(capped.num_pages)) == (2, "2+")
    assert (len(first.object_list), first.has_next()) == (10, True)
    last = capped.get_page(99)
    assert (last.number, last.has_next(), len(last.object_list)) == (2, False, 10)
    exact = CappedPaginator(rows, 25)
    assert (exact.capped, exact.count, str(exact.count)) == (False, visible, str(visible))
    assert exact.num_pages == -(-visible // 25)


def test_a_short_list_and_the_last_page_need_no_count(
    generated, make_user, django_assert_num_queries
):
    analyst = make_user("analyst.short", office="kz-caricc-rc", role="analyst")
    rows = seizure_list_visible_to(user=analyst).filter(conveyance="truck")
    n = rows.count()
    assert n > 0
    with django_assert_num_queries(2):  # the page and its items: no COUNT
        page = CappedPaginator(rows, n + 5).get_page(1)
        assert (page.paginator.count, page.has_next(), len(page)) == (n, False, n)
    paginator = CappedPaginator(rows, 2, count=False)
    last_number = -(-n // 2)
    with django_assert_num_queries(2):
        last = paginator.get_page(last_number)
        assert (paginator.count, paginator.num_pages, last.has_next()) == (n, last_number, False)


def test_a_search_is_not_counted(generated, make_user, django_assert_num_queries):
    analyst = make_user("analyst.search", office="kz-caricc-rc", role="analyst")
    rows = seizure_list_visible_to(user=analyst)
    total = rows.count()
    paginator = CappedPaginator(rows, 5, count=False)
    with django_assert_num_queries(2):
        second = paginator.get_page(2)
        assert (str(paginator.count), str(paginator.num_pages)) == ("10+", "3+")
        assert (second.has_previous(), second.has_next(), len(second)) == (True, True, 5)
    beyond = CappedPaginator(rows, 5, count=False).get_page(10_000)
    assert beyond.number == -(-total // 5)
    assert beyond.paginator.count == total


@pytest.mark.parametrize("zone", ["Asia/Almaty", "Asia/Tashkent", "UTC"])
def test_date_filters_keep_the_local_days(generated, make_user, zone):
    analyst = make_user("analyst.days", office="kz-caricc-rc", role="analyst")
    rows = seizure_list_visible_to(user=analyst)
    days = sorted(
        {timezone.localtime(s).date() for s in rows.values_list("occurred_at", flat=True)}
    )
    with timezone.override(zone):
        for day in (days[0], days[len(days) // 2], days[-1]):
            since = SeizureFilter({"date_from": day.isoformat()}, queryset=rows).qs
            until = SeizureFilter({"date_to": day.isoformat()}, queryset=rows).qs
            assert set(since) == set(rows.filter(occurred_at__date__gte=day))
            assert set(until) == set(rows.filter(occurred_at__date__lte=day))
        edge = SeizureFilter({"date_from": "0001-01-01", "date_to": "9999-12-31"}, queryset=rows)
        assert edge.qs.count() == rows.count()


def test_api_pagination_caps_and_says_so(generated, make_user):
    analyst = make_user("analyst.api", office="kz-caricc-rc", role="analyst")
    rows = seizure_list_visible_to(user=analyst)
    total = rows.count()
    factory = APIRequestFactory()

    def page(query: str) -> dict:
        pagination = CappedPagination()
        request = Request(factory.get(f"/api/v1/records/seizures/?{query}"))
        results = pagination.paginate_queryset(rows, request)
        return dict(pagination.get_paginated_response([r.pk for r in results]).data)

    everything = page(f"page_size={total + 1}")
    assert (everything["count"], everything["count_is_lower_bound"]) == (total, False)
    assert everything["next"] is None
    searched = page("page_size=5&q=x")  # the paginator reads `q`; the rows are not filtered here
    assert (searched["count"], searched["count_is_lower_bound"]) == (5, True)
    assert "page=2" in searched["next"]
    assert len(searched["results"]) == 5
