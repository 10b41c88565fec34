"""Budgets (预算): what may be spent per project (or the company) × month × cost category."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.access import can
from common.periods import MONTH, parse_period_of
from incentives.choices import CostCategory
from incentives.models import Budget

MAX_BUDGET = Decimal("999999999999.99")


def budget_check(*, month: str, category: str, amount: Decimal) -> str:
    """A budget is for a month and a listed category, 0 or more. Returns the month written
    canonically; every field's errors are raised together."""
    errors: dict[str, str] = {}
    canonical = None
    try:
        canonical = parse_period_of(
            month, (MONTH,), message=_("Budgets are set per month, e.g. 2026-11.")
        )
    except (TypeError, ValueError) as exc:
        errors["month"] = str(exc)
    if category not in CostCategory.values:
        errors["category"] = _("Choose one of the listed categories.")
    if amount is None or not (0 <= amount <= MAX_BUDGET):
        errors["amount"] = _("The amount is 0 or more.")
    if errors:
        raise ValidationError(errors)
    return str(canonical)


def _check_actor(actor) -> None:
    if not can(actor, "record_budgets"):
        raise PermissionDenied


def _taken() -> ValidationError:
    return ValidationError(
        {"category": _("This month already has a budget for this category; change that one.")}
    )


@transaction.atomic
def budget_set(*, actor, month: str, category: str, amount: Decimal, project=None) -> Budget:
    """Set a month's budget for a category, for a project or (none) the company; one each."""
    _check_actor(actor)
    month = budget_check(month=month, category=category, amount=amount)
    if Budget.objects.filter(project=project, month=month, category=category).exists():
        raise _taken()
    try:
        with transaction.atomic():
            return Budget.objects.create(
                project=project, month=month, category=category, amount=amount, created_by=actor
            )
    except IntegrityError as exc:  # set at the same moment by someone else
        raise _taken() from exc


@transaction.atomic
def budget_update(
    *, actor, budget: Budget, month: str, category: str, amount: Decimal, project=None
) -> Budget:
    """Change a budget (the same checks as setting it)."""
    _check_actor(actor)
    month = budget_check(month=month, category=category, amount=amount)
    others = Budget.objects.exclude(pk=budget.pk)
    if others.filter(project=project, month=month, category=category).exists():
        raise _taken()
    budget.project, budget.month, budget.category, budget.amount = project, month, category, amount
    budget.save()
    return budget
