"""The node's URLs with the screening pages and API mounted, for tests run before the
composition root (`blonet/urls.py`) mounts them; once it does, this is the root as it is."""

from __future__ import annotations

from django.urls import include, path

from blonet import urls as root

_mounted = any(getattr(p, "namespace", None) == "screening" for p in root.urlpatterns)

if _mounted:
    urlpatterns = list(root.urlpatterns)
else:
    api_v1 = [*root.api_v1, path("screening/", include("blonet.screening.api.urls"))]
    urlpatterns = [
        path("screening/", include("blonet.screening.urls")),
        path("api/v1/", include((api_v1, "api"), namespace="api")),  # type: ignore[arg-type]
        *[p for p in root.urlpatterns if getattr(p, "namespace", None) != "api"],
    ]
handler400 = root.handler400
handler403 = root.handler403
handler404 = root.handler404
handler500 = root.handler500
