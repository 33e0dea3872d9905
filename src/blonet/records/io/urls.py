"""Import and export pages; included into `records.urls` (namespace `records`)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
