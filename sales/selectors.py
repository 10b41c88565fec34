"""Reads for sales: querysets with their joins and their row scoping by role."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum

from common.money import ZERO
from common.periods import day_bounds, local_date
from common.roles import Role, user_role
from partners.models import Partner
from partners.selectors import partner_for_user, partner_list
from sales.choices import SigningStatus, SubscriptionStatus, VisitStatus
from sales.models import (
    AttributionOverride,
    Customer,
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


def channel_marketer_choices(*, user) -> QuerySet[Staff]:
    """Marketers a caller may name as the credited channel of new activity: the ones they may
    see (the office every marketer; the service refuses an inactive one with a reason)."""
    return staff_list(user=user).filter(role=Role.MARKETER)


def channel_partner_choices(*, user) -> QuerySet[Partner]:
    """Partners a caller may name as the credited channel: the ones the partners app lets
    them see (a partner user only its own)."""
    return partner_list(user=user)


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


def attribution_override_list(*, user) -> QuerySet[AttributionOverride]:
    """The audit trail of attribution overrides: the channel manager's alone."""
    overrides = AttributionOverride.objects.select_related("actor", "customer")
    return overrides if user_role(user) == Role.MANAGER else overrides.none()


def report_project_list(*, user) -> QuerySet[Project]:
    """Projects whose daily report (日报) a user may read: the office every project, a
    supervisor the projects of the teams they run; anyone else none."""
    role = user_role(user)
    if role in (Role.MANAGER, Role.SECRETARY):
        return Project.objects.all()
    if role == Role.SUPERVISOR:
        me = staff_for_user(user)
        if me is not None:
            return Project.objects.filter(
                pk__in=Team.objects.filter(supervisor=me).values("project")
            )
    return Project.objects.none()


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


# --- The sales office's pages: today's entry, phone check, pick lists -----------------------


def project_active_list() -> QuerySet[Project]:
    """Projects the office can log activity at (active ones, by name)."""
    return Project.objects.filter(is_active=True).order_by("name", "id")


def project_default(
    *, remembered: int | None = None, among: QuerySet[Project] | None = None
) -> Project | None:
    """The project a page opens on: the one remembered in the session, else the first active
    (of `among`, the projects the page may show, when given)."""
    projects = project_active_list()
    if among is not None:
        projects = projects.filter(pk__in=among.values("pk"))
    if remembered:
        found = projects.filter(pk=remembered).first()
        if found is not None:
            return found
    return projects.first()


def marketer_active_list() -> QuerySet[Staff]:
    """Active marketers, for "brought by" pick lists."""
    return (
        Staff.objects.filter(role=Role.MARKETER, is_active=True)
        .select_related("team")
        .order_by("name", "id")
    )


def consultant_active_list() -> QuerySet[Staff]:
    """Active property consultants (置业顾问), for assigning a visit."""
    return Staff.objects.filter(role=Role.CONSULTANT, is_active=True).order_by("name", "id")


def visit_day_list(*, user, project: Project, on: date) -> QuerySet[Visit]:
    """One project's visits of one local day as the user may see them, newest first."""
    start, end = day_bounds(on)
    return (
        visit_list(user=user)
        .filter(project=project, visited_at__gte=start, visited_at__lt=end)
        .select_related("brought_marketer", "brought_partner")
        .order_by("-visited_at", "-id")
    )


def customer_phone_check(*, project: Project, phone: str, today: date) -> dict:
    """What the office should know about a phone while logging a visit: a new customer, or a
    known one (visits, protection, attribution) and whether a visit now would be a repeat."""
    from sales.services.customers import PROTECTING, customer_find, project_phone

    raw = "".join((phone or "").split()).replace("-", "")
    if len(raw) < 11:
        return {"state": "incomplete"}
    try:
        full, key = project_phone(project=project, phone=raw)
    except ValidationError as exc:
        return {"state": "invalid", "error": " ".join(exc.messages)}
    customer = customer_find(project=project, full=full, key=key)
    if customer is None:
        return {"state": "new"}
    customer = Customer.objects.select_related("owner_marketer", "owner_partner").get(
        pk=customer.pk
    )
    visits = customer.visits.exclude(status=VisitStatus.REJECTED)
    start, end = day_bounds(today)
    last_valid = visits.filter(is_valid=True).order_by("-visited_at").first()
    repeat_until = None
    if last_valid is not None:
        counts_again_on = local_date(last_valid.visited_at) + timedelta(
            days=project.revisit_window_days
        )
        if counts_again_on > today:
            repeat_until = counts_again_on
    owner = customer.owner_marketer or customer.owner_partner
    registration = (
        customer.registrations.filter(status__in=PROTECTING, protected_until__gte=today)
        .select_related("marketer", "partner")
        .order_by("protected_until")
        .first()
    )
    return {
        "state": "known",
        "customer": customer,
        "visit_count": visits.count(),
        "last_visit": visits.order_by("-visited_at").first(),
        "today_visit": visits.filter(visited_at__gte=start, visited_at__lt=end).first(),
        "registration": registration,
        "registrant": (registration.marketer or registration.partner) if registration else None,
        "owner": owner,
        "locked_until": customer.owner_locked_until
        if customer.owner_locked_until and customer.owner_locked_until >= today
        else None,
        "last_valid": last_valid if repeat_until else None,
        "repeat_until": repeat_until,
        "window_days": project.revisit_window_days,
    }


def visit_get(*, user, pk: int) -> Visit | None:
    """One visit the user may see, with what its row on a page shows."""
    return (
        visit_list(user=user)
        .select_related("brought_marketer", "brought_partner")
        .filter(pk=pk)
        .first()
    )
