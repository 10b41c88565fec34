"""Storing a month's computed lines in draft statements, each written once with its total.

A statement's total is the sum of its lines, computed here from the lines it will hold (and
the manual adjustments a recompute keeps) before anything is written. Each draft keeps a
digest of its computed lines (incentives.services.digests): a recompute reads back only the
lines of drafts whose new lines digest differently, compares them position by position over
every stored column, and deletes and inserts only the lines that differ; a statement's row is
updated only when its lines, total, plan or digest changed (`computed_at` says when its lines,
total or plan last did). Approved and paid statements are never touched.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from common.bulk import delete_rows, insert_rows, update_rows
from common.money import ZERO, to_money
from common.periods import Period
from incentives.choices import LineKind, StatementStatus
from incentives.explanations import facts_of
from incentives.models import IncentivePlan, Statement, StatementLine
from incentives.rules import KIND_ORDER
from incentives.rules import ExplainedLine as Line
from incentives.services.digests import LINE_FIELDS, lines_digest
from incentives.services.ledger import clawbacks_move_here

if TYPE_CHECKING:
    from incentives.services.summary import ComputeSummary


@dataclass(frozen=True)
class _Stored:
    pk: int
    status: str
    plan_id: int | None
    total: Decimal
    digest: str
    computed_at: datetime


def _signing_id(source: str) -> int | None:
    kind, _sep, value = source.partition(":")
    return int(value) if kind == "signing" and value.isdigit() else None


def _rows(lines: list[Line], settled: set[int]) -> list[tuple]:
    """A statement's computed lines as stored rows (LINE_FIELDS), skipping clawbacks of paid
    lines already clawed back elsewhere (`settled`)."""
    kept = (line for line in lines if getattr(line, "reverses_id", None) not in settled)
    return [
        (
            line.kind,
            line.amount,  # rounded once, by the line itself
            line.description,
            line.source,
            _signing_id(line.source),
            KIND_ORDER[line.kind] * 1000 + n,
            getattr(line, "reverses_id", None),
            facts_of(line),
        )
        for n, line in enumerate(kept)
    ]


def statements_store(
    *,
    month: Period,
    lines: Mapping[int, list[Line]],
    now: datetime,
    summary: "ComputeSummary",
    plans: Mapping[int, IncentivePlan] | None = None,
    owner: str = "staff",
) -> list[int]:
    """Store the month's computed lines in draft statements; approved/paid stay as they are.
    `lines` is keyed by the owner's id: a marketer ("staff", with the plan paying each in
    `plans`) or a partner ("partner"). A clawback stored here is taken off any later month's
    draft (see ledger.clawbacks_due). Returns the month's drafts of owners not in `lines`."""
    code = str(month)
    key = f"{owner}_id"
    mine = Statement.objects.filter(period=code, **{f"{owner}__isnull": False})
    stored = {
        owner_id: _Stored(*values)
        for owner_id, *values in mine.order_by()
        .select_for_update()
        .values_list(key, "pk", "status", "plan", "total_amount", "lines_digest", "computed_at")
    }
    plan_ids = {owner_id: plans[owner_id].pk for owner_id in lines} if plans else {}
    drafts = {
        owner_id
        for owner_id in lines
        if owner_id not in stored or stored[owner_id].status == StatementStatus.DRAFT
    }
    summary.statements_locked += len(lines) - len(drafts)
    settled = clawbacks_move_here(month=month, drafts=drafts, lines=lines)
    rows = {owner_id: _rows(lines[owner_id], settled) for owner_id in drafts}
    digests = {owner_id: lines_digest(rows[owner_id]) for owner_id in drafts}
    totals = {owner_id: sum((row[1] for row in rows[owner_id]), ZERO) for owner_id in drafts}
    new = [owner_id for owner_id in drafts if owner_id not in stored]
    insert_rows(
        Statement,
        (owner, "period", "plan", "status", "total_amount", "computed_at", "lines_digest"),
        (
            (o, code, plan_ids.get(o), StatementStatus.DRAFT, to_money(totals[o]), now, digests[o])
            for o in new
        ),
    )
    pks = {owner_id: s.pk for owner_id, s in stored.items()}
    if new:
        later = mine.filter(pk__gt=max(pks.values(), default=0)).order_by().values_list(key, "pk")
        pks.update((owner_id, pk) for owner_id, pk in later if owner_id in drafts)
    kept = [owner_id for owner_id in drafts if owner_id in stored]
    # Only the drafts whose lines digest differently (or unknown) have their lines read back.
    changed = _lines_replace(
        month=month,
        owner=owner,
        rows={
            pks[owner_id]: rows[owner_id]
            for owner_id in kept
            if stored[owner_id].digest != digests[owner_id]
        },
        fresh={pks[owner_id]: rows[owner_id] for owner_id in new},
    )
    adjusted = _adjustments(month=month, owner=owner) if kept else {}
    updates = []
    for owner_id in kept:
        s = stored[owner_id]
        total = to_money(totals[owner_id] + adjusted.get(s.pk, ZERO))
        totals[owner_id] = total
        plan_id = plan_ids.get(owner_id)
        if s.pk in changed or total != s.total or plan_id != s.plan_id:
            updates.append((s.pk, total, plan_id, digests[owner_id], now))
        elif s.digest != digests[owner_id]:  # the same lines, now with their digest
            updates.append((s.pk, total, plan_id, digests[owner_id], s.computed_at))
    update_rows(Statement, ("total_amount", "plan", "lines_digest", "computed_at"), updates)
    summary.statements += len(drafts)
    total = to_money(sum(totals.values(), ZERO))
    summary.total_amount += total
    if owner == "partner":  # the approvals page lists them on their own tab: say how many
        summary.partner_statements += len(drafts)
        summary.partner_total_amount += total
    return [
        s.pk
        for owner_id, s in stored.items()
        if owner_id not in lines and s.status == StatementStatus.DRAFT
    ]


def _adjustments(*, month: Period, owner: str) -> dict[int, Decimal]:
    """The sum of the manual adjustments on each of the month's drafts (kept by a recompute)."""
    return dict(
        StatementLine.objects.filter(
            statement__period=str(month),
            statement__status=StatementStatus.DRAFT,
            kind=LineKind.ADJUSTMENT,
            **{f"statement__{owner}__isnull": False},
        )
        .order_by()
        .values_list("statement")
        .annotate(total=Sum("amount"))
        .values_list("statement", "total")
    )


# Up to this many drafts' lines are read by their ids; more, by the month (and filtered here).
_BY_ID = 1000


def _lines_replace(
    *, month: Period, owner: str, rows: dict[int, list[tuple]], fresh: dict[int, list[tuple]]
) -> set[int]:
    """Make the stored drafts' computed lines `rows` (by statement): compared with the stored
    ones position by position, only those that differ are deleted and inserted; the lines of
    new statements (`fresh`) are inserted. Returns the statements whose lines changed."""
    old: dict[int, dict[int, tuple]] = defaultdict(dict)
    stale: list[int] = []
    changed: set[int] = set()
    if rows:
        lines = StatementLine.objects.exclude(kind=LineKind.ADJUSTMENT)
        if len(rows) <= _BY_ID:
            lines = lines.filter(statement__in=list(rows))
        else:
            lines = lines.filter(
                statement__period=str(month),
                statement__status=StatementStatus.DRAFT,
                **{f"statement__{owner}__isnull": False},
            )
        for statement_id, pk, *values in lines.order_by().values_list(
            "statement", "pk", *LINE_FIELDS
        ):
            if statement_id not in rows:
                continue  # an owner not computed here, or whose lines digest the same
            at = old[statement_id]
            if values[5] in at:  # two lines at one position: keep one to compare
                stale.append(pk)
                changed.add(statement_id)
            else:
                at[values[5]] = (pk, tuple(values))
    inserts = [(statement_id, *row) for statement_id, new in fresh.items() for row in new]
    for statement_id, new_rows in rows.items():
        at = old.pop(statement_id, {})
        for row in new_rows:
            pk, values = at.pop(row[5], (None, None))
            if values == row:
                continue
            if pk is not None:
                stale.append(pk)
            inserts.append((statement_id, *row))
            changed.add(statement_id)
        if at:
            stale.extend(pk for pk, _values in at.values())
            changed.add(statement_id)
    # Deleted first: a clawback's new row may reverse the same paid line as its old row.
    delete_rows(StatementLine, stale)
    insert_rows(StatementLine, ("statement", *LINE_FIELDS), inserts)
    return changed
