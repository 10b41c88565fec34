from datetime import date
from decimal import Decimal

from django.db import migrations

# The default plan: the seed's numbers (the model's field defaults), naming no project, so it
# pays every project no other plan names (incentives.selectors.plans.plans_in_force).
DEFAULT_PLAN_NAME = "默认奖励方案"
DEFAULT_FROM = date(2020, 1, 1)
# Every property type is rated explicitly: 1000 per high-rise unit; garden houses and villas
# are "set separately" by the manager, 0 per unit until then.
DEFAULT_RATES = (
    ("high_rise", Decimal("1000")),
    ("garden_house", Decimal("0")),
    ("villa", Decimal("0")),
)


def default_plan_create(apps, schema_editor):
    """A fresh installation gets one plan with the seed's numbers; an installation that
    already has plans keeps exactly the ones it has."""
    plan_model = apps.get_model("incentives", "IncentivePlan")
    rate_model = apps.get_model("incentives", "CommissionRate")
    if plan_model.objects.exists():
        return
    plan = plan_model.objects.create(name=DEFAULT_PLAN_NAME, effective_from=DEFAULT_FROM)
    rate_model.objects.bulk_create(
        rate_model(plan=plan, property_type=kind, mode="per_unit", value=value)
        for kind, value in DEFAULT_RATES
    )


def default_plan_delete(apps, schema_editor):
    """Back: the default plan goes unless a board or a statement already used it. Its rates
    and the plan are deleted by id, without the delete collector: reversing after a later
    migration of this app, the collector meets related models of another state and refuses."""
    plan_model = apps.get_model("incentives", "IncentivePlan")
    rate_model = apps.get_model("incentives", "CommissionRate")
    ids = list(
        plan_model.objects.filter(
            name=DEFAULT_PLAN_NAME,
            effective_from=DEFAULT_FROM,
            projects__isnull=True,
            boards__isnull=True,
            statements__isnull=True,
        ).values_list("pk", flat=True)
    )
    rate_model.objects.filter(plan_id__in=ids)._raw_delete(schema_editor.connection.alias)
    plan_model.objects.filter(pk__in=ids)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    """The rules work from the first day: one plan with the seed's numbers for every project."""

    dependencies = [
        ("incentives", "0007_explanation_facts"),
    ]

    operations = [
        migrations.RunPython(default_plan_create, default_plan_delete),
    ]
