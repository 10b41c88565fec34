from django.urls import path
from rest_framework.routers import DefaultRouter

from incentives.api import (
    budget_views,
    campaign_views,
    cost_views,
    export_views,
    partner_views,
    plan_views,
    report_views,
    scorecard_views,
    simulate_views,
    target_views,
    views,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("statements", views.StatementViewSet, basename="statement")
router.register("incentives/jobs", views.JobRunViewSet, basename="job-run")
router.register("promotions", views.PromotionViewSet, basename="promotion")
router.register("incentive-plans", plan_views.IncentivePlanViewSet, basename="incentive-plan")
router.register("targets", target_views.TargetViewSet, basename="target")
router.register("channel-costs", cost_views.ChannelCostViewSet, basename="channel-cost")
router.register("campaigns", campaign_views.CampaignViewSet, basename="campaign")
router.register("budgets", budget_views.BudgetViewSet, basename="budget")
router.register(
    "partner-statements", partner_views.PartnerStatementViewSet, basename="partner-statement"
)

urlpatterns = [
    path("leaderboards/", views.LeaderboardView.as_view(), name="leaderboards"),
    # Before the router: "statements/export/" is not a statement id.
    path(
        "statements/export/",
        export_views.StatementExportView.as_view(),
        name="statements-export",
    ),
    path(
        "leaderboards/export/",
        export_views.LeaderboardExportView.as_view(),
        name="leaderboard-export",
    ),
    path("incentives/compute/", views.ComputeView.as_view(), name="incentives-compute"),
    path("incentives/simulate/", simulate_views.SimulateView.as_view(), name="incentives-simulate"),
    path(
        "cost-effectiveness/", cost_views.CostEffectivenessView.as_view(), name="cost-effectiveness"
    ),
    path("reports/weekly/", report_views.WeeklyReportView.as_view(), name="report-weekly"),
    path("reports/monthly/", report_views.MonthlyReportView.as_view(), name="report-monthly"),
    path(
        "reports/weekly/export/",
        report_views.WeeklyReportExportView.as_view(),
        name="report-weekly-export",
    ),
    path(
        "reports/monthly/export/",
        report_views.MonthlyReportExportView.as_view(),
        name="report-monthly-export",
    ),
    path("staffing-check/", cost_views.StaffingCheckView.as_view(), name="staffing-check"),
    path(
        "partner-scorecards/",
        scorecard_views.PartnerScorecardView.as_view(),
        name="partner-scorecards",
    ),
    *router.urls,
]
