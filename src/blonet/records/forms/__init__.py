"""Forms of the records pages: they keep what the officer typed; the services validate."""

from blonet.records.forms.common import (
    AttachmentForm,
    DeleteForm,
    SharingFields,
    StyledForm,
    style_widgets,
)
from blonet.records.forms.entities import entity_form_class, entity_initial
from blonet.records.forms.events import EventForm, IncidentForm, ItemForm, SeizureForm
from blonet.records.forms.rows import (
    DEFAULT_ROLE,
    KIND_FIELDS,
    InvolvementForm,
    InvolvementFormSet,
    ItemFormSet,
    RecordForms,
)

__all__ = [
    "DEFAULT_ROLE",
    "KIND_FIELDS",
    "AttachmentForm",
    "DeleteForm",
    "EventForm",
    "IncidentForm",
    "InvolvementForm",
    "InvolvementFormSet",
    "ItemForm",
    "ItemFormSet",
    "RecordForms",
    "SeizureForm",
    "SharingFields",
    "StyledForm",
    "entity_form_class",
    "entity_initial",
    "style_widgets",
]
