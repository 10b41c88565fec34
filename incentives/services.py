"""The incentive engine's writes: compute a period (boards and draft statements), approve,
pay, adjust. One entry point, `period_compute`, serves the beat jobs, the management command
and the API.

Idempotence: a period is computed under a Postgres advisory lock, statements are unique per
(staff, month), recomputing replaces only draft lines (manual adjustments stay), and approved
or paid statements are never touched — so a repeated or concurrent run pays once. Work that
two different periods share takes its own lock: a stored board (a week is frozen by its own
compute and by its month's), and clawbacks (any month may claw back a paid line, which the
database lets happen once).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from common.bulk import insert_rows
from common.locks import advisory_xact_lock
from common.models import AuditEntry, JobRun
from common.money import ZERO, to_money
from common.periods import MONTH, WEEK, Period, local_date, month_of, parse_period
from common.roles import Role, user_role
from common.services import audit_diff, audit_entry, audit_record, audit_snapshot
from incentives import selectors
from incentives.choices import (
    COUNT_METRICS,
    BoardKind,
    CommissionMode,
    LineKind,
    StatementStatus,
    TargetSubject,
)
from incentives.models import (
    ADJUSTMENT_LIMIT,
    MONEY_LIMIT,
    ChannelCost,
    CommissionRate,
    IncentivePlan,
    Leaderboard,
    LeaderboardEntry,
    PromotionEligibility,
    Statement,
    StatementLine,
    Target,
)
from incentives.rules import (
    LINE_KINDS,
    PlanRules,
    RankedRow,
    SigningFacts,
    award_lines,
    base_salary_line,
    clawback_line,
    commission_line,
    milestone_reached_on,
    partner_commission_line,
    promotion_check,
    referral_bonus_line,
    team_award_lines,
    visit_incentive_lines,
)
from incentives.rules import StatementLine as Line
from incentives.rules.targets import split_target
from partners.models import Partner
from sales.choices import SigningStatus
from sales.models import Staff, Team
from sales.selectors import staff_for_user

logger = logging.getLogger(__name__)
DONE = (StatementStatus.APPROVED, StatementStatus.PAID)
KIND_ORDER = {kind: n for n, kind in enumerate(LINE_KINDS)}
# Every month compute decides clawbacks under this one lock: which open month carries the
# clawback of a paid line depends on the other months' statements.
CLAWBACK_LOCK = "incentives:clawbacks"


@dataclass(frozen=True)
class Clawback(Line):
    """A clawback line with the approved or paid commission line it takes back."""

    reverses_id: int


@dataclass
class ComputeSummary:
    period: str
    plans: int = 0
    boards_frozen: int = 0
    statements: int = 0
    statements_locked: int = 0
    total_amount: Decimal = ZERO
    promotions: list[int] = field(default_factory=list)

    def text(self) -> str:
        return (
            f"{self.period}: {self.plans} plan(s), {self.statements} draft statement(s) "
            f"totalling {self.total_amount}, {self.statements_locked} approved/paid left "
            f"untouched, {self.boards_frozen} board(s) frozen"
        )


# --- leaderboards -----------------------------------------------------------------------------
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
    board = selectors.frozen_board(plan=plan, kind=kind, period=str(period))
    if board is not None and not replace:
        return selectors.board_rows_of(board)
    rows = selectors.board_compute(
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
        ("board", "staff", "team", "value", "rank", "is_eligible", "prize_amount", "explanation"),
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
            )
            for row in rows
        ),
    )
    return rows


# --- the period compute -----------------------------------------------------------------------
def period_compute(*, period: str, now: datetime | None = None) -> ComputeSummary:
    """Compute a week (its leaderboard) or a month (boards and draft statements); safe to run
    twice or from two workers at once."""
    try:
        target = parse_period(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if target.kind not in (WEEK, MONTH):
        raise ValidationError({"period": _("Compute a week (2026-W47) or a month (2026-11).")})
    now = now or timezone.now()
    today = local_date(now)
    if target.start > today:
        raise ValidationError(
            {"period": _("%(period)s has not started yet.") % {"period": str(target)}}
        )
    run = JobRun.objects.create(
        name="compute_incentives", key=str(target), status=JobRun.Status.RUNNING, started_at=now
    )
    try:
        summary = _compute_locked(target=target, today=today, now=now)
    except Exception as exc:
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRun.Status.FAILED, finished_at=timezone.now(), message=str(exc)
        )
        raise
    JobRun.objects.filter(pk=run.pk).update(
        status=JobRun.Status.SUCCEEDED, finished_at=timezone.now(), message=summary.text()
    )
    logger.info("computed %s", summary.text())
    return summary


@transaction.atomic
def _compute_locked(*, target: Period, today: date, now: datetime) -> ComputeSummary:
    advisory_xact_lock(f"incentives:compute:{target}")
    summary = ComputeSummary(period=str(target))
    month = target if target.kind == MONTH else month_of(target.end)
    plans = selectors.plans_in_force(month=month)
    # A statement is one per (staff, month) whatever the plan: each marketer's lines are
    # gathered over all plans first and stored once, so no plan's store replaces another's.
    month_lines: dict[int, list[Line]] = {}
    plan_of: dict[int, IncentivePlan] = {}
    for plan in plans:
        summary.plans += 1
        rules = selectors.plan_rules(plan=plan)
        if target.kind == WEEK:
            if target.end < today:
                board_freeze(
                    plan=plan,
                    rules=rules,
                    kind=BoardKind.WEEKLY_VISITS,
                    period=target,
                    computed_on=today,
                    replace=not _paid(plan, month_of(target.end)),
                    now=now,
                )
                summary.boards_frozen += 1
            continue
        lines = _month_compute(
            plan=plan, rules=rules, month=target, today=today, now=now, summary=summary
        )
        for staff_id, staff_lines in lines.items():
            plan_of.setdefault(staff_id, plan)
            month_lines.setdefault(staff_id, []).extend(staff_lines)
    if target.kind == MONTH:
        for plan in plans:
            _statements_store(
                plan=plan,
                month=target,
                lines={pk: lines for pk, lines in month_lines.items() if plan_of[pk] is plan},
                now=now,
                summary=summary,
            )
        _partner_month_compute(month=target, today=today, now=now, summary=summary)
    return summary


def _partner_month_compute(
    *, month: Period, today: date, now: datetime, summary: ComputeSummary
) -> None:
    """Partners' commission statements: each signing credited to a partner pays per the
    contract in force on its signing date, in the month its milestone is reached."""
    lines: dict[int, list[Line]] = defaultdict(list)
    facts = selectors.partner_signing_facts(month=month, computed_on=today)
    contracts = selectors.partner_contract_terms(partner_ids={f.partner_id for f in facts})
    for fact in facts:
        terms = selectors.contract_in_force(
            contracts.get(fact.partner_id, []), on=fact.signing.signed_on
        )
        if terms is None:
            if month.contains(fact.signing.signed_on):
                text = (
                    f"{fact.signing.label}: no contract in force on "
                    f"{fact.signing.signed_on}, no commission"
                )
                lines[fact.partner_id].append(
                    Line(LineKind.COMMISSION, ZERO, text, fact.signing.source)
                )
            continue
        milestone_on = milestone_reached_on(
            terms,
            signed_on=fact.signing.signed_on,
            down_payment_on=fact.down_payment_on,
            disbursed_on=fact.disbursed_on,
        )
        if milestone_on is None:
            continue
        line = partner_commission_line(
            terms,
            signing=fact.signing,
            milestone_on=milestone_on,
            month=month,
            computed_on=today,
        )
        if line is not None:
            lines[fact.partner_id].append(line)
    for partner_id, clawback in _clawbacks(
        owner="partner", owners=Q(statement__partner__isnull=False), month=month, today=today
    ):
        lines[partner_id].append(clawback)
    if lines:
        _statements_store(
            plan=None, month=month, lines=lines, now=now, summary=summary, owner="partner"
        )


def _paid(plan: IncentivePlan, month: Period) -> bool:
    """Whether any statement of the month is approved or paid (its boards are then final)."""
    return Statement.objects.filter(plan=plan, period=str(month), status__in=DONE).exists()


def _month_boards(
    *,
    plan: IncentivePlan,
    rules: PlanRules,
    month: Period,
    today: date,
    now: datetime,
    summary: ComputeSummary,
    visits: selectors.MonthVisitFacts,
) -> dict[str, tuple[RankedRow, ...]]:
    """The month's boards (and those of its weeks): frozen when closed, else live."""
    replace = not _paid(plan, month)
    visit_counts = {f"{BoardKind.MONTHLY_VISITS}:{month}": visits.monthly} | {
        f"{BoardKind.WEEKLY_VISITS}:{week}": counts for week, counts in visits.weekly.items()
    }
    boards: dict[str, tuple[RankedRow, ...]] = {}
    periods = [(BoardKind.WEEKLY_VISITS, week) for week in month.weeks()] + [
        (kind, month)
        for kind in (
            BoardKind.MONTHLY_VISITS,
            BoardKind.MONTHLY_SIGNINGS,
            BoardKind.MONTHLY_TEAM_SIGNINGS,
        )
    ]
    for kind, period in periods:
        key = f"{kind}:{period}"
        if period.end < today:
            boards[key] = board_freeze(
                plan=plan,
                rules=rules,
                kind=kind,
                period=period,
                computed_on=today,
                replace=replace,
                now=now,
                visit_counts=visit_counts.get(key),
            )
            summary.boards_frozen += 1
        else:
            boards[key] = selectors.board_compute(
                plan=plan,
                rules=rules,
                kind=kind,
                period=period,
                computed_on=today,
                visit_counts=visit_counts.get(key),
            )
    return boards


def _month_compute(
    *,
    plan: IncentivePlan,
    rules: PlanRules,
    month: Period,
    today: date,
    now: datetime,
    summary: ComputeSummary,
) -> dict[int, list[Line]]:
    """A plan's month: its boards (frozen when closed) and promotions are stored here; the
    statement lines are returned for the caller to store with the other plans'."""
    visits = selectors.month_visit_facts(plan=plan, month=month)
    boards = _month_boards(
        plan=plan,
        rules=rules,
        month=month,
        today=today,
        now=now,
        summary=summary,
        visits=visits,
    )
    marketers = selectors.plan_marketers(plan=plan, period=month)
    lines = _statement_lines(
        plan=plan,
        rules=rules,
        month=month,
        today=today,
        marketers=marketers,
        boards=boards,
        visits_by_type=visits.by_type,
    )
    summary.promotions += _promotions_store(plan=plan, rules=rules, month=month, boards=boards)
    return lines


def _statement_lines(
    *,
    plan: IncentivePlan,
    rules: PlanRules,
    month: Period,
    today: date,
    marketers,
    boards: dict[str, tuple[RankedRow, ...]],
    visits_by_type: dict[int, dict[str, int]],
) -> dict[int, list[Line]]:
    """Every computed line of the month for every plan marketer (adjustments aside)."""
    lines: dict[int, list[Line]] = defaultdict(list)
    for employment in selectors.employments(marketers=marketers):
        lines[employment.staff_id]  # every marketer gets a statement, even an empty one
        salary = base_salary_line(rules, employment=employment, month=month)
        if salary is not None:
            lines[employment.staff_id].append(salary)
    for staff_id, counts in visits_by_type.items():
        if staff_id not in lines:
            continue  # visits credited to someone outside the month's population
        lines[staff_id] += visit_incentive_lines(rules, month=month, counts_by_type=counts)
    for staff_id, facts in selectors.signing_facts(
        marketers=marketers, month=month, computed_on=today
    ):
        lines[staff_id].append(
            commission_line(rules, signing=facts, month=month, computed_on=today)
        )
    awards = [
        award_lines(
            boards[f"{BoardKind.WEEKLY_VISITS}:{week}"],
            kind=LineKind.WEEKLY_VISIT_AWARD,
            source=f"week:{week}",
        )
        for week in month.weeks()
    ]
    awards.append(
        award_lines(
            boards[f"{BoardKind.MONTHLY_VISITS}:{month}"],
            kind=LineKind.MONTHLY_VISIT_AWARD,
            source=f"month:{month}",
        )
    )
    awards.append(
        award_lines(
            boards[f"{BoardKind.MONTHLY_SIGNINGS}:{month}"],
            kind=LineKind.SIGNING_AWARD,
            source=f"month:{month}",
        )
    )
    # The team award, like every award, is paid from the month's board: once it is frozen
    # (a statement of the month approved) its winner is final, whatever late data says.
    team_board = boards[f"{BoardKind.MONTHLY_TEAM_SIGNINGS}:{month}"]
    teams = selectors.team_award_facts(marketers=marketers, month=month, rows=team_board)
    awards.append(team_award_lines(rules, month=month, teams=teams, rows=team_board))
    for part in awards:
        for staff_id, staff_lines in part.items():
            lines[staff_id] += staff_lines
    for referral in selectors.referral_facts(marketers=marketers, month=month):
        bonus = referral_bonus_line(rules, referral=referral, month=month)
        if bonus is not None:
            lines[referral.referrer_id].append(bonus)
    # Commission paid under any plan version is clawed back by the plan now in force for
    # the marketer's project (a marketer's team is in one project, so in one plan).
    owners = Q(statement__staff__team__project__in=selectors.plan_project_ids(plan=plan))
    for staff_id, clawback in _clawbacks(owner="staff", owners=owners, month=month, today=today):
        lines[staff_id].append(clawback)
    return lines


def _clawbacks(*, owner: str, owners: Q, month: Period, today: date) -> list[tuple[int, Line]]:
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
            signing__status=SigningStatus.CANCELLED,
            signing__cancelled_on__lte=today,
        )
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
                line.kind, line.amount, line.description, line.source, reverses_id=line_id
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


def _statements_store(
    *,
    plan: IncentivePlan | None,
    month: Period,
    lines: dict[int, list[Line]],
    now: datetime,
    summary: ComputeSummary,
    owner: str = "staff",
) -> None:
    """Replace the computed lines of draft statements in bulk; approved/paid stay as they are.
    `lines` is keyed by the owner's id: a marketer ("staff") or a partner ("partner"). A
    clawback stored here is taken off any later month's draft (see _clawbacks)."""
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
    summary.total_amount += Statement.objects.filter(pk__in=drafts.values()).aggregate(
        total=Coalesce(Sum("total_amount"), Value(ZERO))
    )["total"]


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


def _promotions_store(
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
        months = selectors.top_months(plan=plan, kind=kind, months=earlier, top_n=top_n)
        for row in boards[f"{kind}:{month}"]:
            if row.is_eligible and row.rank is not None and row.rank <= top_n:
                months[row.subject_id].add(month)
        tops[kind] = months
    candidates = {s for months in tops.values() for s, m in months.items() if month in m}
    eligible = []
    PromotionEligibility.objects.filter(
        period=str(month), staff__in=selectors.plan_marketers(plan=plan, period=month)
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
                staff_id=staff_id, period=str(month), explanation=result.explanation
            )
            eligible.append(staff_id)
    return eligible


# --- plans ---------------------------------------------------------------------------------
# The seed names two projects that pay 500 per high-rise unit instead of 1000.
SEED_REDUCED_PROJECT_NAMES = ("协成", "金隅大成")


@transaction.atomic
def plan_create_default(*, name: str, effective_from: date, projects) -> IncentivePlan:
    """A plan with the seed's numbers: 1000 per high-rise unit (500 at 协成 and 金隅大成)."""
    if effective_from.day != 1:
        raise ValidationError({"effective_from": _("A plan starts on the first of a month.")})
    plan = IncentivePlan.objects.create(name=name, effective_from=effective_from)
    plan.projects.set(projects)
    CommissionRate.objects.create(
        plan=plan, property_type="high_rise", mode=CommissionMode.PER_UNIT, value=Decimal("1000")
    )
    for project in projects:
        if any(seed in project.name for seed in SEED_REDUCED_PROJECT_NAMES):
            CommissionRate.objects.create(
                plan=plan,
                project=project,
                property_type="high_rise",
                mode=CommissionMode.PER_UNIT,
                value=Decimal("500"),
            )
    return plan


# --- approvals, payment, adjustments ---------------------------------------------------------
def _require_manager(actor) -> None:
    if user_role(actor) != Role.MANAGER:
        raise ValidationError({"non_field_errors": _("Only a channel manager can do this.")})


# What the audit log keeps of a statement before and after each decision on it.
STATEMENT_AUDIT_FIELDS = ("status", "total_amount", "approved_by", "approved_at", "paid_at")


def _statement_owner(statement: Statement) -> dict:
    """Whose statement it is, for the audit entry (a marketer's or a partner's)."""
    if statement.partner_id is not None:
        return {"partner": statement.partner_id, "period": statement.period}
    return {"staff": statement.staff_id, "period": statement.period}


def _statement_changes(*, statement: Statement, before: dict, **extra) -> dict:
    """What a decision changed on a statement (status, total, who and when), and whose it is."""
    changes = audit_diff(before, audit_snapshot(statement, STATEMENT_AUDIT_FIELDS))
    return {**changes, **_statement_owner(statement), **extra}


@transaction.atomic
def statement_approve(*, actor, statement: Statement) -> Statement:
    """Approve a draft statement; from now on it never changes. Audited: who, when."""
    _require_manager(actor)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError(
            {
                "status": _("Only a draft statement can be approved; this one is %(status)s.")
                % {"status": statement.status}
            }
        )
    before = audit_snapshot(statement, STATEMENT_AUDIT_FIELDS)
    statement.status = StatementStatus.APPROVED
    statement.approved_by = actor
    statement.approved_at = timezone.now()
    statement.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="statement.approved",
        obj=statement,
        changes=_statement_changes(statement=statement, before=before),
        summary=_("Statement %(period)s approved.") % {"period": statement.period},
    )
    return statement


@transaction.atomic
def statements_approve(*, actor, statement_ids: list[int]) -> int:
    """Approve many drafts at once (the approval screen); others are left as they are. One
    audit entry per approved statement, all in one INSERT: a constant number of queries."""
    _require_manager(actor)
    drafts = list(
        Statement.objects.select_for_update()
        .filter(pk__in=statement_ids, status=StatementStatus.DRAFT)
        .only("pk", "staff", "partner", "period", *STATEMENT_AUDIT_FIELDS)
        .order_by("pk")
    )
    if not drafts:
        return 0
    now = timezone.now()
    approved = Statement.objects.filter(pk__in=[s.pk for s in drafts]).update(
        status=StatementStatus.APPROVED, approved_by=actor, approved_at=now
    )
    entries = []
    for statement in drafts:
        before = audit_snapshot(statement, STATEMENT_AUDIT_FIELDS)
        statement.status = StatementStatus.APPROVED
        statement.approved_by_id = actor.pk
        statement.approved_at = now
        entries.append(
            audit_entry(
                actor=actor,
                action="statement.approved",
                obj=statement,
                changes=_statement_changes(statement=statement, before=before),
                summary=_("Statement %(period)s approved.") % {"period": statement.period},
            )
        )
    AuditEntry.objects.bulk_create(entries)
    return approved


@transaction.atomic
def statement_mark_paid(*, actor, statement: Statement) -> Statement:
    """Record that an approved statement was paid out, and who marked it paid."""
    _require_manager(actor)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved statement can be marked paid.")})
    before = audit_snapshot(statement, STATEMENT_AUDIT_FIELDS)
    statement.status = StatementStatus.PAID
    statement.paid_at = timezone.now()
    statement.save(update_fields=["status", "paid_at"])
    audit_record(
        actor=actor,
        action="statement.paid",
        obj=statement,
        changes=_statement_changes(statement=statement, before=before),
        summary=_("Statement %(period)s marked paid.") % {"period": statement.period},
    )
    return statement


@transaction.atomic
def statement_adjust(*, actor, statement: Statement, amount: Decimal, reason: str) -> Statement:
    """Add a manual adjustment line (with its reason) to a draft statement. Audited: who,
    the amount, the reason and the total before and after."""
    _require_manager(actor)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError({"status": _("Approved and paid statements never change.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the statement is adjusted.")})
    if amount == 0:
        raise ValidationError({"amount": _("An adjustment of 0 changes nothing.")})
    if abs(to_money(amount)) > ADJUSTMENT_LIMIT:
        raise ValidationError(
            {
                "amount": _("An adjustment is at most %(limit)s either way.")
                % {"limit": ADJUSTMENT_LIMIT}
            }
        )
    total = statement.lines.aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]
    if abs(total + to_money(amount)) > MONEY_LIMIT:
        raise ValidationError(
            {
                "amount": _(
                    "This would take the statement's total from %(total)s beyond what a "
                    "statement holds (%(limit)s either way)."
                )
                % {"total": total, "limit": MONEY_LIMIT}
            }
        )
    before = audit_snapshot(statement, STATEMENT_AUDIT_FIELDS)
    line = StatementLine.objects.create(
        statement=statement,
        kind=LineKind.ADJUSTMENT,
        amount=to_money(amount),
        description=reason.strip(),
        source=f"user:{actor.pk}",
        created_by=actor,
        position=KIND_ORDER[LineKind.ADJUSTMENT] * 1000 + statement.lines.count(),
    )
    statements_total_refresh(
        statements=Statement.objects.filter(pk=statement.pk), now=statement.computed_at
    )
    statement.refresh_from_db()
    audit_record(
        actor=actor,
        action="statement.adjusted",
        obj=statement,
        changes=_statement_changes(
            statement=statement,
            before=before,
            adjustment={"line": line.pk, "amount": line.amount, "reason": line.description},
        ),
        summary=line.description,
    )
    return statement


# --- targets (KPI) ----------------------------------------------------------------------------
def _target_subject_check(*, subject_type: str, subject_id: int | None) -> None:
    if subject_type == TargetSubject.COMPANY:
        if subject_id is not None:
            raise ValidationError({"subject_id": _("A company target has no subject id.")})
        return
    model = {"team": Team, "staff": Staff, "partner": Partner}[subject_type]
    if subject_id is None or not model.objects.filter(pk=subject_id).exists():
        raise ValidationError(
            {
                "subject_id": _("No %(type)s with this id.")
                % {"type": TargetSubject(subject_type).label}
            }
        )


def _target_scope_check(*, actor, subject_type: str, subject_id: int | None) -> None:
    """A supervisor sets targets for the teams they run and those teams' people only."""
    if user_role(actor) != Role.SUPERVISOR:
        return
    me = staff_for_user(actor)
    teams = Team.objects.filter(supervisor=me)
    allowed = (subject_type == TargetSubject.TEAM and teams.filter(pk=subject_id).exists()) or (
        subject_type == TargetSubject.STAFF
        and Staff.objects.filter(pk=subject_id, team__in=teams).exists()
    )
    if not allowed:
        raise ValidationError({"subject_id": _("Set targets for your own teams and their people.")})


def _target_value_check(*, metric: str, value: Decimal) -> None:
    if value is None or value < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    if metric in COUNT_METRICS and value != value.to_integral_value():
        raise ValidationError({"value": _("This metric counts whole units.")})


def _target_period(code: str) -> str:
    try:
        return str(parse_period(code))
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc


@transaction.atomic
def target_create(
    *,
    actor,
    metric: str,
    subject_type: str,
    period: str,
    value: Decimal,
    subject_id: int | None = None,
) -> Target:
    """Set a target for a subject and period (one per metric, subject and period)."""
    period = _target_period(period)
    _target_subject_check(subject_type=subject_type, subject_id=subject_id)
    _target_scope_check(actor=actor, subject_type=subject_type, subject_id=subject_id)
    _target_value_check(metric=metric, value=value)
    if Target.objects.filter(
        metric=metric, subject_type=subject_type, subject_id=subject_id, period=period
    ).exists():
        raise ValidationError(
            {
                "period": _(
                    "This subject already has a target for that metric "
                    "and period; change it instead."
                )
            }
        )
    return Target.objects.create(
        metric=metric,
        subject_type=subject_type,
        subject_id=subject_id,
        period=period,
        value=value,
        created_by=actor,
    )


@transaction.atomic
def target_update(*, actor, target: Target, value: Decimal) -> Target:
    """Change a target's value (its monthly parts are re-split by `target_split`); a
    supervisor only their own teams' and those teams' people's."""
    _target_scope_check(actor=actor, subject_type=target.subject_type, subject_id=target.subject_id)
    _target_value_check(metric=target.metric, value=value)
    target.value = value
    target.save(update_fields=["value"])
    return target


@transaction.atomic
def target_split(
    *, actor, target: Target, weights: list[Decimal] | None = None, by_days: bool = False
) -> list[Target]:
    """Split a quarterly or yearly target into monthly targets that add up exactly; earlier
    parts of the same target are replaced. A supervisor splits only their own teams' and
    those teams' people's targets."""
    _target_scope_check(actor=actor, subject_type=target.subject_type, subject_id=target.subject_id)
    period = parse_period(target.period)
    if period.kind not in ("quarter", "year"):
        raise ValidationError({"period": _("Only a quarter or a year splits into months.")})
    months = period.months()
    if by_days:
        weights = [Decimal(m.days) for m in months]
    try:
        values = split_target(
            target.value,
            parts=len(months),
            weights=weights,
            whole_units=target.metric in COUNT_METRICS,
        )
    except (ValueError, TypeError) as exc:
        raise ValidationError({"weights": str(exc)}) from exc
    target.parts.all().delete()
    clashes = Target.objects.filter(
        metric=target.metric,
        subject_type=target.subject_type,
        subject_id=target.subject_id,
        period__in=[str(m) for m in months],
    )
    if clashes.exists():
        raise ValidationError(
            {
                "period": _("Monthly targets already exist for %(months)s; remove them first.")
                % {"months": ", ".join(sorted(clashes.values_list("period", flat=True)))}
            }
        )
    return Target.objects.bulk_create(
        Target(
            metric=target.metric,
            subject_type=target.subject_type,
            subject_id=target.subject_id,
            period=str(month),
            value=value,
            parent=target,
            created_by=actor,
        )
        for month, value in zip(months, values, strict=True)
    )


# --- channel costs (费效) -------------------------------------------------------------------------
@transaction.atomic
def cost_record(
    *,
    actor,
    category: str,
    period: str,
    amount: Decimal,
    project=None,
    partner=None,
    note: str = "",
) -> ChannelCost:
    """Record money the channel department spent in a month."""
    try:
        month = parse_period(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if month.kind != MONTH:
        raise ValidationError({"period": _("Costs are entered per month, e.g. 2026-11.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than 0.")})
    return ChannelCost.objects.create(
        category=category,
        period=str(month),
        amount=amount,
        project=project,
        partner=partner,
        note=note,
        created_by=actor,
    )
