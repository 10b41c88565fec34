from django.urls import path

from portal.partner import views

app_name = "portal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("customers/", views.customers, name="customers"),
    path("customers/new/", views.register, name="register"),
    path("statements/", views.statements, name="statements"),
    path("statements/<int:pk>/", views.statement_detail, name="statement-detail"),
    path("contract/", views.contract, name="contract"),
    path("contract/<int:pk>/pdf/", views.contract_pdf, name="contract-pdf"),
    path("targets/", views.targets, name="targets"),
    path("training/", views.training, name="training"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/new/", views.appeal_new, name="appeal-new"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal-detail"),
    path("appeals/evidence/<int:pk>/", views.appeal_evidence, name="appeal-evidence"),
]
