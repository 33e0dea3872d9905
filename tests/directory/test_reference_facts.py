"""The shipped directory reproduces every fact of the source documents (UNODC press releases).

The facts, with their sources, are copied into tests/directory/data/reference_facts.yaml so the
project's tests do not need the shared material beside the repository.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml

from blonet.directory.models import CounterpartPair, Office, Site

FACTS = yaml.safe_load((Path(__file__).parent / "data" / "reference_facts.yaml").read_text("utf-8"))
END_2019 = dt.date(2019, 12, 31)
SITE_KINDS = {
    "BCP with BLO": "bcp",
    "BCP": "bcp",
    "logistics terminal": "terminal",
    "Port Control Unit": "terminal",
    "border outpost": "border_outpost",
    "ACCU": "airport",
    "situation centre": "situation_centre",
    "regional centre": "regional_centre",
}
OFFICE_KINDS = {
    "BCP with BLO": "BLO",
    "Port Control Unit": "PCU",
    "ACCU": "ACCU",
    "situation centre": "SC",
    "regional centre": "RC",
}

pytestmark = pytest.mark.django_db


def _border(code: str) -> frozenset[str]:
    return frozenset(code.split("-"))


def test_all_countries_present(directory):
    from blonet.directory.models import Country

    assert set(Country.objects.values_list("code", flat=True)) == set(FACTS["countries"])


def test_fifteen_blos_at_end_of_2019_by_border(directory):
    facts = FACTS["blo_count_by_border_end_2019"]
    in_service = [
        o
        for o in Office.objects.filter(kind="BLO").select_related("site")
        if o.in_service_on(END_2019)
    ]
    by_border = Counter(frozenset(o.site.border) for o in in_service)
    assert len(in_service) == facts["total"] == 15
    assert by_border == {_border(k): v for k, v in facts["borders"].items()}
    # Every BLO knows whether it was in service then: none is left undecided.
    undecided = [
        o.id for o in Office.objects.filter(kind="BLO") if o.in_service_on(END_2019) is None
    ]
    assert undecided == []


def test_kordai_blo_opened_2019_on_kz_kg_border(directory):
    kordai = Office.objects.get(kind="BLO", site__name="Kordai")
    assert kordai.opened.startswith("2019")
    assert frozenset(kordai.site.border) == {"KZ", "KG"}
    assert kordai.country_id == "KZ"


@pytest.mark.parametrize("fact", FACTS["named_sites"], ids=lambda f: f["name"])
def test_named_site(directory, fact):
    # A named place is a site (Kordai BCP) or a unit at a site (Aviayuklar ACCU at the airport).
    site = (
        Site.objects.filter(name=fact["name"]).first()
        or Site.objects.filter(offices__name__istartswith=fact["name"]).distinct().get()
    )
    assert site.kind == SITE_KINDS[fact["kind"]], fact
    if "border" in fact:
        assert frozenset(site.border or ()) == _border(fact["border"])
    if "side" in fact:
        assert site.country_id == fact["side"]
    if "country" in fact:
        assert site.country_id == fact["country"]
    if fact["kind"] in OFFICE_KINDS:
        assert site.offices.filter(kind=OFFICE_KINDS[fact["kind"]]).exists(), fact
    assert site.source and site.precision


def test_new_blos_at_ayvaj_and_gulbahor_are_after_2019(directory):
    for name, country in (("Ayvaj", "TJ"), ("Gulbahor", "UZ")):
        blo = Office.objects.get(kind="BLO", site__name=name)
        assert blo.country_id == country
        assert blo.in_service_on(END_2019) is False
        assert blo.in_service_on(dt.date(2023, 10, 30)) is True
    assert "eighth" in Office.objects.get(kind="BLO", site__name="Ayvaj").note


def test_thirteen_imt_offices_and_the_oct(directory):
    facts = FACTS["imt_offices_uzbekistan"]
    imts = Office.objects.filter(kind="IMT", country="UZ").select_related("site")
    assert sorted(o.site.name for o in imts) == sorted(facts["new"] + facts["existing"])
    assert imts.count() == 13
    new = {o.site.name for o in imts if o.open_after is not None}
    assert new == set(facts["new"])
    oct_ = Office.objects.get(kind="OCT")
    assert oct_.country_id == "UZ"
    assert "Operations Coordination Team" in oct_.name


def test_counterpart_pairs_face_each_other(directory):
    pairs = CounterpartPair.objects.select_related("office_a__site", "office_b__site")
    assert pairs.count() >= 6
    for pair in pairs:
        a, b = pair.office_a, pair.office_b
        assert a.kind == b.kind == "BLO"
        assert a.site.border_country_id == b.country_id
        assert b.site.border_country_id == a.country_id
    kordai = Office.objects.get(kind="BLO", site__name="Kordai")
    assert [o.country_id for o in kordai.counterparts()] == ["KG"]


def test_every_entry_has_source_and_precision(directory):
    from blonet.directory.models import Agency, Country

    for model in (Country, Agency, Site, Office, CounterpartPair):
        assert not model.objects.filter(source="").exists(), model
        assert set(model.objects.values_list("precision", flat=True)) <= {
            "exact",
            "approximate",
            "placeholder",
        }


def test_situation_centres_and_caricc(directory):
    scs = Office.objects.filter(kind="SC")
    assert scs.filter(country="UZ").count() >= 2  # national centre + Customs Situation Center
    assert scs.filter(country="TJ", site__name__icontains="Coordination Center").exists()
    caricc = Office.objects.get(kind="RC")
    assert caricc.country_id == "KZ" and "CARICC" in (caricc.name + caricc.site.name)
