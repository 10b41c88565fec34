"""Plans in force and the calculators' view of a plan: who a plan pays and by which numbers."""

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from common.periods import Period
from common.roles import Role
from incentives.models import IncentivePlan
from incentives.rules import CommissionRule, Employment, PlanRules, RankedAward, TeamAwardRule
from sales.models import Project, Staff


def plans_in_force(*, month: Period) -> list[IncentivePlan]:
    """Plans whose month has come, newest first; a project follows the newest plan naming it,
    and the newest plan naming no project (the default plan) pays every project left over."""
    plans = list(
        IncentivePlan.objects.filter(effective_from__lte=month.start).prefetch_related("projects")
    )
    claimed: set[int] = set()
    in_force = []
    default = None
    for plan in plans:
        named = {p.pk for p in plan.projects.all()}
        if not named:
            default = default or plan
            continue
        project_ids = named - claimed
        if project_ids:
            plan.project_ids_in_force = project_ids
            in_force.append(plan)
            claimed |= project_ids
    if default is not None:
        rest = set(Project.objects.exclude(pk__in=claimed).values_list("pk", flat=True))
        if rest:
            default.project_ids_in_force = rest
            in_force.append(default)
    return in_force


def default_plan() -> IncentivePlan | None:
    """The newest plan naming no project: it pays every project no other plan names."""
    return IncentivePlan.objects.filter(projects__isnull=True).order_by("-effective_from").first()


def plan_rules(*, plan: IncentivePlan) -> PlanRules:
    """The pure calculators' view of a stored plan."""
    commission = {
        (rate.project.code if rate.project_id else None, rate.property_type): CommissionRule(
            rate.mode, rate.value
        )
        for rate in plan.commission_rates.select_related("project")
    }
    return PlanRules(
        base_salary={
            "regular": plan.base_salary_regular,
            "excellent": plan.base_salary_excellent,
            "senior": plan.base_salary_senior,
        },
        rest_days_per_month=plan.rest_days_per_month,
        commission=commission,
        visit_incentive={
            "high_rise": plan.visit_incentive_high_rise,
            "garden_house": plan.visit_incentive_garden_house,
            "villa": plan.visit_incentive_villa,
        },
        weekly_visit_award=RankedAward(
            Decimal(plan.weekly_visit_threshold),
            (plan.weekly_visit_prize_1, plan.weekly_visit_prize_2, plan.weekly_visit_prize_3),
        ),
        monthly_visit_award=RankedAward(
            Decimal(plan.monthly_visit_threshold),
            (plan.monthly_visit_prize_1, plan.monthly_visit_prize_2, plan.monthly_visit_prize_3),
        ),
        signing_award=RankedAward(
            plan.signing_threshold_amount,
            (plan.signing_prize_1, plan.signing_prize_2, plan.signing_prize_3),
        ),
        team_award=TeamAwardRule(plan.team_threshold_amount, plan.team_prize),
        referral_bonus=plan.referral_bonus,
        promotion_streak_months=plan.promotion_streak_months,
        promotion_top_n=plan.promotion_top_n,
    )


def plan_marketers(*, plan: IncentivePlan, period: Period) -> QuerySet[Staff]:
    """The plan's marketers employed at some point of the period (the ranking population)."""
    return plan_marketers_between(plan=plan, start=period.start, end=period.end)


def plan_project_ids(*, plan: IncentivePlan) -> list[int]:
    """The projects a plan pays for in the month computed (a newer plan may claim some)."""
    in_force = getattr(plan, "project_ids_in_force", None)
    return sorted(in_force) if in_force else [p.pk for p in plan.projects.all()]


def plan_marketers_between(*, plan: IncentivePlan, start: date, end: date) -> QuerySet[Staff]:
    return Staff.objects.filter(
        role=Role.MARKETER, team__project__in=plan_project_ids(plan=plan), hired_on__lte=end
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=start))


def employments(*, marketers: QuerySet[Staff]) -> list[Employment]:
    return [
        Employment(staff_id=pk, level=level, hired_on=hired_on, left_on=left_on)
        for pk, level, hired_on, left_on in marketers.values_list(
            "pk", "level", "hired_on", "left_on"
        )
    ]
