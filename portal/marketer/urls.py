"""A marketer's own pages (/marketer/): home, 报备, my customers, my visits."""

from django.urls import path

from portal.marketer import views

app_name = "marketer"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("customers/", views.customers, name="customers"),
    path("customers/<int:pk>/", views.customer_detail, name="customer"),
    path("visits/", views.visits, name="visits"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/new/", views.appeal_new, name="appeal-new"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal-detail"),
    path("appeals/evidence/<int:pk>/", views.appeal_evidence, name="appeal-evidence"),
]
