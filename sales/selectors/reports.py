"""Reads for the daily report (日报): which projects a user may read it for, and its figures."""

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from common.access import can
from common.money import ZERO
from common.periods import day_bounds
from common.roles import Role, user_role
from sales.choices import SigningStatus, SubscriptionStatus, VisitStatus
from sales.models import Mortgage, Payment, Project, Signing, Subscription, Team, Visit
from sales.selectors.facts import valid_visit_q, walk_in_visit_q
from sales.selectors.org import staff_for_user


def report_project_list(*, user) -> QuerySet[Project]:
    """Projects whose daily report (日报) a user may read: the office every project, a
    supervisor the projects of the teams they run; anyone else none."""
    role = user_role(user)
    if can(user, "see_all_activity"):
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
        valid=Count("id", filter=valid_visit_q()),
        walk_ins=Count("id", filter=Q(status=VisitStatus.CONFIRMED) & walk_in_visit_q()),
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
