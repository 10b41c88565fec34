"""费效 (cost-effectiveness) and staffing, scoped to the projects a user reads."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from common.access import can
from common.money import to_money
from common.periods import Period
from common.roles import Role, user_role
from incentives.models import ChannelCost
from incentives.rules.staffing import StaffingFacts, staffing_warnings
from incentives.selectors import activity  # the one counted-signing and valid-visit definitions
from partners.models import Partner
from sales.models import Project, Staff, Team
from sales.selectors import staff_for_user


def cost_scope(*, user) -> set[int] | None:
    """The projects whose 费效 and staffing a user reads — the dashboard's rule, shared by its
    API: None for a manager (the whole company, totals included); for a supervisor the
    projects of the teams they run, without company totals; nothing for anyone else."""
    role = user_role(user)
    if can(user, "see_whole_company"):
        return None
    me = staff_for_user(user) if role == Role.SUPERVISOR else None
    if me is None:
        return set()
    return set(Team.objects.filter(supervisor=me).values_list("project_id", flat=True))


def cost_list(*, user) -> QuerySet[ChannelCost]:
    """Channel spend entries: managers every one, a supervisor those of their teams' projects."""
    costs = ChannelCost.objects.select_related("project", "partner", "campaign")
    scope = cost_scope(user=user)
    return costs if scope is None else costs.filter(project__in=scope)


def cost_total(*, costs: QuerySet[ChannelCost]) -> tuple[Decimal, int]:
    """The amount and number of entries of a (filtered) cost list, in one query."""
    totals = costs.order_by().aggregate(amount=Sum("amount"), entries=Count("id"))
    return totals["amount"] or Decimal("0.00"), totals["entries"]


def cost_projects(*, user) -> QuerySet[Project]:
    """The projects a user's cost list shows and can be narrowed to (see cost_scope)."""
    scope = cost_scope(user=user)
    projects = Project.objects.order_by("name", "pk")
    return projects if scope is None else projects.filter(pk__in=scope)


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
    visits = activity.period_valid_visits(period=period)
    signings = activity.period_counted_signings(period=period, computed_on=today)
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
