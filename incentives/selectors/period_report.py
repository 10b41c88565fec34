"""The weekly / monthly report (周报 / 月报) as pages, the API, the xlsx and the mail show it:
the figures (selectors.period_reports) with their change against the previous period, the
period's targets with attainment, each board's top 3 and the breakdown by source."""

from datetime import date

from django.db.models import Q

from common.access import can
from common.periods import MONTH, WEEK, Period, month_of
from incentives.choices import BoardKind, TargetSubject
from incentives.models import Target
from incentives.rules.targets import attainment_rate
from incentives.selectors.boards import leaderboard
from incentives.selectors.costs import cost_scope
from incentives.selectors.period_reports import report_figures, with_change
from incentives.selectors.plans import plans_in_force
from incentives.selectors.targets import target_actuals, target_subject_names
from sales.models import Registration, Signing, Team, Visit
from sales.selectors import staff_for_user
from sales.selectors.facts import counted_signing_q
from sales.selectors.sources import source_breakdown

WEEKLY, MONTHLY = "weekly", "monthly"
REPORT_PERIOD_KIND = {WEEKLY: WEEK, MONTHLY: MONTH}
BOARDS = {
    WEEKLY: (BoardKind.WEEKLY_VISITS,),
    MONTHLY: (
        BoardKind.MONTHLY_VISITS,
        BoardKind.MONTHLY_SIGNINGS,
        BoardKind.MONTHLY_TEAM_SIGNINGS,
    ),
}
TOP = 3


def report_scope(*, user) -> tuple[set[int] | None, set[int] | None]:
    """(projects, teams) a user's report covers: None, None for a manager (the company); a
    supervisor's teams and their projects; nothing for anyone else."""
    if can(user, "see_whole_company"):
        return None, None
    me = staff_for_user(user) if can(user, "read_period_reports") else None
    teams = set(Team.objects.filter(supervisor=me).values_list("pk", flat=True)) if me else set()
    return cost_scope(user=user), teams


def _targets(*, period: Period, today: date, team_ids: set[int] | None) -> list[dict]:
    """The period's company and team targets (the tasks) with their actual and attainment."""
    teams = Q(subject_type=TargetSubject.TEAM)
    if team_ids is not None:
        teams &= Q(subject_id__in=team_ids)
    targets = list(
        Target.objects.filter(
            Q(subject_type=TargetSubject.COMPANY) | teams, period=str(period)
        ).order_by("subject_type", "subject_id", "metric", "pk")
    )
    actuals = target_actuals(targets=targets, today=today)
    names = target_subject_names(targets=targets)
    rows = []
    for target in targets:
        actual = actuals.get(target.pk)
        rows.append(
            {
                "target": target.pk,
                "metric": target.metric,
                "metric_label": target.get_metric_display(),
                "subject_type": target.subject_type,
                "subject_id": target.subject_id,
                "subject_name": names.get((target.subject_type, target.subject_id)),
                "value": target.value,
                "actual": actual,
                "attainment": None if actual is None else attainment_rate(actual, target.value),
            }
        )
    return rows


def _boards(*, kind: str, period: Period, today: date) -> list[dict]:
    """Each board of the period, per plan in force, with its first three entries."""
    month = month_of(period.end)  # a week's awards are paid in the month of its Sunday
    boards = []
    for plan in plans_in_force(month=month):
        for board_kind in BOARDS[kind]:
            board = leaderboard(plan=plan, kind=board_kind, period=period, today=today)
            boards.append(
                {
                    "kind": board_kind,
                    "kind_label": BoardKind(board_kind).label,
                    "plan": plan.pk,
                    "plan_name": plan.name,
                    "frozen": board["frozen"],
                    "top": [
                        {
                            "rank": entry["rank"],
                            "staff": entry["staff"],
                            "staff_name": entry["staff_name"],
                            "team": entry["team"],
                            "team_name": entry["team_name"],
                            "value": entry["value"],
                            "eligible": entry["eligible"],
                        }
                        for entry in board["entries"][:TOP]
                    ],
                }
            )
    return boards


def _sources(*, period: Period, today: date, project_ids: set[int] | None) -> list[dict]:
    scope = Q() if project_ids is None else Q(project__in=project_ids)
    return source_breakdown(
        registrations=Registration.objects.filter(
            scope, registered_at__gte=period.start_at, registered_at__lt=period.end_at
        ),
        visits=Visit.objects.filter(
            scope, visited_at__gte=period.start_at, visited_at__lt=period.end_at
        ),
        signings=Signing.objects.filter(scope, counted_signing_q(period=period, computed_on=today)),
    )


def period_report(
    *,
    kind: str,
    period: Period,
    today: date,
    project_ids: set[int] | None = None,
    team_ids: set[int] | None = None,
) -> dict:
    """周报 (kind "weekly", a week) or 月报 ("monthly", a month) for the projects and teams
    given (None: every one — the company's report, as mailed to managers)."""
    scope = {"today": today, "project_ids": project_ids, "team_ids": team_ids}
    previous = period.previous()
    figures = with_change(
        report_figures(period=period, **scope), report_figures(period=previous, **scope)
    )
    return {
        "kind": kind,
        "period": str(period),
        "starts_on": period.start,
        "ends_on": period.end,
        "previous_period": str(previous),
        "company": project_ids is None,
        **figures,
        "targets": _targets(period=period, today=today, team_ids=team_ids),
        "boards": _boards(kind=kind, period=period, today=today),
        "sources": _sources(period=period, today=today, project_ids=project_ids),
    }
