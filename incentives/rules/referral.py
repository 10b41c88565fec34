"""Referral bonus (老带新嘉奖): paid to the referrer when the referred hire completes a month.

"Completes one month" (SPEC is silent on the exact day): the first month of service runs
from the hire date to the day before the same day-of-month in the next month; when the next
month has no such day, it runs to that month's last day. So a hire on 2026-10-15 completes
one month on 2026-11-14, a hire on 2026-01-31 on 2026-02-28 (2028-01-31 → 2028-02-29) and a
hire on the 1st on the last day of the same month. The bonus belongs to the month that
contains that completion date, provided both people are still employed on it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from common.periods import Period
from incentives.rules._values import money_text, require_month
from incentives.rules.plan import PlanRules
from incentives.rules.statement import REFERRAL_BONUS, ExplainedLine

__all__ = ["ReferralFacts", "one_month_completed_on", "referral_bonus_line"]


@dataclass(frozen=True)
class ReferralFacts:
    """A referral: who referred whom, the hire date and each one's last day (None = still)."""

    referrer_id: int
    referred_id: int
    referred_hired_on: date
    referred_left_on: date | None = None
    referrer_left_on: date | None = None

    def __post_init__(self) -> None:
        """Refuse self-referral (the database forbids it too)."""
        if self.referrer_id == self.referred_id:
            raise ValueError("a staff member cannot refer themselves")


def one_month_completed_on(hired_on: date) -> date:
    """Last day of the first month of service (day before the monthly anniversary, clamped)."""
    year, month_index = divmod(hired_on.year * 12 + hired_on.month, 12)  # the next month
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    if hired_on.day > last_day:
        return date(year, month, last_day)
    return date(year, month, hired_on.day) - timedelta(days=1)


def _employed_on(left_on: date | None, day: date) -> bool:
    """Whether someone whose last day is ``left_on`` (None = still employed) works on ``day``."""
    return left_on is None or left_on >= day


def referral_bonus_line(
    rules: PlanRules, *, referral: ReferralFacts, month: Period
) -> ExplainedLine | None:
    """Referral bonus (200) in the month the hire completes one month, both still employed."""
    completed_on = one_month_completed_on(referral.referred_hired_on)
    if not require_month(month).contains(completed_on):
        return None
    if not _employed_on(referral.referred_left_on, completed_on):
        return None
    if not _employed_on(referral.referrer_left_on, completed_on):
        return None
    text = (
        f"Referral bonus {money_text(rules.referral_bonus)}: staff #{referral.referred_id} "
        f"(hired {referral.referred_hired_on}) completed one month on {completed_on}"
    )
    facts = {
        "bonus": str(rules.referral_bonus),
        "staff": referral.referred_id,
        "hired_on": referral.referred_hired_on.isoformat(),
        "completed_on": completed_on.isoformat(),
    }
    source = f"staff:{referral.referred_id}"
    return ExplainedLine(
        REFERRAL_BONUS, rules.referral_bonus, text, source, "referral_bonus", facts
    )
