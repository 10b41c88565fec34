"""Two computes of the same month at once, on two real worker processes, pay once."""

from decimal import Decimal

import pytest

from common.models import JobRun
from incentives.models import Statement, StatementLine
from incentives.tasks import compute_period
from tests.helpers import october_activity, wait_for

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_computes_pay_once(celery_worker_process):
    people = october_activity()

    for _ in range(2):
        compute_period.delay("2026-10")
    wait_for(
        lambda: (
            JobRun.objects.filter(
                name="compute_incentives", key="2026-10", status="succeeded"
            ).count()
            == 2
        ),
        timeout=60,
    )

    assert Statement.objects.filter(period="2026-10").count() == len(people)
    assert StatementLine.objects.filter(kind="base_salary").count() == len(people)
    assert StatementLine.objects.filter(kind="commission").count() == len(people)
    assert StatementLine.objects.filter(kind="monthly_visit_award").count() == 3
    for statement in Statement.objects.prefetch_related("lines"):
        assert statement.total_amount == sum(
            (line.amount for line in statement.lines.all()), Decimal("0")
        )
