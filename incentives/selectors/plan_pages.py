"""Plans as the plan pages read them: every version with its status, and a plan's history."""

from django.db.models import Prefetch, QuerySet

from common.periods import local_today, month_of
from incentives.models import CommissionRate, IncentivePlan
from incentives.selectors.plans import plans_in_force

IN_FORCE, SUPERSEDED, FUTURE = "in_force", "superseded", "future"


def _plans() -> QuerySet[IncentivePlan]:
    return IncentivePlan.objects.prefetch_related(
        "projects",
        Prefetch("commission_rates", queryset=CommissionRate.objects.select_related("project")),
    ).order_by("-effective_from", "name", "-pk")


def _scope(plan: IncentivePlan) -> frozenset[int]:
    return frozenset(project.pk for project in plan.projects.all())


def _mark_status(plans: list[IncentivePlan]) -> list[IncentivePlan]:
    """plan.status: future (its month has not come), in force (it pays for some project this
    month, or it is the newest started plan for every other project) or superseded."""
    month = month_of(local_today())
    in_force = {plan.pk for plan in plans_in_force(month=month)}
    catch_all = next((p for p in plans if not _scope(p) and p.effective_from <= month.start), None)
    for plan in plans:
        if plan.effective_from > month.start:
            plan.status = FUTURE
        elif plan.pk in in_force or plan is catch_all:
            plan.status = IN_FORCE
        else:
            plan.status = SUPERSEDED
    return plans


def plan_page_list() -> list[IncentivePlan]:
    """Every plan version, newest first, with its projects, rates and status."""
    return _mark_status(list(_plans()))


def plan_page_get(*, pk: int) -> IncentivePlan | None:
    return next((plan for plan in plan_page_list() if plan.pk == pk), None)


def plan_versions(*, plan: IncentivePlan) -> list[IncentivePlan]:
    """The versions of a plan, oldest first: the plans sharing its name or its projects."""
    scope = _scope(plan)
    return [
        other
        for other in reversed(plan_page_list())
        if other.name == plan.name or _scope(other) == scope
    ]
