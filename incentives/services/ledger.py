"""The statement ledger: storing a month's computed lines in draft statements, their totals,
clawbacks of paid commission and promotion eligibility.

Recomputing replaces only draft lines (manual adjustments stay); approved or paid statements
are never touched. Clawbacks take their own lock: any month may claw back a paid line, which
the database lets happen once.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from common.bulk import insert_rows
from common.locks import advisory_xact_lock
from common.money import ZERO, to_money
from common.periods import Period, parse_period
from incentives.choices import BoardKind, LineKind, StatementStatus
from incentives.explanations import facts_of, promotion_facts
from incentives.models import IncentivePlan, PromotionEligibility, Statement, StatementLine
from incentives.rules import (
    KIND_ORDER,
    PlanRules,
    RankedRow,
    SigningFacts,
    clawback_line,
    promotion_check,
)
from incentives.rules import ExplainedLine as Line
from incentives.selectors.boards import top_months
from incentives.selectors.plans import plan_marketers
from sales.selectors.facts import cancelled_signing_q

if TYPE_CHECKING:
    from incentives.services.compute import ComputeSummary


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


def _clawbacks_move_here(*, drafts: dict[int, int], lines: dict[int, list[Line]]) -> set[int]:
    """Take the clawbacks that this month's drafts carry away from later months' drafts (the
    first open month gets a clawback, whatever order the months were computed in). Returns
    the paid lines already clawed back elsewhere meanwhile (approved since): not repeated."""
    here = {
        line.reverses_id
        for owner_id, owner_lines in lines.items()
        if owner_id in drafts
        for line in owner_lines
        if isinstance(line, Clawback)
    }
    if not here:
        return set()
    elsewhere = StatementLine.objects.filter(reverses__in=here).exclude(
        statement__in=drafts.values()
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
        statements_total_refresh(statements=Statement.objects.filter(pk__in=moved))
    return settled


def _signing_id(source: str) -> int | None:
    kind, _sep, value = source.partition(":")
    return int(value) if kind == "signing" and value.isdigit() else None


def statements_store(
    *,
    plan: IncentivePlan | None,
    month: Period,
    lines: dict[int, list[Line]],
    now: datetime,
    summary: "ComputeSummary",
    owner: str = "staff",
) -> None:
    """Replace the computed lines of draft statements in bulk; approved/paid stay as they are.
    `lines` is keyed by the owner's id: a marketer ("staff") or a partner ("partner"). A
    clawback stored here is taken off any later month's draft (see clawbacks_due)."""
    code = str(month)
    key = f"{owner}_id"
    mine = Statement.objects.filter(period=code, **{f"{key}__in": list(lines)})
    existing = {getattr(s, key) for s in mine.order_by().select_for_update()}
    Statement.objects.bulk_create(
        [
            Statement(**{key: owner_id}, period=code, plan=plan, computed_at=now)
            for owner_id in lines
            if owner_id not in existing
        ]
    )
    drafts = {getattr(s, key): s.pk for s in mine.filter(status=StatementStatus.DRAFT)}
    summary.statements_locked += len(lines) - len(drafts)
    StatementLine.objects.filter(statement_id__in=drafts.values()).exclude(
        kind=LineKind.ADJUSTMENT
    ).delete()
    settled = _clawbacks_move_here(drafts=drafts, lines=lines)
    insert_rows(
        StatementLine,
        (
            "statement",
            "kind",
            "amount",
            "description",
            "source",
            "signing",
            "position",
            "reverses",
            "facts",
        ),
        (
            (
                drafts[owner_id],
                line.kind,
                to_money(line.amount),
                line.description,
                line.source,
                _signing_id(line.source),
                KIND_ORDER[line.kind] * 1000 + n,
                getattr(line, "reverses_id", None),
                facts_of(line),
            )
            for owner_id, owner_lines in lines.items()
            if owner_id in drafts
            for n, line in enumerate(
                line for line in owner_lines if getattr(line, "reverses_id", None) not in settled
            )
        ),
    )
    statements_total_refresh(
        statements=Statement.objects.filter(pk__in=drafts.values()), now=now, plan=plan
    )
    summary.statements += len(drafts)
    # to_money: SQLite sums decimals with float-like tails (106061.0900000000).
    total = to_money(
        Statement.objects.filter(pk__in=drafts.values()).aggregate(
            total=Coalesce(Sum("total_amount"), Value(ZERO))
        )["total"]
    )
    summary.total_amount += total
    if owner == "partner":  # the approvals page lists them on their own tab: say how many
        summary.partner_statements += len(drafts)
        summary.partner_total_amount += total


def statements_uncovered_remove(*, month: Period, covered: set[int]) -> int:
    """Marketers' draft statements of the month for anyone outside `covered` (the marketers
    the plans in force pay) are removed with their lines; approved/paid are never touched."""
    stale = Statement.objects.filter(
        period=str(month), staff__isnull=False, status=StatementStatus.DRAFT
    ).exclude(staff__in=covered)
    return stale.delete()[1].get(Statement._meta.label, 0)


def statements_total_refresh(
    *, statements, now: datetime | None = None, plan: IncentivePlan | None = None
):
    """A statement's total is the sum of its lines, set in one UPDATE (`now`, when given,
    records the compute)."""
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
    if now is not None:
        changes["computed_at"] = now
    if plan is not None:
        changes["plan"] = plan
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
    eligible = []
    PromotionEligibility.objects.filter(
        period=str(month), staff__in=plan_marketers(plan=plan, period=month)
    ).delete()
    for staff_id in sorted(candidates):
        result = promotion_check(
            rules,
            staff_id=staff_id,
            month=month,
            visit_top_months=tops[BoardKind.MONTHLY_VISITS].get(staff_id, set()),
            signing_top_months=tops[BoardKind.MONTHLY_SIGNINGS].get(staff_id, set()),
        )
        if result.is_eligible:
            PromotionEligibility.objects.create(
                staff_id=staff_id,
                period=str(month),
                explanation=result.explanation,
                facts=promotion_facts(result, top_n=top_n),
            )
            eligible.append(staff_id)
    return eligible
