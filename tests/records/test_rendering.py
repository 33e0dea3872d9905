"""The register's faster rendering writes exactly what Django's own would."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.utils import translation

from blonet.records.models import ENTITY_MODELS, Attachment, Involvement, Seizure, SeizureItem

pytestmark = pytest.mark.django_db


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
