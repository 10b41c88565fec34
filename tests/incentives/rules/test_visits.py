"""Visit incentive: count of valid visits × the per-type amount, uncapped."""

from dataclasses import replace
from decimal import Decimal

import pytest

from common.periods import parse_period
from incentives.rules.plan import default_plan_rules
from incentives.rules.statement import VISIT_INCENTIVE
from incentives.rules.visits import visit_incentive_lines

RULES = default_plan_rules()
NOV = parse_period("2026-11")


def test_high_rise_visits_pay_20_each_without_a_cap():
    (line,) = visit_incentive_lines(RULES, month=NOV, counts_by_type={"high_rise": 137})
    assert (line.kind, line.amount) == (VISIT_INCENTIVE, Decimal("2740.00"))
    assert line.description == "137 valid high_rise visits in 2026-11 × 20.00 = 2,740.00"
    assert line.source == "visits:2026-11:high_rise"


def test_one_line_per_property_type_with_visits_in_plan_order():
    rules = replace(RULES, visit_incentive={"high_rise": "20", "villa": "50"})
    lines = visit_incentive_lines(
        rules, month=NOV, counts_by_type={"villa": 2, "high_rise": 3, "garden_house": 0}
    )
    assert [(line.source, line.amount) for line in lines] == [
        ("visits:2026-11:high_rise", Decimal("60.00")),
        ("visits:2026-11:villa", Decimal("100.00")),
    ]


def test_type_not_set_in_plan_pays_nothing_and_says_so():
    (line,) = visit_incentive_lines(RULES, month=NOV, counts_by_type={"garden_house": 4})
    assert line.amount == Decimal("0.00")
    assert "not set in plan" in line.description


def test_no_visits_no_lines():
    assert visit_incentive_lines(RULES, month=NOV, counts_by_type={}) == []


def test_unknown_property_type_is_refused():
    with pytest.raises(ValueError, match="unknown property types"):
        visit_incentive_lines(RULES, month=NOV, counts_by_type={"shop": 1})
