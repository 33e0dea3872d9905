from django.urls import path

from blonet.federation import views

app_name = "federation"
urlpatterns = [
    path("", views.status, name="status"),
    path("peers/<str:code>/hold/", views.hold, name="hold"),
    path("peers/<str:code>/release/", views.release, name="release"),
]
