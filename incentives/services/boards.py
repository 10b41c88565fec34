"""Freezing a closed period's leaderboard."""

from datetime import date, datetime

from common.bulk import insert_rows
from common.locks import advisory_xact_lock
from common.periods import Period
from incentives.choices import BoardKind
from incentives.explanations import facts_of
from incentives.models import IncentivePlan, Leaderboard, LeaderboardEntry
from incentives.rules import PlanRules, RankedRow
from incentives.selectors.boards import board_compute, board_rows_of, frozen_board


def board_freeze(
    *,
    plan: IncentivePlan,
    rules: PlanRules,
    kind: str,
    period: Period,
    computed_on: date,
    replace: bool,
    now: datetime,
    visit_counts: dict[int, int] | None = None,
) -> tuple[RankedRow, ...]:
    """Store a closed period's board; a stored board is kept unless `replace` (nothing paid).
    The board itself is locked: a week is frozen by its own compute and by its month's."""
    advisory_xact_lock(f"incentives:board:{plan.pk}:{kind}:{period}")
    board = frozen_board(plan=plan, kind=kind, period=str(period))
    if board is not None and not replace:
        return board_rows_of(board)
    rows = board_compute(
        plan=plan,
        rules=rules,
        kind=kind,
        period=period,
        computed_on=computed_on,
        visit_counts=visit_counts,
    )
    if board is None:
        board = Leaderboard.objects.create(
            plan=plan, kind=kind, period=str(period), computed_at=now
        )
    else:
        board.entries.all().delete()
        board.computed_at = now
        board.save(update_fields=["computed_at"])
    is_team = kind == BoardKind.MONTHLY_TEAM_SIGNINGS
    insert_rows(
        LeaderboardEntry,
        (
            "board",
            "staff",
            "team",
            "value",
            "rank",
            "is_eligible",
            "prize_amount",
            "explanation",
            "facts",
        ),
        (
            (
                board.pk,
                None if is_team else row.subject_id,
                row.subject_id if is_team else None,
                row.value,
                row.rank,
                row.is_eligible,
                row.prize_amount,
                row.explanation,
                facts_of(row),
            )
            for row in rows
        ),
    )
    return rows
