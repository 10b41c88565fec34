"""Statement lines: kinds, single rounding, signs and the manual adjustment."""

from decimal import Decimal

import pytest

from incentives.rules.statement import (
    LINE_KINDS,
    ExplainedLine,
    adjustment_line,
)


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
    line = ExplainedLine("commission", Decimal("10.005"), "x", "signing:1")
    assert line.amount == Decimal("10.01")
    assert str(line.amount) == "10.01"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown line kind"):
        ExplainedLine("bonus", Decimal("1"), "x", "y")


def test_negative_amount_is_refused_except_for_clawbacks_and_adjustments():
    with pytest.raises(ValueError, match="must not be negative"):
        ExplainedLine("commission", Decimal("-1"), "x", "signing:1")
    with pytest.raises(ValueError, match="must not be positive"):
        ExplainedLine("clawback", Decimal("1"), "x", "signing:1")
    assert ExplainedLine("adjustment", Decimal("-5"), "x", "adj:1").amount == Decimal("-5.00")


def test_line_needs_a_description_and_a_source():
    with pytest.raises(ValueError, match="description and a source"):
        ExplainedLine("commission", Decimal("1"), " ", "signing:1")


def test_float_amount_is_refused():
    with pytest.raises(TypeError, match="float"):
        ExplainedLine("commission", 1.5, "x", "signing:1")


def test_adjustment_needs_a_reason_and_shows_it():
    line = adjustment_line(amount=Decimal("-50"), reason="late report", source="adjustment:3")
    assert (line.kind, line.amount) == ("adjustment", Decimal("-50.00"))
    assert line.description == "Manual adjustment: late report"
    with pytest.raises(ValueError, match="reason"):
        adjustment_line(amount=Decimal("1"), reason=" ", source="adjustment:4")
