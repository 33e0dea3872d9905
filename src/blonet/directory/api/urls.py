from rest_framework.routers import DefaultRouter

from blonet.directory.api import views

router = DefaultRouter()
router.register("countries", views.CountryViewSet, basename="country")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("sites", views.SiteViewSet, basename="site")
router.register("offices", views.OfficeViewSet, basename="office")
router.register("counterpart-pairs", views.CounterpartPairViewSet, basename="counterpart-pair")
urlpatterns = router.urls
