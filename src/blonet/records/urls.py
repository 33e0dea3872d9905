from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from blonet.records import views
from blonet.records.io import urls as io_urls

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("seizures/", views.seizure_list, name="seizure_list"),
    path("seizures/new/", views.seizure_create, name="seizure_create"),
    path("seizures/<uuid:pk>/", views.seizure_detail, name="seizure_detail"),
    path("seizures/<uuid:pk>/section/<slug:name>/", views.seizure_section, name="seizure_section"),
    path("seizures/<uuid:pk>/edit/", views.seizure_edit, name="seizure_edit"),
    path("seizures/<uuid:pk>/delete/", views.seizure_delete_view, name="seizure_delete"),
    path(
        "seizures/<uuid:pk>/attachments/",
        views.seizure_attachment_add,
        name="seizure_attachment_add",
    ),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    path("incidents/<uuid:pk>/", views.incident_detail, name="incident_detail"),
    path(
        "incidents/<uuid:pk>/section/<slug:name>/",
        views.incident_section,
        name="incident_section",
    ),
    path("incidents/<uuid:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("incidents/<uuid:pk>/delete/", views.incident_delete_view, name="incident_delete"),
    path(
        "incidents/<uuid:pk>/attachments/",
        views.incident_attachment_add,
        name="incident_attachment_add",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("persons/duplicates/", views.person_duplicates, name="person_duplicates"),
    path("entities/<slug:kind>/", views.entity_list, name="entity_list"),
    path("entities/<slug:kind>/<uuid:pk>/", views.entity_detail, name="entity_detail"),
    path(
        "entities/<slug:kind>/<uuid:pk>/section/<slug:name>/",
        views.entity_section,
        name="entity_section",
    ),
    path("entities/<slug:kind>/<uuid:pk>/edit/", views.entity_edit, name="entity_edit"),
    *io_urls.urlpatterns,
]
