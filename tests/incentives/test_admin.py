"""The incentives admin: plan validation as field errors, frozen boards read-only, statements
read-only once approved (adjusted through the service while draft), changelists without N+1."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.roles import Role
from incentives.choices import StatementStatus
from incentives.models import (
    ChannelCost,
    CommissionRate,
    IncentivePlan,
    Leaderboard,
    Statement,
    Target,
)
from incentives.services import period_compute, plan_create_default, statement_approve
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT

pytestmark = pytest.mark.django_db

MODELS = (
    "incentiveplan",
    "commissionrate",
    "leaderboard",
    "leaderboardentry",
    "statement",
    "statementline",
    "promotioneligibility",
    "target",
    "channelcost",
)


@pytest.fixture
def manager(make_login):
    return make_login(Role.MANAGER)


@pytest.fixture
def admin_client(client, manager):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(manager)
    return client


def plan_post(project, **overrides) -> dict:
    """The plan add form with the seed's numbers and one plan-wide high-rise rate."""
    data = {
        "name": "2027 方案",
        "effective_from": "2027-01-01",
        "projects": [project.pk],
        "base_salary_regular": "2500",
        "base_salary_excellent": "3000",
        "base_salary_senior": "3500",
        "rest_days_per_month": "4",
        "visit_incentive_high_rise": "20",
        "visit_incentive_garden_house": "0",
        "visit_incentive_villa": "0",
        "weekly_visit_threshold": "10",
        "weekly_visit_prize_1": "500",
        "weekly_visit_prize_2": "300",
        "weekly_visit_prize_3": "200",
        "monthly_visit_threshold": "20",
        "monthly_visit_prize_1": "800",
        "monthly_visit_prize_2": "500",
        "monthly_visit_prize_3": "300",
        "signing_threshold_amount": "1000000",
        "signing_prize_1": "1500",
        "signing_prize_2": "1000",
        "signing_prize_3": "500",
        "team_threshold_amount": "5000000",
        "team_prize": "6000",
        "referral_bonus": "200",
        "promotion_streak_months": "3",
        "promotion_top_n": "3",
        "commission_rates-TOTAL_FORMS": "1",
        "commission_rates-INITIAL_FORMS": "0",
        "commission_rates-MIN_NUM_FORMS": "0",
        "commission_rates-MAX_NUM_FORMS": "1000",
        "commission_rates-0-project": "",
        "commission_rates-0-property_type": "high_rise",
        "commission_rates-0-mode": "per_unit",
        "commission_rates-0-value": "1000",
    }
    data.update(overrides)
    return data


def errors_of(response) -> dict:
    assert response.status_code == 200, response.status_code  # the form again, not a redirect
    form = response.context["adminform"].form
    inline_errors = [
        f.errors
        for formset in response.context["inline_admin_formsets"]
        for f in formset.formset.forms
        if f.errors
    ]
    return {**form.errors, "inlines": inline_errors}


def test_every_incentives_changelist_opens(admin_client, plan, team):
    valid_visits(marketer(team), 12, date(2026, 10, 5))
    period_compute(period=OCT, now=AFTER_OCT)
    Target.objects.create(metric="valid_visits", subject_type="company", period=OCT, value=10)
    ChannelCost.objects.create(category="training", period=OCT, amount=Decimal("100"))
    for model in MODELS:
        assert admin_client.get(f"/admin/incentives/{model}/").status_code == 200, model


def test_a_sane_plan_is_created_with_its_rate(admin_client, project):
    response = admin_client.post("/admin/incentives/incentiveplan/add/", plan_post(project))
    assert response.status_code == 302, errors_of(response)
    plan = IncentivePlan.objects.get(name="2027 方案")
    assert list(plan.projects.all()) == [project]
    assert plan.commission_rates.get().value == Decimal("1000")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"effective_from": "2027-01-15"}, "effective_from"),
        ({"weekly_visit_prize_2": "600"}, "weekly_visit_prize_2"),
        ({"signing_prize_3": "1200"}, "signing_prize_3"),
        ({"monthly_visit_threshold": "5"}, "monthly_visit_threshold"),
        ({"weekly_visit_threshold": "0"}, "weekly_visit_threshold"),
        ({"team_prize": "-1"}, "team_prize"),
    ],
)
def test_plan_numbers_that_make_no_sense_are_field_errors(admin_client, project, overrides, field):
    response = admin_client.post(
        "/admin/incentives/incentiveplan/add/", plan_post(project, **overrides)
    )
    assert field in errors_of(response)
    assert not IncentivePlan.objects.filter(name="2027 方案").exists()


def test_two_plans_cannot_start_the_same_month_for_one_project(admin_client, plan, project):
    other = ProjectFactory()
    response = admin_client.post(
        "/admin/incentives/incentiveplan/add/",
        plan_post(project, effective_from="2026-01-01", projects=[other.pk, project.pk]),
    )
    assert "projects" in errors_of(response)
    # A later month supersedes the older plan: allowed.
    ok = admin_client.post(
        "/admin/incentives/incentiveplan/add/", plan_post(project, effective_from="2026-12-01")
    )
    assert ok.status_code == 302


@pytest.mark.usefixtures("no_default_plan")
def test_commission_rates_are_checked_in_the_inline(admin_client, project):
    too_big = plan_post(
        project, **{"commission_rates-0-mode": "percent", "commission_rates-0-value": "100.5"}
    )
    response = admin_client.post("/admin/incentives/incentiveplan/add/", too_big)
    assert "value" in errors_of(response)["inlines"][0]
    twice = plan_post(
        project,
        **{
            "commission_rates-TOTAL_FORMS": "2",
            "commission_rates-1-project": "",
            "commission_rates-1-property_type": "high_rise",
            "commission_rates-1-mode": "per_unit",
            "commission_rates-1-value": "800",
        },
    )
    response = admin_client.post("/admin/incentives/incentiveplan/add/", twice)
    assert "property_type" in errors_of(response)["inlines"][0]
    assert not CommissionRate.objects.exists()


def test_frozen_boards_are_read_only(admin_client, plan, team):
    valid_visits(marketer(team), 12, date(2026, 10, 5))
    period_compute(period=OCT, now=AFTER_OCT)
    board = Leaderboard.objects.filter(kind="monthly_visits").get()
    page = admin_client.get(f"/admin/incentives/leaderboard/{board.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b"12.00" in page.content  # the entry inline shows the value
    assert admin_client.get("/admin/incentives/leaderboard/add/").status_code == 403
    assert admin_client.post(f"/admin/incentives/leaderboard/{board.pk}/delete/").status_code == 403
    entry = board.entries.get()
    assert (
        admin_client.post(
            f"/admin/incentives/leaderboardentry/{entry.pk}/change/", {"value": "99"}
        ).status_code
        == 403
    )


def adjustment_post(amount: str, reason: str) -> dict:
    return {
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-2-TOTAL_FORMS": "1",
        "lines-2-INITIAL_FORMS": "0",
        "lines-2-MIN_NUM_FORMS": "0",
        "lines-2-MAX_NUM_FORMS": "1000",
        "lines-2-0-amount": amount,
        "lines-2-0-description": reason,
    }


def test_draft_statement_takes_an_adjustment_through_the_service(admin_client, plan, team):
    valid_visits(marketer(team), 3, date(2026, 10, 5))
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get()
    before = statement.total_amount
    url = f"/admin/incentives/statement/{statement.pk}/change/"
    page = admin_client.get(url)
    assert b'name="_save"' in page.content
    assert "add a manual adjustment" in page.content.decode().lower()
    prefixes = [f.formset.prefix for f in page.context["inline_admin_formsets"]]
    assert prefixes == ["lines", "lines-2"]
    bad = admin_client.post(url, adjustment_post("0", " "))
    assert bad.status_code == 200
    response = admin_client.post(url, adjustment_post("88.80", "补发交通费"))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.total_amount == before + Decimal("88.80")
    line = statement.lines.get(kind="adjustment")
    assert (line.description, line.source) == ("补发交通费", f"user:{line.created_by_id}")


def test_approved_statement_is_read_only_and_never_deleted(admin_client, manager, plan, team):
    valid_visits(marketer(team), 3, date(2026, 10, 5))
    period_compute(period=OCT, now=AFTER_OCT)
    statement = statement_approve(actor=manager, statement=Statement.objects.get())
    url = f"/admin/incentives/statement/{statement.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert "add a manual adjustment" not in page.content.decode().lower()
    assert admin_client.post(url, adjustment_post("10", "x")).status_code == 403
    assert (
        admin_client.post(f"/admin/incentives/statement/{statement.pk}/delete/").status_code == 403
    )
    assert admin_client.get("/admin/incentives/statement/add/").status_code == 403
    assert not statement.lines.filter(kind="adjustment").exists()


def test_admin_actions_approve_and_mark_paid(admin_client, plan, team):
    for _n in range(3):
        marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    ids = [str(pk) for pk in Statement.objects.values_list("pk", flat=True)]
    admin_client.post(
        "/admin/incentives/statement/", {"action": "approve_selected", "_selected_action": ids}
    )
    assert set(Statement.objects.values_list("status", flat=True)) == {StatementStatus.APPROVED}
    admin_client.post(
        "/admin/incentives/statement/", {"action": "mark_paid_selected", "_selected_action": ids}
    )
    assert set(Statement.objects.values_list("status", flat=True)) == {StatementStatus.PAID}


def test_statement_changelist_filters_by_period_and_status(admin_client, plan, team):
    marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    period_compute(period="2026-09", now=AFTER_OCT)
    response = admin_client.get("/admin/incentives/statement/", {"period": OCT})
    assert response.context["cl"].result_count == 1
    response = admin_client.get("/admin/incentives/statement/", {"status__exact": "draft"})
    assert response.context["cl"].result_count == 2


def test_supervisor_sees_only_their_teams_statements_in_admin(client, make_login, plan, team):
    boss = make_login(Role.SUPERVISOR)
    team.supervisor = boss.staff
    team.save()
    marketer(team)
    marketer(TeamFactory(project=team.project))
    period_compute(period=OCT, now=AFTER_OCT)
    client.force_login(boss)
    response = client.get("/admin/incentives/statement/")
    assert response.status_code == 200
    assert {s.staff.team_id for s in response.context["cl"].result_list} == {team.pk}


def test_target_admin_checks_like_the_service(admin_client, team):
    base = {"metric": "valid_visits", "subject_type": "team", "period": "2026-11", "value": "10"}
    missing = admin_client.post("/admin/incentives/target/add/", {**base, "subject_id": "999999"})
    assert "subject_id" in errors_of(missing)
    fractional = admin_client.post(
        "/admin/incentives/target/add/", {**base, "subject_id": team.pk, "value": "2.5"}
    )
    assert "value" in errors_of(fractional)
    bad_period = admin_client.post(
        "/admin/incentives/target/add/", {**base, "subject_id": team.pk, "period": "2026-13"}
    )
    assert "period" in errors_of(bad_period)
    ok = admin_client.post("/admin/incentives/target/add/", {**base, "subject_id": team.pk})
    assert ok.status_code == 302
    target = Target.objects.get()
    assert target.created_by is not None
    again = admin_client.post("/admin/incentives/target/add/", {**base, "subject_id": team.pk})
    assert again.status_code == 200 and Target.objects.count() == 1


def test_channel_cost_admin_needs_a_month_and_a_positive_amount(admin_client, db):
    base = {"category": "training", "note": ""}
    bad = admin_client.post(
        "/admin/incentives/channelcost/add/", {**base, "period": "2026-W47", "amount": "-5"}
    )
    errors = errors_of(bad)
    assert "period" in errors and "amount" in errors
    ok = admin_client.post(
        "/admin/incentives/channelcost/add/", {**base, "period": "2026-11", "amount": "500"}
    )
    assert ok.status_code == 302
    assert ChannelCost.objects.get().created_by is not None


@pytest.mark.parametrize("model", MODELS)
def test_changelists_make_a_constant_number_of_queries(admin_client, model):
    project = ProjectFactory()
    plan = plan_create_default(name="p", effective_from=date(2026, 1, 1), projects=[project])

    def add(n: int) -> None:
        for _i in range(n):
            team = TeamFactory(project=project)
            person = marketer(team)
            valid_visits(person, 12, date(2026, 10, 5))
            signing(person, "100.00", date(2026, 10, 6))
            Target.objects.create(
                metric="valid_visits",
                subject_type="staff",
                subject_id=person.pk,
                period=OCT,
                value=10,
            )
            ChannelCost.objects.create(
                category="training", period=OCT, amount=Decimal("100"), project=project
            )
        period_compute(period=OCT, now=AFTER_OCT)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(f"/admin/incentives/{model}/").status_code == 200
        return len(ctx.captured_queries)

    add(2)
    few = count()
    add(8)
    assert plan.statements.count() == 10
    assert count() == few, model
