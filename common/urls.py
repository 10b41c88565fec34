from django.urls import path

from common.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notifications_read_all, name="read-all"),
    path("settings/", views.notification_preferences, name="preferences"),
    path("<int:pk>/", views.notification_detail, name="detail"),
    path("<int:pk>/read/", views.notification_read, name="read"),
]
