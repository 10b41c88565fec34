"""Partner commission (渠道佣金): per the partner's contract, fixed per unit or a percentage
of the signed amount, earned on the milestone the contract names — signing (default), down
payment (首付) or mortgage disbursement (按揭放款)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from common.periods import Period
from incentives.rules._values import as_decimal, money_text
from incentives.rules.commission import SigningFacts, signing_stands
from incentives.rules.statement import COMMISSION, ExplainedLine

__all__ = [
    "DOWN_PAYMENT",
    "MILESTONES",
    "MORTGAGE_DISBURSEMENT",
    "SIGNING",
    "ContractTerms",
    "milestone_reached_on",
    "partner_commission_line",
]

SIGNING = "signing"
DOWN_PAYMENT = "down_payment"
MORTGAGE_DISBURSEMENT = "mortgage_disbursement"
MILESTONES = (SIGNING, DOWN_PAYMENT, MORTGAGE_DISBURSEMENT)
_MILESTONE_WORDS = {
    SIGNING: "signing (签约)",
    DOWN_PAYMENT: "down payment (首付)",
    MORTGAGE_DISBURSEMENT: "mortgage disbursement (按揭放款)",
}


@dataclass(frozen=True)
class ContractTerms:
    """A contract's fee terms: ``percent`` values are percentages (1.50 = 1.5%)."""

    contract_id: int
    code: str
    fee_mode: str
    fee_value: Decimal
    milestone: str = SIGNING

    def __post_init__(self) -> None:
        """Check the mode and milestone; normalise the value."""
        if self.fee_mode not in ("per_unit", "percent"):
            raise ValueError(f"fee mode must be 'per_unit' or 'percent', not {self.fee_mode!r}")
        if self.milestone not in MILESTONES:
            raise ValueError(f"unknown milestone {self.milestone!r}: expected one of {MILESTONES}")
        value = as_decimal(self.fee_value, what="fee value")
        if self.fee_mode == "percent" and value > 100:
            raise ValueError(f"a percentage fee cannot exceed 100, got {value}")
        object.__setattr__(self, "fee_value", value)

    @property
    def label(self) -> str:
        return f"contract {self.code or '#' + str(self.contract_id)}"


def milestone_reached_on(
    terms: ContractTerms,
    *,
    signed_on: date,
    down_payment_on: date | None,
    disbursed_on: date | None,
) -> date | None:
    """The day the contract's milestone was reached for a signing, or None (not yet)."""
    return {SIGNING: signed_on, DOWN_PAYMENT: down_payment_on, MORTGAGE_DISBURSEMENT: disbursed_on}[
        terms.milestone
    ]


def partner_commission_line(
    terms: ContractTerms,
    *,
    signing: SigningFacts,
    milestone_on: date,
    month: Period,
    computed_on: date,
) -> ExplainedLine | None:
    """Commission for one signing whose milestone falls in the month; none if it was
    cancelled (退房) on or before the compute day, or the milestone is in another month."""
    if not month.contains(milestone_on):
        return None
    if not signing_stands(signing, computed_on=computed_on):
        return None
    facts = signing.facts | {
        "contract": terms.code or f"#{terms.contract_id}",
        "milestone": terms.milestone,
        "milestone_on": milestone_on.isoformat(),
        "value": str(terms.fee_value),
    }
    code = f"partner_commission.{terms.fee_mode}"
    if terms.fee_mode == "per_unit":
        amount = terms.fee_value
        how = f"{money_text(amount)} per unit"
    else:
        amount = signing.amount * terms.fee_value / Decimal(100)
        how = f"{terms.fee_value}% × {money_text(signing.amount)}"
    text = (
        f"{signing.label}: {how} per {terms.label}, earned on "
        f"{_MILESTONE_WORDS[terms.milestone]} {milestone_on}"
    )
    return ExplainedLine(COMMISSION, amount, text, signing.source, code, facts)
