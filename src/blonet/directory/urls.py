from django.urls import path

from blonet.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("map.json", views.map_data, name="map_data"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/<slug:pk>/", views.office_detail, name="office_detail"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/<slug:pk>/", views.site_detail, name="site_detail"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<slug:pk>/", views.agency_detail, name="agency_detail"),
]
