"""The period compute: one entry point, `period_compute`, for the beat jobs, the management
command and the API.

A period is computed under a Postgres advisory lock and statements are unique per (staff,
month), so a repeated or concurrent run pays once. Work two periods share takes its own lock
(see `board_freeze` and the ledger's clawbacks).
"""

import logging
from collections import defaultdict
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.locks import advisory_xact_lock
from common.models import JobRun
from common.money import ZERO
from common.periods import MONTH, WEEK, Period, local_date, month_of
from incentives.choices import BoardKind, LineKind
from incentives.models import IncentivePlan, Statement
from incentives.rules import ExplainedLine as Line
from incentives.rules import (
    PlanRules,
    RankedRow,
    award_lines,
    base_salary_line,
    commission_line,
    milestone_reached_on,
    partner_commission_line,
    referral_bonus_line,
    team_award_lines,
    visit_incentive_lines,
)
from incentives.selectors.activity import (
    MonthVisitFacts,
    month_visit_facts,
    referral_facts,
    signing_facts,
    team_award_facts,
)
from incentives.selectors.boards import board_compute
from incentives.selectors.coverage import plan_coverage
from incentives.selectors.partner_commission import (
    contract_in_force,
    partner_contract_terms,
    partner_signing_facts,
)
from incentives.selectors.plans import (
    employments,
    plan_marketers,
    plan_project_ids,
    plan_rules,
    plans_in_force,
)
from incentives.services.boards import board_freeze
from incentives.services.compute_jobs import compute_run_finish, compute_run_start, compute_target
from incentives.services.drafts import statements_store
from incentives.services.ledger import (
    DONE,
    clawbacks_due,
    promotions_store,
    statements_uncovered_remove,
)
from incentives.services.summary import ComputeSummary

logger = logging.getLogger(__name__)


def period_compute(
    *, period: str, now: datetime | None = None, run_id: int | None = None
) -> ComputeSummary:
    """Compute a week (its leaderboard) or a month (boards and draft statements); safe to run
    twice or from two workers at once. `run_id`: the queued job run to report to."""
    now = now or timezone.now()
    today = local_date(now)
    try:
        target = compute_target(period, today=today)
    except ValidationError as exc:
        if run_id is not None:
            compute_run_finish(
                run_id=run_id, status=JobRun.Status.FAILED, message=" ".join(exc.messages), facts={}
            )
        raise
    run = compute_run_start(key=str(target), now=now, run_id=run_id)
    try:
        summary = _compute_locked(target=target, today=today, now=now)
    except Exception as exc:
        compute_run_finish(run_id=run, status=JobRun.Status.FAILED, message=str(exc), facts={})
        raise
    compute_run_finish(
        run_id=run,
        status=JobRun.Status.SUCCEEDED,
        message=summary.text(),
        facts={"summary": summary.facts()},
    )
    logger.info("computed %s", summary.text())
    return summary


@transaction.atomic
def _compute_locked(*, target: Period, today: date, now: datetime) -> ComputeSummary:
    advisory_xact_lock(f"incentives:compute:{target}")
    summary = ComputeSummary(period=str(target))
    month = target if target.kind == MONTH else month_of(target.end)
    plans = plans_in_force(month=month)
    summary.coverage = plan_coverage(period=target, computed_on=today, plans=plans)
    # A statement is one per (staff, month) whatever the plan: each marketer's lines are
    # gathered over all plans first and stored once, so no plan's store replaces another's.
    month_lines: dict[int, list[Line]] = {}
    plan_of: dict[int, IncentivePlan] = {}
    for plan in plans:
        summary.plans += 1
        rules = plan_rules(plan=plan)
        if target.kind == WEEK:
            if target.end < today:
                board_freeze(
                    plan=plan,
                    rules=rules,
                    kind=BoardKind.WEEKLY_VISITS,
                    period=target,
                    computed_on=today,
                    replace=not _month_settled(plan, month_of(target.end)),
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
        uncovered = statements_store(
            month=target, lines=month_lines, plans=plan_of, now=now, summary=summary
        )
        # Whom no plan covers any more (a plan let go of their project, they left their
        # team) loses the month's draft; approved and paid statements stay as they are.
        summary.statements_removed = statements_uncovered_remove(statements=uncovered)
        _partner_month_compute(month=target, today=today, now=now, summary=summary)
    return summary


def _partner_month_compute(
    *, month: Period, today: date, now: datetime, summary: ComputeSummary
) -> None:
    """Partners' commission statements: each signing credited to a partner pays per the
    contract in force on its signing date, in the month its milestone is reached."""
    lines: dict[int, list[Line]] = defaultdict(list)
    facts = partner_signing_facts(month=month, computed_on=today)
    contracts = partner_contract_terms(partner_ids={f.partner_id for f in facts})
    for fact in facts:
        terms = contract_in_force(contracts.get(fact.partner_id, []), on=fact.signing.signed_on)
        if terms is None:
            if month.contains(fact.signing.signed_on):
                text = (
                    f"{fact.signing.label}: no contract in force on "
                    f"{fact.signing.signed_on}, no commission"
                )
                facts = fact.signing.facts
                code = "partner_commission.no_contract"
                lines[fact.partner_id].append(
                    Line(LineKind.COMMISSION, ZERO, text, fact.signing.source, code, facts)
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
    for partner_id, clawback in clawbacks_due(
        owner="partner", owners=Q(statement__partner__isnull=False), month=month, today=today
    ):
        lines[partner_id].append(clawback)
    if lines:
        statements_store(month=month, lines=lines, now=now, summary=summary, owner="partner")


def _month_settled(plan: IncentivePlan, month: Period) -> bool:
    """Whether any statement of the month is approved or paid: its boards are then final."""
    return Statement.objects.filter(plan=plan, period=str(month), status__in=DONE).exists()


def _month_boards(
    *,
    plan: IncentivePlan,
    rules: PlanRules,
    month: Period,
    today: date,
    now: datetime,
    summary: ComputeSummary,
    visits: MonthVisitFacts,
) -> dict[str, tuple[RankedRow, ...]]:
    """The month's boards (and those of its weeks): frozen when closed, else live."""
    replace = not _month_settled(plan, month)
    visit_counts = _board_visit_counts(month=month, visits=visits)
    boards: dict[str, tuple[RankedRow, ...]] = {}
    for kind, period in _board_periods(month):
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
            boards[key] = board_compute(
                plan=plan,
                rules=rules,
                kind=kind,
                period=period,
                computed_on=today,
                visit_counts=visit_counts.get(key),
            )
    return boards


def _board_periods(month: Period) -> list[tuple[str, Period]]:
    """The boards a month's statement lines are paid from: its weeks' and its own."""
    return [(BoardKind.WEEKLY_VISITS, week) for week in month.weeks()] + [
        (kind, month)
        for kind in (
            BoardKind.MONTHLY_VISITS,
            BoardKind.MONTHLY_SIGNINGS,
            BoardKind.MONTHLY_TEAM_SIGNINGS,
        )
    ]


def _board_visit_counts(*, month: Period, visits: MonthVisitFacts) -> dict[str, dict[int, int]]:
    return {f"{BoardKind.MONTHLY_VISITS}:{month}": visits.monthly} | {
        f"{BoardKind.WEEKLY_VISITS}:{week}": counts for week, counts in visits.weekly.items()
    }


def plan_month_lines(
    *, plan: IncentivePlan, rules: PlanRules, month: Period, today: date
) -> dict[int, list[Line]]:
    """The compute's read part, writing nothing (the what-if runs it with a changed plan):
    each plan marketer's lines over the same facts as `_month_compute`, every board ranked
    live by `rules` (the compute keeps a settled month's frozen boards: the same rows unless
    the data changed since)."""
    visits = month_visit_facts(plan=plan, month=month)
    visit_counts = _board_visit_counts(month=month, visits=visits)
    boards = {
        f"{kind}:{period}": board_compute(
            plan=plan,
            rules=rules,
            kind=kind,
            period=period,
            computed_on=today,
            visit_counts=visit_counts.get(f"{kind}:{period}"),
        )
        for kind, period in _board_periods(month)
    }
    return _statement_lines(
        plan=plan,
        rules=rules,
        month=month,
        today=today,
        marketers=plan_marketers(plan=plan, period=month),
        boards=boards,
        visits_by_type=visits.by_type,
    )


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
    visits = month_visit_facts(plan=plan, month=month)
    boards = _month_boards(
        plan=plan,
        rules=rules,
        month=month,
        today=today,
        now=now,
        summary=summary,
        visits=visits,
    )
    marketers = plan_marketers(plan=plan, period=month)
    lines = _statement_lines(
        plan=plan,
        rules=rules,
        month=month,
        today=today,
        marketers=marketers,
        boards=boards,
        visits_by_type=visits.by_type,
    )
    summary.promotions += promotions_store(plan=plan, rules=rules, month=month, boards=boards)
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
    for employment in employments(marketers=marketers):
        lines[employment.staff_id]  # every marketer gets a statement, even an empty one
        salary = base_salary_line(rules, employment=employment, month=month)
        if salary is not None:
            lines[employment.staff_id].append(salary)
    for staff_id, counts in visits_by_type.items():
        if staff_id not in lines:
            continue  # visits credited to someone outside the month's population
        lines[staff_id] += visit_incentive_lines(rules, month=month, counts_by_type=counts)
    for staff_id, facts in signing_facts(marketers=marketers, month=month, computed_on=today):
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
    teams = team_award_facts(marketers=marketers, month=month, rows=team_board)
    awards.append(team_award_lines(rules, month=month, teams=teams, rows=team_board))
    for part in awards:
        for staff_id, staff_lines in part.items():
            lines[staff_id] += staff_lines
    for referral in referral_facts(marketers=marketers, month=month):
        bonus = referral_bonus_line(rules, referral=referral, month=month)
        if bonus is not None:
            lines[referral.referrer_id].append(bonus)
    # Commission paid under any plan version is clawed back by the plan now in force for
    # the marketer's project (a marketer's team is in one project, so in one plan).
    owners = Q(statement__staff__team__project__in=plan_project_ids(plan=plan))
    for staff_id, clawback in clawbacks_due(owner="staff", owners=owners, month=month, today=today):
        lines[staff_id].append(clawback)
    return lines
