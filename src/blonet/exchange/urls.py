from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from blonet.exchange import views

app_name = "exchange"

urlpatterns: list[URLPattern | URLResolver] = [
    path("threads/<uuid:pk>/", views.thread_page, name="thread"),
]
