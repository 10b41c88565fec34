from datetime import date
from decimal import Decimal

import pytest

from common.periods import parse_period
from incentives.rules.commission import SigningFacts
from incentives.rules.partner import ContractTerms, milestone_reached_on, partner_commission_line

NOV = parse_period("2026-11")
DEAL = SigningFacts(
    signing_id=7,
    property_type="high_rise",
    amount=Decimal("1234567.89"),
    signed_on=date(2026, 10, 28),
)


def terms(mode="per_unit", value="3000", milestone="signing"):
    return ContractTerms(
        contract_id=1, code="HT-1", fee_mode=mode, fee_value=Decimal(value), milestone=milestone
    )


def test_per_unit_commission_on_the_milestone_month():
    line = partner_commission_line(
        terms(),
        signing=DEAL,
        milestone_on=date(2026, 11, 2),
        month=NOV,
        computed_on=date(2026, 12, 1),
    )
    assert line.amount == Decimal("3000.00")
    assert "HT-1" in line.description and "2026-11-02" in line.description


def test_percent_fee_is_rounded_half_up_once():
    line = partner_commission_line(
        terms("percent", "1.5"),
        signing=DEAL,
        milestone_on=date(2026, 11, 2),
        month=NOV,
        computed_on=date(2026, 12, 1),
    )
    assert line.amount == Decimal("18518.52")  # 1,234,567.89 × 1.5% = 18,518.518…


def test_milestone_outside_the_month_or_cancelled_pays_nothing():
    assert (
        partner_commission_line(
            terms(),
            signing=DEAL,
            milestone_on=date(2026, 10, 28),
            month=NOV,
            computed_on=date(2026, 12, 1),
        )
        is None
    )
    cancelled = SigningFacts(
        signing_id=8,
        property_type="high_rise",
        amount=Decimal("1"),
        signed_on=date(2026, 11, 1),
        cancelled_on=date(2026, 11, 30),
    )
    assert (
        partner_commission_line(
            terms(),
            signing=cancelled,
            milestone_on=date(2026, 11, 1),
            month=NOV,
            computed_on=date(2026, 11, 30),
        )
        is None
    )


@pytest.mark.parametrize(
    ("milestone", "expected"),
    [
        ("signing", date(2026, 10, 28)),
        ("down_payment", date(2026, 11, 3)),
        ("mortgage_disbursement", None),
    ],
)
def test_milestone_dates(milestone, expected):
    assert (
        milestone_reached_on(
            terms(milestone=milestone),
            signed_on=date(2026, 10, 28),
            down_payment_on=date(2026, 11, 3),
            disbursed_on=None,
        )
        == expected
    )


def test_bad_terms_are_refused():
    with pytest.raises(ValueError):
        terms("percent", "101")
    with pytest.raises(ValueError):
        terms(milestone="handshake")
