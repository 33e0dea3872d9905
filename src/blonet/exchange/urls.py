from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from blonet.exchange import views

app_name = "exchange"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("inbox/<slug:office>/", views.inbox, name="inbox"),
    path("inbox/<slug:office>/live/", views.inbox_live, name="inbox_live"),
    path("compose/", views.compose, name="compose"),
    path("compose/fields/", views.compose_fields, name="compose_fields"),
    path("seizures/<uuid:pk>/notify/", views.notify_seizure, name="notify_seizure"),
    path("threads/", views.thread_list, name="threads"),
    path("threads/<uuid:pk>/", views.thread_page, name="thread"),
    path("threads/<uuid:pk>/live/", views.thread_live, name="thread_live"),
    path("threads/<uuid:pk>/links/", views.link_add, name="link_add"),
    path("messages/<uuid:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("messages/<uuid:pk>/answer/", views.answer, name="answer"),
    path("messages/<uuid:pk>/forward/", views.forward, name="forward"),
    path("messages/<uuid:pk>/permission/", views.permission_request, name="permission_request"),
    path("permissions/<uuid:pk>/decide/", views.permission_decide, name="permission_decide"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("statistics/", views.statistics, name="statistics"),
]
