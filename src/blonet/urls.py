from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from blonet.accounts.api import MeView
from blonet.core.views import healthz
from blonet.home import home

handler400 = "blonet.core.views.bad_request"
handler403 = "blonet.core.views.permission_denied"
handler404 = "blonet.core.views.page_not_found"
handler500 = "blonet.core.views.server_error"

api_v1 = [
    path("directory/", include("blonet.directory.api.urls")),
    path("records/", include("blonet.records.api.urls")),
    path("exchange/", include("blonet.exchange.api.urls")),
    path("screening/", include("blonet.screening.api.urls")),
    path("accounts/me/", MeView.as_view(), name="me"),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("directory/", include("blonet.directory.urls")),
    path("records/", include("blonet.records.urls")),
    path("exchange/", include("blonet.exchange.urls")),
    path("screening/", include("blonet.screening.urls")),
    path("federation/", include("blonet.federation.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),  # type: ignore[arg-type]
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
