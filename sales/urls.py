from django.urls import path

from sales import appeal_views, customer_views, office_urls, robot_views, views

app_name = "sales"
urlpatterns = [
    path("visits/today/", views.visits_today, name="visits-today"),
    path("visits/check-phone/", views.visit_check_phone, name="visit-check-phone"),
    path("visits/<int:pk>/confirm/", views.visit_confirm_view, name="visit-confirm"),
    path("visits/<int:pk>/reject/", views.visit_reject_view, name="visit-reject"),
    path("daily-report/", views.daily_report, name="daily-report"),
    path("daily-report/export/", views.daily_report_export, name="daily-report-export"),
    path("customers/", customer_views.customer_list_page, name="customer-list"),
    path("customers/<int:pk>/", customer_views.customer_detail, name="customer-detail"),
    path(
        "customers/<int:pk>/override/", customer_views.customer_override, name="customer-override"
    ),
    path(
        "registrations/<int:pk>/extend/",
        customer_views.registration_extend,
        name="registration-extend",
    ),
    path("teams/robots/", robot_views.team_robot_list, name="team-robots"),
    path("teams/<int:pk>/robot/", robot_views.team_robot, name="team-robot"),
    path("appeals/", appeal_views.appeal_queue, name="appeal-queue"),
    path("appeals/<int:pk>/", appeal_views.appeal_detail, name="appeal-detail"),
    path("appeals/<int:pk>/comment/", appeal_views.appeal_comment_view, name="appeal-comment"),
    path("appeals/<int:pk>/uphold/", appeal_views.appeal_uphold_view, name="appeal-uphold"),
    path("appeals/<int:pk>/reject/", appeal_views.appeal_reject_view, name="appeal-reject"),
    path("appeals/evidence/<int:pk>/", appeal_views.appeal_evidence_view, name="appeal-evidence"),
    path("import/", views.import_upload, name="import"),
    path("import/template/<slug:kind>.xlsx", views.import_template, name="import-template"),
]
urlpatterns += office_urls.urlpatterns
