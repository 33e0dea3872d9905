from __future__ import annotations

from rest_framework.routers import DefaultRouter

from blonet.exchange.api import views

router = DefaultRouter()
router.register("threads", views.ThreadViewSet, basename="exchange-thread")
router.register("messages", views.MessageViewSet, basename="exchange-message")
router.register("permission-requests", views.PermissionViewSet, basename="exchange-permission")
router.register("inbox", views.InboxViewSet, basename="exchange-inbox")

urlpatterns = router.urls
