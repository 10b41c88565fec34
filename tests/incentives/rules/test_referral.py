"""Referral bonus: 200 in the month the referred hire completes one month, both employed."""

from datetime import date
from decimal import Decimal

import pytest

from common.periods import parse_period
from incentives.rules.plan import default_plan_rules
from incentives.rules.referral import ReferralFacts, one_month_completed_on, referral_bonus_line
from incentives.rules.statement import REFERRAL_BONUS

RULES = default_plan_rules()


@pytest.mark.parametrize(
    ("hired_on", "completed_on"),
    [
        (date(2026, 10, 15), date(2026, 11, 14)),
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 12, 15), date(2027, 1, 14)),
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2028, 1, 30), date(2028, 2, 29)),
        (date(2026, 1, 28), date(2026, 2, 27)),
        (date(2026, 3, 31), date(2026, 4, 30)),
    ],
)
def test_one_month_completes_the_day_before_the_monthly_anniversary_clamped(hired_on, completed_on):
    assert one_month_completed_on(hired_on) == completed_on


def _referral(**overrides):
    facts = {"referrer_id": 1, "referred_id": 2, "referred_hired_on": date(2026, 10, 15)}
    return ReferralFacts(**(facts | overrides))


def test_bonus_is_paid_in_the_month_the_hire_completes_one_month():
    line = referral_bonus_line(RULES, referral=_referral(), month=parse_period("2026-11"))
    assert (line.kind, line.amount, line.source) == (REFERRAL_BONUS, Decimal("200.00"), "staff:2")
    assert line.description == (
        "Referral bonus 200.00: staff #2 (hired 2026-10-15) completed one month on 2026-11-14"
    )


def test_no_bonus_in_the_hire_month():
    assert referral_bonus_line(RULES, referral=_referral(), month=parse_period("2026-10")) is None


def test_hire_leaving_on_the_completion_day_has_exactly_one_month_and_pays():
    referral = _referral(referred_left_on=date(2026, 11, 14))
    assert referral_bonus_line(RULES, referral=referral, month=parse_period("2026-11"))


def test_hire_leaving_one_day_short_of_a_month_pays_nothing():
    referral = _referral(referred_left_on=date(2026, 11, 13))
    assert referral_bonus_line(RULES, referral=referral, month=parse_period("2026-11")) is None


def test_referrer_gone_before_the_completion_day_gets_nothing():
    referral = _referral(referrer_left_on=date(2026, 11, 13))
    assert referral_bonus_line(RULES, referral=referral, month=parse_period("2026-11")) is None


def test_hired_31_january_of_a_leap_year_is_paid_in_february():
    referral = _referral(referred_hired_on=date(2028, 1, 31))
    line = referral_bonus_line(RULES, referral=referral, month=parse_period("2028-02"))
    assert "completed one month on 2028-02-29" in line.description


def test_hired_on_the_first_is_paid_in_the_same_month():
    referral = _referral(referred_hired_on=date(2026, 11, 1))
    assert referral_bonus_line(RULES, referral=referral, month=parse_period("2026-11"))


def test_self_referral_is_refused():
    with pytest.raises(ValueError, match="refer themselves"):
        _referral(referred_id=1)
