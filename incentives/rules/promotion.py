"""Promotion eligibility (晋升考试资格): a streak of months in the top 3 of a monthly ranking.

A marketer may sit the promotion exam (优秀渠道行销 / 高级渠道行销 / 置业顾问) after
``promotion_streak_months`` (3) consecutive months in the top ``promotion_top_n`` (3) of
the monthly visit ranking, or of the monthly signing ranking. "Top 3" means eligible and
competition rank ≤ 3, i.e. prize-winning (ties at rank 3 all count; see
``ranking.top_subjects``). Streaks do not mix rankings, and a month outside the top 3
breaks (resets) the streak. Choice where SPEC is silent: the streak must end with the month
being evaluated, so eligibility is decided at each month close and lasts while the streak
does.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from common.periods import Period
from incentives.rules._values import require_month
from incentives.rules.plan import PlanRules

__all__ = [
    "MONTHLY_SIGNINGS",
    "MONTHLY_VISITS",
    "PromotionResult",
    "PromotionStreak",
    "current_streak",
    "promotion_check",
]

MONTHLY_VISITS = "monthly_visits"
MONTHLY_SIGNINGS = "monthly_signings"


@dataclass(frozen=True)
class PromotionStreak:
    """Consecutive top-N months of one ranking, ending with the evaluated month (oldest first)."""

    ranking: str
    months: tuple[Period, ...]


@dataclass(frozen=True)
class PromotionResult:
    """Whether a marketer may sit the promotion exam after a month, and which streaks count."""

    staff_id: int
    month: Period
    is_eligible: bool
    streaks: tuple[PromotionStreak, ...]
    explanation: str


def current_streak(*, month: Period, top_months: Collection[Period]) -> tuple[Period, ...]:
    """Consecutive months in ``top_months`` ending with ``month`` (empty if ``month`` missed)."""
    streak: list[Period] = []
    current = require_month(month)
    while current in top_months:
        streak.append(current)
        current = current.previous()
    return tuple(reversed(streak))


def _months_text(months: tuple[Period, ...]) -> str:
    """``2026-09, 2026-10, 2026-11``."""
    return ", ".join(str(m) for m in months)


def promotion_check(
    rules: PlanRules,
    *,
    staff_id: int,
    month: Period,
    visit_top_months: Collection[Period],
    signing_top_months: Collection[Period],
) -> PromotionResult:
    """Eligible after N (3) consecutive top-N months of the visit or the signing ranking."""
    needed, top_n = rules.promotion_streak_months, rules.promotion_top_n
    streaks = {
        MONTHLY_VISITS: current_streak(month=month, top_months=visit_top_months),
        MONTHLY_SIGNINGS: current_streak(month=month, top_months=signing_top_months),
    }
    qualifying = tuple(
        PromotionStreak(ranking, months)
        for ranking, months in streaks.items()
        if len(months) >= needed
    )
    if qualifying:
        text = "; ".join(
            f"top {top_n} of {s.ranking} in {_months_text(s.months)}" for s in qualifying
        )
        explanation = f"Eligible for the promotion exam: {text}"
    else:
        counts = ", ".join(f"{ranking} {len(months)}" for ranking, months in streaks.items())
        explanation = (
            f"Not eligible: consecutive top-{top_n} months up to {month} are {counts} "
            f"({needed} needed)"
        )
    return PromotionResult(staff_id, month, bool(qualifying), qualifying, explanation)
