"""Reads for the incentive engine: plans in force and the month's facts, aggregated in SQL.

Every aggregate is one GROUP BY over the plan's marketers, never a query per person.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from common.periods import SHANGHAI, Period, week_of
from common.roles import Role, user_role
from incentives.models import IncentivePlan, Leaderboard, Statement
from incentives.rules import (
    CommissionRule,
    Employment,
    PlanRules,
    RankedAward,
    ReferralFacts,
    SigningFacts,
    TeamAwardRule,
    TeamFacts,
)
from sales.choices import SigningStatus
from sales.models import Signing, Staff, Team, Visit
from sales.selectors import staff_for_user


def plans_in_force(*, month: Period) -> list[IncentivePlan]:
    """Plans whose month has come, newest first; a project follows the newest plan naming it."""
    plans = list(
        IncentivePlan.objects.filter(effective_from__lte=month.start).prefetch_related("projects")
    )
    claimed: set[int] = set()
    in_force = []
    for plan in plans:
        project_ids = {p.pk for p in plan.projects.all()} - claimed
        if project_ids:
            plan.project_ids_in_force = project_ids
            in_force.append(plan)
            claimed |= project_ids
    return in_force


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
    project_ids = getattr(plan, "project_ids_in_force", None) or [p.pk for p in plan.projects.all()]
    return Staff.objects.filter(
        role=Role.MARKETER, team__project__in=project_ids, hired_on__lte=period.end
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))


def employments(*, marketers: QuerySet[Staff]) -> list[Employment]:
    return [
        Employment(staff_id=pk, level=level, hired_on=hired_on, left_on=left_on)
        for pk, level, hired_on, left_on in marketers.values_list(
            "pk", "level", "hired_on", "left_on"
        )
    ]


def _valid_visits(*, marketers: QuerySet[Staff], period: Period) -> QuerySet[Visit]:
    return Visit.objects.filter(
        is_valid=True,
        marketer__in=marketers,
        visited_at__gte=period.start_at,
        visited_at__lt=period.end_at,
    )


def valid_visit_counts(*, marketers: QuerySet[Staff], period: Period) -> dict[int, int]:
    """Valid visits per marketer in a week or month (one GROUP BY)."""
    rows = (
        _valid_visits(marketers=marketers, period=period).values("marketer").annotate(n=Count("id"))
    )
    return {row["marketer"]: row["n"] for row in rows}


def valid_visit_counts_by_type(
    *, marketers: QuerySet[Staff], period: Period
) -> dict[int, dict[str, int]]:
    """Valid visits per marketer and property type in a month (one GROUP BY)."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        _valid_visits(marketers=marketers, period=period)
        .values("marketer", "property_type")
        .annotate(n=Count("id"))
    )
    for row in rows:
        result[row["marketer"]][row["property_type"]] = row["n"]
    return dict(result)


def valid_visit_counts_by_week(
    *, marketers: QuerySet[Staff], weeks: list[Period]
) -> dict[Period, dict[int, int]]:
    """Valid visits per marketer for several weeks at once (one GROUP BY on the local day)."""
    if not weeks:
        return {}
    start_at, end_at = weeks[0].start_at, weeks[-1].end_at
    rows = (
        Visit.objects.filter(
            is_valid=True, marketer__in=marketers, visited_at__gte=start_at, visited_at__lt=end_at
        )
        .annotate(day=TruncDate("visited_at", tzinfo=SHANGHAI))
        .values("marketer", "day")
        .annotate(n=Count("id"))
    )
    result: dict[Period, dict[int, int]] = {week: {} for week in weeks}
    for row in rows:
        week = week_of(row["day"])
        if week in result:
            result[week][row["marketer"]] = result[week].get(row["marketer"], 0) + row["n"]
    return result


def counted_signings(
    *, marketers: QuerySet[Staff], month: Period, computed_on: date
) -> QuerySet[Signing]:
    """Signings that count in a month: signed in it, not cancelled on or before computed_on."""
    return Signing.objects.filter(
        marketer__in=marketers, signed_on__gte=month.start, signed_on__lte=month.end
    ).exclude(status=SigningStatus.CANCELLED, cancelled_on__lte=computed_on)


def signed_amounts(
    *, marketers: QuerySet[Staff], month: Period, computed_on: date
) -> dict[int, Decimal]:
    rows = (
        counted_signings(marketers=marketers, month=month, computed_on=computed_on)
        .values("marketer")
        .annotate(total=Sum("amount"))
    )
    return {row["marketer"]: row["total"] for row in rows}


def signing_facts(
    *, marketers: QuerySet[Staff], month: Period, computed_on: date
) -> list[tuple[int, SigningFacts]]:
    rows = counted_signings(marketers=marketers, month=month, computed_on=computed_on).values_list(
        "marketer",
        "pk",
        "property_type",
        "amount",
        "signed_on",
        "project__code",
        "project__name",
        "cancelled_on",
    )
    return [
        (
            staff,
            SigningFacts(
                signing_id=pk,
                property_type=kind,
                amount=amount,
                signed_on=on,
                project_code=code,
                project_name=name,
                cancelled_on=cancelled,
            ),
        )
        for staff, pk, kind, amount, on, code, name, cancelled in rows
    ]


def team_facts(
    *,
    plan: IncentivePlan,
    marketers: QuerySet[Staff],
    month: Period,
    computed_on: date,
    targets: dict[int, Decimal] | None = None,
) -> list[TeamFacts]:
    """Each team of the plan's projects with its month's signed amount and active marketers."""
    amounts = {
        row["marketer__team"]: row["total"]
        for row in counted_signings(marketers=marketers, month=month, computed_on=computed_on)
        .values("marketer__team")
        .annotate(total=Sum("amount"))
    }
    members: dict[int, list[int]] = defaultdict(list)
    active = marketers.filter(is_active=True).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=month.end)
    )
    for staff_id, team_id in active.values_list("pk", "team_id").order_by("pk"):
        members[team_id].append(staff_id)
    teams = Team.objects.filter(pk__in=set(amounts) | set(members)).values_list("pk", "leader_id")
    targets = targets or {}
    return [
        TeamFacts(
            team_id=pk,
            signed_amount=amounts.get(pk, Decimal("0")),
            active_marketer_ids=tuple(members.get(pk, ())),
            leader_id=leader,
            target_amount=targets.get(pk),
        )
        for pk, leader in teams
    ]


def referral_facts(*, marketers: QuerySet[Staff], month: Period) -> list[ReferralFacts]:
    """Referred staff whose first month may complete in this month, with both leaving dates."""
    # One month completes within the month after hiring at the latest.
    rows = Staff.objects.filter(
        referred_by__in=marketers, hired_on__gte=month.previous().start, hired_on__lte=month.end
    ).values_list("referred_by", "pk", "hired_on", "left_on", "referred_by__left_on")
    return [
        ReferralFacts(
            referrer_id=referrer,
            referred_id=pk,
            referred_hired_on=hired,
            referred_left_on=left,
            referrer_left_on=referrer_left,
        )
        for referrer, pk, hired, left, referrer_left in rows
    ]


def frozen_board(*, plan: IncentivePlan, kind: str, period: str) -> Leaderboard | None:
    return Leaderboard.objects.filter(plan=plan, kind=kind, period=period).first()


def top_months(
    *, plan: IncentivePlan, kind: str, months: list[Period], top_n: int
) -> dict[int, set[Period]]:
    """Months (from frozen boards) in which each marketer ranked within the top N."""
    by_code = {str(m): m for m in months}
    rows = (
        Leaderboard.objects.filter(plan=plan, kind=kind, period__in=by_code)
        .filter(entries__is_eligible=True, entries__rank__lte=top_n)
        .values_list("period", "entries__staff")
    )
    result: dict[int, set[Period]] = defaultdict(set)
    for code, staff in rows:
        result[staff].add(by_code[code])
    return result


def statement_list(*, user) -> QuerySet[Statement]:
    """Statements a user may see: managers all, supervisors their teams', marketers their own."""
    statements = Statement.objects.select_related("staff", "plan").prefetch_related("lines")
    role = user_role(user)
    if role == Role.MANAGER:
        return statements
    me = staff_for_user(user)
    if me is None:
        return statements.none()
    if role == Role.SUPERVISOR:
        return statements.filter(staff__team__supervisor=me)
    if role == Role.MARKETER:
        return statements.filter(staff=me)
    return statements.none()
