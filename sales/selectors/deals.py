"""Reads behind the office's deal pages (认购, 签约, 退房, 回款, 按揭) and the visit pages: the
customer a page is about, a customer's deals, a signing by its unit, a consultant's visits.

Every read goes through the scoped lists of ``activity`` (the same rows the API serves the
caller), so a page never shows or acts on a row its user could not list."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Prefetch, QuerySet, Value, When

from common.access import can
from common.periods import day_bounds
from sales.choices import SigningStatus, SubscriptionStatus
from sales.models import Customer, Mortgage, Project, Signing, Subscription, Visit
from sales.selectors.activity import (
    mortgage_list,
    payment_list,
    signing_list,
    subscription_list,
    visit_list,
)
from sales.selectors.org import staff_for_user


def deal_customer_get(*, user, pk: int) -> Customer | None:
    """A customer the deal pages may start from: the office's (who records every deal)."""
    if not can(user, "see_all_activity"):
        return None
    return (
        Customer.objects.select_related("project", "owner_marketer", "owner_partner")
        .filter(pk=pk)
        .first()
    )


def deal_signing_get(*, user, pk: int) -> Signing | None:
    """One signing the user may see, with its project and customer."""
    return signing_list(user=user).select_related("customer").filter(pk=pk).first()


def deal_mortgage_get(*, user, pk: int) -> Mortgage | None:
    """One mortgage the user may see, with its signing's project."""
    return mortgage_list(user=user).select_related("signing__project").filter(pk=pk).first()


def signing_for_unit(*, user, project: Project, unit: str) -> Signing | None:
    """The signing of a unit at a project: the standing one, else the latest cancelled (so the
    service can say it was cancelled); None when the unit was never signed."""
    signings = signing_list(user=user).filter(project=project, unit=unit.strip())
    standing_first = Case(When(status=SigningStatus.SIGNED, then=Value(0)), default=Value(1))
    # The standing signing (at most one: a unit is sold once), else the latest 退房.
    return signings.order_by(standing_first, "-signed_on", "-id").first()


def customer_active_subscriptions(*, user, customer: Customer | None) -> QuerySet[Subscription]:
    """A customer's subscriptions (认购) not yet signed or cancelled, newest first."""
    if customer is None:
        return Subscription.objects.none()
    return (
        subscription_list(user=user)
        .filter(customer=customer, status=SubscriptionStatus.ACTIVE)
        .order_by("-subscribed_on", "-id")
    )


def customer_standing_signings(*, user, customer: Customer | None) -> QuerySet[Signing]:
    """A customer's signings that still stand (not 退房), newest first."""
    if customer is None:
        return Signing.objects.none()
    return (
        signing_list(user=user)
        .filter(customer=customer, status=SigningStatus.SIGNED)
        .order_by("-signed_on", "-id")
    )


@dataclass
class CustomerDeals:
    """A customer's deals as a visit page lists them: signings carry their payments and
    mortgages (prefetched)."""

    subscriptions: list = field(default_factory=list)
    signings: list = field(default_factory=list)


def customer_deals(*, user, customer: Customer) -> CustomerDeals:
    """Everything recorded against one customer, in four queries whatever their number."""
    signings = (
        signing_list(user=user)
        .filter(customer=customer)
        .prefetch_related(
            Prefetch(
                "payments",
                queryset=payment_list(user=user).order_by("paid_on", "id"),
                to_attr="payment_rows",
            ),
            Prefetch(
                "mortgages",
                queryset=mortgage_list(user=user).order_by("applied_on", "id"),
                to_attr="mortgage_rows",
            ),
        )
        .order_by("-signed_on", "-id")
    )
    subscriptions = subscription_list(user=user).filter(customer=customer)
    rows = list(signings)
    for signing in rows:
        signing.paid_amount = sum((p.amount for p in signing.payment_rows), Decimal("0.00"))
    return CustomerDeals(
        subscriptions=list(subscriptions.order_by("-subscribed_on", "-id")),
        signings=rows,
    )


# --- visits --------------------------------------------------------------------------------


def visit_history_list(*, user) -> QuerySet[Visit]:
    """Every day's visits the user may see (the API's scope), with what a history row shows."""
    return visit_list(user=user).select_related("brought_marketer", "brought_partner")


def visit_detail_get(*, user, pk: int) -> Visit | None:
    """One visit the user may see, with its customer for the deal links."""
    return (
        visit_history_list(user=user)
        .select_related("customer", "customer__owner_marketer", "customer__owner_partner")
        .filter(pk=pk)
        .first()
    )


def assigned_visit_list(*, user) -> QuerySet[Visit]:
    """The visits assigned to the signed-in property consultant (none for anyone else)."""
    me = staff_for_user(user)
    if me is None or not can(user, "see_assigned_visits"):
        return Visit.objects.none()
    return visit_history_list(user=user).filter(consultant=me)


def assigned_visits_from(*, user, on: date) -> QuerySet[Visit]:
    """A consultant's visits of `on` and after (today's and upcoming groups), soonest first."""
    start, _end = day_bounds(on)
    return assigned_visit_list(user=user).filter(visited_at__gte=start).order_by("visited_at", "id")


def assigned_visits_before(*, user, on: date) -> QuerySet[Visit]:
    """A consultant's visits before the day `on` (their recent groups), newest first."""
    start, _end = day_bounds(on)
    return (
        assigned_visit_list(user=user).filter(visited_at__lt=start).order_by("-visited_at", "-id")
    )
