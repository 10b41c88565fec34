"""Each limit of the incentive engine is checked in its service, and the admin (which only
adapts) shows the service's refusal as a field error and stores through the service."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from common.money import format_money
from common.roles import Role
from incentives.models import ADJUSTMENT_LIMIT, ChannelCost, IncentivePlan, Statement, Target
from incentives.services import period_compute
from incentives.services.costs import cost_record
from incentives.services.plans import plan_create, plan_update
from incentives.services.statements import statement_adjust
from incentives.services.targets import target_create
from tests.factories.org import ProjectFactory, marketer
from tests.helpers import AFTER_OCT, OCT
from tests.incentives.test_admin import adjustment_post, errors_of, plan_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_login):
    return make_login(Role.MANAGER)


@pytest.fixture
def admin_client(client, manager):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(manager)
    return client


def refusal(call) -> dict:
    with override("en"), pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


# --- statement adjustments ---------------------------------------------------------------------
def test_statement_adjust_refuses_more_than_the_limit_either_way(manager, plan, team):
    marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(period=OCT)
    for amount in (ADJUSTMENT_LIMIT + Decimal("0.01"), -ADJUSTMENT_LIMIT - Decimal("0.01")):
        errors = refusal(
            lambda amount=amount: statement_adjust(
                actor=manager, statement=statement, amount=amount, reason="录入错误"
            )
        )
        limit = format_money(ADJUSTMENT_LIMIT)  # 100,000.00: read with separators
        assert errors == {"amount": [f"An adjustment is at most {limit} either way."]}
    assert not statement.lines.filter(kind="adjustment").exists()


def test_the_admin_shows_the_services_adjustment_refusal_on_the_field(admin_client, plan, team):
    marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(period=OCT)
    url = f"/admin/incentives/statement/{statement.pk}/change/"
    response = admin_client.post(url, adjustment_post("0", "补发"))
    assert errors_of(response)["inlines"] == [{"amount": ["An adjustment of 0 changes nothing."]}]
    assert not statement.lines.filter(kind="adjustment").exists()


# --- plans --------------------------------------------------------------------------------------
PLAN_NUMBERS = {
    "name": "2027 方案",
    "effective_from": date(2027, 1, 1),
    "weekly_visit_threshold": 10,
    "monthly_visit_threshold": 20,
}


@pytest.mark.usefixtures("no_default_plan")
def test_plan_create_refuses_what_the_admin_refuses(project):
    errors = refusal(
        lambda: plan_create(
            projects=[project],
            **{**PLAN_NUMBERS, "effective_from": date(2027, 1, 15), "monthly_visit_threshold": 5},
        )
    )
    assert errors == {
        "effective_from": ["A plan starts on the first of a month."],
        "monthly_visit_threshold": [
            "A month holds at least a week: its minimum cannot be below the weekly one."
        ],
    }
    plan = plan_create(projects=[project], **PLAN_NUMBERS)
    assert list(plan.projects.all()) == [project]
    clash = refusal(lambda: plan_create(projects=[project], **{**PLAN_NUMBERS, "name": "again"}))
    assert list(clash) == ["projects"]
    assert IncentivePlan.objects.count() == 1


def test_plan_update_checks_the_same_and_ignores_the_plan_itself(project):
    plan = plan_create(projects=[project], **PLAN_NUMBERS)
    assert plan_update(plan=plan, projects=[project], weekly_visit_threshold=12).pk == plan.pk
    errors = refusal(lambda: plan_update(plan=plan, projects=[project], weekly_visit_threshold=0))
    assert list(errors) == ["weekly_visit_threshold"]
    plan.refresh_from_db()
    assert plan.weekly_visit_threshold == 12


@pytest.mark.usefixtures("no_default_plan")
def test_a_plan_changed_in_the_admin_goes_through_plan_update(admin_client, project):
    admin_client.post("/admin/incentives/incentiveplan/add/", plan_post(project))
    plan = IncentivePlan.objects.get()
    other = ProjectFactory()
    body = plan_post(
        project,
        projects=[other.pk],
        weekly_visit_threshold="12",
        **{
            "commission_rates-TOTAL_FORMS": "0",
            "commission_rates-INITIAL_FORMS": "0",
        },
    )
    response = admin_client.post(f"/admin/incentives/incentiveplan/{plan.pk}/change/", body)
    assert response.status_code == 302, errors_of(response)
    plan.refresh_from_db()
    assert (plan.weekly_visit_threshold, list(plan.projects.all())) == (12, [other])
    assert plan.commission_rates.count() == 1  # the rate stored at creation stays


# --- targets and costs --------------------------------------------------------------------------
def test_the_target_admin_stores_through_the_service_and_changes_only_the_value(
    admin_client, manager, team
):
    target = target_create(
        actor=manager,
        metric="valid_visits",
        subject_type="team",
        subject_id=team.pk,
        period="2026-11",
        value=Decimal("10"),
    )
    url = f"/admin/incentives/target/{target.pk}/change/"
    fractional = admin_client.post(url, {"value": "2.5"})
    assert errors_of(fractional) == {"value": ["This metric counts whole units."], "inlines": []}
    ok = admin_client.post(url, {"value": "12", "period": "2027-01"})
    assert ok.status_code == 302
    target.refresh_from_db()
    assert (target.value, target.period) == (Decimal("12"), "2026-11")


def test_the_cost_admin_stores_through_the_services(admin_client, manager):
    base = {"category": "training", "note": ""}
    quarter = admin_client.post(
        "/admin/incentives/channelcost/add/", {**base, "period": "2026-Q4", "amount": "5"}
    )
    assert errors_of(quarter)["period"] == ["Costs are entered per month, e.g. 2026-11."]
    cost = cost_record(actor=manager, category="training", period="2026-11", amount=Decimal("5"))
    url = f"/admin/incentives/channelcost/{cost.pk}/change/"
    negative = admin_client.post(url, {**base, "period": "2026-11", "amount": "-1"})
    assert errors_of(negative) == {"amount": ["The amount must be greater than 0."], "inlines": []}
    ok = admin_client.post(url, {**base, "period": " 2026-12 ", "amount": "7"})
    assert ok.status_code == 302, errors_of(ok)
    cost.refresh_from_db()
    assert (cost.period, cost.amount, cost.created_by) == ("2026-12", Decimal("7"), manager)
    assert ChannelCost.objects.count() == 1
    assert Target.objects.count() == 0
