from django.urls import path

from incentives import views

app_name = "incentives"
urlpatterns = [
    path("leaderboards/", views.leaderboards, name="leaderboards"),
    path("leaderboards/export/", views.leaderboard_export, name="leaderboard-export"),
    path("statements/", views.statement_list, name="my-statements"),
    path("statements/export/", views.statements_export, name="statements-export"),
    path("statements/<int:pk>/", views.statement_detail, name="statement-detail"),
    path("statements/<int:pk>/approve/", views.statement_approve, name="statement-approve"),
    path("statements/<int:pk>/mark-paid/", views.statement_mark_paid, name="statement-mark-paid"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/compute/", views.approvals_compute, name="approvals-compute"),
    path("approvals/approve/", views.approvals_approve, name="approvals-approve"),
]
