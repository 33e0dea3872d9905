"""The HTML pages of the records app (see `records/urls.py`)."""

# Higher contexts register their entity page sections from here (screening) or from hooks.
from blonet.records.hooks import register_entity_section
from blonet.records.views.entities import (
    entity_detail,
    entity_edit,
    entity_list,
    entity_section,
    person_duplicates,
)
from blonet.records.views.pages import (
    attachment_download,
    incident_attachment_add,
    incident_create,
    incident_delete_view,
    incident_detail,
    incident_edit,
    incident_list,
    incident_section,
    seizure_attachment_add,
    seizure_create,
    seizure_delete_view,
    seizure_detail,
    seizure_edit,
    seizure_list,
    seizure_section,
)

__all__ = [
    "attachment_download",
    "entity_detail",
    "entity_edit",
    "entity_list",
    "entity_section",
    "incident_attachment_add",
    "incident_create",
    "incident_delete_view",
    "incident_detail",
    "incident_edit",
    "incident_list",
    "incident_section",
    "person_duplicates",
    "register_entity_section",
    "seizure_attachment_add",
    "seizure_create",
    "seizure_delete_view",
    "seizure_detail",
    "seizure_edit",
    "seizure_list",
    "seizure_section",
]
