"""Synthetic involved entities, with the derived fields the services would write.

Each constructor sets what an officer types, then derives exactly what
`records.services.entities.prepare_entity` derives (normalised numbers, the Latin form and
phonetic keys of a name, `search_text` through `records.search.entity_search_text`), without the
model validation an officer's input needs (the values are valid by construction).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from functools import lru_cache
from typing import Any

from blonet.records import normalise
from blonet.records.generate import identifiers as ids
from blonet.records.generate.names import person_name, uz_to_cyrillic
from blonet.records.models import (
    BankAccount,
    Container,
    Document,
    Organisation,
    Person,
    Phone,
    Vehicle,
)
from blonet.records.search import entity_search_text

Sharing = dict[str, Any]
_word_name_forms = lru_cache(maxsize=131_072)(normalise.name_forms)


def name_forms(full_name: str) -> tuple[str, str]:
    """`normalise.name_forms(full_name)`, from the cached forms of each word (names recur)."""
    latin: list[str] = []
    keys: set[str] = set()
    for word in full_name.split():
        word_latin, word_keys = _word_name_forms(word)
        if "" in word_latin.split(" "):  # a word with no Latin form: let the original decide
            return normalise.name_forms(full_name)  # type: ignore[no-any-return]
        latin.append(word_latin)
        keys.update(word_keys.split())
    return " ".join(latin), " ".join(sorted(keys))


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _finish(entity: Any, rng: random.Random, sharing: Sharing) -> Any:
    entity.id = new_uuid(rng)
    for name, value in sharing.items():
        setattr(entity, name, list(value) if isinstance(value, list) else value)
    entity.search_text = entity_search_text(entity)
    return entity


def _dob(rng: random.Random, on: dt.date) -> str:
    roll = rng.random()
    if roll < 0.1:
        return ""
    year = on.year - rng.randint(19, 62)
    if roll < 0.25:
        return str(year)
    month = rng.randint(1, 12)
    if roll < 0.3:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def person(
    rng: random.Random, nationality: str, sharing: Sharing, on: dt.date, *, uz_cyrillic: bool
) -> Person:
    name = person_name(rng, nationality, uz_cyrillic=uz_cyrillic)
    p = Person(
        full_name=name.full_name,
        family_name=name.family_name,
        given_names=name.given_names,
        patronymic=name.patronymic,
        gender=name.gender,
        nationality=name.nationality,
    )
    if rng.random() < 0.08:  # the spelling of another document
        if nationality == "UZ" and not uz_cyrillic:
            p.aliases = [uz_to_cyrillic(f"{name.family_name} {name.given_names}")]
        else:
            latin, _keys = name_forms(f"{name.family_name} {name.given_names}")
            p.aliases = [latin.upper()]
    parsed = normalise.partial_date(_dob(rng, on))
    p.dob, p.dob_year = parsed if parsed is not None else ("", None)
    p.name_latin, p.name_keys = name_forms(p.full_name)
    return _finish(p, rng, sharing)  # type: ignore[no-any-return]


def vehicle(rng: random.Random, country: str, sharing: Sharing, conveyance: str) -> Vehicle:
    wanted = {"truck": "truck", "bus": "bus"}.get(conveyance, "car")
    make, model, wmi, _kind = rng.choice([v for v in ids.VEHICLES if v[3] == wanted])
    v = Vehicle(
        plate=ids.plate(rng, country),
        country=country,
        make=make,
        model=model,
        colour=rng.choice(ids.COLOURS),
        vin=ids.vin(rng, wmi) if rng.random() < 0.3 else "",
    )
    v.plate_normalised = normalise.normalise_plate(v.plate)
    return _finish(v, rng, sharing)  # type: ignore[no-any-return]


def phone(rng: random.Random, country: str, sharing: Sharing) -> Phone:
    ph = Phone(number=ids.phone(rng, country), country=country)
    ph.number_normalised = normalise.normalise_phone(ph.number)
    return _finish(ph, rng, sharing)  # type: ignore[no-any-return]


def document(
    rng: random.Random, holder: Person, sharing: Sharing, on: dt.date, kind: str = "passport"
) -> Document:
    country = holder.nationality or "RU"
    number = (
        ids.passport(rng, country)
        if kind == "passport"
        else ids.driving_licence(rng, country)
        if kind == "driving_licence"
        else ids.waybill(rng)
    )
    valid_from = on - dt.timedelta(days=rng.randint(100, 3000))
    d = Document(
        document_kind=kind,
        number=number,
        issuing_country=country,
        valid_from=valid_from if kind != "waybill" else None,
        valid_until=valid_from + dt.timedelta(days=3652) if kind == "passport" else None,
        holder=holder if kind != "waybill" else None,
    )
    d.number_normalised = normalise.normalise_document(d.number)
    return _finish(d, rng, sharing)  # type: ignore[no-any-return]


def container(rng: random.Random, sharing: Sharing) -> Container:
    c = Container(number=ids.container(rng), size_type=rng.choice(ids.CONTAINER_SIZES))
    c.number_normalised, _problem = normalise.normalise_container(c.number)
    return _finish(c, rng, sharing)  # type: ignore[no-any-return]


def organisation(rng: random.Random, country: str, sharing: Sharing) -> Organisation:
    name, form, reg = ids.company(rng, country)
    o = Organisation(name=name, country=country, registration_number=reg, legal_form=form)
    o.name_key = normalise.org_key(o.name)
    return _finish(o, rng, sharing)  # type: ignore[no-any-return]


def account(rng: random.Random, country: str, sharing: Sharing, holder_name: str) -> BankAccount:
    number, bank = ids.bank_account(rng, country)
    a = BankAccount(number=number, bank=bank, holder_name=holder_name, country=country)
    a.is_iban = normalise.looks_like_iban(a.number)
    if a.is_iban:
        a.number_normalised = normalise.normalise_iban(a.number)
    else:
        a.number_normalised = "".join(ch for ch in a.number if ch.isalnum()).upper()
    return _finish(a, rng, sharing)  # type: ignore[no-any-return]
