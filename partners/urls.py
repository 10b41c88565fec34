from django.urls import path

from partners.views import contracts, directory, public, recruitment, training

app_name = "partners"
urlpatterns = [
    path("apply/", public.application_apply, name="apply"),
    path("apply/done/", public.application_apply_done, name="apply-done"),
    path("invite/<str:token>/", public.invite_accept, name="invite"),
    # Recruitment decisions
    path("applications/", recruitment.application_board, name="application-board"),
    path("applications/<int:pk>/", recruitment.application_detail, name="application-detail"),
    path(
        "applications/<int:pk>/screen/",
        recruitment.application_screen,
        name="application-screen",
    ),
    path(
        "applications/<int:pk>/approve/",
        recruitment.application_approve,
        name="application-approve",
    ),
    path(
        "applications/<int:pk>/reject/",
        recruitment.application_reject,
        name="application-reject",
    ),
    # Partners
    path("", directory.partner_list, name="partner-list"),
    path("<int:pk>/", directory.partner_detail, name="partner-detail"),
    path("<int:pk>/robot/", directory.partner_robot, name="partner-robot"),
    # Contracts
    path("contracts/", contracts.contract_list, name="contract-list"),
    path("contracts/new/", contracts.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/activate/", contracts.contract_activate, name="contract-activate"),
    path("contracts/<int:pk>/terminate/", contracts.contract_terminate, name="contract-terminate"),
    path("contracts/<int:pk>/renew/", contracts.contract_renew, name="contract-renew"),
    path("contracts/<int:pk>/signed.pdf", contracts.contract_pdf, name="contract-pdf"),
    # Trainings
    path("trainings/", training.training_list, name="training-list"),
    path("trainings/new/", training.training_create, name="training-create"),
    path("trainings/<int:pk>/", training.training_detail, name="training-detail"),
    path("trainings/<int:pk>/edit/", training.training_edit, name="training-edit"),
    path("trainings/<int:pk>/invite/", training.training_invite, name="training-invite"),
    path(
        "trainings/<int:pk>/attendance/",
        training.training_attendance,
        name="training-attendance",
    ),
]
