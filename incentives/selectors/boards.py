"""Leaderboards: frozen snapshots of closed periods, live figures of open ones, and the board
as pages and the API show it."""

from collections import defaultdict
from datetime import date

from django.db.models import F, Q
from django.utils.translation import gettext as _

from common.periods import Period
from incentives.choices import BoardKind, TargetMetric, TargetSubject
from incentives.explanations import entry_text
from incentives.models import IncentivePlan, Leaderboard, Target
from incentives.rules import (
    PlanRules,
    RankedRow,
    monthly_visit_ranking,
    signing_ranking,
    team_ranking,
    weekly_visit_ranking,
)
from incentives.selectors.activity import signed_amounts, team_facts, valid_visit_counts
from incentives.selectors.plans import plan_marketers, plan_project_ids, plan_rules, plans_in_force
from sales.models import Staff, Team


def frozen_board(*, plan: IncentivePlan, kind: str, period: str) -> Leaderboard | None:
    return Leaderboard.objects.filter(plan=plan, kind=kind, period=period).first()


def top_months(
    *, plan: IncentivePlan, kind: str, months: list[Period], top_n: int
) -> dict[int, set[Period]]:
    """Months (from frozen boards) in which each marketer ranked within the top N, under this
    plan or an earlier version for any of its projects (a new version keeps the streak); the
    default plan, naming no project, paid any of them too."""
    by_code = {str(m): m for m in months}
    versions = IncentivePlan.objects.filter(
        Q(projects__in=plan_project_ids(plan=plan)) | Q(projects__isnull=True)
    )
    rows = (
        Leaderboard.objects.filter(plan__in=versions.values("pk"), kind=kind, period__in=by_code)
        .filter(entries__is_eligible=True, entries__rank__lte=top_n)
        .values_list("period", "entries__staff")
    )
    result: dict[int, set[Period]] = defaultdict(set)
    for code, staff in rows:
        result[staff].add(by_code[code])
    return result


def board_compute(
    *,
    plan: IncentivePlan,
    rules: PlanRules,
    kind: str,
    period: Period,
    computed_on: date,
    visit_counts: dict[int, int] | None = None,
) -> tuple[RankedRow, ...]:
    """Rank a board from the data as it stands (every plan marketer listed, zero or not);
    visit boards may be given counts already aggregated (see month_visit_facts)."""
    marketers = plan_marketers(plan=plan, period=period)
    if kind == BoardKind.MONTHLY_TEAM_SIGNINGS:
        teams = team_facts(plan=plan, marketers=marketers, month=period, computed_on=computed_on)
        return team_ranking(rules, month=period, teams=teams)
    everyone = dict.fromkeys(marketers.values_list("pk", flat=True), 0)
    if kind == BoardKind.MONTHLY_SIGNINGS:
        amounts = signed_amounts(marketers=marketers, month=period, computed_on=computed_on)
        return signing_ranking(rules, month=period, amounts={**everyone, **amounts})
    if visit_counts is None:
        visit_counts = valid_visit_counts(marketers=marketers, period=period)
    counts = {**everyone, **{k: v for k, v in visit_counts.items() if k in everyone}}
    tasks = staff_visit_tasks(period=period)
    if kind == BoardKind.WEEKLY_VISITS:
        return weekly_visit_ranking(rules, week=period, counts=counts, tasks=tasks)
    return monthly_visit_ranking(rules, month=period, counts=counts, tasks=tasks)


def staff_visit_tasks(*, period: Period) -> dict[int, int]:
    """Marketers' own visit tasks for a week or month: their valid-visits targets for exactly
    that period (one query). Without one, a marketer's task is the plan's threshold."""
    return {
        staff_id: int(value)
        for staff_id, value in Target.objects.filter(
            metric=TargetMetric.VALID_VISITS, subject_type=TargetSubject.STAFF, period=str(period)
        ).values_list("subject_id", "value")
    }


def board_rows_of(board: Leaderboard) -> tuple[RankedRow, ...]:
    return tuple(
        RankedRow(
            subject_id=e.team_id or e.staff_id,
            value=e.value,
            is_eligible=e.is_eligible,
            rank=e.rank,
            prize_amount=e.prize_amount,
            explanation=e.explanation,
            code=e.facts.get("code", ""),
            params={k: v for k, v in e.facts.items() if k != "code"},
        )
        for e in board_entries(board)
    )


def board_entries(board: Leaderboard):
    """A frozen board's entries as ranked: the unranked after the ranked on every database
    (SQLite sorts NULL first, PostgreSQL last)."""
    return board.entries.order_by(F("rank").asc(nulls_last=True), "-value", "id")


def board_rows(
    *, plan: IncentivePlan, kind: str, period: Period, today: date
) -> tuple[tuple[RankedRow, ...], bool]:
    """A board for display: the frozen snapshot of a closed period, else live figures."""
    board = frozen_board(plan=plan, kind=kind, period=str(period))
    if board is not None:
        return board_rows_of(board), True
    rules = plan_rules(plan=plan)
    return board_compute(plan=plan, rules=rules, kind=kind, period=period, computed_on=today), False


def plan_for_board(*, month: Period, plan_id: int | None) -> IncentivePlan | None:
    """The plan a board is asked for; without an id, the only plan in force (else None)."""
    plans = plans_in_force(month=month)
    if plan_id is not None:
        return next((p for p in plans if p.pk == plan_id), None)
    return plans[0] if len(plans) == 1 else None


def team_label(*, name: str, project: str) -> str:
    """A team with its project ("A组 · 协成"): two projects may both have an "A组"."""
    return _("%(team)s · %(project)s") % {"team": name, "project": project}


def leaderboard(*, plan: IncentivePlan, kind: str, period: Period, today: date) -> dict:
    """A board as the API and pages show it, with names (two lookups, whatever its size)."""
    rows, frozen = board_rows(plan=plan, kind=kind, period=period, today=today)
    is_team = kind == BoardKind.MONTHLY_TEAM_SIGNINGS
    ids = {row.subject_id for row in rows}
    staff = (
        {}
        if is_team
        else {
            pk: (name, team)
            for pk, name, team in Staff.objects.filter(pk__in=ids).values_list(
                "pk", "name", "team_id"
            )
        }
    )
    team_ids = ids if is_team else {team for _name, team in staff.values() if team}
    teams = {
        pk: team_label(name=name, project=project)
        for pk, name, project in Team.objects.filter(pk__in=team_ids).values_list(
            "pk", "name", "project__name"
        )
    }
    entries = []
    said: dict[tuple, str] = {}  # entries with the same facts read the same: render once
    for row in rows:
        facts = (row.code, *row.params.items())
        explanation = said.get(facts)
        if explanation is None:
            explanation = said[facts] = entry_text(row)
        team_id = row.subject_id if is_team else staff.get(row.subject_id, (None, None))[1]
        entries.append(
            {
                "rank": row.rank,
                "staff": None if is_team else row.subject_id,
                "staff_name": None if is_team else staff.get(row.subject_id, ("", None))[0],
                "team": team_id,
                "team_name": teams.get(team_id),
                "value": row.value,
                "eligible": row.is_eligible,
                "prize": row.prize_amount,
                "explanation": explanation,
            }
        )
    return {
        "kind": kind,
        "period": str(period),
        "plan": plan.pk,
        "frozen": frozen,
        "entries": entries,
    }
