"""Commission (提成) per signed unit, and clawback (退房 after approval) lines.

A signing counts in the month of its signing date unless it was cancelled (退房) on or
before the day the month is computed; then it earns nothing in that month. A signing
cancelled after its month was approved keeps that month's line untouched and produces a
negative clawback line, equal to what was paid, in the first open month (chosen by the
caller, which also supplies the paid amount from the approved statement).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from common.money import ZERO, to_money
from common.periods import Period
from incentives.rules._values import as_decimal, money_text, require_month
from incentives.rules.plan import PER_UNIT, PlanRules, resolve_commission
from incentives.rules.statement import CLAWBACK, COMMISSION, ExplainedLine

__all__ = [
    "SigningFacts",
    "clawback_line",
    "commission_line",
    "signing_counts",
    "signing_stands",
]


@dataclass(frozen=True)
class SigningFacts:
    """A signing (签约) credited to a marketer: one unit, its amount and dates."""

    signing_id: int
    property_type: str
    amount: Decimal
    signed_on: date
    project_code: str | None = None
    project_name: str | None = None
    cancelled_on: date | None = None

    def __post_init__(self) -> None:
        """Normalise the amount; refuse a cancellation before the signing."""
        object.__setattr__(self, "amount", as_decimal(self.amount, what="signing amount"))
        if self.cancelled_on is not None and self.cancelled_on < self.signed_on:
            raise ValueError(f"signing {self.signing_id} cancelled before it was signed")

    @property
    def source(self) -> str:
        """Statement line source: ``signing:123``."""
        return f"signing:{self.signing_id}"

    @property
    def facts(self) -> dict[str, str]:
        """The signing's facts for a line's explanation (JSON-safe)."""
        return {
            "type": self.property_type,
            "project": self.project_name or self.project_code or "",
            "amount": str(self.amount),
            "signed_on": self.signed_on.isoformat(),
        }

    @property
    def label(self) -> str:
        """Short wording: ``signing #123 (high_rise, 协成, 1,200,000.00 signed 2026-11-03)``."""
        project = self.project_name or self.project_code
        where = f", {project}" if project else ""
        return (
            f"signing #{self.signing_id} ({self.property_type}{where}, "
            f"{money_text(self.amount)} signed {self.signed_on})"
        )


# The rules judge the facts of sales.selectors.facts on dataclasses; they cannot import it
# (rules stay free of Django), so tests/sales/test_facts.py holds both to one table of cases.


def signing_stands(signing: SigningFacts, *, computed_on: date) -> bool:
    """Whether a signing is not cancelled (退房) on or before ``computed_on``."""
    return signing.cancelled_on is None or signing.cancelled_on > computed_on


def signing_counts(signing: SigningFacts, *, month: Period, computed_on: date) -> bool:
    """Whether a signing counts in ``month``: signed in it and not cancelled by ``computed_on``."""
    require_month(month)
    return month.contains(signing.signed_on) and signing_stands(signing, computed_on=computed_on)


def commission_line(
    rules: PlanRules, *, signing: SigningFacts, month: Period, computed_on: date
) -> ExplainedLine:
    """Commission for one signing: per-unit amount or percent × amount (0 if cancelled/not set)."""
    if not require_month(month).contains(signing.signed_on):
        raise ValueError(f"{signing.label} is not in {month}")
    if not signing_counts(signing, month=month, computed_on=computed_on):
        text = f"{signing.label}: cancelled (退房) on {signing.cancelled_on}, no commission"
        facts = signing.facts | {"cancelled_on": str(signing.cancelled_on)}
        return ExplainedLine(COMMISSION, ZERO, text, signing.source, "commission.cancelled", facts)
    found = resolve_commission(
        rules,
        property_type=signing.property_type,
        project_code=signing.project_code,
        project_name=signing.project_name,
    )
    if found is None:
        text = f"{signing.label}: no {signing.property_type} commission (not set in plan)"
        facts = signing.facts
        return ExplainedLine(COMMISSION, ZERO, text, signing.source, "commission.unset", facts)
    project, rule = found
    scope = f"project {project} rule" if project else f"default {signing.property_type} rule"
    facts = signing.facts | {"rule_project": project or "", "value": str(rule.value)}
    if rule.mode == PER_UNIT:
        text = f"{signing.label}: {rule.describe()} ({scope})"
        code = "commission.per_unit"
        return ExplainedLine(COMMISSION, rule.value, text, signing.source, code, facts)
    amount = signing.amount * rule.value / Decimal(100)  # rounded once, by ExplainedLine
    text = f"{signing.label}: {rule.describe()} = {money_text(to_money(amount))} ({scope})"
    facts["result"] = str(to_money(amount))
    return ExplainedLine(COMMISSION, amount, text, signing.source, "commission.percent", facts)


def clawback_line(
    *, signing: SigningFacts, paid_amount: Decimal, paid_month: Period, reason: str = ""
) -> ExplainedLine | None:
    """Reverse commission already paid for a signing cancelled after its month was approved."""
    require_month(paid_month, what="paid_month")
    if signing.cancelled_on is None:
        raise ValueError(f"{signing.label} is not cancelled; nothing to claw back")
    paid = to_money(as_decimal(paid_amount, what="paid amount"))
    if paid == ZERO:
        return None
    why = f": {reason.strip()}" if reason.strip() else ""
    text = (
        f"Clawback of {money_text(paid)} commission paid in {paid_month} for {signing.label}, "
        f"cancelled (退房) on {signing.cancelled_on}{why}"
    )
    facts = signing.facts | {
        "paid": str(paid),
        "paid_month": str(paid_month),
        "cancelled_on": signing.cancelled_on.isoformat(),
        "reason": reason.strip(),
    }
    return ExplainedLine(CLAWBACK, -paid, text, signing.source, "clawback", facts)
