"""The register's faster rendering writes exactly what Django's own would."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.db import models
from django.forms.renderers import get_default_renderer
from django.test import RequestFactory
from django.utils import translation

from blonet.records.filters import IncidentFilter, SeizureFilter, entity_filter_for
from blonet.records.forms.render import FastSelectRenderer, fast_renderer
from blonet.records.models import ENTITY_MODELS, Attachment, Involvement, Seizure, SeizureItem
from blonet.records.views.common import styled

pytestmark = pytest.mark.django_db

BOUND = [
    {},
    {"site": "kz-kordai-bcp", "country": "KG", "commodity": "heroin", "agency": "kz-customs"},
    {"conveyance": "truck", "distribution": "regional", "ordering": "-total_kg", "kind": "other"},
    {"site": "no-such-site", "commodity": "<script>", "country": "zz", "ordering": "nonsense"},
]


def _selects(form: forms.Form) -> list[forms.BoundField]:
    return [bf for bf in form if isinstance(bf.field.widget, forms.Select)]


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("params", BOUND)
@pytest.mark.parametrize("filterset", [SeizureFilter, IncidentFilter])
def test_filter_selects_are_written_as_django_writes_them(
    directory, kz_officer, language, params, filterset
):
    request = RequestFactory().get("/records/seizures/", params)
    request.user = kz_officer
    with translation.override(language):
        fast = styled(filterset)(params or None, queryset=filterset.Meta.model.objects.all())
        plain = styled(filterset)(params or None, queryset=filterset.Meta.model.objects.all())
        plain_form = plain.form
        plain_form.renderer = get_default_renderer()
        if fast.is_bound:
            fast.is_valid()
            plain.is_valid()
        fast_fields = _selects(fast.form)
        assert fast.form.renderer is fast_renderer()
        assert len(fast_fields) >= 6
        for fast_bf, plain_bf in zip(fast_fields, _selects(plain_form), strict=True):
            assert str(fast_bf) == str(plain_bf), fast_bf.name


def test_entity_filter_and_the_other_templates_go_through_django(directory):
    filterset = styled(entity_filter_for(ENTITY_MODELS["person"]))({"q": "x"})
    form = filterset.form
    assert form.renderer is fast_renderer()
    assert 'name="q"' in str(form["q"])  # a text input: Django's own template


class _Odd(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A & B"), ("b", '"quoted" <b>')])
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")],
        widget=forms.Select(attrs={"data-x": 'v"1', "disabled": True, "hidden": False}),
    )
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two"), (3, "three")])
    boolean = forms.NullBooleanField()


@pytest.mark.parametrize(
    "data", [None, {"plain": "b", "grouped": "y", "many": ["1", "3"], "boolean": "true"}]
)
def test_selects_with_groups_multiple_choices_and_markup(data):
    fast, plain = _Odd(data, renderer=FastSelectRenderer()), _Odd(data)
    for name in fast.fields:
        assert str(fast[name]) == str(plain[name]), name


def _choice_fields(model: Any) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if f.choices and not f.is_relation]


CHOICE_MODELS = [Seizure, SeizureItem, Involvement, Attachment, *ENTITY_MODELS.values()]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("model", CHOICE_MODELS, ids=lambda m: m.__name__)
def test_choice_labels_equal_djangos_get_display(model, language):
    fields = _choice_fields(model)
    assert fields
    with translation.override(language):
        for field in fields:
            for value in [*(v for v, _label in field.flatchoices), "not-a-choice", "", None]:
                record = model()
                setattr(record, field.attname, value)
                ours = getattr(record, f"get_{field.name}_display")()
                django = models.Model._get_FIELD_display(record, field)
                assert ours == django and type(ours) is type(django), (field.name, value)
