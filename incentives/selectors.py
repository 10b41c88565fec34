"""Reads for the incentive engine: plans in force and the month's facts, aggregated in SQL.

Every aggregate is one GROUP BY over the plan's marketers, never a query per person.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from common.money import to_money
from common.periods import SHANGHAI, Period, day_bounds, parse_period, week_of
from common.roles import Role, user_role
from incentives.choices import BoardKind, TargetMetric, TargetSubject
from incentives.models import (
    ChannelCost,
    IncentivePlan,
    Leaderboard,
    PromotionEligibility,
    Statement,
    Target,
)
from incentives.rules import (
    CommissionRule,
    ContractTerms,
    Employment,
    PlanRules,
    RankedAward,
    RankedRow,
    ReferralFacts,
    SigningFacts,
    TeamAwardRule,
    TeamFacts,
    monthly_visit_ranking,
    signing_ranking,
    team_ranking,
    weekly_visit_ranking,
)
from incentives.rules.scorecard import Scorecard, review_reasons
from incentives.rules.staffing import StaffingFacts, staffing_warnings
from partners.choices import ContractStatus, PartnerStatus
from partners.models import Partner, PartnerContract, TrainingAttendance
from partners.selectors import partner_for_user
from sales.choices import MortgageStatus, PaymentKind, SigningStatus
from sales.models import (
    Mortgage,
    Payment,
    Project,
    Registration,
    Signing,
    Staff,
    Team,
    Visit,
)
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


def period_valid_visits(*, period: Period) -> QuerySet[Visit]:
    """Valid visits (有效来访) inside a period, whoever brought them: the one definition the
    leaderboards, target attainment and 费效 count."""
    return Visit.objects.filter(
        is_valid=True, visited_at__gte=period.start_at, visited_at__lt=period.end_at
    )


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
            is_valid=True,
            marketer__in=marketers,
            visited_at__gte=day_bounds(start)[0],
            visited_at__lt=day_bounds(end)[1],
        )
        .annotate(
            week=TruncWeek("visited_at", tzinfo=SHANGHAI),
            in_month=Case(When(inside, then=Value(True)), default=Value(False)),
        )
        .values("marketer", "property_type", "week", "in_month")
        .annotate(n=Count("id"))
        .values_list("marketer", "property_type", "week", "in_month", "n")
    )
    monthly: dict[int, int] = defaultdict(int)
    by_type: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    weekly: dict[Period, dict[int, int]] = {week: defaultdict(int) for week in weeks}
    week_at: dict[datetime, Period] = {}  # a handful of week starts over ~10^5 rows
    for staff, property_type, week_start, in_month, n in rows:
        if in_month:
            monthly[staff] += n
            by_type[staff][property_type] += n
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
    """Signings that count in a period, whoever is credited: signed in it, not cancelled (退房)
    on or before computed_on — the one definition the leaderboards, statements, target
    attainment and 费效 count."""
    return Signing.objects.filter(signed_on__gte=period.start, signed_on__lte=period.end).exclude(
        status=SigningStatus.CANCELLED, cancelled_on__lte=computed_on
    )


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


def frozen_board(*, plan: IncentivePlan, kind: str, period: str) -> Leaderboard | None:
    return Leaderboard.objects.filter(plan=plan, kind=kind, period=period).first()


def top_months(
    *, plan: IncentivePlan, kind: str, months: list[Period], top_n: int
) -> dict[int, set[Period]]:
    """Months (from frozen boards) in which each marketer ranked within the top N, under this
    plan or an earlier version for any of its projects (a new version keeps the streak)."""
    by_code = {str(m): m for m in months}
    versions = IncentivePlan.objects.filter(projects__in=plan_project_ids(plan=plan))
    rows = (
        Leaderboard.objects.filter(plan__in=versions.values("pk"), kind=kind, period__in=by_code)
        .filter(entries__is_eligible=True, entries__rank__lte=top_n)
        .values_list("period", "entries__staff")
    )
    result: dict[int, set[Period]] = defaultdict(set)
    for code, staff in rows:
        result[staff].add(by_code[code])
    return result


def statement_list(*, user) -> QuerySet[Statement]:
    """Statements a user may see: managers all, supervisors their teams', marketers their own."""
    statements = (
        Statement.objects.filter(staff__isnull=False)
        .select_related("staff", "plan")
        .prefetch_related("lines")
    )
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


def promotion_list(*, user) -> QuerySet[PromotionEligibility]:
    """Marketers eligible for the promotion exam, scoped as statements are: managers all,
    supervisors their teams', marketers their own; nobody else."""
    promotions = PromotionEligibility.objects.select_related("staff__team").order_by(
        "-period", "staff__name", "pk"
    )
    role = user_role(user)
    if role == Role.MANAGER:
        return promotions
    me = staff_for_user(user)
    if me is None:
        return promotions.none()
    if role == Role.SUPERVISOR:
        return promotions.filter(staff__team__supervisor=me)
    if role == Role.MARKETER:
        return promotions.filter(staff=me)
    return promotions.none()


def statement_page_list(*, user) -> QuerySet[Statement]:
    """statement_list with each person's team: the statement pages and payroll exports."""
    return statement_list(user=user).select_related("staff__team")


def statement_filter_teams(*, user) -> QuerySet[Team]:
    """Teams a user may filter statements by: managers all, supervisors the teams they run."""
    teams = Team.objects.select_related("project").order_by("project__name", "name")
    role = user_role(user)
    if role == Role.MANAGER:
        return teams
    me = staff_for_user(user)
    if role == Role.SUPERVISOR and me is not None:
        return teams.filter(supervisor=me)
    return teams.none()


# --- leaderboards (read-only: the live figures of an open period) ---------------------------
def board_compute(
    *,
    plan: IncentivePlan,
    rules: PlanRules,
    kind: str,
    period: Period,
    computed_on: date,
    visit_counts: dict[int, int] | None = None,
) -> tuple[RankedRow, ...]:
    """Rank a board from the data as it stands (every plan marketer listed, zero or not);
    visit boards may be given counts already aggregated (see month_visit_facts)."""
    marketers = plan_marketers(plan=plan, period=period)
    if kind == BoardKind.MONTHLY_TEAM_SIGNINGS:
        teams = team_facts(plan=plan, marketers=marketers, month=period, computed_on=computed_on)
        return team_ranking(rules, month=period, teams=teams)
    everyone = dict.fromkeys(marketers.values_list("pk", flat=True), 0)
    if kind == BoardKind.MONTHLY_SIGNINGS:
        amounts = signed_amounts(marketers=marketers, month=period, computed_on=computed_on)
        return signing_ranking(rules, month=period, amounts={**everyone, **amounts})
    if visit_counts is None:
        visit_counts = valid_visit_counts(marketers=marketers, period=period)
    counts = {**everyone, **{k: v for k, v in visit_counts.items() if k in everyone}}
    tasks = staff_visit_tasks(period=period)
    if kind == BoardKind.WEEKLY_VISITS:
        return weekly_visit_ranking(rules, week=period, counts=counts, tasks=tasks)
    return monthly_visit_ranking(rules, month=period, counts=counts, tasks=tasks)


def staff_visit_tasks(*, period: Period) -> dict[int, int]:
    """Marketers' own visit tasks for a week or month: their valid-visits targets for exactly
    that period (one query). Without one, a marketer's task is the plan's threshold."""
    return {
        staff_id: int(value)
        for staff_id, value in Target.objects.filter(
            metric=TargetMetric.VALID_VISITS, subject_type=TargetSubject.STAFF, period=str(period)
        ).values_list("subject_id", "value")
    }


def board_rows_of(board: Leaderboard) -> tuple[RankedRow, ...]:
    return tuple(
        RankedRow(
            subject_id=e.team_id or e.staff_id,
            value=e.value,
            is_eligible=e.is_eligible,
            rank=e.rank,
            prize_amount=e.prize_amount,
            explanation=e.explanation,
        )
        for e in board.entries.all()
    )


def board_rows(
    *, plan: IncentivePlan, kind: str, period: Period, today: date
) -> tuple[tuple[RankedRow, ...], bool]:
    """A board for display: the frozen snapshot of a closed period, else live figures."""
    board = frozen_board(plan=plan, kind=kind, period=str(period))
    if board is not None:
        return board_rows_of(board), True
    rules = plan_rules(plan=plan)
    return board_compute(plan=plan, rules=rules, kind=kind, period=period, computed_on=today), False


def plan_for_board(*, month: Period, plan_id: int | None) -> IncentivePlan | None:
    """The plan a board is asked for; without an id, the only plan in force (else None)."""
    plans = plans_in_force(month=month)
    if plan_id is not None:
        return next((p for p in plans if p.pk == plan_id), None)
    return plans[0] if len(plans) == 1 else None


def leaderboard(*, plan: IncentivePlan, kind: str, period: Period, today: date) -> dict:
    """A board as the API and pages show it, with names (two lookups, whatever its size)."""
    rows, frozen = board_rows(plan=plan, kind=kind, period=period, today=today)
    is_team = kind == BoardKind.MONTHLY_TEAM_SIGNINGS
    ids = {row.subject_id for row in rows}
    staff = (
        {}
        if is_team
        else {
            pk: (name, team)
            for pk, name, team in Staff.objects.filter(pk__in=ids).values_list(
                "pk", "name", "team_id"
            )
        }
    )
    team_ids = ids if is_team else {team for _name, team in staff.values() if team}
    teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    entries = []
    for row in rows:
        team_id = row.subject_id if is_team else staff.get(row.subject_id, (None, None))[1]
        entries.append(
            {
                "rank": row.rank,
                "staff": None if is_team else row.subject_id,
                "staff_name": None if is_team else staff.get(row.subject_id, ("", None))[0],
                "team": team_id,
                "team_name": teams.get(team_id),
                "value": row.value,
                "eligible": row.is_eligible,
                "prize": row.prize_amount,
                "explanation": row.explanation,
            }
        )
    return {
        "kind": kind,
        "period": str(period),
        "plan": plan.pk,
        "frozen": frozen,
        "entries": entries,
    }


# --- partners' commission -----------------------------------------------------------------------
@dataclass(frozen=True)
class PartnerSigningFacts:
    partner_id: int
    signing: SigningFacts
    down_payment_on: date | None
    disbursed_on: date | None


def partner_signing_facts(*, month: Period, computed_on: date) -> list[PartnerSigningFacts]:
    """Partner-credited signings with a possible milestone in the month (signed, first down
    payment or first disbursement in it), not cancelled by the compute day."""
    first_down_payment = (
        Payment.objects.filter(signing=OuterRef("pk"), kind=PaymentKind.DOWN_PAYMENT)
        .order_by("paid_on")
        .values("paid_on")[:1]
    )
    first_disbursement = (
        Mortgage.objects.filter(signing=OuterRef("pk"), status=MortgageStatus.DISBURSED)
        .order_by("disbursed_on")
        .values("disbursed_on")[:1]
    )
    in_month = {"gte": month.start, "lte": month.end}
    rows = (
        Signing.objects.filter(partner__isnull=False, signed_on__lte=month.end)
        .exclude(status=SigningStatus.CANCELLED, cancelled_on__lte=computed_on)
        .annotate(dp_on=Subquery(first_down_payment), disb_on=Subquery(first_disbursement))
        .filter(
            Q(**{f"signed_on__{k}": v for k, v in in_month.items()})
            | Q(**{f"dp_on__{k}": v for k, v in in_month.items()})
            | Q(**{f"disb_on__{k}": v for k, v in in_month.items()})
        )
        .order_by("signed_on", "pk")
        .values_list(
            "partner",
            "pk",
            "property_type",
            "amount",
            "signed_on",
            "project__code",
            "project__name",
            "cancelled_on",
            "dp_on",
            "disb_on",
        )
    )
    return [
        PartnerSigningFacts(
            partner_id=partner,
            signing=SigningFacts(
                signing_id=pk,
                property_type=kind,
                amount=amount,
                signed_on=on,
                project_code=code,
                project_name=name,
                cancelled_on=cancelled,
            ),
            down_payment_on=dp_on,
            disbursed_on=disb_on,
        )
        for partner, pk, kind, amount, on, code, name, cancelled, dp_on, disb_on in rows
    ]


@dataclass(frozen=True)
class ContractWindow:
    terms: ContractTerms
    start_on: date
    end_on: date
    terminated_on: date | None


def partner_contract_terms(*, partner_ids: set[int]) -> dict[int, list[ContractWindow]]:
    """Every non-draft contract of these partners with its fee terms and dates (one query)."""
    result: dict[int, list[ContractWindow]] = defaultdict(list)
    contracts = (
        PartnerContract.objects.filter(partner__in=partner_ids)
        .exclude(status=ContractStatus.DRAFT)
        .order_by("start_on", "pk")
    )
    for contract in contracts:
        result[contract.partner_id].append(
            ContractWindow(
                terms=ContractTerms(
                    contract_id=contract.pk,
                    code=contract.code,
                    fee_mode=contract.fee_mode,
                    fee_value=contract.fee_value,
                    milestone=contract.fee_milestone,
                ),
                start_on=contract.start_on,
                end_on=contract.end_on,
                terminated_on=contract.terminated_on,
            )
        )
    return dict(result)


def contract_in_force(windows: list[ContractWindow], *, on: date) -> ContractTerms | None:
    """The contract whose term covers a day (and was not terminated before it)."""
    for window in reversed(windows):
        ended = window.terminated_on if window.terminated_on else window.end_on
        if window.start_on <= on <= min(ended, window.end_on):
            return window.terms
    return None


def partner_statement_list(*, user) -> QuerySet[Statement]:
    """Partners' statements: managers and supervisors all; a partner user its own approved
    or paid ones (drafts are internal until approved)."""
    statements = (
        Statement.objects.filter(partner__isnull=False)
        .select_related("partner")
        .prefetch_related("lines")
    )
    role = user_role(user)
    if role in (Role.MANAGER, Role.SUPERVISOR):
        return statements
    if role == Role.PARTNER:
        partner = partner_for_user(user)
        if partner is None:
            return statements.none()
        return statements.filter(partner=partner, status__in=("approved", "paid"))
    return statements.none()


# --- targets (KPI) and attainment ----------------------------------------------------------------
_SUBJECT_FIELD = {
    # metric family → subject type → the field that groups the facts by subject
    "signing": {"staff": "marketer", "team": "marketer__team", "partner": "partner"},
    "payment": {
        "staff": "signing__marketer",
        "team": "signing__marketer__team",
        "partner": "signing__partner",
    },
}


def _actuals_queryset(*, metric: str, period: Period, today: date) -> tuple[QuerySet, str, str]:
    """(facts in the period, value expression kind, grouping family) for a metric. Signings
    and valid visits are the leaderboards' own selectors, so attainment and the boards agree."""
    if metric in ("signing_amount", "signed_units"):
        signings = period_counted_signings(period=period, computed_on=today)
        return signings, ("sum" if metric == "signing_amount" else "count"), "signing"
    if metric == "valid_visits":
        return period_valid_visits(period=period), "count", "signing"
    if metric == "registrations":
        registrations = Registration.objects.filter(
            registered_at__gte=period.start_at, registered_at__lt=period.end_at
        )
        return registrations, "count", "signing"
    if metric == "payments":
        payments = Payment.objects.filter(paid_on__gte=period.start, paid_on__lte=period.end)
        return payments, "sum", "payment"
    partners = Partner.objects.filter(
        created_at__gte=period.start_at, created_at__lt=period.end_at
    ).exclude(status=PartnerStatus.PROSPECT)
    return partners, "count", ""


def target_actuals(*, targets: list, today: date) -> dict[int, Decimal | None]:
    """Each target's actual so far, live, with one GROUP BY per (metric, subject type,
    period) present — the page size does not change the number of queries per group."""
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for target in targets:
        groups[(target.metric, target.subject_type, target.period)].append(target)
    actuals: dict[int, Decimal | None] = {}
    for (metric, subject_type, code), members in groups.items():
        facts, how, family = _actuals_queryset(
            metric=metric, period=parse_period(code), today=today
        )
        value = Sum("amount") if how == "sum" else Count("id")
        if subject_type == "company":
            total = facts.aggregate(v=value)["v"] or 0
            by_subject = {None: total}
        elif family and subject_type in _SUBJECT_FIELD[family]:
            field = _SUBJECT_FIELD[family][subject_type]
            ids = [t.subject_id for t in members]
            by_subject = {
                row[field]: row["v"]
                for row in facts.filter(**{f"{field}__in": ids}).values(field).annotate(v=value)
            }
        else:
            by_subject = {}  # e.g. new partners are counted for the company only
        for target in members:
            known = subject_type == "company" or (family and subject_type in _SUBJECT_FIELD[family])
            actuals[target.pk] = Decimal(by_subject.get(target.subject_id, 0)) if known else None
    return actuals


def target_list(*, user) -> QuerySet[Target]:
    """Targets a user may see: managers and secretaries all; a supervisor the company's, their
    teams', their teams' people's and partners'; marketers and consultants the company's,
    their team's and their own; a partner user its own partner's."""
    targets = Target.objects.all()
    role = user_role(user)
    if role in (Role.MANAGER, Role.SECRETARY):
        return targets
    if role == Role.PARTNER:
        partner = partner_for_user(user)
        return (
            targets.filter(subject_type="partner", subject_id=partner.pk)
            if partner
            else (targets.none())
        )
    me = staff_for_user(user)
    if me is None:
        return targets.none()
    company = Q(subject_type="company")
    if role == Role.SUPERVISOR:
        teams = list(Team.objects.filter(supervisor=me).values_list("pk", flat=True))
        people = list(Staff.objects.filter(team__in=teams).values_list("pk", flat=True))
        return targets.filter(
            company
            | Q(subject_type="team", subject_id__in=teams)
            | Q(subject_type="staff", subject_id__in=[*people, me.pk])
            | Q(subject_type="partner")
        )
    return targets.filter(
        company
        | Q(subject_type="team", subject_id=me.team_id)
        | Q(subject_type="staff", subject_id=me.pk)
    )


def team_month_targets(*, month: Period) -> dict[int, Decimal]:
    """Teams' monthly signing-amount targets (the team award also requires reaching them)."""
    return dict(
        Target.objects.filter(
            metric="signing_amount", subject_type="team", period=str(month)
        ).values_list("subject_id", "value")
    )


# --- partner scorecards (渠道绩效评估) ------------------------------------------------------------
def partner_scorecards(*, period: Period, today: date, partners=None) -> list[Scorecard]:
    """Every active partner's scorecard for a month or quarter: one GROUP BY per measure."""
    partners = (
        Partner.objects.filter(status=PartnerStatus.ACTIVE) if partners is None else (partners)
    )
    rows = list(partners.values_list("pk", "credit_rating"))
    ids = [pk for pk, _rating in rows]

    def grouped(queryset, field: str, value=None) -> dict[int, object]:
        return dict(
            queryset.filter(**{f"{field}__in": ids})
            .values(field)
            .annotate(v=value or Count("id"))
            .values_list(field, "v")
        )

    registrations = grouped(
        Registration.objects.filter(
            registered_at__gte=period.start_at, registered_at__lt=period.end_at
        ),
        "partner",
    )
    visits = grouped(
        Visit.objects.filter(
            is_valid=True, visited_at__gte=period.start_at, visited_at__lt=period.end_at
        ),
        "partner",
    )
    signings = Signing.objects.filter(
        signed_on__gte=period.start, signed_on__lte=period.end
    ).exclude(status=SigningStatus.CANCELLED, cancelled_on__lte=today)
    signed_count = grouped(signings, "partner")
    signed_amount = grouped(signings, "partner", Sum("amount"))
    targets = dict(
        Target.objects.filter(
            metric="signing_amount", subject_type="partner", subject_id__in=ids, period=str(period)
        ).values_list("subject_id", "value")
    )
    attendance = TrainingAttendance.objects.filter(
        session__held_on__gte=period.start, session__held_on__lte=min(period.end, today)
    )
    invited = grouped(attendance, "partner")
    attended = grouped(attendance.filter(attended=True), "partner")
    cards = []
    for pk, rating in rows:
        card = Scorecard(
            partner_id=pk,
            period=str(period),
            registrations=registrations.get(pk, 0),
            valid_visits=visits.get(pk, 0),
            signings=signed_count.get(pk, 0),
            signed_amount=signed_amount.get(pk) or Decimal("0"),
            target_amount=targets.get(pk),
            trainings_invited=invited.get(pk, 0),
            trainings_attended=attended.get(pk, 0),
            credit_rating=rating,
        )
        cards.append(replace(card, review=review_reasons(card)))
    return cards


# --- 费效 (cost-effectiveness) and staffing -----------------------------------------------------
def cost_scope(*, user) -> set[int] | None:
    """The projects whose 费效 and staffing a user reads — the dashboard's rule, shared by its
    API: None for a manager (the whole company, totals included); for a supervisor the
    projects of the teams they run, without company totals; nothing for anyone else."""
    role = user_role(user)
    if role == Role.MANAGER:
        return None
    me = staff_for_user(user) if role == Role.SUPERVISOR else None
    if me is None:
        return set()
    return set(Team.objects.filter(supervisor=me).values_list("project_id", flat=True))


def cost_list(*, user) -> QuerySet[ChannelCost]:
    """Channel spend entries: managers every one, a supervisor those of their teams' projects."""
    costs = ChannelCost.objects.select_related("project", "partner")
    scope = cost_scope(user=user)
    return costs if scope is None else costs.filter(project__in=scope)


def _cost_per(amount: Decimal, count: int) -> Decimal | None:
    return to_money(amount / count) if count else None


def _partner_costs(*, spend: QuerySet, visits: QuerySet, signings: QuerySet) -> list[dict]:
    """Spend, valid visits and signings credited to each partner with any of them, in ONE
    query (a correlated subquery per measure), with cost per valid visit and per signing."""
    money = DecimalField(max_digits=16, decimal_places=2)

    def per_partner(facts: QuerySet, value, output_field, zero):
        rows = facts.filter(partner=OuterRef("pk")).order_by().values("partner").annotate(v=value)
        return Coalesce(Subquery(rows.values("v"), output_field=output_field), Value(zero))

    rows = (
        Partner.objects.filter(
            Q(pk__in=spend.values("partner"))
            | Q(pk__in=visits.values("partner"))
            | Q(pk__in=signings.values("partner"))
        )
        .annotate(
            spent=per_partner(spend, Sum("amount"), money, Decimal("0")),
            visit_count=per_partner(visits, Count("id"), IntegerField(), 0),
            signing_count=per_partner(signings, Count("id"), IntegerField(), 0),
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "spent", "visit_count", "signing_count")
    )
    return [
        {
            "partner": pk,
            "partner_name": name,
            "spend": spent,
            "valid_visits": visit_count,
            "signings": signing_count,
            "cost_per_valid_visit": _cost_per(spent, visit_count),
            "cost_per_signing": _cost_per(spent, signing_count),
        }
        for pk, name, spent, visit_count, signing_count in rows
    ]


def cost_effectiveness(*, period: Period, today: date, project_ids: set[int] | None = None) -> dict:
    """Spend by category, per project and per partner, against valid visits and signings of
    the period: cost per valid visit and per signing (the seed's 费效 measures), in a fixed
    number of queries. With `project_ids` (a supervisor's, see cost_scope) only those projects'
    spend and activity count, and the company totals are left out (None)."""
    months = [str(m) for m in period.months()]
    spend = ChannelCost.objects.filter(period__in=months)
    visits = period_valid_visits(period=period)
    signings = period_counted_signings(period=period, computed_on=today)
    company = project_ids is None
    if not company:
        spend = spend.filter(project__in=project_ids)
        visits = visits.filter(project__in=project_ids)
        signings = signings.filter(project__in=project_ids)
    by_project = dict(
        spend.filter(project__isnull=False)
        .values("project")
        .annotate(v=Sum("amount"))
        .values_list("project", "v")
    )
    visits_by_project = dict(
        visits.values("project").annotate(v=Count("id")).values_list("project", "v")
    )
    signings_by_project = dict(
        signings.values("project").annotate(v=Count("id")).values_list("project", "v")
    )
    projects = []
    for pk, name in Project.objects.filter(
        pk__in=set(by_project) | set(visits_by_project) | set(signings_by_project)
    ).values_list("pk", "name"):
        cost = by_project.get(pk, Decimal("0"))
        projects.append(
            {
                "project": pk,
                "project_name": name,
                "spend": cost,
                "valid_visits": visits_by_project.get(pk, 0),
                "signings": signings_by_project.get(pk, 0),
                "cost_per_valid_visit": _cost_per(cost, visits_by_project.get(pk, 0)),
                "cost_per_signing": _cost_per(cost, signings_by_project.get(pk, 0)),
            }
        )
    report = {
        "period": str(period),
        "company": company,
        "spend": None,
        "by_category": [],
        "valid_visits": None,
        "signings": None,
        "cost_per_valid_visit": None,
        "cost_per_signing": None,
        "projects": projects,
        "partners": _partner_costs(spend=spend, visits=visits, signings=signings),
    }
    if company:
        by_category = dict(
            spend.values("category").annotate(v=Sum("amount")).values_list("category", "v")
        )
        total = sum(by_category.values(), Decimal("0"))
        valid_total = sum(visits_by_project.values())
        signed_total = sum(signings_by_project.values())
        report |= {
            "spend": total,
            "by_category": [{"category": c, "amount": a} for c, a in sorted(by_category.items())],
            "valid_visits": valid_total,
            "signings": signed_total,
            "cost_per_valid_visit": _cost_per(total, valid_total),
            "cost_per_signing": _cost_per(total, signed_total),
        }
    return report


def staffing_check(*, project_ids: set[int] | None = None) -> list[dict]:
    """Each active project's active staff by role, with the seed's staffing warnings; with
    `project_ids` (a supervisor's, see cost_scope) only those projects."""
    counts = defaultdict(lambda: defaultdict(int))
    staff = Staff.objects.filter(is_active=True, team__project__is_active=True)
    projects = Project.objects.filter(is_active=True)
    if project_ids is not None:
        staff = staff.filter(team__project__in=project_ids)
        projects = projects.filter(pk__in=project_ids)
    for row in staff.values("team__project", "role").annotate(n=Count("id")):
        counts[row["team__project"]][row["role"]] = row["n"]
    result = []
    for pk, name in projects.values_list("pk", "name"):
        roles = counts.get(pk, {})
        facts = StaffingFacts(
            project_id=pk,
            project_name=name,
            marketers=roles.get(Role.MARKETER, 0),
            consultants=roles.get(Role.CONSULTANT, 0),
            secretaries=roles.get(Role.SECRETARY, 0),
            people=sum(roles.values()),
        )
        result.append({**facts.__dict__, "warnings": staffing_warnings(facts)})
    return result
