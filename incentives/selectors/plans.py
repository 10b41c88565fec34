"""Plans in force and the calculators' view of a plan: who a plan pays and by which numbers."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from common.access import can
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


def plan_list(*, user=None) -> QuerySet[IncentivePlan]:
    """Every plan version with its projects and commission rates (newest first); given a
    user, none unless they may read plans (a partner is answered as if there were none)."""
    if user is not None and not can(user, "read_plans"):
        return IncentivePlan.objects.none()
    return IncentivePlan.objects.prefetch_related("projects", "commission_rates").order_by(
        "-effective_from", "name", "pk"
    )


def plan_rules(
    *,
    plan: IncentivePlan,
    overrides: Mapping | None = None,
    commission_rates: list[Mapping] | None = None,
) -> PlanRules:
    """The pure calculators' view of a stored plan; a what-if replaces some of its numbers
    (`overrides`, by field name) or its whole list of commission rates (each with `project`
    a Project or None, `property_type`, `mode`, `value`)."""
    overrides = overrides or {}

    def value(name: str):
        return overrides[name] if name in overrides else getattr(plan, name)

    if commission_rates is None:
        commission = {
            (rate.project.code if rate.project_id else None, rate.property_type): CommissionRule(
                rate.mode, rate.value
            )
            for rate in plan.commission_rates.select_related("project")
        }
    else:
        commission = {
            (rate["project"].code if rate.get("project") else None, rate["property_type"]): (
                CommissionRule(rate["mode"], rate["value"])
            )
            for rate in commission_rates
        }
    return PlanRules(
        base_salary={
            "regular": value("base_salary_regular"),
            "excellent": value("base_salary_excellent"),
            "senior": value("base_salary_senior"),
        },
        rest_days_per_month=value("rest_days_per_month"),
        commission=commission,
        visit_incentive={
            "high_rise": value("visit_incentive_high_rise"),
            "garden_house": value("visit_incentive_garden_house"),
            "villa": value("visit_incentive_villa"),
        },
        weekly_visit_award=RankedAward(
            Decimal(value("weekly_visit_threshold")),
            tuple(value(f"weekly_visit_prize_{rank}") for rank in (1, 2, 3)),
        ),
        monthly_visit_award=RankedAward(
            Decimal(value("monthly_visit_threshold")),
            tuple(value(f"monthly_visit_prize_{rank}") for rank in (1, 2, 3)),
        ),
        signing_award=RankedAward(
            value("signing_threshold_amount"),
            tuple(value(f"signing_prize_{rank}") for rank in (1, 2, 3)),
        ),
        team_award=TeamAwardRule(value("team_threshold_amount"), value("team_prize")),
        referral_bonus=value("referral_bonus"),
        promotion_streak_months=value("promotion_streak_months"),
        promotion_top_n=value("promotion_top_n"),
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
