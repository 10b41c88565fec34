"""Reads for sales: querysets with their joins and their row scoping by role."""

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from common.money import ZERO
from common.periods import day_bounds
from common.roles import Role, user_role
from partners.selectors import partner_for_user
from sales.choices import SigningStatus, SubscriptionStatus, VisitStatus
from sales.models import (
    Mortgage,
    Payment,
    Project,
    Registration,
    Signing,
    Staff,
    Subscription,
    Team,
    Visit,
)


def staff_for_user(user) -> Staff | None:
    """The staff record behind a login, or None (partner users, bare superusers)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_channelhub_staff", "unset")
    if cached == "unset":
        cached = Staff.objects.select_related("team").filter(user=user).first()
        user._channelhub_staff = cached
    return cached


def project_list(*, user) -> QuerySet[Project]:
    """Projects are company-wide: every signed-in role may see them."""
    if user_role(user) is None:
        return Project.objects.none()
    return Project.objects.all()


def team_list(*, user) -> QuerySet[Team]:
    """Teams a user may see: a supervisor only the teams they run; partners none."""
    role = user_role(user)
    teams = Team.objects.select_related("project", "leader", "supervisor")
    if role in (Role.MANAGER, Role.SECRETARY, Role.MARKETER, Role.CONSULTANT):
        return teams
    if role == Role.SUPERVISOR:
        me = staff_for_user(user)
        return teams.filter(supervisor=me) if me else teams.none()
    return teams.none()


def staff_list(*, user) -> QuerySet[Staff]:
    """Staff a user may see: managers and secretaries all; a supervisor their teams' people
    and themselves; marketers and consultants their own team (or only themselves)."""
    role = user_role(user)
    staff = Staff.objects.select_related("team", "user")
    if role in (Role.MANAGER, Role.SECRETARY):
        return staff
    me = staff_for_user(user)
    if me is None:
        return staff.none()
    if role == Role.SUPERVISOR:
        return staff.filter(Q(team__supervisor=me) | Q(pk=me.pk))
    if role in (Role.MARKETER, Role.CONSULTANT):
        return staff.filter(team=me.team) if me.team_id else staff.filter(pk=me.pk)
    return staff.none()


def supervised_team_ids(*, staff: Staff) -> set[int]:
    return set(Team.objects.filter(supervisor=staff).values_list("id", flat=True))


def channel_scope(queryset: QuerySet, *, user, via: str = "") -> QuerySet:
    """Rows a user may see by the channel credited on them: the office all, a supervisor their
    teams' marketers, a marketer their own, a partner user its partner's — nothing else."""
    role = user_role(user)
    if role in (Role.MANAGER, Role.SECRETARY):
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


def daily_report(*, project: Project, on: date) -> dict:
    """日报: one project's counts and amounts for one local day."""
    start, end = day_bounds(on)
    visits = Visit.objects.filter(project=project, visited_at__gte=start, visited_at__lt=end)
    visit_counts = visits.aggregate(
        logged=Count("id"),
        confirmed=Count("id", filter=Q(status=VisitStatus.CONFIRMED)),
        valid=Count("id", filter=Q(is_valid=True)),
        people=Sum("group_size", filter=Q(status=VisitStatus.CONFIRMED)),
    )
    subscriptions = (
        Subscription.objects.filter(project=project, subscribed_on=on)
        .exclude(status=SubscriptionStatus.CANCELLED)
        .aggregate(count=Count("id"), amount=Sum("amount"))
    )
    signings = Signing.objects.filter(project=project, signed_on=on).aggregate(
        count=Count("id"), amount=Sum("amount"), area=Sum("area")
    )
    cancellations = Signing.objects.filter(
        project=project, status=SigningStatus.CANCELLED, cancelled_on=on
    ).aggregate(count=Count("id"), amount=Sum("amount"))
    payments = Payment.objects.filter(signing__project=project, paid_on=on).aggregate(
        count=Count("id"), amount=Sum("amount")
    )
    mortgages = Mortgage.objects.filter(signing__project=project, disbursed_on=on).aggregate(
        count=Count("id"), amount=Sum("amount")
    )
    return {
        "project": project.pk,
        "project_name": project.name,
        "date": on,
        "visits": {**visit_counts, "people": visit_counts["people"] or 0},
        "subscriptions": _count_amount(subscriptions),
        "signings": {**_count_amount(signings), "area": signings["area"] or ZERO},
        "cancellations": _count_amount(cancellations),
        "payments": _count_amount(payments),
        "mortgages_disbursed": _count_amount(mortgages),
    }


def _count_amount(row: dict) -> dict:
    return {"count": row["count"], "amount": row["amount"] or ZERO}
