"""Money is paid once: the team award follows the frozen board, clawbacks find paid commission
under any plan version and land exactly once in the first open month, promotion streaks span
plan versions, and a marketer's statement keeps every plan's lines."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from common.roles import Role
from incentives.models import PromotionEligibility, Statement, StatementLine
from incentives.services import period_compute, plan_create_default, statement_approve
from sales.models import Signing, Staff
from tests.factories.activity import signing, valid_visits
from tests.factories.org import PartnerFactory, TeamFactory, marketer
from tests.helpers import AFTER_OCT, OCT, shanghai
from tests.incentives.test_partner_statements import contract, partner_deal

pytestmark = pytest.mark.django_db


def cancel(deal, on: date, reason: str = "客户退房") -> None:
    Signing.objects.filter(pk=deal.pk).update(
        status="cancelled", cancelled_on=on, cancel_reason=reason
    )


def approve_all(manager, **filters) -> None:
    for statement in Statement.objects.filter(**filters):
        statement_approve(actor=manager, statement=statement)


def kinds(staff, period: str) -> dict[str, list[Decimal]]:
    result: dict[str, list[Decimal]] = {}
    lines = StatementLine.objects.filter(statement__staff=staff, statement__period=period)
    for line in lines:
        result.setdefault(line.kind, []).append(line.amount)
    return result


def assert_totals_are_line_sums() -> None:
    for statement in Statement.objects.prefetch_related("lines"):
        assert statement.total_amount == sum(
            (line.amount for line in statement.lines.all()), Decimal("0")
        ), statement


# --- 1. the team award is paid to the frozen board's winner only ---------------------------------
@pytest.mark.parametrize("change", ["late_signing_for_b", "cancellation_at_a"])
def test_team_award_is_not_paid_again_when_the_lead_moves_after_approval(
    plan, project, make_login, change
):
    manager = make_login(Role.MANAGER)
    team_a, team_b = TeamFactory(project=project), TeamFactory(project=project)
    a1, a2 = marketer(team_a), marketer(team_a)
    b1, b2 = marketer(team_b), marketer(team_b)
    a_deal = signing(a1, "3000000.00", date(2026, 10, 5))
    signing(a2, "3000000.00", date(2026, 10, 6))  # team A: 6,000,000
    signing(b1, "3000000.00", date(2026, 10, 7))
    signing(b2, "2500000.00", date(2026, 10, 8))  # team B: 5,500,000
    period_compute(period=OCT, now=AFTER_OCT)
    assert kinds(a1, OCT)["team_award"] == [Decimal("3000.00")]
    assert "team_award" not in kinds(b1, OCT)
    approve_all(manager, staff__team=team_a, period=OCT)

    if change == "late_signing_for_b":
        signing(b1, "2000000.00", date(2026, 10, 30))  # entered late: B now 7,500,000
    else:
        cancel(a_deal, date(2026, 11, 2))  # A drops to 3,000,000 on a later recompute
    period_compute(period=OCT, now=shanghai("2026-11-03"))

    paid = StatementLine.objects.filter(kind="team_award", statement__period=OCT)
    assert sum((line.amount for line in paid), Decimal("0")) == Decimal("6000.00")
    assert "team_award" not in kinds(b1, OCT)
    assert "team_award" not in kinds(b2, OCT)


def test_team_award_follows_the_frozen_board_for_the_winners_unapproved_drafts(
    plan, project, make_login
):
    manager = make_login(Role.MANAGER)
    team_a, team_b = TeamFactory(project=project), TeamFactory(project=project)
    a1, a2 = marketer(team_a), marketer(team_a)
    b1 = marketer(team_b)
    signing(a1, "6000000.00", date(2026, 10, 5))
    signing(b1, "5500000.00", date(2026, 10, 7))
    period_compute(period=OCT, now=AFTER_OCT)
    statement_approve(actor=manager, statement=Statement.objects.get(staff=a1, period=OCT))
    signing(b1, "2000000.00", date(2026, 10, 30))  # B would lead on live data
    period_compute(period=OCT, now=shanghai("2026-11-03"))
    assert kinds(a2, OCT)["team_award"] == [Decimal("3000.00")]  # A's remaining draft
    assert "team_award" not in kinds(b1, OCT)


# --- 2. clawbacks across plan versions ----------------------------------------------------------
def test_commission_paid_under_an_older_plan_version_is_clawed_back(
    plan, project, team, make_login
):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    deal = signing(m, "800000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    approve_all(manager, period=OCT)
    plan_create_default(name="2026-11 版", effective_from=date(2026, 11, 1), projects=[project])
    cancel(deal, date(2026, 11, 5))
    period_compute(period="2026-11", now=shanghai("2026-12-01"))
    november = Statement.objects.get(staff=m, period="2026-11")
    assert november.plan.name == "2026-11 版"
    assert kinds(m, "2026-11")["clawback"] == [Decimal("-1000.00")]
    assert_totals_are_line_sums()


def test_a_marketer_who_moved_to_another_plans_project_keeps_every_line_and_one_clawback(
    plan, team, make_login
):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    deal = signing(m, "800000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    approve_all(manager, period=OCT)

    elsewhere = TeamFactory()
    plan_create_default(name="other", effective_from=date(2026, 1, 1), projects=[elsewhere.project])
    Staff.objects.filter(pk=m.pk).update(team=elsewhere)
    valid_visits(m, 3, date(2026, 11, 10))
    cancel(deal, date(2026, 11, 5))
    period_compute(period="2026-11", now=shanghai("2026-12-01"))

    lines = kinds(m, "2026-11")
    assert lines["base_salary"] == [Decimal("2500.00")]
    assert lines["visit_incentive"] == [Decimal("60.00")]
    assert lines["clawback"] == [Decimal("-1000.00")]
    assert Statement.objects.get(staff=m, period="2026-11").total_amount == Decimal("1560.00")


def test_the_database_refuses_a_second_clawback_or_dropping_the_reversed_line(
    plan, team, make_login
):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    deal = signing(m, "800000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    approve_all(manager, period=OCT)
    cancel(deal, date(2026, 11, 5))
    period_compute(period="2026-11", now=shanghai("2026-12-01"))
    clawback = StatementLine.objects.get(kind="clawback")
    paid = StatementLine.objects.get(kind="commission", statement__period=OCT)
    assert clawback.reverses_id == paid.pk
    december = Statement.objects.create(staff=m, period="2026-12", computed_at=AFTER_OCT)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementLine.objects.create(
            statement=december,
            kind="clawback",
            amount=clawback.amount,
            description="again",
            source=clawback.source,
            reverses=paid,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementLine.objects.filter(pk=paid.pk).delete()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# --- 3. promotion streaks span plan versions ----------------------------------------------------
def test_promotion_streak_counts_months_under_the_previous_plan_version(plan, project, team):
    m = marketer(team)
    plan_create_default(name="2026-10 版", effective_from=date(2026, 10, 1), projects=[project])
    for month in (8, 9, 10):
        valid_visits(m, 20, date(2026, month, 15))
        period_compute(period=f"2026-{month:02d}", now=shanghai(f"2026-{month + 1:02d}-01"))
    assert PromotionEligibility.objects.filter(staff=m, period=OCT).exists()


# --- 4. a cancelled signing is clawed back once, in the first open month ------------------------
def test_computing_a_later_month_first_still_claws_back_once_in_the_first_open_month(
    plan, team, make_login
):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    deal = signing(m, "800000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    approve_all(manager, period=OCT)
    cancel(deal, date(2026, 11, 5))

    period_compute(period="2026-12", now=shanghai("2027-01-02"))
    period_compute(period="2026-11", now=shanghai("2027-01-02"))

    clawbacks = StatementLine.objects.filter(kind="clawback")
    assert [(c.statement.period, c.amount) for c in clawbacks] == [("2026-11", Decimal("-1000.00"))]
    period_compute(period="2026-12", now=shanghai("2027-01-03"))  # and a recompute: still once
    assert StatementLine.objects.filter(kind="clawback").count() == 1
    assert_totals_are_line_sums()


def test_a_clawback_in_an_approved_later_month_is_not_repeated_in_an_earlier_draft(
    plan, team, make_login
):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    deal = signing(m, "800000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    approve_all(manager, period=OCT)
    cancel(deal, date(2026, 11, 5))
    period_compute(period="2026-12", now=shanghai("2027-01-02"))
    approve_all(manager, period="2026-12")
    period_compute(period="2026-11", now=shanghai("2027-01-02"))
    clawbacks = StatementLine.objects.filter(kind="clawback")
    assert [c.statement.period for c in clawbacks] == ["2026-12"]


def test_partner_commission_is_clawed_back_once_when_months_run_out_of_order(
    plan, team, make_login
):
    manager = make_login(Role.MANAGER)
    partner = PartnerFactory()
    contract(partner, fee_mode="per_unit", fee_value=Decimal("1000"))
    deal = partner_deal(partner, team, amount="800000.00", on=date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    approve_all(manager, partner=partner, period=OCT)
    cancel(deal, date(2026, 11, 5))
    period_compute(period="2026-12", now=shanghai("2027-01-02"))
    period_compute(period="2026-11", now=shanghai("2027-01-02"))
    clawbacks = StatementLine.objects.filter(kind="clawback")
    assert [(c.statement.period, c.amount) for c in clawbacks] == [("2026-11", Decimal("-1000.00"))]
    assert_totals_are_line_sums()
