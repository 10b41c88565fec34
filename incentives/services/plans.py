"""Plans: a new plan with the seed's numbers."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from incentives.choices import CommissionMode
from incentives.models import CommissionRate, IncentivePlan

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
    for project in projects:
        if any(seed in project.name for seed in SEED_REDUCED_PROJECT_NAMES):
            CommissionRate.objects.create(
                plan=plan,
                project=project,
                property_type="high_rise",
                mode=CommissionMode.PER_UNIT,
                value=Decimal("500"),
            )
    return plan
