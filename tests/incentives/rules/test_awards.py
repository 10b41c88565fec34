"""Weekly visit, monthly visit and monthly signing awards: thresholds, ties, paying month."""

from decimal import Decimal

import pytest

from common.periods import parse_period
from incentives.rules.awards import (
    monthly_visit_award_lines,
    monthly_visit_ranking,
    signing_award_lines,
    signing_ranking,
    weekly_visit_award_lines,
    weekly_visit_ranking,
)
from incentives.rules.plan import default_plan_rules
from incentives.rules.statement import MONTHLY_VISIT_AWARD, SIGNING_AWARD, WEEKLY_VISIT_AWARD

RULES = default_plan_rules()
NOV = parse_period("2026-11")
DEC = parse_period("2026-12")


def _amounts(lines_by_staff):
    return {staff: [line.amount for line in lines] for staff, lines in lines_by_staff.items()}


def test_weekly_award_needs_ten_valid_visits_nine_is_not_enough():
    rows = weekly_visit_ranking(RULES, week=parse_period("2026-W47"), counts={1: 9, 2: 10})
    assert [(r.subject_id, r.is_eligible, r.prize_amount) for r in rows] == [
        (2, True, Decimal("500.00")),
        (1, False, Decimal("0.00")),
    ]


def test_weekly_award_ties_at_one_share_500_and_third_gets_200():
    week = parse_period("2026-W47")
    lines = weekly_visit_award_lines(RULES, month=NOV, counts_by_week={week: {1: 14, 2: 14, 3: 12}})
    assert _amounts(lines) == {
        1: [Decimal("500.00")],
        2: [Decimal("500.00")],
        3: [Decimal("200.00")],
    }
    assert lines[3][0].kind == WEEKLY_VISIT_AWARD
    assert lines[3][0].source == "week:2026-W47"
    assert lines[3][0].description == (
        "Weekly visit award: 12 valid visits in 2026-W47, rank 3 of 3 eligible → 200.00"
    )


def test_week_starting_monday_30_november_is_paid_in_december():
    w49 = parse_period("2026-W49")
    assert w49.start.isoformat() == "2026-11-30"
    assert w49 in DEC.weeks() and w49 not in NOV.weeks()
    december = weekly_visit_award_lines(RULES, month=DEC, counts_by_week={w49: {1: 10}})
    assert _amounts(december) == {1: [Decimal("500.00")]}
    with pytest.raises(ValueError, match="not paid in 2026-11"):
        weekly_visit_award_lines(RULES, month=NOV, counts_by_week={w49: {1: 10}})


def test_week_ending_sunday_1_november_is_paid_in_november():
    w44 = parse_period("2026-W44")
    assert w44.end.isoformat() == "2026-11-01"
    november = weekly_visit_award_lines(RULES, month=NOV, counts_by_week={w44: {1: 11}})
    assert _amounts(november) == {1: [Decimal("500.00")]}
    with pytest.raises(ValueError, match="not paid in 2026-10"):
        weekly_visit_award_lines(
            RULES, month=parse_period("2026-10"), counts_by_week={w44: {1: 11}}
        )


def test_each_week_of_the_month_pays_its_own_line():
    weeks = NOV.weeks()
    assert [str(w) for w in weeks] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    counts = {weeks[0]: {1: 12, 2: 10}, weeks[2]: {1: 10, 2: 13}}
    lines = weekly_visit_award_lines(RULES, month=NOV, counts_by_week=counts)
    assert _amounts(lines) == {
        1: [Decimal("500.00"), Decimal("300.00")],
        2: [Decimal("300.00"), Decimal("500.00")],
    }
    assert [line.source for line in lines[1]] == ["week:2026-W44", "week:2026-W46"]


def test_monthly_visit_award_needs_twenty_nineteen_is_not_enough():
    lines = monthly_visit_award_lines(RULES, month=NOV, counts={1: 19, 2: 20})
    assert _amounts(lines) == {2: [Decimal("800.00")]}
    assert lines[2][0].kind == MONTHLY_VISIT_AWARD
    assert lines[2][0].source == "month:2026-11"


def test_monthly_visit_award_three_tied_at_rank_two_each_get_500():
    rows = monthly_visit_ranking(RULES, month=NOV, counts={1: 40, 2: 30, 3: 30, 4: 30, 5: 25})
    assert [(r.subject_id, r.rank, r.prize_amount) for r in rows] == [
        (1, 1, Decimal("800.00")),
        (2, 2, Decimal("500.00")),
        (3, 2, Decimal("500.00")),
        (4, 2, Decimal("500.00")),
        (5, 5, Decimal("0.00")),
    ]


def test_signing_award_threshold_is_one_million_inclusive():
    amounts = {1: Decimal("999999.99"), 2: Decimal("1000000.00")}
    lines = signing_award_lines(RULES, month=NOV, amounts=amounts)
    assert _amounts(lines) == {2: [Decimal("1500.00")]}
    assert lines[2][0].kind == SIGNING_AWARD
    assert lines[2][0].description == (
        "Monthly signing award: 1,000,000.00 signed in 2026-11, rank 1 of 1 eligible → 1,500.00"
    )


def test_signing_award_tie_at_rank_three_both_get_500():
    amounts = {
        1: Decimal("3000000"),
        2: Decimal("2000000"),
        3: Decimal("1500000"),
        4: Decimal("1500000"),
        5: Decimal("1200000"),
    }
    rows = signing_ranking(RULES, month=NOV, amounts=amounts)
    assert [(r.subject_id, r.rank, r.prize_amount) for r in rows] == [
        (1, 1, Decimal("1500.00")),
        (2, 2, Decimal("1000.00")),
        (3, 3, Decimal("500.00")),
        (4, 3, Decimal("500.00")),
        (5, 5, Decimal("0.00")),
    ]


def test_nobody_eligible_means_no_award_lines():
    assert monthly_visit_award_lines(RULES, month=NOV, counts={1: 5, 2: 0}) == {}


def test_monthly_award_refuses_a_week_period():
    with pytest.raises(ValueError, match="month"):
        monthly_visit_ranking(RULES, month=parse_period("2026-W47"), counts={})
