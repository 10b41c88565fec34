"""Coverage: the projects and the active marketers that no plan in force pays.

A marketer is paid through their team's project, so a marketer without a team is covered by
no plan: the compute, the approvals page and the dashboard report them, as they report the
projects no plan (not even the default one) covers.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q

from common.periods import MONTH, Period, month_of
from common.roles import Role
from incentives.models import IncentivePlan
from incentives.selectors.plans import plan_project_ids, plans_in_force
from sales.models import Project, Staff
from sales.selectors import facts


@dataclass(frozen=True)
class UncoveredProject:
    id: int
    name: str


@dataclass(frozen=True)
class UncoveredMarketer:
    id: int
    name: str
    team_name: str | None  # None: the marketer has no team
    project_name: str | None


@dataclass(frozen=True)
class Coverage:
    projects: tuple[UncoveredProject, ...] = ()
    marketers: tuple[UncoveredMarketer, ...] = ()

    @property
    def is_complete(self) -> bool:
        return not self.projects and not self.marketers


def plan_coverage(
    *, period: Period, computed_on: date, plans: list[IncentivePlan] | None = None
) -> Coverage:
    """Active projects no plan in force covers, and the marketers employed in the period with
    a valid visit or a counted signing in it whom no plan pays (no team, or a team whose
    project no plan covers). `plans` are the plans in force when the caller has them."""
    month = period if period.kind == MONTH else month_of(period.end)
    if plans is None:
        plans = plans_in_force(month=month)
    covered = {pk for plan in plans for pk in plan_project_ids(plan=plan)}
    projects = (
        Project.objects.filter(is_active=True)
        .exclude(pk__in=covered)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    visited = facts.valid_visits(period=period).filter(marketer=OuterRef("pk"))
    signed = facts.counted_signings(period=period, computed_on=computed_on).filter(
        marketer=OuterRef("pk")
    )
    marketers = (
        Staff.objects.filter(role=Role.MARKETER, hired_on__lte=period.end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))
        .exclude(team__project__in=covered)
        .filter(Exists(visited) | Exists(signed))
        .order_by("name", "pk")
        .values_list("pk", "name", "team__name", "team__project__name")
    )
    return Coverage(
        projects=tuple(UncoveredProject(*row) for row in projects),
        marketers=tuple(UncoveredMarketer(*row) for row in marketers),
    )
