"""The weekly and monthly report (周报 / 月报): per project and per team — registrations, visits,
valid visits, 认购, 签约 (units and amount), 回款, 按揭, spend and cost per valid visit and per
signing — with the change against the previous period, attainment against the period's
targets (the tasks), each board's top 3 and the breakdown by source.

Facts come from their one definition (sales.selectors.facts: a valid visit, a signing that
counts). Every figure is a GROUP BY over the period, so the report runs a fixed number of
queries whatever the number of projects, teams or rows. Costs are entered per month: a week's
spend is each month's spend pro rata to the week's days in that month (a week spanning two
months takes its share of each), a month's is exactly its own.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from common.money import ZERO, to_money
from common.periods import Period
from incentives.models import ChannelCost
from sales.choices import MortgageStatus, SubscriptionStatus, VisitStatus
from sales.models import (
    Mortgage,
    Payment,
    Project,
    Registration,
    Signing,
    Subscription,
    Team,
    Visit,
)
from sales.selectors.facts import counted_signing_q, valid_visit_q

COUNTS = ("registrations", "visits", "valid_visits", "subscriptions", "signings", "payments")
COUNTS += ("mortgages",)
AMOUNTS = ("subscription_amount", "signed_amount", "payment_amount", "mortgage_amount", "spend")
FIGURES = (*COUNTS, *AMOUNTS, "cost_per_valid_visit", "cost_per_signing")


def _grouped(rows, key: str, **values) -> dict:
    """{group: {name: value}} from one GROUP BY."""
    return {
        row.pop("g"): row
        for row in rows.order_by().values(g=F(key)).annotate(**values).values("g", *values)
    }


def _activity(*, period: Period, today: date, by: str, scope: Q, via_signing: Q) -> dict:
    """Every activity figure per group (``by``: "project" or "marketer__team"), 6 queries."""
    at = {"gte": period.start_at, "lt": period.end_at}
    on = {"gte": period.start, "lte": period.end}
    groups: dict = {}

    def merge(found: dict) -> None:
        for group, values in found.items():
            groups.setdefault(group, {}).update(values)

    merge(
        _grouped(
            Registration.objects.filter(
                scope, registered_at__gte=at["gte"], registered_at__lt=at["lt"]
            ),
            by,
            registrations=Count("pk"),
        )
    )
    merge(
        _grouped(
            Visit.objects.filter(
                scope,
                status=VisitStatus.CONFIRMED,
                visited_at__gte=at["gte"],
                visited_at__lt=at["lt"],
            ),
            by,
            visits=Count("pk"),
            valid_visits=Count("pk", filter=valid_visit_q()),
        )
    )
    merge(
        _grouped(
            Subscription.objects.filter(
                scope, subscribed_on__gte=on["gte"], subscribed_on__lte=on["lte"]
            ).exclude(status=SubscriptionStatus.CANCELLED),
            by,
            subscriptions=Count("pk"),
            subscription_amount=Sum("amount"),
        )
    )
    merge(
        _grouped(
            Signing.objects.filter(scope, counted_signing_q(period=period, computed_on=today)),
            by,
            signings=Count("pk"),
            signed_amount=Sum("amount"),
        )
    )
    merge(
        _grouped(
            Payment.objects.filter(via_signing, paid_on__gte=on["gte"], paid_on__lte=on["lte"]),
            f"signing__{by}",
            payments=Count("pk"),
            payment_amount=Sum("amount"),
        )
    )
    merge(
        _grouped(
            Mortgage.objects.filter(
                via_signing,
                status=MortgageStatus.DISBURSED,
                disbursed_on__gte=on["gte"],
                disbursed_on__lte=on["lte"],
            ),
            f"signing__{by}",
            mortgages=Count("pk"),
            mortgage_amount=Sum("amount"),
        )
    )
    return groups


def period_spend(*, period: Period, project_ids: set[int] | None) -> dict:
    """Spend per project (None: entered for the whole company) in the period: each month's
    costs times the share of that month's days inside the period (one query)."""
    months = {str(m): m for m in period.months()}
    costs = ChannelCost.objects.filter(period__in=months)
    if project_ids is not None:
        costs = costs.filter(project__in=project_ids)
    spend: dict = {}
    rows = costs.values("project", "period").annotate(v=Sum("amount"))
    for project, month_code, amount in rows.values_list("project", "period", "v"):
        month = months[month_code]
        inside = (min(month.end, period.end) - max(month.start, period.start)).days + 1
        spend[project] = spend.get(project, ZERO) + amount * inside / month.days
    return {project: to_money(amount) for project, amount in spend.items()}


def _complete(values: dict, spend: Decimal | None) -> dict:
    figures = {name: values.get(name) or 0 for name in COUNTS}
    figures |= {name: values.get(name) or ZERO for name in AMOUNTS if name != "spend"}
    figures["spend"] = spend
    figures["cost_per_valid_visit"] = _per(spend, figures["valid_visits"])
    figures["cost_per_signing"] = _per(spend, figures["signings"])
    return figures


def _per(amount: Decimal | None, count: int) -> Decimal | None:
    return to_money(amount / count) if amount is not None and count else None


def _change(now: dict, before: dict) -> dict:
    """Now minus before, per figure (None where either is None)."""
    return {
        name: None if now[name] is None or before[name] is None else now[name] - before[name]
        for name in FIGURES
    }


def _sum_rows(rows: list[dict], spend: Decimal | None) -> dict:
    values = {name: sum(row[name] for row in rows) for name in COUNTS}
    values |= {name: sum((row[name] for row in rows), ZERO) for name in AMOUNTS if name != "spend"}
    return _complete(values, spend)


def report_figures(
    *, period: Period, today: date, project_ids: set[int] | None, team_ids: set[int] | None
) -> dict:
    """The period's figures per project and per team, and their totals. For the whole
    company the project rows end with a company-level row (project None) holding the spend
    entered without a project, so the rows add up to the totals."""
    project_scope = Q() if project_ids is None else Q(project__in=project_ids)
    on_signing = Q() if project_ids is None else Q(signing__project__in=project_ids)
    by_project = _activity(
        period=period, today=today, by="project", scope=project_scope, via_signing=on_signing
    )
    team_scope = Q(marketer__team__isnull=False) & (
        Q() if team_ids is None else Q(marketer__team__in=team_ids)
    )
    on_team = Q(signing__marketer__team__isnull=False) & (
        Q() if team_ids is None else Q(signing__marketer__team__in=team_ids)
    )
    by_team = _activity(
        period=period, today=today, by="marketer__team", scope=team_scope, via_signing=on_team
    )
    spend = period_spend(period=period, project_ids=project_ids)
    projects = Project.objects.filter(is_active=True) | Project.objects.filter(pk__in=by_project)
    if project_ids is not None:
        projects = projects.filter(pk__in=project_ids)
    project_rows = [
        {
            "project": pk,
            "project_name": name,
            **_complete(by_project.get(pk, {}), spend.get(pk, ZERO)),
        }
        for pk, name in projects.distinct().order_by("name", "pk").values_list("pk", "name")
    ]
    if project_ids is None:
        # Costs entered for the whole company (no project) are a row of their own, so the
        # rows add up to the total to the cent; it has spend only (activity is per project).
        project_rows.append(
            {
                "project": None,
                "project_name": _("The company's own"),
                **_complete({}, spend.get(None, ZERO)),
            }
        )
    teams = Team.objects.filter(pk__in=by_team) | Team.objects.filter(project__is_active=True)
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    team_rows = [
        {
            "team": pk,
            "team_name": name,
            "project_name": project,
            **_complete(by_team.get(pk, {}), None),
        }
        for pk, name, project in teams.distinct()
        .order_by("project__name", "name", "pk")
        .values_list("pk", "name", "project__name")
    ]
    total_spend = sum(spend.values(), ZERO)
    return {
        "projects": project_rows,
        "teams": team_rows,
        "totals": _sum_rows(project_rows, total_spend),
    }


def with_change(now: dict, before: dict) -> dict:
    """The period's figures, each row with the previous period's and the change."""
    for part, key in (("projects", "project"), ("teams", "team")):
        earlier = {row[key]: row for row in before[part]}
        for row in now[part]:
            previous = earlier.get(row[key]) or _complete({}, None if key == "team" else ZERO)
            row["previous"] = {name: previous[name] for name in FIGURES}
            row["change"] = _change(row, previous)
    now["totals"]["previous"] = {name: before["totals"][name] for name in FIGURES}
    now["totals"]["change"] = _change(now["totals"], before["totals"])
    return now
