"""The what-if page (方案测算): the same simulation as the API, in a page, writing nothing."""

import re
from decimal import Decimal

import pytest

from common.roles import Role
from incentives.services import period_compute
from tests.helpers import AFTER_OCT, OCT
from tests.incentives.test_simulate import october as october  # a fixture, shared
from tests.incentives.test_simulate import table_counts

# The default plan the migrations install is removed: these tests are about a plan of their own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_default_plan")]
URL = "/incentives/plans/simulate/"


@pytest.fixture
def web(client, make_login):
    """A browser session signed in with a login of `role`."""

    def signed_in(role):
        client.force_login(make_login(role))
        return client

    return signed_in


def money(response, testid: str) -> Decimal:
    """The amount a page shows in the cell marked `data-testid=testid`."""
    found = re.search(rf'data-testid="{testid}">([^<]*)<', response.content.decode())
    return Decimal(found.group(1).strip().replace(",", ""))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.MANAGER, 200),
        (Role.SUPERVISOR, 403),
        (Role.SECRETARY, 403),
        (Role.MARKETER, 403),
        (Role.PARTNER, 403),
    ],
)
def test_only_managers_open_the_what_if(web, role, status):
    assert web(role).get(URL).status_code == status


def test_a_changed_plan_is_compared_with_what_was_paid_and_nothing_is_written(web, october):
    period_compute(period=OCT, now=AFTER_OCT)
    before = table_counts()
    client = web(Role.MANAGER)
    same = client.get(URL, {"period": OCT})
    changed = client.get(URL, {"period": OCT, "base_salary_regular": "3000"})
    assert table_counts() == before
    assert same.status_code == changed.status_code == 200
    current = money(changed, "current-total")
    simulated = money(changed, "simulated-total")
    assert money(same, "simulated-total") == current == money(same, "current-total")
    # three regular marketers, each paid 500 more of base salary for a full month
    assert simulated - current == Decimal("1500.00")
    assert changed.content.decode().count('data-testid="person"') == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "2026-W44"}, "period"),
        ({"period": "2099-01"}, "period"),
        ({"period": OCT, "weekly_visit_prize_2": "9999"}, "weekly_visit_prize_2"),
        ({"period": OCT, "base_salary_regular": "many"}, "base_salary_regular"),
    ],
)
def test_a_bad_what_if_is_a_field_error_not_a_500(web, plan, query, field):
    before = table_counts()
    response = web(Role.MANAGER).get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert table_counts() == before
