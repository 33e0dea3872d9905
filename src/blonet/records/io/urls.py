"""Import and export pages; included into `records.urls` (namespace `records`)."""

from __future__ import annotations

from django.urls import URLPattern, path

from blonet.records.io import views

urlpatterns: list[URLPattern] = [
    path("seizures/import/", views.seizure_import, name="seizure_import"),
    path(
        "seizures/import/template/",
        views.seizure_import_template,
        name="seizure_import_template",
    ),
    path("seizures/export/", views.seizure_export, name="seizure_export"),
]
