"""Freezing a closed period's leaderboard: a re-freeze ranking the same entries (by their
digest, incentives.services.digests) reads nothing back; otherwise it rewrites only the
entries that differ."""

from datetime import date, datetime

from common.bulk import delete_rows, insert_rows, update_rows
from common.locks import advisory_xact_lock
from common.periods import Period
from incentives.choices import BoardKind
from incentives.explanations import facts_of
from incentives.models import IncentivePlan, Leaderboard, LeaderboardEntry
from incentives.rules import PlanRules, RankedRow
from incentives.selectors.boards import board_compute, board_rows_of, frozen_board
from incentives.services.digests import rows_digest

# The stored columns of an entry, in the order an entry is compared and written.
ENTRY_FIELDS = (
    "staff",
    "team",
    "value",
    "rank",
    "is_eligible",
    "prize_amount",
    "explanation",
    "facts",
)


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
    is_team = kind == BoardKind.MONTHLY_TEAM_SIGNINGS
    new = [
        (
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
    ]
    digest = rows_digest(new)
    if board is None:
        board = Leaderboard.objects.create(
            plan=plan, kind=kind, period=str(period), computed_at=now, entries_digest=digest
        )
        insert_rows(LeaderboardEntry, ("board", *ENTRY_FIELDS), ((board.pk, *r) for r in new))
    elif board.entries_digest != digest:
        changes = {"entries_digest": digest}
        if _entries_replace(board=board, rows=new):
            # A re-frozen board moves computed_at (the API caches a frozen board under it).
            changes["computed_at"] = now
        Leaderboard.objects.filter(pk=board.pk).update(**changes)
    return rows


def _entries_replace(*, board: Leaderboard, rows: list[tuple]) -> bool:
    """Make a frozen board's entries `rows` (ENTRY_FIELDS), rewriting only those that differ:
    the n-th entry by id is updated in place to the n-th row, so entries keep the rows' order
    (ties are read by id); returns whether anything changed."""
    stored = list(board.entries.order_by("id").values_list("pk", *ENTRY_FIELDS))
    updates = [
        (pk, *row) for (pk, *before), row in zip(stored, rows, strict=False) if tuple(before) != row
    ]
    extra = [pk for pk, *_before in stored[len(rows) :]]
    update_rows(LeaderboardEntry, ENTRY_FIELDS, updates)
    delete_rows(LeaderboardEntry, extra)
    insert_rows(
        LeaderboardEntry, ("board", *ENTRY_FIELDS), ((board.pk, *r) for r in rows[len(stored) :])
    )
    return bool(updates or extra or len(rows) > len(stored))
