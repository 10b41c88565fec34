from rest_framework.routers import DefaultRouter

from partners.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("partners", views.PartnerViewSet, basename="partner")
router.register(
    "partner-applications", views.PartnerApplicationViewSet, basename="partner-application"
)
router.register("contracts", views.PartnerContractViewSet, basename="contract")
router.register("trainings", views.TrainingSessionViewSet, basename="training")

urlpatterns = router.urls
