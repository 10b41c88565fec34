"""A month computed end to end on PostgreSQL: lines, totals, recompute, approval, clawback."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from common.roles import Role
from incentives.choices import StatementStatus
from incentives.explanations import promotion_explanation
from incentives.models import Leaderboard, PromotionEligibility, Statement, StatementLine
from incentives.services import (
    period_compute,
    statement_adjust,
    statement_approve,
    statement_mark_paid,
)
from sales.models import Signing
from tests.factories.activity import signing, valid_visits
from tests.factories.org import StaffFactory, marketer
from tests.helpers import AFTER_OCT, OCT, shanghai

pytestmark = pytest.mark.django_db


def lines_of(staff) -> dict[str, list[Decimal]]:
    result: dict[str, list[Decimal]] = {}
    for line in StatementLine.objects.filter(statement__staff=staff, statement__period=OCT):
        result.setdefault(line.kind, []).append(line.amount)
    return result


def snapshot() -> list[tuple]:
    return list(
        StatementLine.objects.order_by("statement__staff_id", "position", "id").values_list(
            "statement__staff_id", "kind", "amount", "description", "source"
        )
    )


def test_a_month_produces_every_explained_line_and_a_total_equal_to_their_sum(plan, team):
    star, other = marketer(team, level="excellent"), marketer(team)
    valid_visits(star, 12, date(2026, 10, 6))  # week 2026-W41 (Sunday 10-11)
    valid_visits(star, 10, date(2026, 10, 14))  # week 2026-W42
    valid_visits(other, 3, date(2026, 10, 20))
    signing(star, "1000000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)

    star_lines = lines_of(star)
    assert star_lines["base_salary"] == [Decimal("3000.00")]
    assert star_lines["visit_incentive"] == [Decimal("440.00")]  # 22 × 20
    assert star_lines["commission"] == [Decimal("1000.00")]
    assert sorted(star_lines["weekly_visit_award"]) == [Decimal("500.00"), Decimal("500.00")]
    assert star_lines["monthly_visit_award"] == [Decimal("800.00")]  # 22 ≥ 20, rank 1
    assert star_lines["signing_award"] == [Decimal("1500.00")]  # exactly 1,000,000 qualifies
    statement = Statement.objects.get(staff=star, period=OCT)
    assert statement.total_amount == sum(
        (line.amount for line in statement.lines.all()), Decimal("0")
    )
    assert statement.total_amount == Decimal("7740.00")
    assert lines_of(other) == {
        "base_salary": [Decimal("2500.00")],
        "visit_incentive": [Decimal("60.00")],
    }
    assert all(line.description for line in StatementLine.objects.all())


def test_recomputing_gives_identical_statements(plan, team):
    m = marketer(team)
    valid_visits(m, 21, date(2026, 10, 12))
    signing(m, "300000.00", date(2026, 10, 20))
    period_compute(period=OCT, now=AFTER_OCT)
    first = snapshot()
    period_compute(period=OCT, now=shanghai("2026-11-02"))
    assert snapshot() == first
    assert Statement.objects.count() == 1


def test_commission_lines_are_in_signing_date_order(plan, team):
    m = marketer(team)
    late = signing(m, "300000.00", date(2026, 10, 20))
    early = signing(m, "300000.00", date(2026, 10, 5))
    period_compute(period=OCT, now=AFTER_OCT)
    lines = StatementLine.objects.filter(kind="commission").order_by("position", "id")
    assert [line.signing_id for line in lines] == [early.pk, late.pk]


def test_approved_statement_is_never_changed_by_a_recompute(plan, team, make_login):
    m = marketer(team)
    valid_visits(m, 5, date(2026, 10, 12))
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(staff=m)
    statement_approve(actor=make_login(Role.MANAGER), statement=statement)
    before = snapshot()
    valid_visits(m, 30, date(2026, 10, 13))  # late data arrives
    summary = period_compute(period=OCT, now=shanghai("2026-11-03"))
    assert snapshot() == before
    assert summary.statements_locked == 1


def test_signing_cancelled_after_approval_is_clawed_back_in_the_next_open_month(
    plan, team, make_login
):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    deal = signing(m, "800000.00", date(2026, 10, 9))
    period_compute(period=OCT, now=AFTER_OCT)
    statement_approve(actor=manager, statement=Statement.objects.get(staff=m, period=OCT))
    Signing.objects.filter(pk=deal.pk).update(
        status="cancelled", cancelled_on=date(2026, 11, 5), cancel_reason="客户退房"
    )
    period_compute(period="2026-11", now=shanghai("2026-11-20"))
    november = Statement.objects.get(staff=m, period="2026-11")
    clawbacks = list(november.lines.filter(kind="clawback"))
    assert [line.amount for line in clawbacks] == [Decimal("-1000.00")]
    assert "客户退房" in clawbacks[0].description
    assert clawbacks[0].signing_id == deal.pk
    period_compute(period="2026-11", now=shanghai("2026-11-21"))  # recompute: still once
    assert november.lines.filter(kind="clawback").count() == 1
    assert Statement.objects.get(staff=m, period=OCT).total_amount == Decimal("3500.00")


def test_signing_cancelled_before_the_compute_earns_nothing(plan, team):
    m = marketer(team)
    deal = signing(m, "2000000.00", date(2026, 10, 9))
    Signing.objects.filter(pk=deal.pk).update(status="cancelled", cancelled_on=date(2026, 10, 30))
    period_compute(period=OCT, now=AFTER_OCT)
    assert "commission" not in lines_of(m)
    assert "signing_award" not in lines_of(m)


def test_weekly_award_of_a_week_spanning_two_months_is_paid_in_the_sundays_month(plan, team):
    m = marketer(team)
    valid_visits(m, 10, date(2026, 9, 29))  # 2026-W40: Mon 09-28 … Sun 10-04 → October
    valid_visits(m, 10, date(2026, 10, 27))  # 2026-W44: Mon 10-26 … Sun 11-01 → November
    period_compute(period=OCT, now=AFTER_OCT)
    assert lines_of(m)["weekly_visit_award"] == [Decimal("500.00")]
    sources = set(
        StatementLine.objects.filter(kind="weekly_visit_award").values_list("source", flat=True)
    )
    assert sources == {"week:2026-W40"}


def test_closed_boards_are_frozen_and_ties_share_a_rank(plan, team):
    a, b, c = marketer(team), marketer(team), marketer(team)
    for person in (a, b):
        valid_visits(person, 25, date(2026, 10, 12))
    valid_visits(c, 21, date(2026, 10, 12))
    period_compute(period=OCT, now=AFTER_OCT)
    board = Leaderboard.objects.get(kind="monthly_visits", period=OCT)
    ranks = {e.staff_id: (e.rank, e.prize_amount) for e in board.entries.all()}
    assert ranks[a.pk] == ranks[b.pk] == (1, Decimal("800.00"))
    assert ranks[c.pk] == (3, Decimal("300.00"))


def test_promotion_needs_three_consecutive_top_three_months(plan, team):
    m = marketer(team)
    for month in (8, 9, 10):
        valid_visits(m, 20, date(2026, month, 15))
        period_compute(period=f"2026-{month:02d}", now=shanghai(f"2026-{month + 1:02d}-01"))
    assert PromotionEligibility.objects.filter(staff=m, period=OCT).exists()
    assert not PromotionEligibility.objects.filter(period="2026-09").exists()
    eligibility = PromotionEligibility.objects.get(staff=m, period=OCT)
    with translation.override("zh-hans"):
        chinese = promotion_explanation(eligibility)
    with translation.override("en"):
        english = promotion_explanation(eligibility)
    assert (
        chinese
        == "可参加晋升考试：连续 3 个月进入月带访榜前 3 名（2026年8月、2026年9月、2026年10月）"
    )
    assert english == (
        "Eligible for the promotion exam: top 3 of Monthly visits for 3 months in a row "
        "(August 2026, September 2026, October 2026)"
    )


def test_manual_adjustment_survives_recompute_and_approved_is_final(plan, team, make_login):
    manager = make_login(Role.MANAGER)
    m = marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    statement = Statement.objects.get(staff=m)
    statement = statement_adjust(
        actor=manager, statement=statement, amount=Decimal("-88.50"), reason="迟到扣款"
    )
    assert statement.total_amount == Decimal("2411.50")
    period_compute(period=OCT, now=shanghai("2026-11-02"))
    statement.refresh_from_db()
    assert statement.total_amount == Decimal("2411.50")
    statement_approve(actor=manager, statement=statement)
    with pytest.raises(ValidationError):
        statement_adjust(actor=manager, statement=statement, amount=Decimal("1"), reason="x")
    with pytest.raises(ValidationError):
        statement_approve(actor=manager, statement=statement)
    paid = statement_mark_paid(actor=manager, statement=statement)
    assert paid.status == StatementStatus.PAID


def test_only_a_manager_approves(plan, team, make_login):
    m = marketer(team)
    period_compute(period=OCT, now=AFTER_OCT)
    with pytest.raises(ValidationError):
        statement_approve(
            actor=make_login(Role.SUPERVISOR), statement=Statement.objects.get(staff=m)
        )


@pytest.mark.parametrize("period", ["2026-13", "2026-Q4", "2099-01", "soon"])
def test_bad_periods_are_refused(plan, period):
    with pytest.raises(ValidationError) as exc:
        period_compute(period=period, now=AFTER_OCT)
    assert "period" in exc.value.message_dict


def test_monthly_compute_query_count_does_not_grow_with_marketers(plan, team, project):
    def grow(n):
        for _ in range(n):
            m = marketer(team)
            valid_visits(m, 2, date(2026, 10, 12))
            signing(m, "100000.00", date(2026, 10, 13))
            StaffFactory(role=Role.MARKETER, team=team, referred_by=m, hired_on=date(2026, 9, 20))

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            period_compute(period=OCT, now=AFTER_OCT)
        return len(ctx.captured_queries)

    grow(2)
    queries()  # first run creates statements and freezes boards
    few = queries()
    grow(15)
    queries()
    assert queries() == few
