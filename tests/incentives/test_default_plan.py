"""A fresh installation (migrations only) already has a plan with the seed's numbers for every
project no other plan names."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from common.periods import parse_period
from incentives.models import IncentivePlan, StatementLine
from incentives.selectors import plans_in_force
from incentives.services import period_compute, plan_create_default
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def lines_of(staff) -> dict[str, list[Decimal]]:
    result: dict[str, list[Decimal]] = {}
    for line in StatementLine.objects.filter(statement__staff=staff, statement__period=OCT):
        result.setdefault(line.kind, []).append(line.amount)
    return result


@pytest.mark.django_db(transaction=True)
def test_a_fresh_install_computes_with_the_seeds_numbers():
    migrate([("incentives", "0006_commission_percent")])
    assert not IncentivePlan.objects.exists()
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    plan = IncentivePlan.objects.get()
    assert plan.effective_from.day == 1 and not plan.projects.exists()
    assert {r.property_type: (r.mode, r.value) for r in plan.commission_rates.all()} == {
        "high_rise": ("per_unit", Decimal("1000.0000")),
        "garden_house": ("per_unit", Decimal("0.0000")),
        "villa": ("per_unit", Decimal("0.0000")),
    }
    team = TeamFactory(project=ProjectFactory(name="锦绣华庭"))
    star, other = marketer(team, level="excellent"), marketer(team)
    valid_visits(star, 12, date(2026, 10, 6))  # week 2026-W41 (Sunday 10-11)
    valid_visits(star, 10, date(2026, 10, 14))  # week 2026-W42
    valid_visits(other, 3, date(2026, 10, 20))
    signing(star, "1000000.00", date(2026, 10, 9))
    signing(other, "900000.00", date(2026, 10, 9), property_type="villa")

    summary = period_compute(period=OCT, now=AFTER_OCT)

    assert summary.plans == 1 and summary.statements == 2
    star_lines = lines_of(star)
    assert star_lines["base_salary"] == [Decimal("3000.00")]
    assert star_lines["visit_incentive"] == [Decimal("440.00")]  # 22 × 20
    assert star_lines["commission"] == [Decimal("1000.00")]
    assert sorted(star_lines["weekly_visit_award"]) == [Decimal("500.00"), Decimal("500.00")]
    assert star_lines["monthly_visit_award"] == [Decimal("800.00")]
    assert star_lines["signing_award"] == [Decimal("1500.00")]
    assert lines_of(other) == {
        "base_salary": [Decimal("2500.00")],
        "visit_incentive": [Decimal("60.00")],
        "commission": [Decimal("0.00")],  # villas: 0 per unit until the manager sets one
    }


@pytest.mark.django_db
def test_the_default_plan_pays_every_project_no_other_plan_names():
    default = IncentivePlan.objects.get(projects__isnull=True)
    named, other = ProjectFactory(name="协成"), ProjectFactory(name="锦绣华庭")
    own = plan_create_default(name="协成方案", effective_from=date(2026, 1, 1), projects=[named])

    in_force = {p.pk: p.project_ids_in_force for p in plans_in_force(month=parse_period(OCT))}

    assert in_force[own.pk] == {named.pk}
    assert other.pk in in_force[default.pk] and named.pk not in in_force[default.pk]


@pytest.mark.django_db
def test_seed_demo_puts_its_project_exceptions_on_the_default_plan():
    call_command("seed_demo", "--no-activity", stdout=StringIO())
    plan = IncentivePlan.objects.get()
    assert {
        (r.project.name, r.property_type, r.value)
        for r in plan.commission_rates.filter(project__isnull=False)
    } == {("协成", "high_rise", Decimal("500.0000"))}
    assert plans_in_force(month=parse_period(OCT)) == [plan]
