"""Plans: whether a plan's numbers make sense together, storing one, and a new plan with the
seed's numbers."""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incentives.choices import CommissionMode
from incentives.models import CommissionRate, IncentivePlan

# Each prize ladder pays rank 1 at least as much as rank 2, and rank 2 as rank 3.
PRIZE_LADDERS = (
    ("weekly_visit_prize_1", "weekly_visit_prize_2", "weekly_visit_prize_3"),
    ("monthly_visit_prize_1", "monthly_visit_prize_2", "monthly_visit_prize_3"),
    ("signing_prize_1", "signing_prize_2", "signing_prize_3"),
)

# The seed names two projects that pay 500 per high-rise unit instead of 1000.
SEED_REDUCED_PROJECT_NAMES = ("协成", "金隅大成")


@transaction.atomic
def plan_create_default(*, name: str, effective_from: date, projects) -> IncentivePlan:
    """A plan with the seed's numbers: 1000 per high-rise unit (500 at 协成 and 金隅大成)."""
    if effective_from.day != 1:
        raise ValidationError({"effective_from": _("A plan starts on the first of a month.")})
    plan = IncentivePlan.objects.create(name=name, effective_from=effective_from)
    plan.projects.set(projects)
    CommissionRate.objects.create(
        plan=plan, property_type="high_rise", mode=CommissionMode.PER_UNIT, value=Decimal("1000")
    )
    plan_seed_exceptions(plan=plan, projects=projects)
    return plan


@transaction.atomic
def plan_seed_exceptions(*, plan: IncentivePlan, projects) -> None:
    """The seed's exceptions on a plan: its named projects (协成, 金隅大成) pay 500 per
    high-rise unit; a rate the plan already has for such a project is left as it is."""
    for project in projects:
        if any(seed in project.name for seed in SEED_REDUCED_PROJECT_NAMES):
            CommissionRate.objects.get_or_create(
                plan=plan,
                project=project,
                property_type="high_rise",
                defaults={"mode": CommissionMode.PER_UNIT, "value": Decimal("500")},
            )


def _ladder_errors(values: Mapping) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for ladder in PRIZE_LADDERS:
        for higher, lower in pairwise(ladder):
            if (
                values.get(higher) is not None
                and values.get(lower) is not None
                and values[lower] > values[higher]
            ):
                errors.setdefault(lower, []).append(
                    _("A lower rank cannot win more than the rank above.")
                )
    return errors


def _threshold_errors(values: Mapping) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("weekly_visit_threshold", "monthly_visit_threshold"):
        if values.get(name) == 0:
            errors.setdefault(name, []).append(
                _("At least one valid visit makes a person eligible.")
            )
    weekly, monthly = values.get("weekly_visit_threshold"), values.get("monthly_visit_threshold")
    if weekly and monthly and monthly < weekly:
        errors.setdefault("monthly_visit_threshold", []).append(
            _("A month holds at least a week: its minimum cannot be below the weekly one.")
        )
    return errors


def _clash_errors(
    *, starts: date | None, projects, plan: IncentivePlan | None
) -> dict[str, list[str]]:
    if starts is None or not projects:
        return {}
    clash = (
        IncentivePlan.objects.filter(effective_from=starts, projects__in=projects)
        .exclude(pk=plan.pk if plan is not None else None)
        .values_list("name", "projects__name")
        .first()
    )
    if not clash:
        return {}
    return {
        "projects": [
            _("%(project)s already has the plan “%(plan)s” starting that month.")
            % {"project": clash[1], "plan": clash[0]}
        ]
    }


def plan_validate(
    *, values: Mapping, projects: Iterable | None, plan: IncentivePlan | None = None
) -> None:
    """A plan starts on the first of a month, its prize ladders never pay a lower rank more,
    its visit minimums are at least 1 (the month's not below the week's), and no project
    has two plans starting the same month (a newer plan supersedes from its own month).
    Values missing from `values` are not judged (the caller already refused them)."""
    errors: dict[str, list[str]] = {}
    starts = values.get("effective_from")
    if starts is not None and starts.day != 1:
        errors["effective_from"] = [_("A plan starts on the first of a month.")]
    for found in (
        _ladder_errors(values),
        _threshold_errors(values),
        _clash_errors(starts=starts, projects=projects, plan=plan),
    ):
        for name, messages in found.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_create(*, projects: Iterable, **values) -> IncentivePlan:
    """Store a new plan for its projects once plan_validate accepts its numbers."""
    projects = list(projects)
    plan_validate(values=values, projects=projects)
    plan = IncentivePlan.objects.create(**values)
    plan.projects.set(projects)
    return plan


@transaction.atomic
def plan_update(*, plan: IncentivePlan, projects: Iterable, **values) -> IncentivePlan:
    """Change a plan's numbers and projects once plan_validate accepts them."""
    projects = list(projects)
    plan_validate(values=values, projects=projects, plan=plan)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.save()
    plan.projects.set(projects)
    return plan
