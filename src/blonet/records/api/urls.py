"""/api/v1/records/: seizures, incidents and one endpoint per kind of involved entity."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from blonet.records.api.entities import ENTITY_VIEWSETS
from blonet.records.api.serializers import ENTITY_ROUTES
from blonet.records.api.views import IncidentViewSet, SeizureViewSet

router = DefaultRouter()
router.register("seizures", SeizureViewSet, basename="records-seizure")
router.register("incidents", IncidentViewSet, basename="records-incident")
for kind, plural in ENTITY_ROUTES.items():
    router.register(plural, ENTITY_VIEWSETS[kind], basename=f"records-{kind}")

urlpatterns = router.urls
