"""Base salary by level, prorated by calendar days for a partial month; rest days over."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from common.periods import parse_period
from incentives.rules.plan import default_plan_rules
from incentives.rules.salary import Employment, base_salary_line, days_employed, rest_days_over
from incentives.rules.statement import BASE_SALARY

RULES = default_plan_rules()
NOV = parse_period("2026-11")


@pytest.mark.parametrize(
    ("level", "amount"),
    [("regular", "2500.00"), ("excellent", "3000.00"), ("senior", "3500.00")],
)
def test_full_month_pays_the_level_salary(level, amount):
    line = base_salary_line(RULES, employment=Employment(1, level, date(2025, 1, 1)), month=NOV)
    assert line.kind == BASE_SALARY
    assert line.amount == Decimal(amount)
    assert line.source == "month:2026-11"
    assert "full month 2026-11" in line.description


def test_hired_mid_month_is_prorated_by_calendar_days():
    line = base_salary_line(
        RULES, employment=Employment(1, "excellent", date(2026, 11, 19)), month=NOV
    )
    assert line.amount == Decimal("1200.00")
    assert line.description.startswith("3,000.00 × 12/30 days (hired 2026-11-19)")


def test_hired_mid_february_of_a_leap_year_uses_29_days():
    feb = parse_period("2028-02")
    line = base_salary_line(RULES, employment=Employment(1, "senior", date(2028, 2, 19)), month=feb)
    # 3500 × 11 / 29 = 1327.586… → rounded once, half up.
    assert line.amount == Decimal("1327.59")
    assert "× 11/29 days (hired 2028-02-19)" in line.description


def test_hired_mid_february_of_a_common_year_uses_28_days():
    feb = parse_period("2026-02")
    line = base_salary_line(RULES, employment=Employment(1, "senior", date(2026, 2, 19)), month=feb)
    assert line.amount == Decimal("1250.00")  # 3500 × 10/28


def test_leaving_mid_month_is_prorated_to_the_last_day_employed():
    employment = Employment(1, "regular", date(2025, 3, 1), left_on=date(2026, 11, 10))
    line = base_salary_line(RULES, employment=employment, month=NOV)
    assert line.amount == Decimal("833.33")  # 2500 × 10/30 = 833.333…
    assert "× 10/30 days (left 2026-11-10)" in line.description


def test_hired_and_left_in_the_same_month_counts_both_ends_inclusive():
    employment = Employment(1, "regular", date(2026, 11, 3), left_on=date(2026, 11, 3))
    line = base_salary_line(RULES, employment=employment, month=NOV)
    assert days_employed(employment, month=NOV) == 1
    assert line.amount == Decimal("83.33")
    assert "(hired 2026-11-03, left 2026-11-03)" in line.description


def test_no_line_for_a_month_outside_the_employment():
    before = Employment(1, "regular", date(2026, 12, 1))
    after = Employment(2, "regular", date(2025, 1, 1), left_on=date(2026, 10, 31))
    assert base_salary_line(RULES, employment=before, month=NOV) is None
    assert base_salary_line(RULES, employment=after, month=NOV) is None


def test_hired_on_the_first_is_a_full_month():
    line = base_salary_line(
        RULES, employment=Employment(1, "regular", date(2026, 11, 1)), month=NOV
    )
    assert line.amount == Decimal("2500.00")


def test_salary_follows_the_plan_numbers():
    rules = replace(RULES, base_salary={"regular": "2600", "excellent": "3100", "senior": "3600"})
    line = base_salary_line(rules, employment=Employment(1, "regular", date(2025, 1, 1)), month=NOV)
    assert line.amount == Decimal("2600.00")


def test_left_before_hired_is_refused():
    with pytest.raises(ValueError, match="before hired_on"):
        Employment(1, "regular", date(2026, 11, 5), left_on=date(2026, 11, 4))


def test_a_week_period_is_refused_for_salary():
    with pytest.raises(ValueError, match="month"):
        base_salary_line(
            RULES,
            employment=Employment(1, "regular", date(2025, 1, 1)),
            month=parse_period("2026-W47"),
        )


@pytest.mark.parametrize(("days_off", "over"), [(0, 0), (4, 0), (5, 1), (7, 3)])
def test_rest_days_over_the_four_day_allowance(days_off, over):
    assert rest_days_over(RULES, days_off=days_off) == over
