"""The fields every shared record carries (architecture guide, "Access model")."""

from __future__ import annotations

import inspect
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from blonet.core.choices import (
    Classification,
    Distribution,
    HandlingCode,
    InformationAccuracy,
    SourceReliability,
)
from blonet.records.querysets import RecordQuerySet

SHARING_FIELDS = (
    "distribution",
    "counterpart_country",
    "handling_codes",
    "handling_conditions",
    "source_reliability",
    "information_accuracy",
    "classification",
)


def _node() -> str:
    return str(settings.BLONET_NODE)


_LABELS = "_blonet_choice_labels"


def choice_labels(field: Any) -> dict[Any, Any]:
    """{value: label} of a field with choices, built once per field (the labels stay lazy, so
    one dict serves every language)."""
    labels = field.__dict__.get(_LABELS)
    if labels is None:
        labels = dict(make_hashable(field.flatchoices))
        field.__dict__[_LABELS] = labels
    return labels


_BLANKS: dict[Any, Any] = {}
_PLAIN = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _blank_plan(model: Any) -> Any:
    """({attname: default}, [(attname, default factory)]) of `model()`, or None where that
    would not be the same as what `Model.__init__` does without arguments."""
    if model.__init__ is not models.Model.__init__:
        return None
    static: dict[str, Any] = {}
    dynamic: list[tuple[str, Any]] = []
    for field in model._meta.concrete_fields:
        if field.column is None or field.generated:
            continue
        if field.db_default is not models.NOT_PROVIDED:
            return None
        # Plain attributes only (a FileField's descriptor, say, does work on assignment).
        if type(inspect.getattr_static(model, field.attname, None)) not in _PLAIN:
            return None
        if field.has_default() and callable(field.default):
            dynamic.append((field.attname, field.get_default))
        else:
            static[field.attname] = field.get_default()  # the same object Django would set
    return static, dynamic


def new_instance(model: Any) -> Any:
    """`model()`, without Django's per-field work: the defaults are known per model (an import
    makes a few model instances per row). The same instance as `model()` makes (a test
    compares them); `model()` itself where a signal or a field needs Django's way."""
    plan = _BLANKS.get(model, False)
    if plan is False:
        plan = _BLANKS[model] = _blank_plan(model)
    if plan is None or pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model()
    static, dynamic = plan
    obj = model.__new__(model)
    obj._state = ModelState()
    values = obj.__dict__
    values.update(static)
    for attname, factory in dynamic:
        values[attname] = factory()
    return obj


class ChoiceLabels:
    """`get_FOO_display()` from a dict made once per field.

    Django's own builds `dict(make_hashable(field.flatchoices))` on every call, which hashes
    every lazy label (a translation lookup each): on a list page of 25 seizures that is about
    150 calls and a few thousand lookups. The result is the same.
    """

    def _get_FIELD_display(self, field: Any) -> Any:  # Django's name
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)


class SharedRecord(ChoiceLabels, models.Model):
    """Owner, distribution, handling, evaluation, classification, version and tombstone.

    The owner agency and country are copies of the owner office's, kept for the access filter.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    origin_node = models.CharField(_("origin node"), max_length=8, default=_node, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    owner_office = models.ForeignKey(
        "directory.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    owner_agency = models.ForeignKey(
        "directory.Agency", on_delete=models.PROTECT, related_name="+", editable=False
    )
    owner_country = models.ForeignKey(
        "directory.Country", on_delete=models.PROTECT, related_name="+", editable=False
    )
    distribution = models.CharField(
        _("distribution"),
        max_length=10,
        choices=Distribution.choices,
        default=Distribution.NATIONAL,
        help_text=_("Who may see this record."),
    )
    counterpart_country = models.ForeignKey(
        "directory.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with country"),
        help_text=_("For bilateral distribution: the other country."),
    )
    handling_codes = models.JSONField(
        _("handling codes"), default=list, blank=True, help_text=_("H0 to H3, as in SIENA.")
    )
    handling_conditions = models.TextField(
        _("H3 conditions"), blank=True, help_text=_("The restrictions of H3, written out.")
    )
    source_reliability = models.CharField(
        _("source reliability"),
        max_length=1,
        choices=SourceReliability.choices,
        default=SourceReliability.X,
    )
    information_accuracy = models.CharField(
        _("information accuracy"),
        max_length=1,
        choices=InformationAccuracy.choices,
        default=InformationAccuracy.FOUR,
    )
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.RESTRICTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    deleted_reason = models.TextField(_("reason for deletion"), blank=True, editable=False)
    # Lower-case words, transliterations and phonetic keys for search (see records.search).
    search_text = models.TextField(editable=False, default="", blank=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def evaluation(self) -> str:
        return f"{self.source_reliability}{self.information_accuracy}"

    @property
    def handling_display(self) -> str:
        labels = dict(HandlingCode.choices)
        return "; ".join(str(labels.get(c, c)) for c in self.handling_codes)

    def sharing_data(self) -> dict[str, Any]:
        """Identifiers only: what the audit log keeps about the sharing of a record."""
        return {
            "owner_office": self.owner_office_id,
            "distribution": self.distribution,
            "counterpart_country": self.counterpart_country_id,
            "handling_codes": list(self.handling_codes),
            "classification": self.classification,
            "version": self.version,
        }
