"""Reads for sales activity (报备, 来访, 认购, 签约, 回款, 按揭, overrides), scoped by who may see
which rows."""

from datetime import date

from django.db.models import QuerySet

from common.access import can
from common.periods import day_bounds
from common.roles import Role, user_role
from partners.selectors import partner_for_user
from sales.models import (
    AttributionOverride,
    Mortgage,
    Payment,
    Project,
    Registration,
    Signing,
    Subscription,
    Visit,
)
from sales.selectors.org import staff_for_user


def channel_scope(queryset: QuerySet, *, user, via: str = "") -> QuerySet:
    """Rows a user may see by the channel credited on them: the office all, a supervisor their
    teams' marketers, a marketer their own, a partner user its partner's — nothing else."""
    role = user_role(user)
    if can(user, "see_all_activity"):
        return queryset
    if role == Role.PARTNER:
        partner = partner_for_user(user)
        return queryset.filter(**{f"{via}partner": partner}) if partner else queryset.none()
    me = staff_for_user(user)
    if me is None:
        return queryset.none()
    if role == Role.SUPERVISOR:
        return queryset.filter(**{f"{via}marketer__team__supervisor": me})
    if role == Role.MARKETER:
        return queryset.filter(**{f"{via}marketer": me})
    return queryset.none()


def registration_list(*, user) -> QuerySet[Registration]:
    return channel_scope(
        Registration.objects.select_related("project", "customer", "marketer", "partner"),
        user=user,
    )


def visit_list(*, user) -> QuerySet[Visit]:
    """Visits: consultants see the groups assigned to them; channels their credited visits."""
    visits = Visit.objects.select_related("project", "marketer", "partner", "consultant")
    if user_role(user) == Role.CONSULTANT:
        me = staff_for_user(user)
        return visits.filter(consultant=me) if me else visits.none()
    return channel_scope(visits, user=user)


def subscription_list(*, user) -> QuerySet[Subscription]:
    return channel_scope(
        Subscription.objects.select_related("project", "customer", "marketer", "partner"),
        user=user,
    )


def signing_list(*, user) -> QuerySet[Signing]:
    return channel_scope(
        Signing.objects.select_related("project", "marketer", "partner"), user=user
    )


def payment_list(*, user) -> QuerySet[Payment]:
    return channel_scope(Payment.objects.select_related("signing"), user=user, via="signing__")


def mortgage_list(*, user) -> QuerySet[Mortgage]:
    return channel_scope(Mortgage.objects.select_related("signing"), user=user, via="signing__")


def attribution_override_list(*, user) -> QuerySet[AttributionOverride]:
    """The audit trail of attribution overrides: the channel manager's alone."""
    overrides = AttributionOverride.objects.select_related("actor", "customer")
    return overrides if can(user, "override_attribution") else overrides.none()


def visit_day_list(*, user, project: Project, on: date) -> QuerySet[Visit]:
    """One project's visits of one local day as the user may see them, newest first."""
    start, end = day_bounds(on)
    return (
        visit_list(user=user)
        .filter(project=project, visited_at__gte=start, visited_at__lt=end)
        .select_related("brought_marketer", "brought_partner")
        .order_by("-visited_at", "-id")
    )


def visit_get(*, user, pk: int) -> Visit | None:
    """One visit the user may see, with what its row on a page shows."""
    return (
        visit_list(user=user)
        .select_related("brought_marketer", "brought_partner")
        .filter(pk=pk)
        .first()
    )
