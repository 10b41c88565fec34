"""The 费效 page's figures for one month: budget against actual, and cost per valid visit and
per signing by project, partner, campaign and source — scoped as 费效 is (cost_scope)."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from common.money import ZERO, to_money
from common.periods import Period
from incentives.models import ChannelCost
from incentives.selectors.budgets import budget_vs_actual
from incentives.selectors.campaigns import campaign_effect, campaigns_with_effect
from incentives.selectors.costs import cost_effectiveness, cost_scope
from sales.choices import CustomerSource
from sales.models import Registration, Signing, Visit
from sales.selectors.campaigns import campaign_list
from sales.selectors.facts import counted_signing_q
from sales.selectors.sources import source_breakdown


def _per(amount: Decimal | None, count: int) -> Decimal | None:
    return to_money(amount / count) if amount is not None and count else None


def _source_rows(*, period: Period, today: date, project_ids: set[int] | None) -> list[dict]:
    """Activity by source, with the spend that belongs to a source: costs linked to a
    campaign are the campaign source's, costs linked to a partner (and no campaign) the
    partner source's; other spend (recruitment, training, management) belongs to none."""
    registrations = Registration.objects.filter(
        registered_at__gte=period.start_at, registered_at__lt=period.end_at
    )
    visits = Visit.objects.filter(visited_at__gte=period.start_at, visited_at__lt=period.end_at)
    signings = Signing.objects.filter(counted_signing_q(period=period, computed_on=today))
    costs = ChannelCost.objects.filter(period__in=[str(m) for m in period.months()])
    if project_ids is not None:
        registrations = registrations.filter(project__in=project_ids)
        visits = visits.filter(project__in=project_ids)
        signings = signings.filter(project__in=project_ids)
        costs = costs.filter(project__in=project_ids)
    spend = {
        CustomerSource.CAMPAIGN: costs.filter(campaign__isnull=False).aggregate(v=Sum("amount"))[
            "v"
        ]
        or ZERO,
        CustomerSource.PARTNER: costs.filter(
            campaign__isnull=True, partner__isnull=False
        ).aggregate(v=Sum("amount"))["v"]
        or ZERO,
    }
    rows = source_breakdown(registrations=registrations, visits=visits, signings=signings)
    for row in rows:
        row["spend"] = spend.get(row["source"])
        row["cost_per_valid_visit"] = _per(row["spend"], row["valid_visits"])
        row["cost_per_signing"] = _per(row["spend"], row["signings"])
    return rows


def _campaign_rows(*, user, period: Period, today: date) -> list[dict]:
    """Campaigns whose dates meet the month, each with its effect (to date, or frozen)."""
    campaigns = campaign_list(user=user).filter(
        starts_on__lte=period.end, ends_on__gte=period.start
    )
    return [
        {"campaign": campaign, **campaign_effect(campaign, today=today)}
        for campaign in campaigns_with_effect(campaigns.order_by("starts_on", "pk"), today=today)
    ]


def cost_report(*, user, period: Period, today: date) -> dict:
    """Everything the 费效 page shows for the month, as the user may see it."""
    project_ids = cost_scope(user=user)
    return {
        "period": period,
        "budget": budget_vs_actual(period=period, project_ids=project_ids),
        "costs": cost_effectiveness(period=period, today=today, project_ids=project_ids),
        "campaigns": _campaign_rows(user=user, period=period, today=today),
        "sources": _source_rows(period=period, today=today, project_ids=project_ids),
    }
