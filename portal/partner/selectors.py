"""Reads for the partner portal, always scoped to the signed-in partner user's own partner.

The portal sits on top of the sales and incentive apps: it composes their scoped selectors
(registration_list, signing_list, partner_statement_list, target_list, ...) and adds only
what a partner's pages need. A customer's progress is built from the facts credited to this
partner; what another channel achieved shows as one flag (他人成交), never as who or how much,
and a customer that is no longer the partner's without a deal (an override, another channel's
protection, a walk-in) as "attributed elsewhere", never to whom.
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
    Subquery,
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
from sales.choices import (
    RegistrationStatus,
    SubscriptionStatus,
    VisitStatus,
)
from sales.models import Registration, Signing, Subscription, Visit
from sales.selectors import (
    facts,
    project_active_list,
    registration_list,
    signing_list,
    subscription_list,
    visit_list,
)

# A customer's stage as the partner sees it; "lost" = another channel got the deal (他人成交),
# "elsewhere" = no longer this partner's customer though nobody closed a deal (another
# channel's protection, a manager's override, the sales office's walk-in protection).
REGISTERED, VISITED, SUBSCRIBED, SIGNED, LOST, ELSEWHERE = (
    "registered",
    "visited",
    "subscribed",
    "signed",
    "lost",
    "elsewhere",
)
STAGES = (REGISTERED, VISITED, SUBSCRIBED, SIGNED, LOST, ELSEWHERE)
PROGRESS = (REGISTERED, VISITED, SUBSCRIBED, SIGNED)


def portal_partner(*, user) -> Partner | None:
    """The partner whose portal this user may open (None: not a partner user)."""
    return partner_for_user(user)


# --- customers ------------------------------------------------------------------------------


def _credited(model, *conditions: Q, partner: Partner, **extra) -> Exists:
    """Whether the registration's customer has a fact of `model` credited to this partner."""
    return Exists(
        model.objects.filter(
            *conditions,
            customer=OuterRef("customer_id"),
            project=OuterRef("project_id"),
            partner=partner,
            **extra,
        )
    )


def _deal_by_another_channel(*, partner: Partner) -> Q:
    """他人成交: another channel subscribed or signed the customer, or the signing closed this
    partner's registration (a deal credited to no channel at all, e.g. a walk-in, is nobody's
    win over this partner)."""
    credited = Q(marketer__isnull=False) | Q(partner__isnull=False)
    other_deal = Exists(
        Signing.objects.filter(credited, customer=OuterRef("customer_id"))
        .filter(facts.standing_signing_q(computed_on=local_today()))
        .exclude(partner=partner)
        .values("pk")
    ) | Exists(
        Subscription.objects.filter(credited, customer=OuterRef("customer_id"))
        .exclude(status=SubscriptionStatus.CANCELLED)
        .exclude(partner=partner)
        .values("pk")
    )
    return Q(status=RegistrationStatus.LOST) | other_deal


def _held_elsewhere(*, partner: Partner, today) -> Q:
    """The customer is no longer this partner's, though nobody closed a deal: another channel
    holds its attribution (a visit in its protection, a manager's override), or the sales
    office does while its walk-in protection runs — unless this registration still protects
    the customer for the partner."""
    other_owner = (
        Q(customer__owner_marketer__isnull=False)
        | (Q(customer__owner_partner__isnull=False) & ~Q(customer__owner_partner=partner))
        | Q(customer__owner_office=True, customer__owner_locked_until__gte=today)
    )
    still_protected = Q(status=RegistrationStatus.ACTIVE, protected_until__gte=today)
    return other_owner & ~still_protected


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
    today = local_today()
    # The latest registration of each customer, portably (`make run` uses SQLite: no
    # DISTINCT ON): a row is kept when it is its customer's newest among the partner's.
    newer = mine.filter(customer_id=OuterRef("customer_id")).order_by("-registered_at", "-id")
    rows = (
        mine.filter(pk=Subquery(newer.values("pk")[:1]))
        .select_related("project")
        .annotate(
            has_visit=_credited(Visit, partner=partner, status=VisitStatus.CONFIRMED),
            has_subscription=Exists(
                Subscription.objects.filter(
                    customer=OuterRef("customer_id"),
                    project=OuterRef("project_id"),
                    partner=partner,
                ).exclude(status=SubscriptionStatus.CANCELLED)
            ),
            has_signing=_credited(
                Signing, facts.standing_signing_q(computed_on=local_today()), partner=partner
            ),
        )
        .annotate(
            is_lost=Case(
                When(has_signing=True, then=Value(False)),
                When(_deal_by_another_channel(partner=partner), then=Value(True)),
                default=Value(False),
            ),
            is_elsewhere=Case(
                When(_held_elsewhere(partner=partner, today=today), then=Value(True)),
                default=Value(False),
            ),
            # The deal protection after a visit (成交保护), when the customer is this partner's.
            deal_until=Case(
                When(customer__owner_partner=partner, then=F("customer__owner_locked_until")),
                default=Value(None, output_field=DateField()),
            ),
        )
        .annotate(
            stage=Case(
                When(has_signing=True, then=Value(SIGNED)),
                When(is_lost=True, then=Value(LOST)),
                When(is_elsewhere=True, then=Value(ELSEWHERE)),
                When(has_subscription=True, then=Value(SUBSCRIBED)),
                When(has_visit=True, then=Value(VISITED)),
                default=Value(REGISTERED),
            )
        )
        .order_by("-registered_at", "-id")
    )
    if stage in STAGES:
        rows = rows.filter(stage=stage)
    if project_id:
        rows = rows.filter(project_id=project_id)
    search = (search or "").strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        if digits and len(digits) == len(search.replace("*", "")):
            # Digits search the phone by its last four (a full number also by its first three).
            query = Q(customer_phone__endswith=digits[-4:])
            if len(digits) >= 7:
                query &= Q(customer_phone__startswith=digits[:3])
            rows = rows.filter(query)
        else:
            rows = rows.filter(customer_name__icontains=search)
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
