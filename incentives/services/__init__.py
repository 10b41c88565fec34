"""The incentive engine's writes, by sub-domain: `compute` (a period: boards and draft
statements), `boards` (freezing a closed board), `ledger` (statement lines, totals, clawbacks,
promotions), `statements` (approve, pay, adjust), `plans`, `simulate` (the what-if, which
writes nothing), `targets` and `costs`; `periods` checks the period a compute or what-if is
asked for.

Idempotence: a period is computed under a Postgres advisory lock, statements are unique per
(staff, month), recomputing replaces only draft lines (manual adjustments stay), and approved
or paid statements are never touched — so a repeated or concurrent run pays once. Work that
two different periods share takes its own lock: a stored board (a week is frozen by its own
compute and by its month's), and clawbacks (any month may claw back a paid line, which the
database lets happen once).

The names below are the ones callers outside the package use; code inside `incentives`
imports from the submodules.
"""

from incentives.services.compute import ComputeSummary, period_compute
from incentives.services.compute_jobs import period_compute_queue
from incentives.services.plans import plan_create_default
from incentives.services.simulate import plan_simulate
from incentives.services.statements import (
    BatchResult,
    statement_adjust,
    statement_approve,
    statement_mark_paid,
    statements_approve,
    statements_approve_batch,
    statements_mark_paid,
)

__all__ = [
    "BatchResult",
    "ComputeSummary",
    "period_compute",
    "period_compute_queue",
    "plan_create_default",
    "plan_simulate",
    "statement_adjust",
    "statement_approve",
    "statement_mark_paid",
    "statements_approve",
    "statements_approve_batch",
    "statements_mark_paid",
]
