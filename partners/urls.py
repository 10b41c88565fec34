from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("apply/", views.application_apply, name="apply"),
    path("apply/done/", views.application_apply_done, name="apply-done"),
    path("invite/<str:token>/", views.invite_accept, name="invite"),
    path("applications/", views.application_board, name="application-board"),
]
