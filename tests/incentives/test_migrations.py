"""Data migrations run on rows stored before them."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories.activity import signing
from tests.factories.org import UserFactory, marketer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("incentives", "0004_channel_costs")]
AFTER = [("incentives", "0005_clawback_reverses_paid_line")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def back_to_the_latest():
    """Each test stops at the migration it checks; the tests after it need every later one
    (e.g. 0011's campaign on channel costs)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_clawbacks_are_linked_to_the_paid_line_they_take_back_once():
    apps = migrate(BEFORE)
    statement_model = apps.get_model("incentives", "Statement")
    line_model = apps.get_model("incentives", "StatementLine")
    m = marketer()
    deal = signing(m, "800000.00", date(2026, 10, 9))
    now = timezone.now()

    approver = UserFactory()

    def statement(period, status):
        approval = {} if status == "draft" else {"approved_at": now, "approved_by_id": approver.pk}
        return statement_model.objects.create(
            staff_id=m.pk, period=period, status=status, computed_at=now, **approval
        )

    october, november, december = (
        statement("2026-10", "approved"),
        statement("2026-11", "approved"),
        statement("2026-12", "draft"),
    )

    def line(held, kind, amount):
        return line_model.objects.create(
            statement=held,
            kind=kind,
            amount=Decimal(amount),
            description=kind,
            source=f"signing:{deal.pk}",
            signing_id=deal.pk,
        )

    paid = line(october, "commission", "1000")
    first = line(november, "clawback", "-1000")
    repeated = line(december, "clawback", "-1000")  # the double clawback this migration meets

    # The line as 0005 left it (later migrations add columns the current model reads).
    after = migrate(AFTER).get_model("incentives", "StatementLine")
    assert after.objects.get(pk=first.pk).reverses_id == paid.pk
    assert after.objects.get(pk=repeated.pk).reverses_id is None


def test_commission_rates_stored_as_fractions_become_percents_and_back():
    fractions = [("incentives", "0005_clawback_reverses_paid_line")]
    percents = [("incentives", "0006_commission_percent")]
    apps = migrate(fractions)
    plan = apps.get_model("incentives", "IncentivePlan").objects.create(
        name="2026", effective_from=date(2026, 1, 1)
    )
    rate_model = apps.get_model("incentives", "CommissionRate")
    villa = rate_model.objects.create(
        plan=plan, property_type="villa", mode="rate", value=Decimal("0.005")
    )
    fine = rate_model.objects.create(
        plan=plan, property_type="garden_house", mode="rate", value=Decimal("0.0125")
    )
    unit = rate_model.objects.create(
        plan=plan, property_type="high_rise", mode="per_unit", value=Decimal("1000")
    )

    def stored(apps):
        rows = apps.get_model("incentives", "CommissionRate").objects
        return [(r.mode, r.value) for r in rows.filter(pk__in=[villa.pk, fine.pk, unit.pk])]

    after = migrate(percents)
    assert sorted(stored(after)) == [
        ("per_unit", Decimal("1000.0000")),
        ("percent", Decimal("0.5000")),
        ("percent", Decimal("1.2500")),
    ]
    before = migrate(fractions)
    assert sorted(stored(before)) == [
        ("per_unit", Decimal("1000.0000")),
        ("rate", Decimal("0.0050")),
        ("rate", Decimal("0.0125")),
    ]
    migrate(percents)


def test_lines_and_entries_stored_before_their_facts_get_empty_facts():
    """0007: rows stored before it keep their text and get empty facts (the fallback)."""
    apps = migrate([("incentives", "0006_commission_percent")])
    line_model = apps.get_model("incentives", "StatementLine")
    staff = marketer()
    statement = apps.get_model("incentives", "Statement").objects.create(
        staff_id=staff.pk, period="2026-11", computed_at=timezone.now()
    )
    old = line_model.objects.create(
        statement=statement, kind="commission", amount=Decimal("500"), description="old text"
    )
    after = migrate([("incentives", "0007_explanation_facts")]).get_model(
        "incentives", "StatementLine"
    )
    stored = after.objects.get(pk=old.pk)
    assert (stored.description, stored.facts) == ("old text", {})


def test_statements_paid_before_the_payment_date_was_asked_for_are_dated_the_local_day():
    """0010: paid_on is the Asia/Shanghai date of paid_at (01:30 local is the day before in
    UTC); unpaid statements stay undated."""
    apps = migrate([("incentives", "0009_promotion_facts")])
    statement_model = apps.get_model("incentives", "Statement")
    approver = UserFactory()
    paid_at = datetime(2026, 11, 5, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    approval = {"approved_at": paid_at, "approved_by_id": approver.pk}
    paid = statement_model.objects.create(
        staff_id=marketer().pk,
        period="2026-10",
        status="paid",
        computed_at=paid_at,
        paid_at=paid_at,
        **approval,
    )
    approved = statement_model.objects.create(
        staff_id=marketer().pk,
        period="2026-10",
        status="approved",
        computed_at=paid_at,
        **approval,
    )
    after = migrate([("incentives", "0010_statement_paid_on")]).get_model("incentives", "Statement")
    assert after.objects.get(pk=paid.pk).paid_on == date(2026, 11, 5)
    assert after.objects.get(pk=approved.pk).paid_on is None
