from __future__ import annotations

from django.urls import URLPattern, URLResolver

from blonet.records.io import urls as io_urls

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    *io_urls.urlpatterns,
]
