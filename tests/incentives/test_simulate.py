"""`incentives/simulate/` (方案测算): the compute's rules over the compute's facts with a changed
plan, next to what was stored, writing nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from common.roles import Role
from incentives.models import Statement, StatementLine
from incentives.services import period_compute, statement_adjust
from tests.factories.activity import signing, valid_visits
from tests.factories.org import marketer
from tests.helpers import AFTER_OCT, ALL_ROLES, OCT

pytestmark = pytest.mark.django_db
URL = "/api/v1/incentives/simulate/"


def table_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count() for m in apps.get_app_config("incentives").get_models()
    }


@pytest.fixture
def october(plan, team):
    """Three marketers with visits (a weekly and a monthly board) and signings in October."""
    people = [marketer(team) for _ in range(3)]
    for n, person in enumerate(people):
        valid_visits(person, 21 + n, date(2026, 10, 13))
        signing(person, f"{(n + 2) * 400000}.00", date(2026, 10, 15))
    signing(people[0], "900000.00", date(2026, 10, 16), property_type="garden_house")
    return people


def stored_by_kind() -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for kind, amount in StatementLine.objects.filter(statement__period=OCT).values_list(
        "kind", "amount"
    ):
        totals[kind] = totals.get(kind, Decimal(0)) + amount
    return totals


def simulate(client, body):
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_without_overrides_the_simulation_is_the_stored_compute(client_as, october, make_login):
    period_compute(period=OCT, now=AFTER_OCT)
    statement_adjust(
        actor=make_login(Role.MANAGER),
        statement=Statement.objects.get(staff=october[0]),
        amount=Decimal("-50"),
        reason="迟到",
    )
    before = table_counts()
    body = simulate(client_as(Role.MANAGER), {"period": OCT})
    assert table_counts() == before
    assert body["period"] == OCT
    assert body["current"]["source"] == "stored"
    assert body["simulated"] == {k: v for k, v in body["current"].items() if k != "source"}
    stored = stored_by_kind()
    assert {k: Decimal(v) for k, v in body["current"]["by_kind"].items() if Decimal(v)} == {
        k: v for k, v in stored.items() if v
    }
    assert Decimal(body["current"]["total"]) == sum(
        Statement.objects.filter(period=OCT).values_list("total_amount", flat=True)
    )
    assert {row["staff"] for row in body["staff"]} == {p.pk for p in october}
    for row in body["staff"]:
        statement = Statement.objects.get(staff_id=row["staff"], period=OCT)
        assert Decimal(row["current_total"]) == statement.total_amount
        assert row["simulated_total"] == row["current_total"]


def test_an_override_changes_only_what_it_pays_and_writes_nothing(client_as, october):
    period_compute(period=OCT, now=AFTER_OCT)
    before = table_counts()
    body = simulate(
        client_as(Role.MANAGER),
        {
            "period": OCT,
            "plan": {
                "visit_incentive": {"high_rise": "30.00"},
                "monthly_visit_award": {"prizes": ["1000", "500", "300"]},
                "commission_rates": [
                    {
                        "project": None,
                        "property_type": "high_rise",
                        "mode": "per_unit",
                        "value": "1000",
                    },
                    {
                        "project": None,
                        "property_type": "garden_house",
                        "mode": "percent",
                        "value": "1.5",
                    },
                    {"project": None, "property_type": "villa", "mode": "per_unit", "value": "0"},
                ],
            },
        },
    )
    assert table_counts() == before
    current, simulated = body["current"]["by_kind"], body["simulated"]["by_kind"]
    visits = sum(21 + n for n in range(3))
    assert Decimal(simulated["visit_incentive"]) == Decimal(current["visit_incentive"]) * 30 / 20
    assert Decimal(simulated["visit_incentive"]) == visits * 30
    assert (
        Decimal(simulated["monthly_visit_award"]) == Decimal(current["monthly_visit_award"]) + 200
    )
    # garden house paid nothing (not rated by the seed plan); now 1.5 % of 900,000
    assert Decimal(simulated["commission"]) == Decimal(current["commission"]) + Decimal("13500.00")
    assert simulated["base_salary"] == current["base_salary"]
    assert Decimal(body["simulated"]["total"]) - Decimal(body["current"]["total"]) == (
        visits * 10 + 200 + Decimal("13500")
    )


def test_nothing_stored_compares_with_the_plan_as_it_is(client_as, october):
    before = table_counts()
    body = simulate(
        client_as(Role.MANAGER), {"period": "2026-Q4", "plan": {"referral_bonus": "300"}}
    )
    assert table_counts() == before
    assert body["period"] == "2026-Q4"
    assert body["current"]["source"] == "computed"
    assert (
        Decimal(body["current"]["by_kind"]["visit_incentive"]) == sum(21 + n for n in range(3)) * 20
    )
    period_compute(period=OCT, now=AFTER_OCT)
    stored = simulate(client_as(Role.MANAGER), {"period": "2026-Q4"})
    assert stored["current"]["source"] == "mixed"  # October stored, the other months not
    assert stored["current"]["total"] == body["current"]["total"]


BAD = {
    "a week": ({"period": "2026-W42"}, ("period",)),
    "no period": ({}, ("period",)),
    "the future": ({"period": "2099-01"}, ("period",)),
    "rising ladder": (
        {"period": OCT, "plan": {"weekly_visit_award": {"prizes": ["100", "300", "200"]}}},
        ("plan", "weekly_visit_award", "prizes"),
    ),
    "villa not rated": (
        {
            "period": OCT,
            "plan": {
                "commission_rates": [
                    {
                        "project": None,
                        "property_type": "high_rise",
                        "mode": "per_unit",
                        "value": "1",
                    }
                ]
            },
        },
        ("plan", "commission_rates"),
    ),
}


@pytest.mark.parametrize("body,path", BAD.values(), ids=BAD.keys())
def test_a_bad_what_if_is_a_field_level_400(client_as, plan, body, path):
    response = client_as(Role.MANAGER).post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    for key in path:
        assert key in errors, errors
        errors = errors[key]


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != Role.MANAGER])
def test_only_managers_simulate(client_as, plan, role):
    assert client_as(role).post(URL, {"period": OCT}, format="json").status_code == 403
