"""/api/v1/screening/: the check, and the decisions on its hits."""

from __future__ import annotations

from django.urls import URLPattern, path

from blonet.screening.api import views

urlpatterns: list[URLPattern] = [
    path("check", views.CheckView.as_view(), name="screening-check"),
    path("hits/<uuid:pk>/confirm", views.HitConfirmView.as_view(), name="screening-hit-confirm"),
    path("hits/<uuid:pk>/dismiss", views.HitDismissView.as_view(), name="screening-hit-dismiss"),
]
