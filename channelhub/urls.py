from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from channelhub import views
from common.notifications.api import NotificationViewSet
from portal.views import home

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("notifications", NotificationViewSet, basename="notification")

api_v1 = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("", include("sales.api.urls")),
    path("", include("partners.api.urls")),
    path("", include("incentives.api.urls")),
    *router.urls,
]

urlpatterns = [
    path("", home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("sales/", include("sales.urls")),
    path("partners/portal/", include("portal.partner.urls")),
    path("marketer/", include("portal.marketer.urls")),
    path("partners/", include("partners.urls")),
    path("dashboard/", include("portal.dashboard.urls")),
    path("incentives/", include("incentives.urls")),
    path("notifications/", include("common.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL: no inline <script> (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

admin.site.site_header = "ChannelHub"
admin.site.site_title = "ChannelHub"
