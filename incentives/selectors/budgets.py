"""Budgets against what was spent (预算 vs 实际), scoped as 费效 is (selectors.costs.cost_scope):
a manager the company and every project, a supervisor their teams' projects, no one else."""

from decimal import Decimal

from django.db.models import QuerySet, Sum

from common.money import ZERO
from common.periods import Period
from incentives.choices import CostCategory
from incentives.models import Budget, ChannelCost
from incentives.selectors.costs import cost_scope
from sales.models import Project


def budget_list(*, user) -> QuerySet[Budget]:
    """Budgets a user reads: a manager all, a supervisor their teams' projects' (not the
    company's), anyone else none."""
    budgets = Budget.objects.select_related("project")
    scope = cost_scope(user=user)
    return budgets if scope is None else budgets.filter(project__in=scope)


def _by_key(rows) -> dict:
    return {(project, category): amount for project, category, amount in rows}


def budget_vs_actual(*, period: Period, project_ids: set[int] | None = None) -> dict:
    """For the months of ``period``: per project (None: the company's own budget and the costs
    entered without a project) and cost category, the budget, the actual spend and the
    difference (budget − actual; negative: over budget), with totals per project and for the
    company, and a warning for each that spent more than its budget. With ``project_ids`` (a
    supervisor's) only those projects, no company rows or totals. Three queries."""
    months = [str(m) for m in period.months()]
    budgets = Budget.objects.filter(month__in=months)
    costs = ChannelCost.objects.filter(period__in=months)
    if project_ids is not None:
        budgets = budgets.filter(project__in=project_ids)
        costs = costs.filter(project__in=project_ids)
    planned = _by_key(
        budgets.values("project", "category")
        .annotate(v=Sum("amount"))
        .values_list("project", "category", "v")
    )
    spent = _by_key(
        costs.values("project", "category")
        .annotate(v=Sum("amount"))
        .values_list("project", "category", "v")
    )
    names = dict(
        Project.objects.filter(pk__in={p for p, _ in (*planned, *spent)} - {None}).values_list(
            "pk", "name"
        )
    )
    rows = []
    for project, category in sorted(
        {*planned, *spent}, key=lambda k: (k[0] is not None, names.get(k[0], ""), k[0] or 0, k[1])
    ):
        budget = planned.get((project, category))
        actual = spent.get((project, category), ZERO)
        rows.append(
            {
                "project": project,
                "project_name": names.get(project),
                "category": category,
                "category_label": CostCategory(category).label,
                "budget": budget,
                "actual": actual,
                "difference": None if budget is None else budget - actual,
                "over": budget is not None and actual > budget,
            }
        )
    projects = _project_totals(rows, names)
    company = None
    if project_ids is None:
        company = (
            _total(None, None, [r["budget"] for r in rows if r["budget"] is not None], rows)
            if rows
            else None
        )
    warnings = [t for t in [*([company] if company else []), *projects] if t["over"]]
    return {
        "period": str(period),
        "rows": rows,
        "projects": projects,
        "company": company,
        "warnings": warnings,
    }


def _total(project, name, budgets: list[Decimal], rows: list[dict]) -> dict:
    budget = sum(budgets, ZERO) if budgets else None
    actual = sum((r["actual"] for r in rows), ZERO)
    return {
        "project": project,
        "project_name": name,
        "budget": budget,
        "actual": actual,
        "difference": None if budget is None else budget - actual,
        "over": budget is not None and actual > budget,
    }


def _project_totals(rows: list[dict], names: dict) -> list[dict]:
    """Each project's budget and spend over its categories (the company's own rows apart)."""
    totals = []
    for project in dict.fromkeys(r["project"] for r in rows if r["project"] is not None):
        mine = [r for r in rows if r["project"] == project]
        budgets = [r["budget"] for r in mine if r["budget"] is not None]
        totals.append(_total(project, names.get(project), budgets, mine))
    return totals
