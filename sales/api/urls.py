from django.urls import path
from rest_framework.routers import DefaultRouter

from sales.api import activity_views, appeal_views, customer_views, import_views, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("projects", views.ProjectViewSet, basename="project")
router.register("teams", views.TeamViewSet, basename="team")
router.register("staff", views.StaffViewSet, basename="staff")

router.register("customers", customer_views.CustomerViewSet, basename="customer")
router.register("registrations", activity_views.RegistrationViewSet, basename="registration")
router.register("visits", activity_views.VisitViewSet, basename="visit")
router.register("subscriptions", activity_views.SubscriptionViewSet, basename="subscription")
router.register("signings", activity_views.SigningViewSet, basename="signing")
router.register("payments", activity_views.PaymentViewSet, basename="payment")
router.register("mortgages", activity_views.MortgageViewSet, basename="mortgage")
router.register(
    "attribution-overrides",
    activity_views.AttributionOverrideViewSet,
    basename="attribution-override",
)
router.register("appeals", appeal_views.AppealViewSet, basename="appeal")
router.register("appeal-evidence", appeal_views.AppealEvidenceViewSet, basename="appeal-evidence")

# Explicit routes first: "visits/import/" would otherwise reach the router's visit detail.
urlpatterns = [
    path("daily-reports/", activity_views.DailyReportView.as_view(), name="daily-report"),
    path(
        "daily-reports/export/",
        import_views.DailyReportExportView.as_view(),
        name="daily-report-export",
    ),
    path("visits/import/", import_views.VisitImportView.as_view(), name="visit-import"),
    path("signings/import/", import_views.SigningImportView.as_view(), name="signing-import"),
    *router.urls,
]
