from django.urls import path

from sales import customer_views, office_urls, robot_views, views

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
    path("import/", views.import_upload, name="import"),
    path("import/template/<slug:kind>.xlsx", views.import_template, name="import-template"),
]
urlpatterns += office_urls.urlpatterns
