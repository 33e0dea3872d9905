"""`model_errors` gives what Django's `full_clean` gives: the same messages, the same values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from blonet.records.models import ENTITY_MODELS, Incident, Involvement, Seizure, SeizureItem
from blonet.records.services.common import ErrorBag, _relation_fields, model_errors

pytestmark = pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")
MODELS = [Seizure, SeizureItem, Incident, Involvement, *ENTITY_MODELS.values()]
AWARE = dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)
VALUES: list[Any] = [
    None, "", " ", "x", "heroin", "kg", "national", "bilateral", "B", "2", "Z", "a" * 2,
    "a" * 3, "a" * 9, "a" * 10, "a" * 11, "a" * 40, "a" * 41, "a" * 200, "a" * 201,
    "Қорғас ёлка", 0, 1, 2, 3, 5, -1, 40000, 2**31, True, False, 1.5, Decimal("12.500"),
    AWARE, dt.datetime(2026, 11, 30, 14, 0), dt.date(2026, 1, 2), "2026-11-30 14:00",
    "not a date", [], ["H1"], {}, ("a",),
]  # fmt: skip


def _django(record: Any, exclude: list[str]) -> dict[str, list[str]]:
    """The former `model_errors`: Django's `full_clean`."""
    bag = ErrorBag()
    skip = set(exclude) | _relation_fields(type(record))
    try:
        record.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                bag.add(field, message)
    return bag.fields


def _values(record: Any) -> dict[str, Any]:
    return {f.attname: getattr(record, f.attname) for f in type(record)._meta.fields}


def _both(model: Any, attname: str, value: Any, exclude: list[str]) -> None:
    ours, theirs = model(), model()
    for record in (ours, theirs):
        record.pk = theirs.pk
        setattr(record, attname, value)
    bag = ErrorBag()
    try:
        model_errors(ours, bag, exclude=exclude)
    except Exception as exc:  # where Django itself fails (e.g. a list for a UUID), ours too
        with pytest.raises(type(exc)):
            _django(theirs, exclude)
        return
    assert bag.fields == _django(theirs, exclude), (model.__name__, attname, value)
    got, want = _values(ours), _values(theirs)
    assert got == want
    assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in want.items()}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_and_value_as_full_clean(model):
    for field in model._meta.fields:
        if field.is_relation:
            continue
        for value in VALUES:
            _both(model, field.attname, value, exclude=[])
            _both(model, field.attname, value, exclude=["id", "search_text", field.name])


@settings(max_examples=150, deadline=None)
@given(
    model=st.sampled_from(MODELS),
    data=st.data(),
    text=st.text(max_size=260),
    number=st.integers(min_value=-(2**40), max_value=2**40),
)
def test_random_values_as_full_clean(model, data, text, number):
    fields = [f for f in model._meta.fields if not f.is_relation]
    field = data.draw(st.sampled_from(fields))
    choices = [v for v, _label in field.flatchoices] if field.choices else []
    value = data.draw(st.sampled_from([text, number, *choices]))
    _both(model, field.attname, value, exclude=[])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_new_instance_is_what_model_makes(model):
    from blonet.records.models.base import new_instance

    ours, theirs = new_instance(model), model()
    mine, django = dict(ours.__dict__), dict(theirs.__dict__)
    assert vars(mine.pop("_state")) == vars(django.pop("_state"))
    assert mine.keys() == django.keys()
    pk = model._meta.pk.attname
    assert type(mine.pop(pk)) is type(django.pop(pk))
    assert mine == django
    assert {k: type(v) for k, v in mine.items()} == {k: type(v) for k, v in django.items()}
    for name, value in mine.items():  # mutable defaults are not shared between instances
        if isinstance(value, list | dict):
            assert value is not new_instance(model).__dict__[name]
