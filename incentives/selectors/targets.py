"""Targets (KPI) a user may see and their actuals, counted by the boards' own definitions."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from common.access import can
from common.periods import Period, parse_period
from common.roles import Role, user_role
from incentives.choices import TargetSubject
from incentives.models import Target
from incentives.selectors import activity  # the one counted-signing and valid-visit definitions
from partners.choices import PartnerStatus
from partners.models import Partner
from partners.selectors import partner_for_user
from sales.models import Payment, Project, Registration, Staff, Team
from sales.selectors import staff_for_user, team_list

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
        signings = activity.period_counted_signings(period=period, computed_on=today)
        return signings, ("sum" if metric == "signing_amount" else "count"), "signing"
    if metric == "valid_visits":
        return activity.period_valid_visits(period=period), "count", "signing"
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
        if subject_type == TargetSubject.COMPANY:
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
            known = subject_type == TargetSubject.COMPANY or (
                family and subject_type in _SUBJECT_FIELD[family]
            )
            actuals[target.pk] = Decimal(by_subject.get(target.subject_id, 0)) if known else None
    return actuals


def target_list(*, user) -> QuerySet[Target]:
    """Targets a user may see: managers and secretaries all; a supervisor the company's, their
    teams', their teams' people's and partners'; marketers and consultants the company's,
    their team's and their own; a partner user its own partner's."""
    targets = Target.objects.all()
    role = user_role(user)
    if can(user, "see_all_targets"):
        return targets
    if role == Role.PARTNER:
        partner = partner_for_user(user)
        return (
            targets.filter(subject_type=TargetSubject.PARTNER, subject_id=partner.pk)
            if partner
            else (targets.none())
        )
    me = staff_for_user(user)
    if me is None:
        return targets.none()
    company = Q(subject_type=TargetSubject.COMPANY)
    if role == Role.SUPERVISOR:
        # Subqueries, not id lists: the list's count and page each embed them (no query more).
        teams = Team.objects.filter(supervisor=me).values("pk")
        people = Staff.objects.filter(team__supervisor=me).values("pk")
        return targets.filter(
            company
            | Q(subject_type=TargetSubject.TEAM, subject_id__in=teams)
            | Q(subject_type=TargetSubject.STAFF, subject_id__in=people)
            | Q(subject_type=TargetSubject.STAFF, subject_id=me.pk)
            | Q(subject_type=TargetSubject.PARTNER)
        )
    return targets.filter(
        company
        | Q(subject_type=TargetSubject.TEAM, subject_id=me.team_id)
        | Q(subject_type=TargetSubject.STAFF, subject_id=me.pk)
    )


def target_subject_names(*, targets) -> dict[tuple[str, int | None], str]:
    """Each target's subject by name — the team's, the person's, the partner's — with one
    query per subject type present (a list page names its rows in a fixed number of queries).
    The company has no row; the page names it."""
    ids: dict[str, set[int]] = defaultdict(set)
    for target in targets:
        if target.subject_type != TargetSubject.COMPANY:
            ids[target.subject_type].add(target.subject_id)
    models = {TargetSubject.TEAM: Team, TargetSubject.STAFF: Staff, TargetSubject.PARTNER: Partner}
    names: dict[tuple[str, int | None], str] = {}
    for subject_type, pks in ids.items():
        rows = models[subject_type].objects.filter(pk__in=pks)
        if subject_type == TargetSubject.TEAM:
            rows = rows.select_related("project")  # a team is named with its project
        names.update({(subject_type, row.pk): str(row) for row in rows})
    return names


def targets_of_teams(targets: QuerySet[Target], *, teams: QuerySet[Team]) -> QuerySet[Target]:
    """The targets of these teams and of their people (a list narrowed to a team or a
    project): one query, the teams and people as subqueries."""
    return targets.filter(
        Q(subject_type=TargetSubject.TEAM, subject_id__in=teams.values("pk"))
        | Q(
            subject_type=TargetSubject.STAFF,
            subject_id__in=Staff.objects.filter(team__in=teams.values("pk")).values("pk"),
        )
    )


def target_filter_teams(*, user) -> QuerySet[Team]:
    """The teams a target list can be narrowed to: those the user sees."""
    return team_list(user=user).order_by("project__name", "name", "pk")


def target_filter_projects(*, user) -> QuerySet[Project]:
    """The projects a target list can be narrowed to: those of the teams the user sees."""
    teams = team_list(user=user).values("project")
    return Project.objects.filter(pk__in=teams).order_by("name", "pk")


def target_parts(*, target: Target) -> list[Target]:
    """The monthly targets a quarter or a year was split into, in month order."""
    return list(target.parts.order_by("period", "pk"))
