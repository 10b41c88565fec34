"""`incentive-plans/`: SPEC's nested contract over the plan services, each refusal a field-level
400 with nothing written, a used plan never edited, and who may read and write."""

import copy
from datetime import date

import pytest

from common.roles import Role
from incentives.models import CommissionRate, IncentivePlan, Statement
from incentives.services import period_compute, plan_create_default, statement_approve
from tests.api_base import EndpointCase
from tests.factories.activity import valid_visits
from tests.factories.org import ProjectFactory, marketer
from tests.helpers import AFTER_OCT, OCT
from tests.incentives.test_admin import errors_of, plan_post

# These tests are about plans of their own: the default plan the migrations install is removed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_default_plan")]
URL = "/api/v1/incentive-plans/"

PLAN = {
    "name": "2027 方案",
    "effective_from": "2027-01-01",
    "projects": [],
    "base_salary": {"regular": "2600.00", "excellent": "3100.00", "senior": "3600.00"},
    "rest_days_per_month": 4,
    "visit_incentive": {"high_rise": "20.00", "garden_house": "30.00", "villa": "0.00"},
    "weekly_visit_award": {"threshold": 10, "prizes": ["500.00", "300.00", "200.00"]},
    "monthly_visit_award": {"threshold": 20, "prizes": ["800.00", "500.00", "300.00"]},
    "signing_award": {
        "threshold_amount": "1000000.00",
        "prizes": ["1500.00", "1000.00", "500.00"],
    },
    "team_award": {"threshold_amount": "5000000.00", "prize": "6000.00"},
    "referral_bonus": "200.00",
    "promotion": {"streak_months": 3, "top_n": 3},
    "commission_rates": [
        {"project": None, "property_type": "high_rise", "mode": "per_unit", "value": "1000.0000"},
        {"project": None, "property_type": "garden_house", "mode": "percent", "value": "1.5000"},
        {"project": None, "property_type": "villa", "mode": "per_unit", "value": "0.0000"},
    ],
}


def plan_body(**changes) -> dict:
    body = copy.deepcopy(PLAN)
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = body
        for key in parents:
            target = target[key]
        target[last] = value
    return body


def rows() -> tuple[int, int]:
    return IncentivePlan.objects.count(), CommissionRate.objects.count()


def test_a_plan_round_trips_as_the_contract(client_as):
    project = ProjectFactory()
    body = plan_body(projects=[project.pk])
    body["commission_rates"].append(
        {"project": project.pk, "property_type": "high_rise", "mode": "per_unit", "value": "500"}
    )
    created = client_as(Role.MANAGER).post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    plan = IncentivePlan.objects.get()
    assert (
        plan.base_salary_regular,
        plan.weekly_visit_prize_2,
        plan.visit_incentive_garden_house,
    ) == (
        2600,
        300,
        30,
    )
    read = client_as(Role.SUPERVISOR).get(f"{URL}{plan.pk}/").json()
    expected = {**body, "id": plan.pk}
    expected["commission_rates"][-1]["value"] = "500.0000"
    assert {k: v for k, v in read.items() if k != "commission_rates"} == {
        k: v for k, v in expected.items() if k != "commission_rates"
    }
    key = lambda rate: (rate["project"] or 0, rate["property_type"])  # noqa: E731
    assert sorted(read["commission_rates"], key=key) == sorted(
        expected["commission_rates"], key=key
    )


def test_groups_left_out_take_the_seeds_numbers(client_as):
    body = {k: PLAN[k] for k in ("name", "effective_from", "commission_rates")}
    created = client_as(Role.MANAGER).post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    answer = created.json()
    assert answer["projects"] == []
    assert answer["base_salary"] == {
        "regular": "2500.00",
        "excellent": "3000.00",
        "senior": "3500.00",
    }
    assert answer["weekly_visit_award"] == {
        "threshold": 10,
        "prizes": ["500.00", "300.00", "200.00"],
    }


RATES = PLAN["commission_rates"]
BAD_PLANS = {
    "not the first": ({"effective_from": "2027-01-15"}, ("effective_from",)),
    "weekly ladder rising": (
        {"weekly_visit_award__prizes": ["300", "500", "200"]},
        ("weekly_visit_award", "prizes"),
    ),
    "monthly ladder rising": (
        {"monthly_visit_award__prizes": ["800", "500", "600"]},
        ("monthly_visit_award", "prizes"),
    ),
    "signing ladder rising": (
        {"signing_award__prizes": ["1000", "1500", "500"]},
        ("signing_award", "prizes"),
    ),
    "two prizes": (
        {"weekly_visit_award__prizes": ["500", "300"]},
        ("weekly_visit_award", "prizes"),
    ),
    "weekly threshold 0": (
        {"weekly_visit_award__threshold": 0},
        ("weekly_visit_award", "threshold"),
    ),
    "month below week": (
        {"monthly_visit_award__threshold": 5},
        ("monthly_visit_award", "threshold"),
    ),
    "signing threshold 0": (
        {"signing_award__threshold_amount": "0"},
        ("signing_award", "threshold_amount"),
    ),
    "team threshold 0": ({"team_award__threshold_amount": "0"}, ("team_award", "threshold_amount")),
    "negative base salary": ({"base_salary__senior": "-1"}, ("base_salary", "senior")),
    "negative referral": ({"referral_bonus": "-200"}, ("referral_bonus",)),
    "top 0": ({"promotion__top_n": 0}, ("promotion", "top_n")),
    "a 13-month streak": ({"promotion__streak_months": 13}, ("promotion", "streak_months")),
    "villa not rated": ({"commission_rates": RATES[:2]}, ("commission_rates",)),
    "no rates": ({"commission_rates": []}, ("commission_rates",)),
    "two high-rise rates": (
        {"commission_rates": [*RATES, {**RATES[0], "value": "900"}]},
        ("commission_rates",),
    ),
    "percent over 100": (
        {"commission_rates": [RATES[0], {**RATES[1], "value": "150"}, RATES[2]]},
        ("commission_rates",),
    ),
    "negative rate": (
        {"commission_rates": [{**RATES[0], "value": "-1"}, *RATES[1:]]},
        ("commission_rates",),
    ),
    "unknown mode": (
        {"commission_rates": [{**RATES[0], "mode": "rate"}, *RATES[1:]]},
        ("commission_rates",),
    ),
}


@pytest.mark.parametrize("changes,path", BAD_PLANS.values(), ids=BAD_PLANS.keys())
def test_each_bad_plan_is_a_field_level_400_with_nothing_written(client_as, changes, path):
    client = client_as(Role.MANAGER)
    before = rows()
    response = client.post(URL, plan_body(**changes), format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    for key in path:
        assert key in errors, errors
        errors = errors[key]
    assert errors, response.json()
    assert rows() == before


def test_two_versions_cannot_start_the_same_month(client_as, plan, project):
    client = client_as(Role.MANAGER)
    before = rows()
    clash = client.post(
        URL, plan_body(effective_from="2026-01-01", projects=[project.pk]), format="json"
    )
    assert clash.status_code == 400
    assert "projects" in clash.json()["errors"]
    assert client.post(URL, plan_body(), format="json").status_code == 201
    again = client.post(URL, plan_body(name="again"), format="json")  # both "every project"
    assert again.status_code == 400
    assert "projects" in again.json()["errors"]
    assert rows() == (before[0] + 1, before[1] + 3)


def test_patch_is_judged_against_the_stored_numbers(client_as, plan):
    client = client_as(Role.MANAGER)
    url = f"{URL}{plan.pk}/"
    low = client.patch(url, {"monthly_visit_award": {"threshold": 5}}, format="json")
    assert low.status_code == 400
    assert "threshold" in low.json()["errors"]["monthly_visit_award"]
    ok = client.patch(url, {"weekly_visit_award": {"prizes": ["600", "300", "200"]}}, format="json")
    assert ok.status_code == 200, ok.json()
    plan.refresh_from_db()
    assert (plan.weekly_visit_prize_1, plan.monthly_visit_threshold) == (600, 20)
    assert plan.commission_rates.count() == 1  # not sent: kept


def test_a_plan_an_approved_statement_used_is_a_new_version(
    client_as, make_login, plan, project, team
):
    manager = make_login(Role.MANAGER)
    valid_visits(marketer(team), 3, date(2026, 10, 12))
    period_compute(period=OCT, now=AFTER_OCT)
    statement_approve(actor=manager, statement=Statement.objects.get(period=OCT))
    client = client_as(Role.MANAGER)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertion reads the English message
    for method in (client.patch, client.put):
        refused = method(
            f"{URL}{plan.pk}/",
            plan_body(effective_from="2026-01-01", projects=[project.pk]),
            format="json",
        )
        assert refused.status_code == 400
        assert "new version" in refused.json()["errors"]["effective_from"][0]
    plan.refresh_from_db()
    assert plan.base_salary_regular == 2500
    later = client.post(
        URL, plan_body(effective_from="2026-12-01", projects=[project.pk]), format="json"
    )
    assert later.status_code == 201, later.json()


def test_the_admin_refuses_to_change_a_used_plan_too(admin_client, make_login, plan, project, team):
    valid_visits(marketer(team), 3, date(2026, 10, 12))
    period_compute(period=OCT, now=AFTER_OCT)
    statement_approve(actor=make_login(Role.MANAGER), statement=Statement.objects.get(period=OCT))
    body = plan_post(
        project,
        effective_from="2026-01-01",
        base_salary_regular="2600",
        **{"commission_rates-TOTAL_FORMS": "0", "commission_rates-INITIAL_FORMS": "0"},
    )
    response = admin_client.post(
        f"/admin/incentives/incentiveplan/{plan.pk}/change/", body, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "new version" in errors_of(response)["effective_from"][0]
    plan.refresh_from_db()
    assert plan.base_salary_regular == 2500


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.MARKETER, Role.PARTNER])
def test_only_managers_write_plans(client_as, plan, role):
    client = client_as(role)
    assert client.post(URL, plan_body(), format="json").status_code == 403
    assert client.patch(f"{URL}{plan.pk}/", {"referral_bonus": "1"}, format="json").status_code in (
        403,
        404,
    )


class TestPlanList(EndpointCase):
    url = "incentive-plan-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR})
    query_roles = (Role.MANAGER, Role.SUPERVISOR)

    def rows(self, n, user):
        """Plans, each for two projects of its own, with its rates."""
        start = IncentivePlan.objects.count()
        for i in range(n):
            year, month = divmod(start + i, 12)
            plan_create_default(
                name=f"p{start + i}",
                effective_from=date(2000 + year, month + 1, 1),
                projects=[ProjectFactory(), ProjectFactory(name=f"协成{start + i}")],
            )
