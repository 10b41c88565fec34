"""Two computes of the same month at once, on two real worker processes, pay once."""

from datetime import date
from decimal import Decimal

import pytest

from common.models import JobRun
from incentives.models import Statement, StatementLine
from incentives.services import plan_create_default
from incentives.tasks import compute_period
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.jobs.conftest import wait_for

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_computes_pay_once(celery_worker_process):
    project = ProjectFactory()
    plan_create_default(name="p", effective_from=date(2026, 1, 1), projects=[project])
    team = TeamFactory(project=project)
    people = [marketer(team) for _ in range(6)]
    for n, person in enumerate(people):
        valid_visits(person, 20 + n, date(2026, 10, 12))
        signing(person, f"{(n + 1) * 300000}.00", date(2026, 10, 15))

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
