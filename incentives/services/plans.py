"""Plans: whether a plan's numbers make sense together, storing one (with its commission rates),
and a new plan with the seed's numbers.

A plan is given as its model's flat field names (`weekly_visit_prize_1`…); its commission rates
as a list of `{"project": Project | None, "property_type", "mode", "value"}`. A plan that an
approved or paid statement used is not changed: the change is a new version from a later month.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incentives.choices import CommissionMode, StatementStatus
from incentives.models import CommissionRate, IncentivePlan, Statement
from sales.choices import PropertyType

# Each prize ladder pays rank 1 at least as much as rank 2, and rank 2 as rank 3.
PRIZE_LADDERS = (
    ("weekly_visit_prize_1", "weekly_visit_prize_2", "weekly_visit_prize_3"),
    ("monthly_visit_prize_1", "monthly_visit_prize_2", "monthly_visit_prize_3"),
    ("signing_prize_1", "signing_prize_2", "signing_prize_3"),
)

# The plan's own numbers (and name, start): every concrete field but the key and the stamp.
PLAN_FIELDS = tuple(
    f.name for f in IncentivePlan._meta.concrete_fields if f.name not in ("id", "created_at")
)
PLAN_NUMBERS = tuple(name for name in PLAN_FIELDS if name not in ("name", "effective_from"))
# The longest promotion streak a plan may ask for (the model's validator says the same).
MAX_STREAK_MONTHS = 12
# Amounts that make a person (or team) eligible: at least one yuan.
AMOUNT_THRESHOLDS = ("signing_threshold_amount", "team_threshold_amount")

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
    for name in PLAN_NUMBERS:
        if values.get(name) is not None and values[name] < 0:
            errors.setdefault(name, []).append(_("This cannot be negative."))
    for name in AMOUNT_THRESHOLDS:
        if values.get(name) is not None and values[name] <= 0:
            errors.setdefault(name, []).append(_("The minimum amount must be more than 0."))
    for name in ("promotion_streak_months", "promotion_top_n"):
        if values.get(name) is not None and values[name] < 1:
            errors.setdefault(name, []).append(_("This must be at least 1."))
    if (values.get("promotion_streak_months") or 0) > MAX_STREAK_MONTHS:
        errors.setdefault("promotion_streak_months", []).append(
            _("A streak is at most %(months)s months.") % {"months": MAX_STREAK_MONTHS}
        )
    return errors


def _clash_errors(
    *, starts: date | None, projects, plan: IncentivePlan | None
) -> dict[str, list[str]]:
    """No two versions from the same month for one project; nor two plans from one month for
    "every project no other plan names" (a plan without projects)."""
    if starts is None or projects is None:
        return {}
    others = IncentivePlan.objects.filter(effective_from=starts).exclude(
        pk=plan.pk if plan is not None else None
    )
    if not projects:
        clash = others.filter(projects__isnull=True).values_list("name", flat=True).first()
        if clash is None:
            return {}
        return {
            "projects": [
                _("The plan “%(plan)s” already covers every other project from that month.")
                % {"plan": clash}
            ]
        }
    clash = others.filter(projects__in=projects).values_list("name", "projects__name").first()
    if not clash:
        return {}
    return {
        "projects": [
            _("%(project)s already has the plan “%(plan)s” starting that month.")
            % {"project": clash[1], "plan": clash[0]}
        ]
    }


def _rate_errors(rates: list[Mapping]) -> dict[str, list[str]]:
    """One rate per (project, property type), a percent at most 100, nothing negative, and
    every property type rated plan-wide (a 0 must be written, never implied)."""
    errors: list[str] = []
    seen: set = set()
    for rate in rates:
        project = rate.get("project")
        key = (getattr(project, "pk", project), rate.get("property_type"))
        if key in seen:
            errors.append(
                _("%(type)s has two rates for the same project.")
                % {"type": PropertyType(key[1]).label}
            )
        seen.add(key)
        value = rate.get("value")
        if value is not None and value < 0:
            errors.append(_("A commission rate cannot be negative."))
        if rate.get("mode") == CommissionMode.PERCENT and value is not None and value > 100:
            errors.append(_("A percent of the amount (0.5 = 0.5%) cannot be more than 100."))
    for property_type in PropertyType:
        if (None, property_type.value) not in seen:
            errors.append(
                _("Give %(type)s a plan-wide rate (0 if it pays no commission).")
                % {"type": property_type.label}
            )
    return {"commission_rates": errors} if errors else {}


def plan_is_used(*, plan: IncentivePlan) -> bool:
    """Whether an approved or paid statement was computed by this plan."""
    return Statement.objects.filter(
        plan=plan, status__in=(StatementStatus.APPROVED, StatementStatus.PAID)
    ).exists()


def plan_validate(
    *,
    values: Mapping,
    projects: Iterable | None,
    plan: IncentivePlan | None = None,
    commission_rates: list[Mapping] | None = None,
) -> None:
    """A plan starts on the first of a month, its prize ladders never pay a lower rank more,
    its visit minimums are at least 1 (the month's not below the week's), its amount minimums
    more than 0, and no project has two plans starting the same month (a newer plan
    supersedes from its own month). Commission rates, when given, are judged by _rate_errors.
    A stored plan an approved or paid statement used is not changed at all.
    Values missing from `values` are not judged (the caller already refused them)."""
    if plan is not None and plan.pk is not None and plan_is_used(plan=plan):
        raise ValidationError(
            {
                "effective_from": [
                    _(
                        "An approved statement used this plan, so it cannot change: "
                        "add a new version starting in a later month."
                    )
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    starts = values.get("effective_from")
    if starts is not None and starts.day != 1:
        errors["effective_from"] = [_("A plan starts on the first of a month.")]
    found_all = [
        _ladder_errors(values),
        _threshold_errors(values),
        _clash_errors(starts=starts, projects=projects, plan=plan),
    ]
    if commission_rates is not None:
        found_all.append(_rate_errors(commission_rates))
    for found in found_all:
        for name, messages in found.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def plan_values(*, plan: IncentivePlan) -> dict:
    """A stored plan's numbers by their field names (what plan_update merges changes into)."""
    return {name: getattr(plan, name) for name in PLAN_FIELDS}


def _rates_store(*, plan: IncentivePlan, rates: list[Mapping]) -> None:
    plan.commission_rates.all().delete()
    CommissionRate.objects.bulk_create(
        CommissionRate(
            plan=plan,
            project=rate.get("project"),
            property_type=rate["property_type"],
            mode=rate["mode"],
            value=rate["value"],
        )
        for rate in rates
    )


@transaction.atomic
def plan_create(
    *, projects: Iterable, commission_rates: list[Mapping] | None = None, **values
) -> IncentivePlan:
    """Store a new plan for its projects once plan_validate accepts its numbers; its
    commission rates too when given (the admin's inline stores them itself)."""
    projects = list(projects)
    plan_validate(values=values, projects=projects, commission_rates=commission_rates)
    plan = IncentivePlan.objects.create(**values)
    plan.projects.set(projects)
    if commission_rates is not None:
        _rates_store(plan=plan, rates=commission_rates)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: IncentivePlan,
    projects: Iterable | None = None,
    commission_rates: list[Mapping] | None = None,
    **values,
) -> IncentivePlan:
    """Change a plan's numbers, and its projects and rates when given, once plan_validate
    accepts the plan as it would be (the stored numbers with these changes)."""
    stored = IncentivePlan.objects.select_for_update().get(pk=plan.pk)
    projects = list(stored.projects.all()) if projects is None else list(projects)
    merged = plan_values(plan=stored) | values
    plan_validate(values=merged, projects=projects, plan=plan, commission_rates=commission_rates)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.save()
    plan.projects.set(projects)
    if commission_rates is not None:
        _rates_store(plan=plan, rates=commission_rates)
    return plan
