"""The manager's dashboard: one month of the department at a glance, scoped to the viewer.

Every section is aggregated in PostgreSQL (GROUP BY, TruncDate in Asia/Shanghai, window
functions), so the dashboard runs the same fixed number of queries on a week or a year of data.
A manager sees the whole company; a supervisor sees the activity of the marketers of the teams
they run (sales.selectors.channel_scope), their teams' targets and projects, and the partners
(supervisors run every partner: the access table's "manage_partners").
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils.translation import gettext_lazy as _

from common.access import can
from common.models import JobRun
from common.money import ZERO
from common.periods import SHANGHAI, Period
from common.roles import Role
from incentives.choices import COUNT_METRICS, TargetMetric
from incentives.rules.targets import attainment_rate
from incentives.selectors import (
    cost_effectiveness,
    cost_scope,
    partner_scorecards,
    staffing_check,
    target_actuals,
    target_list,
)
from partners.choices import ContractStatus
from partners.models import Partner
from partners.selectors import contract_list
from portal.dashboard.sources import dashboard_sources
from sales.choices import SubscriptionStatus, VisitStatus
from sales.models import Signing, Visit
from sales.selectors import (
    facts,
    payment_list,
    registration_list,
    signing_list,
    staff_list,
    subscription_list,
    team_list,
    visit_list,
)

# Contracts whose term ends within this many days of today are listed.
EXPIRY_WINDOW_DAYS = 30
# How many marketers each end of a ranking shows.
RANKING_SIZE = 5

# The funnel counts DISTINCT CUSTOMERS who reached each step inside the month.
FUNNEL_STEPS = (
    ("registered", _("Registered (报备)")),
    ("visited", _("Visited (来访, confirmed)")),
    ("subscribed", _("Subscribed (认购)")),
    ("signed", _("Signed (签约)")),
    ("paid", _("Paid (回款)")),
)


def dashboard(*, user, month: Period, today: date) -> dict:
    """Everything the dashboard shows for one month, as the user may see it (managers and
    supervisors only: partner flags and 费效 are not scoped for other roles)."""
    if not can(user, "view_dashboard"):
        raise PermissionDenied
    is_manager = can(user, "see_whole_company")
    project_ids = cost_scope(user=user)  # None: the company; else a supervisor's projects
    days = dashboard_days(user=user, month=month, today=today)
    return {
        "month": month,
        "today": today,
        "is_manager": is_manager,
        "attainment": dashboard_attainment(user=user, month=month, today=today),
        "days": days,
        "totals": {
            "valid_visits": sum(d["valid_visits"] for d in days),
            "signings": sum(d["signings"] for d in days),
            "signing_amount": sum((d["signing_amount"] for d in days), ZERO),
        },
        "funnel": dashboard_funnel(user=user, month=month, today=today),
        "sources": dashboard_sources(user=user, month=month, today=today),
        "marketers": marketer_extremes(user=user, month=month, today=today),
        "flags": partner_flags(month=month, today=today),
        "contracts": contracts_expiring(user=user, today=today),
        "jobs": jobs_last_run() if can(user, "run_compute") else None,
        "staffing": staffing_warnings_for(project_ids=project_ids),
        "costs": costs_for(month=month, today=today, project_ids=project_ids),
    }


def _counted_signings(*, user, month: Period, today: date) -> QuerySet[Signing]:
    """Signings that count in the month: signed in it, not cancelled (退房) by today."""
    return signing_list(user=user).filter(facts.counted_signing_q(period=month, computed_on=today))


def _amount_sum() -> Sum:
    return Sum("amount", output_field=DecimalField(max_digits=16, decimal_places=2))


def _valid_visits(*, user, month: Period) -> QuerySet[Visit]:
    return visit_list(user=user).filter(facts.valid_visit_q(period=month))


def _percent(rate: Decimal | None) -> Decimal | None:
    """0.8125 → 81.3 (for display; the rate itself stays exact)."""
    return None if rate is None else (rate * 100).quantize(Decimal("0.1"))


# --- targets ------------------------------------------------------------------------------------
def dashboard_attainment(*, user, month: Period, today: date) -> dict:
    """The month's team and partner targets the user may see, with live actual and attainment
    (one GROUP BY per metric and subject type, whatever the number of targets)."""
    targets = list(
        target_list(user=user)
        .filter(period=str(month), subject_type__in=("team", "partner"))
        .order_by("subject_type", "metric", "subject_id")
    )
    actuals = target_actuals(targets=targets, today=today)
    team_ids = {t.subject_id for t in targets if t.subject_type == "team"}
    partner_ids = {t.subject_id for t in targets if t.subject_type == "partner"}
    names = {
        "team": dict(team_list(user=user).filter(pk__in=team_ids).values_list("pk", "name"))
        if team_ids
        else {},
        "partner": dict(Partner.objects.filter(pk__in=partner_ids).values_list("pk", "name"))
        if partner_ids
        else {},
    }
    result: dict[str, list[dict]] = {"teams": [], "partners": []}
    for target in targets:
        name = names[target.subject_type].get(target.subject_id)
        if name is None:  # a team outside the viewer's scope, or a deleted subject
            continue
        actual = actuals.get(target.pk)
        rate = None if actual is None else attainment_rate(actual, target.value)
        result["teams" if target.subject_type == "team" else "partners"].append(
            {
                "subject_id": target.subject_id,
                "name": name,
                "metric": target.metric,
                "metric_label": TargetMetric(target.metric).label,
                "is_money": target.metric not in COUNT_METRICS,
                "target": target.value,
                "actual": actual,
                "attainment": rate,
                "attainment_percent": _percent(rate),
            }
        )
    return result


# --- activity per day ---------------------------------------------------------------------------
def dashboard_days(*, user, month: Period, today: date) -> list[dict]:
    """Valid visits and counted signings (count and amount) on every day of the month."""
    visits = dict(
        _valid_visits(user=user, month=month)
        .annotate(day=TruncDate("visited_at", tzinfo=SHANGHAI))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    signings = {
        row["signed_on"]: row
        for row in _counted_signings(user=user, month=month, today=today)
        .order_by()
        .values("signed_on")
        .annotate(n=Count("id"), amount=Coalesce(_amount_sum(), Value(ZERO)))
    }
    rows = []
    for offset in range(month.days):
        day = month.start + timedelta(days=offset)
        signed = signings.get(day, {})
        rows.append(
            {
                "day": day,
                "valid_visits": visits.get(day, 0),
                "signings": signed.get("n", 0),
                "signing_amount": signed.get("amount", ZERO),
            }
        )
    return rows


# --- funnel -------------------------------------------------------------------------------------
def dashboard_funnel(*, user, month: Period, today: date) -> list[dict]:
    """Distinct customers reaching each step inside the month: registered, visited (a
    confirmed visit), subscribed (认购 not cancelled), signed (counted signing), paid (回款)."""
    in_month_at = {"gte": month.start_at, "lt": month.end_at}
    in_month_on = {"gte": month.start, "lte": month.end}
    distinct = Count("customer", distinct=True)
    counts = {
        "registered": registration_list(user=user)
        .filter(**{f"registered_at__{k}": v for k, v in in_month_at.items()})
        .aggregate(n=distinct)["n"],
        "visited": visit_list(user=user)
        .filter(
            status=VisitStatus.CONFIRMED,
            **{f"visited_at__{k}": v for k, v in in_month_at.items()},
        )
        .aggregate(n=distinct)["n"],
        "subscribed": subscription_list(user=user)
        .filter(**{f"subscribed_on__{k}": v for k, v in in_month_on.items()})
        .exclude(status=SubscriptionStatus.CANCELLED)
        .aggregate(n=distinct)["n"],
        "signed": _counted_signings(user=user, month=month, today=today).aggregate(n=distinct)["n"],
        "paid": payment_list(user=user)
        .filter(**{f"paid_on__{k}": v for k, v in in_month_on.items()})
        .aggregate(n=Count("signing__customer", distinct=True))["n"],
    }
    return [
        {"step": step, "label": label, "customers": counts[step]} for step, label in FUNNEL_STEPS
    ]


# --- marketers ----------------------------------------------------------------------------------
def marketer_extremes(*, user, month: Period, today: date) -> dict:
    """Top and bottom marketers of the month by signed amount and by valid visits, from ONE
    query: per-marketer subqueries ranked by window functions, filtered to the ends."""
    amount = (
        Signing.objects.filter(
            facts.counted_signing_q(period=month, computed_on=today), marketer=OuterRef("pk")
        )
        .order_by()
        .values("marketer")
        .annotate(v=_amount_sum())
        .values("v")
    )
    visits = (
        Visit.objects.filter(facts.valid_visit_q(period=month), marketer=OuterRef("pk"))
        .order_by()
        .values("marketer")
        .annotate(v=Count("id"))
        .values("v")
    )
    money = DecimalField(max_digits=16, decimal_places=2)

    def rank(*order):
        return Window(RowNumber(), order_by=[*order, F("name").asc(), F("pk").asc()])

    rows = list(
        staff_list(user=user)
        .filter(role=Role.MARKETER, hired_on__lte=month.end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=month.start))
        .annotate(
            signing_amount=Coalesce(Subquery(amount, output_field=money), Value(ZERO)),
            valid_visits=Coalesce(Subquery(visits, output_field=IntegerField()), Value(0)),
        )
        .annotate(
            amount_top=rank(F("signing_amount").desc()),
            amount_bottom=rank(F("signing_amount").asc()),
            visits_top=rank(F("valid_visits").desc()),
            visits_bottom=rank(F("valid_visits").asc()),
        )
        .filter(
            Q(amount_top__lte=RANKING_SIZE)
            | Q(amount_bottom__lte=RANKING_SIZE)
            | Q(visits_top__lte=RANKING_SIZE)
            | Q(visits_bottom__lte=RANKING_SIZE)
        )
        .values(
            "pk",
            "name",
            "team__name",
            "signing_amount",
            "valid_visits",
            "amount_top",
            "amount_bottom",
            "visits_top",
            "visits_bottom",
        )
    )

    def end(key: str) -> list[dict]:
        chosen = sorted((r for r in rows if r[key] <= RANKING_SIZE), key=lambda r: r[key])
        return [
            {
                "staff": r["pk"],
                "name": r["name"],
                "team_name": r["team__name"] or "",
                "signing_amount": r["signing_amount"],
                "valid_visits": r["valid_visits"],
            }
            for r in chosen
        ]

    return {
        "by_amount": {"top": end("amount_top"), "bottom": end("amount_bottom")},
        "by_visits": {"top": end("visits_top"), "bottom": end("visits_bottom")},
    }


# --- partners, contracts, jobs, staffing, 费效 ---------------------------------------------------
def partner_flags(*, month: Period, today: date) -> list[dict]:
    """Active partners whose month scorecard flags them for review, with the reasons."""
    cards = [card for card in partner_scorecards(period=month, today=today) if card.review]
    names = (
        dict(Partner.objects.filter(pk__in=[c.partner_id for c in cards]).values_list("pk", "name"))
        if cards
        else {}
    )
    return sorted(
        (
            {
                "partner": card.partner_id,
                "partner_name": names.get(card.partner_id, ""),
                "valid_visits": card.valid_visits,
                "signings": card.signings,
                "signed_amount": card.signed_amount,
                "target_amount": card.target_amount,
                "attainment": card.attainment,
                "attainment_percent": _percent(card.attainment),
                "reasons": list(card.review),
            }
            for card in cards
        ),
        key=lambda row: (row["partner_name"], row["partner"]),
    )


def contracts_expiring(*, user, today: date) -> list[dict]:
    """Active partner contracts ending within the next 30 days, soonest first."""
    contracts = (
        contract_list(user=user)
        .filter(
            status=ContractStatus.ACTIVE,
            end_on__gte=today,
            end_on__lte=today + timedelta(days=EXPIRY_WINDOW_DAYS),
        )
        .order_by("end_on", "pk")
    )
    return [
        {
            "contract": c.pk,
            "code": c.code,
            "partner": c.partner_id,
            "partner_name": c.partner.name,
            "end_on": c.end_on,
            "days_left": (c.end_on - today).days,
        }
        for c in contracts
    ]


def jobs_last_run() -> list[dict]:
    """Each job's latest run, the worker's heartbeat included (a correlated subquery, not
    PostgreSQL's DISTINCT ON: `make run` serves this page from SQLite)."""
    latest = JobRun.objects.filter(name=OuterRef("name")).order_by("-started_at", "-pk")
    runs = JobRun.objects.filter(pk=Subquery(latest.values("pk")[:1])).order_by("name")
    return [
        {
            "name": run.name,
            "key": run.key,
            "label": run.label,
            "status": run.status,
            "status_label": run.get_status_display(),
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "message": run.message,
        }
        for run in runs
    ]


def staffing_warnings_for(*, project_ids: set[int] | None) -> list[dict]:
    """Projects (all, or a supervisor's) whose staffing falls short of the seed's ratios."""
    return [row for row in staffing_check(project_ids=project_ids) if row["warnings"]]


def costs_for(*, month: Period, today: date, project_ids: set[int] | None) -> dict:
    """The month's 费效 per project and per partner; a supervisor (project_ids from
    cost_scope, as the API's) gets only their teams' projects' figures, no company totals."""
    return cost_effectiveness(period=month, today=today, project_ids=project_ids)
