from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from blonet.screening import views

app_name = "screening"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("hits/", views.hit_list, name="hit_list"),
    path("hits/<uuid:pk>/", views.hit_detail, name="hit_detail"),
    path("hits/<uuid:pk>/<slug:decision>/", views.hit_decide, name="hit_decide"),
    path("manifests/", views.batch, name="batch"),
    path("runs/<uuid:pk>/", views.run_detail, name="run_detail"),
    path("runs/<uuid:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<uuid:pk>/results.csv", views.run_results, name="run_results"),
    path("watchlists/", views.watchlist_list, name="watchlist_list"),
    path("watchlists/new/", views.watchlist_new, name="watchlist_new"),
    path("watchlists/<uuid:pk>/", views.watchlist_detail, name="watchlist_detail"),
    path("watchlists/<uuid:pk>/entries/", views.watchlist_entry_add, name="watchlist_entry_add"),
    path("watchlists/<uuid:pk>/import/", views.watchlist_import, name="watchlist_import"),
    path("entries/<uuid:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<uuid:pk>/remove/", views.entry_remove_view, name="entry_remove"),
    path("from/<slug:kind>/<uuid:pk>/", views.entry_from_entity_view, name="entry_from_entity"),
    path("statistics/", views.statistics, name="statistics"),
]
