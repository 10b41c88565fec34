"""Reads for the partner portal, always scoped to the signed-in partner user's own partner.

The portal sits on top of the sales and incentive apps: it composes their scoped selectors
(registration_list, signing_list, partner_statement_list, target_list, ...) and adds only
what a partner's pages need. A customer's progress is built from the facts credited to this
partner (the rows and stages the marketer's pages share are in ``portal.channel.selectors``);
what another channel achieved shows as one flag (他人成交), never as who or how much, and a
customer that went elsewhere without a deal (an override, another channel's protection, a
walk-in) as "attributed elsewhere", never to whom. The card's protection is the one that
applies: the deal protection after a visit, else the registration's.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from common.money import ZERO
from common.periods import Period, local_today, month_of, quarter_of, year_of
from incentives.choices import StatementStatus
from incentives.models import Statement, Target
from incentives.rules.targets import attainment_rate
from incentives.selectors import partner_statement_list, target_actuals, target_list
from partners.choices import ContractStatus
from partners.models import Partner, PartnerContract, TrainingSession
from partners.selectors import contract_list, partner_for_user, training_session_list
from portal.channel.selectors import (
    ELSEWHERE,
    LOST,
    REGISTERED,
    SIGNED,
    SUBSCRIBED,
    VISITED,
    latest_per_customer,
    search_q,
    stage_case,
    with_progress,
)
from sales.choices import SubscriptionStatus, VisitStatus
from sales.models import Customer, Registration
from sales.selectors import (
    facts,
    project_active_list,
    registration_list,
    signing_list,
    subscription_list,
    visit_list,
)
from sales.selectors.customer_list import customer_list, customer_search_q

STAGES = (REGISTERED, VISITED, SUBSCRIBED, SIGNED, LOST, ELSEWHERE)


def portal_partner(*, user) -> Partner | None:
    """The partner whose portal this user may open (None: not a partner user)."""
    return partner_for_user(user)


# --- customers ------------------------------------------------------------------------------


def portal_customer_list(
    *,
    user,
    stage: str = "",
    project_id: int | None = None,
    search: str = "",
) -> QuerySet[Registration]:
    """The partner's registered customers: its latest registration of each, newest first,
    annotated with `stage` and the progress flags credited to this partner."""
    partner = portal_partner(user=user)
    mine = registration_list(user=user)
    if partner is None:
        return mine.none()
    rows = with_progress(
        latest_per_customer(mine).select_related("project"),
        channel={"partner": partner},
    )
    rows = rows.annotate(
        stage=stage_case(after_lost=(When(is_elsewhere=True, then=Value(ELSEWHERE)),)),
        # The deal protection after a visit (成交保护), when the customer is this partner's.
        deal_until=Case(
            When(customer__owner_partner=partner, then=F("customer__owner_locked_until")),
            default=Value(None, output_field=DateField()),
        ),
    ).order_by("-registered_at", "-id")
    if stage in STAGES:
        rows = rows.filter(stage=stage)
    if project_id:
        rows = rows.filter(project_id=project_id)
    return rows.filter(search_q(search))


def portal_assigned_customer_list(
    *, user, stage: str = "", project_id: int | None = None, search: str = ""
) -> QuerySet[Customer]:
    """Customers the sales office gave this partner (a manager's override, an upheld appeal)
    that it never registered, so `portal_customer_list` has no row of them; newest first.
    They are the partner's whatever the stage filter asks for the registered ones."""
    partner = portal_partner(user=user)
    if partner is None or stage:
        return Customer.objects.none()
    registered = Registration.objects.filter(customer=OuterRef("pk"), partner=partner)
    rows = (
        customer_list(user=user)
        .filter(owner_partner=partner, owner_overridden=True)
        .exclude(Exists(registered))
        .filter(customer_search_q(search))
    )
    if project_id:
        rows = rows.filter(project_id=project_id)
    return rows


def portal_project_choices() -> QuerySet:
    """Projects a partner can register customers at and filter its list by."""
    return project_active_list()


# --- dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountAmount:
    count: int
    amount: Decimal


@dataclass(frozen=True)
class ContractSummary:
    contract: PartnerContract
    days_left: int


@dataclass(frozen=True)
class TargetRow:
    target: Target
    actual: Decimal | None
    rate: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        return None if self.rate is None else (self.rate * 100).quantize(Decimal("0.1"))

    @property
    def bar(self) -> Decimal:
        """The progress bar's value, capped at 100."""
        return min(self.percent or Decimal("0"), Decimal("100"))


def portal_month_activity(*, user, month: Period) -> dict[str, object]:
    """This partner's registrations, visits, subscriptions and signings in a month."""
    registrations = (
        registration_list(user=user)
        .filter(registered_at__gte=month.start_at, registered_at__lt=month.end_at)
        .count()
    )
    visits = (
        visit_list(user=user)
        .filter(
            status=VisitStatus.CONFIRMED,
            visited_at__gte=month.start_at,
            visited_at__lt=month.end_at,
        )
        .aggregate(n=Count("id"), valid=Count("id", filter=facts.valid_visit_q()))
    )
    subscriptions = (
        subscription_list(user=user)
        .filter(subscribed_on__gte=month.start, subscribed_on__lte=month.end)
        .exclude(status=SubscriptionStatus.CANCELLED)
        .aggregate(n=Count("id"), amount=Coalesce(Sum("amount"), ZERO))
    )
    signings = (
        signing_list(user=user)
        .filter(facts.counted_signing_q(period=month, computed_on=local_today()))
        .aggregate(n=Count("id"), amount=Coalesce(Sum("amount"), ZERO))
    )
    return {
        "registrations": registrations,
        "visits": visits["n"],
        "valid_visits": visits["valid"],
        "subscriptions": CountAmount(subscriptions["n"], subscriptions["amount"]),
        "signings": CountAmount(signings["n"], signings["amount"]),
    }


def portal_commission(*, user, month: Period) -> dict[str, object]:
    """Commission from the partner's approved/paid statements: the month's, the year's,
    and the latest statement."""
    statements = partner_statement_list(user=user)
    year = year_of(month.start)
    totals = statements.aggregate(
        month=Coalesce(Sum("total_amount", filter=Q(period=month.code)), ZERO),
        year=Coalesce(Sum("total_amount", filter=Q(period__startswith=f"{year.code}-")), ZERO),
        unpaid=Coalesce(Sum("total_amount", filter=Q(status=StatementStatus.APPROVED)), ZERO),
    )
    latest = statements.prefetch_related(None).order_by("-period").first()
    return {**totals, "latest": latest}


def portal_contract(*, user, today: date) -> ContractSummary | None:
    """The partner's active contract and the days left until it ends."""
    contract = contract_list(user=user).filter(status=ContractStatus.ACTIVE).first()
    if contract is None:
        return None
    return ContractSummary(contract=contract, days_left=(contract.end_on - today).days)


def portal_contract_history(*, user) -> QuerySet[PartnerContract]:
    """The partner's other (expired or terminated) contracts, newest first."""
    return contract_list(user=user).exclude(status=ContractStatus.ACTIVE).order_by("-start_on")


def portal_contract_get(*, user, pk: int) -> PartnerContract | None:
    return contract_list(user=user).filter(pk=pk).first()


def portal_upcoming_trainings(*, user, today: date, limit: int = 5) -> list[TrainingSession]:
    return list(
        training_session_list(user=user)
        .filter(held_on__gte=today)
        .order_by("held_on", "id")[:limit]
    )


def portal_training_list(*, user) -> QuerySet[TrainingSession]:
    """Sessions the partner was invited to, newest first, each with only its own attendance."""
    return training_session_list(user=user).order_by("-held_on", "-id")


def current_target_periods(today: date) -> list[str]:
    """The period codes "now" covers: this month, this quarter and this year."""
    return [month_of(today).code, quarter_of(today).code, year_of(today).code]


def portal_target_rows(*, targets, today: date) -> list[TargetRow]:
    """Targets with their live actual and attainment (one GROUP BY per metric and period)."""
    targets = list(targets)
    actuals = target_actuals(targets=targets, today=today)
    rows = []
    for target in targets:
        actual = actuals.get(target.pk)
        rate = None if actual is None else attainment_rate(actual, target.value)
        rows.append(TargetRow(target=target, actual=actual, rate=rate))
    return rows


def portal_target_list(*, user, periods: list[str] | None = None) -> QuerySet[Target]:
    targets = target_list(user=user).order_by("-period", "metric", "id")
    if periods:
        targets = targets.filter(period__in=periods)
    return targets


def portal_statement_list(*, user) -> QuerySet[Statement]:
    """The partner's approved and paid commission statements, newest month first."""
    return partner_statement_list(user=user).order_by("-period", "-id")


def portal_statement_get(*, user, pk: int) -> Statement | None:
    return partner_statement_list(user=user).filter(pk=pk).first()


def partner_register_project(*, partner: Partner):
    """The project the partner's 报备 form opens on: the active project it works on (where
    it registered last — its only one, if it has one), else the first active project."""
    active = project_active_list()
    latest = (
        Registration.objects.filter(partner=partner, project__in=active)
        .order_by("-registered_at", "-id")
        .values_list("project_id", flat=True)
        .first()
    )
    if latest is not None:
        return latest
    first = active.first()
    return first.pk if first else None
