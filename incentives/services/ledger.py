"""The statement ledger: statements' totals, clawbacks of paid commission and promotion
eligibility (storing the computed lines in draft statements: incentives.services.drafts).

Recomputing replaces only draft lines (manual adjustments stay); approved or paid statements
are never touched. Clawbacks take their own lock: any month may claw back a paid line, which
the database lets happen once.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from common.bulk import delete_rows, insert_rows, update_rows
from common.locks import advisory_xact_lock
from common.money import ZERO
from common.periods import Period, parse_period
from incentives.choices import BoardKind, LineKind, StatementStatus
from incentives.explanations import promotion_facts
from incentives.models import IncentivePlan, PromotionEligibility, Statement, StatementLine
from incentives.rules import ExplainedLine as Line
from incentives.rules import (
    PlanRules,
    RankedRow,
    SigningFacts,
    clawback_line,
    promotion_check,
)
from incentives.selectors.boards import top_months
from incentives.selectors.plans import plan_marketers
from incentives.services.digests import stored_lines_digests
from sales.selectors.facts import cancelled_signing_q

DONE = (StatementStatus.APPROVED, StatementStatus.PAID)
# Every month compute decides clawbacks under this one lock: which open month carries the
# clawback of a paid line depends on the other months' statements.
CLAWBACK_LOCK = "incentives:clawbacks"


@dataclass(frozen=True)
class Clawback(Line):
    """A clawback line with the approved or paid commission line it takes back."""

    reverses_id: int = field(kw_only=True)


def clawbacks_due(*, owner: str, owners: Q, month: Period, today: date) -> list[tuple[int, Line]]:
    """Commission approved or paid for a signing cancelled since is clawed back once, in the
    first open month: here, unless an approved or paid statement or an earlier month's draft
    already carries the clawback of that paid line (a later draft's is moved here when the
    lines are stored). `owner` is "staff" or "partner"; `owners` narrows whose paid lines."""
    advisory_xact_lock(CLAWBACK_LOCK)
    settled = StatementLine.objects.filter(kind=LineKind.CLAWBACK, reverses=OuterRef("pk")).filter(
        Q(statement__status__in=DONE) | Q(statement__period__lt=str(month))
    )
    paid = (
        StatementLine.objects.filter(owners)
        .filter(
            kind=LineKind.COMMISSION,
            amount__gt=0,
            statement__status__in=DONE,
            statement__period__lt=str(month),
        )
        .filter(cancelled_signing_q(computed_on=today, via="signing__"))
        .exclude(Exists(settled))
        .order_by("statement__period", "signing__signed_on", "signing", "pk")
        .values_list(
            "pk",
            f"statement__{owner}",
            "statement__period",
            "amount",
            "signing",
            "signing__property_type",
            "signing__amount",
            "signing__signed_on",
            "signing__cancelled_on",
            "signing__cancel_reason",
        )
    )
    result = []
    for line_id, staff, period, amount, pk, kind, signed, on, cancelled, reason in paid:
        facts = SigningFacts(
            signing_id=pk, property_type=kind, amount=signed, signed_on=on, cancelled_on=cancelled
        )
        line = clawback_line(
            signing=facts, paid_amount=amount, paid_month=parse_period(period), reason=reason
        )
        if line is not None:
            clawback = Clawback(
                line.kind,
                line.amount,
                line.description,
                line.source,
                line.code,
                line.params,
                reverses_id=line_id,
            )
            result.append((staff, clawback))
    return result


def clawbacks_move_here(
    *, month: Period, drafts: Collection[int], lines: Mapping[int, list[Line]]
) -> set[int]:
    """Take the clawbacks that this month's drafts (by owner id) carry away from later months'
    drafts (the first open month gets a clawback, whatever order the months were computed
    in). Returns the paid lines already clawed back elsewhere meanwhile (approved since): not
    repeated."""
    here = {
        line.reverses_id
        for owner_id in drafts
        for line in lines[owner_id]
        if isinstance(line, Clawback)
    }
    if not here:
        return set()
    # A paid line's clawback is on its owner's statements only: here, on this month's draft.
    elsewhere = StatementLine.objects.filter(reverses__in=here).exclude(
        statement__period=str(month), statement__status=StatementStatus.DRAFT
    )
    holders = {
        s.pk: s.status
        for s in Statement.objects.select_for_update()
        .filter(pk__in=elsewhere.values("statement"))
        .order_by("pk")
    }
    if not holders:
        return set()
    moved = [pk for pk, status in holders.items() if status == StatementStatus.DRAFT]
    settled = set(elsewhere.exclude(statement__in=moved).values_list("reverses", flat=True))
    if moved:
        elsewhere.filter(statement__in=moved).delete()
        # Their computed lines changed here: so do their digests.
        digests = stored_lines_digests(statements=moved)
        update_rows(Statement, ("lines_digest",), [(pk, d) for pk, d in digests.items()])
        statements_total_refresh(statements=Statement.objects.filter(pk__in=moved))
    return settled


def statements_uncovered_remove(*, statements: Collection[int]) -> int:
    """Marketers' draft statements of whom no plan covers any more (`statements`: ids) are
    removed with their lines; approved/paid are never touched."""
    stale = Statement.objects.filter(
        pk__in=statements, staff__isnull=False, status=StatementStatus.DRAFT
    )
    return stale.delete()[1].get(Statement._meta.label, 0) if statements else 0


def statements_total_refresh(*, statements) -> None:
    """A statement's total is the sum of its lines, set in one UPDATE (after a line was added
    or taken off outside the compute, which writes totals itself)."""
    line_sum = (
        StatementLine.objects.filter(statement=OuterRef("pk"))
        .values("statement")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    changes = {
        "total_amount": Coalesce(
            Subquery(line_sum),
            Value(ZERO),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
    }
    statements.update(**changes)


def promotions_store(
    *,
    plan: IncentivePlan,
    rules: PlanRules,
    month: Period,
    boards: dict[str, tuple[RankedRow, ...]],
) -> list[int]:
    """Marketers in the top N for the whole streak, in either ranking, are exam-eligible."""
    top_n, streak = rules.promotion_top_n, rules.promotion_streak_months
    earlier = [month]
    for _n in range(streak - 1):
        earlier.append(earlier[-1].previous())
    earlier = earlier[1:]
    tops = {}
    for kind in (BoardKind.MONTHLY_VISITS, BoardKind.MONTHLY_SIGNINGS):
        months = top_months(plan=plan, kind=kind, months=earlier, top_n=top_n)
        for row in boards[f"{kind}:{month}"]:
            if row.is_eligible and row.rank is not None and row.rank <= top_n:
                months[row.subject_id].add(month)
        tops[kind] = months
    candidates = {s for months in tops.values() for s, m in months.items() if month in m}
    # Stored eligibility is compared with the new: only what changed is deleted and inserted.
    stored = {
        staff_id: (pk, explanation, facts)
        for pk, staff_id, explanation, facts in PromotionEligibility.objects.filter(
            period=str(month), staff__in=plan_marketers(plan=plan, period=month)
        ).values_list("pk", "staff", "explanation", "facts")
    }
    eligible, inserts = [], []
    for staff_id in sorted(candidates):
        result = promotion_check(
            rules,
            staff_id=staff_id,
            month=month,
            visit_top_months=tops[BoardKind.MONTHLY_VISITS].get(staff_id, set()),
            signing_top_months=tops[BoardKind.MONTHLY_SIGNINGS].get(staff_id, set()),
        )
        if result.is_eligible:
            eligible.append(staff_id)
            row = (result.explanation, promotion_facts(result, top_n=top_n))
            _pk, *before = stored.get(staff_id, (None, None, None))
            if tuple(before) == row:
                del stored[staff_id]
            else:
                inserts.append((staff_id, str(month), *row))
    delete_rows(PromotionEligibility, [pk for pk, *_row in stored.values()])
    insert_rows(PromotionEligibility, ("staff", "period", "explanation", "facts"), inserts)
    return eligible
