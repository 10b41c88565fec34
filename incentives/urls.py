from django.urls import path

from incentives import (
    approval_views,
    campaign_views,
    compute_views,
    cost_views,
    plan_views,
    simulate_views,
    target_views,
    views,
)

app_name = "incentives"
urlpatterns = [
    path("leaderboards/", views.leaderboards, name="leaderboards"),
    path("leaderboards/export/", views.leaderboard_export, name="leaderboard-export"),
    path("statements/", views.statement_list, name="my-statements"),
    path("statements/export/", views.statements_export, name="statements-export"),
    path("statements/<int:pk>/", views.statement_detail, name="statement-detail"),
    path("statements/<int:pk>/approve/", views.statement_approve, name="statement-approve"),
    path("statements/<int:pk>/mark-paid/", views.statement_mark_paid, name="statement-mark-paid"),
    path("approvals/", approval_views.approvals, name="approvals"),
    path("approvals/bulk/", approval_views.approvals_bulk, name="approvals-bulk"),
    path("approvals/compute/", compute_views.approvals_compute, name="approvals-compute"),
    path("approvals/jobs/<int:pk>/", compute_views.approvals_job, name="approvals-job"),
    path("plans/", plan_views.plan_list, name="plan-list"),
    path("plans/simulate/", simulate_views.plan_simulate_page, name="plan-simulate"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/history/", plan_views.plan_history, name="plan-history"),
    path("targets/", target_views.target_list_page, name="target-list"),
    path("targets/new/", target_views.target_create_page, name="target-create"),
    path("targets/<int:pk>/edit/", target_views.target_edit_page, name="target-edit"),
    path("targets/<int:pk>/split/", target_views.target_split_page, name="target-split"),
    path("costs/", cost_views.cost_list_page, name="cost-list"),
    path("costs/new/", cost_views.cost_create_page, name="cost-create"),
    path("costs/<int:pk>/edit/", cost_views.cost_edit_page, name="cost-edit"),
    path("campaigns/", campaign_views.campaign_list_page, name="campaign-list"),
    path("campaigns/new/", campaign_views.campaign_create_page, name="campaign-create"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", campaign_views.campaign_edit_page, name="campaign-edit"),
    path("campaigns/<int:pk>/<str:to>/", campaign_views.campaign_move, name="campaign-move"),
]
