"""Fixtures for screening: lists and entries made through the real services, a fresh index."""

from __future__ import annotations

from typing import Any

import pytest

from tests.records.conftest import record_seizure  # noqa: F401


def td3_mrz(
    *, doc: str = "A12345678", dob: str = "850312", expiry: str = "300101", bad_dob: bool = False
) -> str:
    """A TD3 passport MRZ of QURBONOV YUSUF, TJK, with valid check digits (or a wrong one)."""
    from blonet.screening.matching.mrz import check_digit

    doc = doc.ljust(9, "<")[:9]
    dob_cd = check_digit(dob)
    if bad_dob:
        dob_cd = str((int(dob_cd) + 1) % 10)
    personal = "<" * 14
    line2 = f"{doc}{check_digit(doc)}TJK{dob}{dob_cd}M{expiry}{check_digit(expiry)}{personal}<"
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    line2 += check_digit(composite)
    line1 = "P<TJKQURBONOV<<YUSUF".ljust(44, "<")
    assert len(line1) == 44 and len(line2) == 44
    return f"{line1}\n{line2}"


@pytest.fixture(autouse=True)
def fresh_index():
    """The process-wide index outlives a test's database: start each test from nothing."""
    from blonet.screening.engine import LIVE

    LIVE.reset()
    yield LIVE
    LIVE.reset()


@pytest.fixture
def analyst(directory, make_user):
    return make_user("caricc.analyst", office="kz-caricc-rc", role="analyst")


@pytest.fixture
def tj_officer(directory, make_user):
    return make_user("tj.officer", office="tj-fotehobod-blo")


@pytest.fixture
def make_list(directory):
    """make_list(kind="person", office="kz-caricc-rc", distribution="regional", **data)."""
    from blonet.screening.services import watchlist_create

    def make(
        kind: str = "person",
        *,
        office: str = "kz-caricc-rc",
        name: str | None = None,
        actor: Any = None,
        **data: Any,
    ) -> Any:
        payload = {"name": name or f"{kind} list", "kind": kind, "distribution": "regional"}
        payload.update(data)
        return watchlist_create(actor=actor, office=office, data=payload)

    return make


@pytest.fixture
def add_entry():
    from blonet.screening.services import entry_add

    def add(watchlist: Any, actor: Any = None, **data: Any) -> Any:
        data.setdefault("reason", "Courier in the 2026 heroin case")
        return entry_add(actor=actor, watchlist=watchlist, data=data)

    return add


@pytest.fixture
def person_list(make_list, add_entry):
    """A regional person list at CARICC with Qurbonov (Tajik Cyrillic) and two others."""
    wl = make_list("person", name="CARICC couriers")
    add_entry(wl, name="Курбонов Юсуф Абдуллоевич", dob="1985-03-12", nationality="TJ")
    add_entry(wl, name="Rakhimov Farkhod", dob="1979", nationality="UZ")
    add_entry(wl, name="Иванов Пётр Сергеевич", dob="1975-01-01", nationality="RU")
    return wl
