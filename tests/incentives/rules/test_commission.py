"""Commission per signing (per unit, rate, 协成 500), cancellations and clawbacks."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from common.periods import parse_period
from incentives.rules.commission import (
    SigningFacts,
    clawback_line,
    commission_line,
    signing_counts,
)
from incentives.rules.plan import PERCENT, VILLA, CommissionRule, default_plan_rules
from incentives.rules.statement import CLAWBACK, COMMISSION

RULES = default_plan_rules()
NOV = parse_period("2026-11")
COMPUTED_ON = date(2026, 12, 1)


def _signing(**overrides):
    facts = {
        "signing_id": 123,
        "property_type": "high_rise",
        "amount": Decimal("1200000.00"),
        "signed_on": date(2026, 11, 3),
        "project_code": "jinxiu",
        "project_name": "锦绣华庭",
    }
    return SigningFacts(**(facts | overrides))


def _line(signing, rules=RULES):
    return commission_line(rules, signing=signing, month=NOV, computed_on=COMPUTED_ON)


def test_high_rise_signing_earns_1000_per_unit_by_default():
    line = _line(_signing())
    assert (line.kind, line.amount, line.source) == (COMMISSION, Decimal("1000.00"), "signing:123")
    assert line.description == (
        "signing #123 (high_rise, 锦绣华庭, 1,200,000.00 signed 2026-11-03): "
        "1,000.00 per unit (default high_rise rule)"
    )


def test_xiecheng_high_rise_signing_earns_500_per_unit():
    line = _line(_signing(project_code="xiecheng", project_name="协成"))
    assert line.amount == Decimal("500.00")
    assert "500.00 per unit (project 协成 rule)" in line.description


def test_percent_rule_pays_the_percent_of_the_amount_rounded_half_up_once():
    rules = replace(
        RULES,
        commission=dict(RULES.commission) | {(None, VILLA): CommissionRule(PERCENT, "0.5")},
    )
    line = _line(_signing(property_type=VILLA, amount=Decimal("3456789.00")), rules)
    # 3,456,789.00 × 0.5% = 17,283.945 → 17,283.95 (ROUND_HALF_UP)
    assert line.amount == Decimal("17283.95")
    assert "0.5% of the signed amount = 17,283.95 (default villa rule)" in line.description


def test_property_type_without_a_rule_earns_nothing_and_says_not_set_in_plan():
    line = _line(_signing(property_type="garden_house"))
    assert line.amount == Decimal("0.00")
    assert "not set in plan" in line.description


def test_signing_cancelled_on_the_compute_day_earns_nothing_in_its_month():
    signing = _signing(cancelled_on=COMPUTED_ON)
    line = _line(signing)
    assert line.amount == Decimal("0.00")
    assert "cancelled (退房) on 2026-12-01" in line.description
    assert not signing_counts(signing, month=NOV, computed_on=COMPUTED_ON)


def test_signing_cancelled_after_the_compute_day_still_counts():
    signing = _signing(cancelled_on=date(2026, 12, 2))
    assert signing_counts(signing, month=NOV, computed_on=COMPUTED_ON)
    assert _line(signing).amount == Decimal("1000.00")


def test_signing_only_counts_in_the_month_of_its_signing_date():
    signing = _signing(signed_on=date(2026, 10, 31))
    assert not signing_counts(signing, month=NOV, computed_on=COMPUTED_ON)
    with pytest.raises(ValueError, match="not in 2026-11"):
        _line(signing)


def test_clawback_is_a_negative_line_equal_to_what_was_paid_with_its_reason():
    signing = _signing(cancelled_on=date(2026, 12, 20))
    line = clawback_line(
        signing=signing,
        paid_amount=Decimal("1000.00"),
        paid_month=NOV,
        reason="customer loan refused",
    )
    assert (line.kind, line.amount, line.source) == (CLAWBACK, Decimal("-1000.00"), "signing:123")
    assert "paid in 2026-11" in line.description
    assert "cancelled (退房) on 2026-12-20: customer loan refused" in line.description


def test_clawback_of_nothing_paid_gives_no_line():
    signing = _signing(cancelled_on=date(2026, 12, 20))
    assert clawback_line(signing=signing, paid_amount="0", paid_month=NOV) is None


def test_clawback_needs_a_cancelled_signing():
    with pytest.raises(ValueError, match="not cancelled"):
        clawback_line(signing=_signing(), paid_amount="1000", paid_month=NOV)


def test_cancellation_before_the_signing_date_is_refused():
    with pytest.raises(ValueError, match="cancelled before"):
        _signing(cancelled_on=date(2026, 11, 2))


def test_signing_amount_must_not_be_a_float():
    with pytest.raises(TypeError, match="float"):
        _signing(amount=1200000.0)
