"""The month's facts for the compute and the boards: valid visits, counted signings, teams and
referrals of a plan's marketers, aggregated in SQL.

Every aggregate is one GROUP BY over the plan's marketers, never a query per person.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DateTimeField, F, Func, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone

from common.periods import SHANGHAI, Period, day_bounds, week_of
from incentives.choices import TargetMetric, TargetSubject
from incentives.models import IncentivePlan, Target
from incentives.rules import RankedRow, ReferralFacts, SigningFacts, TeamFacts
from incentives.selectors.plans import plan_marketers_between
from sales.models import Signing, Staff, Team, Visit
from sales.selectors import facts


def period_valid_visits(*, period: Period) -> QuerySet[Visit]:
    """Valid visits (有效来访) inside a period, whoever brought them (sales.selectors.facts):
    what the leaderboards, target attainment and 费效 count."""
    return facts.valid_visits(period=period)


def _valid_visits(*, marketers: QuerySet[Staff], period: Period) -> QuerySet[Visit]:
    return period_valid_visits(period=period).filter(marketer__in=marketers)


def valid_visit_counts(*, marketers: QuerySet[Staff], period: Period) -> dict[int, int]:
    """Valid visits per marketer in a week or month (one GROUP BY)."""
    rows = (
        _valid_visits(marketers=marketers, period=period).values("marketer").annotate(n=Count("id"))
    )
    return {row["marketer"]: row["n"] for row in rows}


@dataclass(frozen=True)
class MonthVisitFacts:
    """A month's valid visits per marketer, and per week for the weeks paid in the month."""

    monthly: dict[int, int]
    by_type: dict[int, dict[str, int]]
    weekly: dict[Period, dict[int, int]]


# A Monday midnight in Shanghai: weeks are 7-day bins from it (Shanghai keeps no summer time).
_MONDAY = datetime(2001, 1, 1, tzinfo=SHANGHAI)


def _week_start(field: str) -> Func:
    """The start of a timestamp's ISO week in Shanghai: `date_bin` on PostgreSQL (cheaper
    than date_trunc at a time zone over a month of visits), TruncWeek elsewhere."""
    if connection.vendor == "postgresql":
        return Func(
            Value(timedelta(days=7)),
            F(field),
            Value(_MONDAY),
            function="date_bin",
            output_field=DateTimeField(),
        )
    return TruncWeek(field, tzinfo=SHANGHAI)


def month_visit_facts(*, plan: IncentivePlan, month: Period) -> MonthVisitFacts:
    """Every visit count the month needs from ONE scan: grouped by marketer, property type,
    ISO week and whether the visit falls inside the month (weeks can straddle two months)."""
    weeks = month.weeks()
    start = min([month.start, *(w.start for w in weeks)])
    end = max([month.end, *(w.end for w in weeks)])
    marketers = plan_marketers_between(plan=plan, start=start, end=end)
    inside = Q(visited_at__gte=month.start_at, visited_at__lt=month.end_at)
    rows = (
        Visit.objects.filter(
            facts.valid_visit_q(),
            marketer__in=marketers,
            visited_at__gte=day_bounds(start)[0],
            visited_at__lt=day_bounds(end)[1],
        )
        .annotate(week=_week_start("visited_at"))
        .values("marketer", "property_type", "week")
        .annotate(n=Count("id"), n_in_month=Count("id", filter=inside))
        .values_list("marketer", "property_type", "week", "n", "n_in_month")
    )
    monthly: dict[int, int] = defaultdict(int)
    by_type: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    weekly: dict[Period, dict[int, int]] = {week: defaultdict(int) for week in weeks}
    week_at: dict[datetime, Period] = {}  # a handful of week starts over ~10^5 rows
    for staff, property_type, week_start, n, in_month in rows:
        if in_month:
            monthly[staff] += in_month
            by_type[staff][property_type] += in_month
        week = week_at.get(week_start)
        if week is None:
            week = week_at[week_start] = week_of(timezone.localtime(week_start, SHANGHAI).date())
        if week in weekly:
            weekly[week][staff] += n
    return MonthVisitFacts(
        monthly=dict(monthly),
        by_type={staff: dict(types) for staff, types in by_type.items()},
        weekly={week: dict(counts) for week, counts in weekly.items()},
    )


def period_counted_signings(*, period: Period, computed_on: date) -> QuerySet[Signing]:
    """Signings that count in a period, whoever is credited (sales.selectors.facts): what the
    leaderboards, statements, target attainment and 费效 count."""
    return facts.counted_signings(period=period, computed_on=computed_on)


def counted_signings(
    *, marketers: QuerySet[Staff], month: Period, computed_on: date
) -> QuerySet[Signing]:
    """Signings that count in a month, of the given marketers."""
    return period_counted_signings(period=month, computed_on=computed_on).filter(
        marketer__in=marketers
    )


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
    """The month's counted signings, by signing date then id (a recompute writes its
    commission lines in the same order)."""
    signings = counted_signings(marketers=marketers, month=month, computed_on=computed_on)
    rows = signings.order_by("signed_on", "pk").values_list(
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
    for staff_id, team_id in _active_members(marketers=marketers, month=month):
        members[team_id].append(staff_id)
    teams = Team.objects.filter(pk__in=set(amounts) | set(members)).values_list("pk", "leader_id")
    targets = team_month_targets(month=month) if targets is None else targets
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


def _active_members(*, marketers: QuerySet[Staff], month: Period) -> QuerySet:
    """(staff id, team id) of the marketers still active at the month's end: who shares a
    team prize."""
    active = marketers.filter(is_active=True).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=month.end)
    )
    return active.values_list("pk", "team_id").order_by("pk")


def team_award_facts(
    *, marketers: QuerySet[Staff], month: Period, rows: tuple[RankedRow, ...]
) -> list[TeamFacts]:
    """The prize-winning teams of a (frozen or live) team board, with their leader and active
    marketers to share the prize; the signed amount is the board's."""
    winners = {row.subject_id: row.value for row in rows if row.prize_amount > 0}
    if not winners:
        return []
    members: dict[int, list[int]] = defaultdict(list)
    for staff_id, team_id in _active_members(
        marketers=marketers.filter(team__in=list(winners)), month=month
    ):
        members[team_id].append(staff_id)
    return [
        TeamFacts(
            team_id=pk,
            signed_amount=winners[pk],
            active_marketer_ids=tuple(members.get(pk, ())),
            leader_id=leader,
        )
        for pk, leader in Team.objects.filter(pk__in=winners).values_list("pk", "leader_id")
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


def team_month_targets(*, month: Period) -> dict[int, Decimal]:
    """Teams' monthly signing-amount targets (the team award also requires reaching them)."""
    return dict(
        Target.objects.filter(
            metric=TargetMetric.SIGNING_AMOUNT, subject_type=TargetSubject.TEAM, period=str(month)
        ).values_list("subject_id", "value")
    )
