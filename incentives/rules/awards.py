"""Ranked person awards: weekly visits (周带访奖), monthly visits (月带访奖), signings (月度成交奖).

Each award has a ``*_ranking`` (leaderboard rows for everybody, see ``ranking.rank``) and
a ``*_lines`` function (statement lines for prize winners only, keyed by staff id). A
weekly award is paid in the month that contains the week's Sunday, so the month's weekly
lines are built from exactly the weeks in ``month.weeks()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from common.periods import Period
from incentives.rules._values import as_count, require_month, require_week
from incentives.rules.plan import PlanRules
from incentives.rules.ranking import RankedRow, describe_amount, describe_visits, rank
from incentives.rules.statement import (
    MONTHLY_VISIT_AWARD,
    SIGNING_AWARD,
    WEEKLY_VISIT_AWARD,
    ExplainedLine,
    LinesByStaff,
    merge_lines,
)

__all__ = [
    "award_lines",
    "monthly_visit_award_lines",
    "monthly_visit_ranking",
    "signing_award_lines",
    "signing_ranking",
    "weekly_visit_award_lines",
    "weekly_visit_ranking",
]

_TITLES = {
    WEEKLY_VISIT_AWARD: "Weekly visit award",
    MONTHLY_VISIT_AWARD: "Monthly visit award",
    SIGNING_AWARD: "Monthly signing award",
}


def _counts(counts: Mapping[int, int]) -> dict[int, int]:
    """Visit counts checked to be non-negative ints."""
    return {staff: as_count(n, what=f"visit count of staff {staff}") for staff, n in counts.items()}


def _award_line(row: RankedRow, *, kind: str, title: str, source: str) -> ExplainedLine:
    """One prize winner's line, described by the ranking's own explanation."""
    text = f"{title}: {row.explanation}"
    return ExplainedLine(kind, row.prize_amount, text, source, "award", row.params)


def award_lines(rows: tuple[RankedRow, ...], *, kind: str, source: str) -> LinesByStaff:
    """Statement lines (one each) for the rows that won a prize; others get no line."""
    title = _TITLES.get(kind, kind)
    return {
        row.subject_id: [_award_line(row, kind=kind, title=title, source=source)]
        for row in rows
        if row.prize_amount > 0
    }


def weekly_visit_ranking(
    rules: PlanRules,
    *,
    week: Period,
    counts: Mapping[int, int],
    tasks: Mapping[int, int] | None = None,
) -> tuple[RankedRow, ...]:
    """Week's leaderboard: ≥ the weekly visit task (the plan's 10, or a marketer's own
    valid-visits target for the week in ``tasks``) eligible; ranks 1–3 win 500/300/200."""
    award = rules.weekly_visit_award
    return rank(
        _counts(counts),
        threshold=award.threshold,
        prizes=award.prizes,
        period=require_week(week).code,
        describe_value=describe_visits,
        own_thresholds=tasks,
        own_label="weekly visit task (target)",
        own_code="weekly_task",
    )


def weekly_visit_award_lines(
    rules: PlanRules, *, month: Period, counts_by_week: Mapping[Period, Mapping[int, int]]
) -> LinesByStaff:
    """Weekly award lines for the weeks whose Sunday is in ``month`` (missing week = no visits)."""
    weeks = require_month(month).weeks()
    stray = [str(week) for week in counts_by_week if week not in weeks]
    if stray:
        raise ValueError(f"weeks {stray} are not paid in {month}: their Sunday is elsewhere")
    return merge_lines(
        *(
            award_lines(
                weekly_visit_ranking(rules, week=week, counts=counts_by_week.get(week, {})),
                kind=WEEKLY_VISIT_AWARD,
                source=f"week:{week}",
            )
            for week in weeks
        )
    )


def monthly_visit_ranking(
    rules: PlanRules,
    *,
    month: Period,
    counts: Mapping[int, int],
    tasks: Mapping[int, int] | None = None,
) -> tuple[RankedRow, ...]:
    """Month's visit leaderboard: ≥ the monthly visit task (the plan's 20, or a marketer's
    own valid-visits target for the month in ``tasks``) eligible; ranks 1–3 win 800/500/300."""
    award = rules.monthly_visit_award
    return rank(
        _counts(counts),
        threshold=award.threshold,
        prizes=award.prizes,
        period=require_month(month).code,
        describe_value=describe_visits,
        own_thresholds=tasks,
        own_label="monthly visit task (target)",
        own_code="monthly_task",
    )


def monthly_visit_award_lines(
    rules: PlanRules, *, month: Period, counts: Mapping[int, int]
) -> LinesByStaff:
    """Monthly visit award lines for the prize winners of the month's visit ranking."""
    rows = monthly_visit_ranking(rules, month=month, counts=counts)
    return award_lines(rows, kind=MONTHLY_VISIT_AWARD, source=f"month:{month}")


def signing_ranking(
    rules: PlanRules, *, month: Period, amounts: Mapping[int, Decimal]
) -> tuple[RankedRow, ...]:
    """Month's signing leaderboard: ≥ 1,000,000.00 (inclusive) eligible; 1500/1000/500."""
    award = rules.signing_award
    return rank(
        amounts,
        threshold=award.threshold,
        prizes=award.prizes,
        period=require_month(month).code,
        describe_value=describe_amount,
    )


def signing_award_lines(
    rules: PlanRules, *, month: Period, amounts: Mapping[int, Decimal]
) -> LinesByStaff:
    """Monthly signing award lines for the prize winners of the month's signing ranking."""
    rows = signing_ranking(rules, month=month, amounts=amounts)
    return award_lines(rows, kind=SIGNING_AWARD, source=f"month:{month}")
