"""The manager's dashboard (/dashboard/): attainment, activity, funnel, flags, jobs."""

from django.urls import path

from portal.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
]
