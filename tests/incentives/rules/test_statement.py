"""Statement lines: kinds, single rounding, signs, and a total equal to the sum of lines."""

import random
from datetime import date
from decimal import Decimal

import pytest

from common.periods import parse_period
from incentives.rules.awards import monthly_visit_award_lines, weekly_visit_award_lines
from incentives.rules.commission import SigningFacts, clawback_line, commission_line
from incentives.rules.plan import default_plan_rules
from incentives.rules.referral import ReferralFacts, referral_bonus_line
from incentives.rules.salary import Employment, base_salary_line
from incentives.rules.statement import (
    LINE_KINDS,
    StatementDraft,
    StatementLine,
    adjustment_line,
    lines_total,
    merge_lines,
    statement_build,
)
from incentives.rules.team import TeamFacts, team_award_lines
from incentives.rules.visits import visit_incentive_lines

RULES = default_plan_rules()
NOV = parse_period("2026-11")


def test_line_kinds_are_exactly_the_api_contract_kinds():
    assert LINE_KINDS == (
        "base_salary",
        "commission",
        "visit_incentive",
        "weekly_visit_award",
        "monthly_visit_award",
        "signing_award",
        "team_award",
        "referral_bonus",
        "clawback",
        "adjustment",
    )


def test_line_amount_is_rounded_half_up_to_the_cent_on_creation():
    line = StatementLine("commission", Decimal("10.005"), "x", "signing:1")
    assert line.amount == Decimal("10.01")
    assert str(line.amount) == "10.01"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown line kind"):
        StatementLine("bonus", Decimal("1"), "x", "y")


def test_negative_amount_is_refused_except_for_clawbacks_and_adjustments():
    with pytest.raises(ValueError, match="must not be negative"):
        StatementLine("commission", Decimal("-1"), "x", "signing:1")
    with pytest.raises(ValueError, match="must not be positive"):
        StatementLine("clawback", Decimal("1"), "x", "signing:1")
    assert StatementLine("adjustment", Decimal("-5"), "x", "adj:1").amount == Decimal("-5.00")


def test_line_needs_a_description_and_a_source():
    with pytest.raises(ValueError, match="description and a source"):
        StatementLine("commission", Decimal("1"), " ", "signing:1")


def test_float_amount_is_refused():
    with pytest.raises(TypeError, match="float"):
        StatementLine("commission", 1.5, "x", "signing:1")


def test_adjustment_needs_a_reason_and_shows_it():
    line = adjustment_line(amount=Decimal("-50"), reason="late report", source="adjustment:3")
    assert (line.kind, line.amount) == ("adjustment", Decimal("-50.00"))
    assert line.description == "Manual adjustment: late report"
    with pytest.raises(ValueError, match="reason"):
        adjustment_line(amount=Decimal("1"), reason=" ", source="adjustment:4")


def test_full_statement_total_equals_the_sum_of_its_lines():
    staff = 1
    signing = SigningFacts(5, "high_rise", Decimal("1500000"), date(2026, 11, 8), "xc", "协成")
    old = SigningFacts(
        3, "high_rise", Decimal("900000"), date(2026, 9, 2), cancelled_on=date(2026, 11, 5)
    )
    hired = Employment(staff, "excellent", date(2026, 11, 19))
    referral = ReferralFacts(staff, 8, date(2026, 10, 15))
    team = TeamFacts(9, Decimal("5000000"), (1, 2, 3, 4, 5, 6, 7), leader_id=staff)
    own_lines = [
        base_salary_line(RULES, employment=hired, month=NOV),
        commission_line(RULES, signing=signing, month=NOV, computed_on=date(2026, 12, 1)),
        *visit_incentive_lines(RULES, month=NOV, counts_by_type={"high_rise": 23}),
        referral_bonus_line(RULES, referral=referral, month=NOV),
        clawback_line(signing=old, paid_amount=Decimal("1000"), paid_month=parse_period("2026-09")),
        adjustment_line(amount=Decimal("-10.50"), reason="fine", source="adjustment:1"),
    ]
    week = parse_period("2026-W46")
    by_staff = merge_lines(
        {staff: own_lines},
        weekly_visit_award_lines(RULES, month=NOV, counts_by_week={week: {1: 12, 2: 15}}),
        monthly_visit_award_lines(RULES, month=NOV, counts={1: 23, 2: 30}),
        team_award_lines(RULES, month=NOV, teams=[team]),
    )
    draft = statement_build(staff_id=staff, month=NOV, lines=reversed(by_staff[staff]))
    assert [line.kind for line in draft.lines] == [
        "base_salary",
        "commission",
        "visit_incentive",
        "weekly_visit_award",
        "monthly_visit_award",
        "team_award",
        "referral_bonus",
        "clawback",
        "adjustment",
    ]
    # 1200 + 500 + 460 + 300 + 500 + 857.16 + 200 − 1000 − 10.50
    assert draft.total == Decimal("3006.66")
    assert draft.total == sum(line.amount for line in draft.lines)
    assert all(line.description and line.source for line in draft.lines)


def test_draft_with_a_wrong_total_is_refused():
    line = StatementLine("commission", Decimal("1000"), "x", "signing:1")
    with pytest.raises(ValueError, match="not the sum"):
        StatementDraft(staff_id=1, month=NOV, lines=(line,), total=Decimal("999.99"))


def test_building_twice_gives_the_same_statement():
    lines = [
        StatementLine("adjustment", Decimal("1"), "a", "adjustment:1"),
        StatementLine("commission", Decimal("2"), "b", "signing:1"),
        StatementLine("commission", Decimal("3"), "c", "signing:2"),
    ]
    first = statement_build(staff_id=1, month=NOV, lines=lines)
    assert first == statement_build(staff_id=1, month=NOV, lines=list(lines))
    assert [line.source for line in first.lines] == ["signing:1", "signing:2", "adjustment:1"]


def test_random_statements_total_the_sum_of_rounded_lines():
    generator = random.Random(42)
    for _ in range(300):
        lines = [
            StatementLine(
                generator.choice(("commission", "visit_incentive", "team_award")),
                Decimal(generator.randint(0, 10**9)) / 1000,
                "random",
                "test:1",
            )
            for _ in range(generator.randint(0, 15))
        ]
        draft = statement_build(staff_id=1, month=NOV, lines=lines)
        assert draft.total == lines_total(lines)
        assert draft.total == sum((line.amount for line in lines), Decimal("0.00"))
        assert all(line.amount == line.amount.quantize(Decimal("0.01")) for line in lines)
