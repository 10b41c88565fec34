"""A campaign's effect (渠道营销效果): what came from it against what it cost.

Effect: registrations and visits naming the campaign (visits: confirmed; valid: the one
definition in sales.selectors.facts, so a rejected or a repeat visit is not valid), signings
whose customer came from it (sales.selectors.sources: the first contact) and still stand (a
cancelled one does not count), their amount; spend = the channel costs linked to it; cost per
valid visit and per signing; ROI = signed amount ÷ spend. Live while the campaign runs; a
closed campaign's is the snapshot it stored when it closed.

Every measure is a correlated subquery, so a list of campaigns with their effect is ONE query.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from common.money import ZERO, to_money
from common.periods import SHANGHAI
from incentives.models import ChannelCost
from sales.choices import VisitStatus
from sales.models import Campaign, Registration, Signing, Visit
from sales.selectors.facts import standing_signing_q, valid_visit_q
from sales.selectors.sources import signings_with_origin

MONEY = DecimalField(max_digits=16, decimal_places=2)
COUNTS = ("registrations", "visits", "valid_visits", "signings")
MAX_CHART_DAYS = 400  # a chart of more days than this is unreadable anyway
AMOUNTS = ("signed_amount", "spend", "cost_per_valid_visit", "cost_per_signing", "roi")


def _count(rows: QuerySet) -> Coalesce:
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sum(rows: QuerySet, field: str) -> Coalesce:
    summed = rows.order_by().annotate(v=Func(F(field), function="SUM")).values("v")
    return Coalesce(Subquery(summed, output_field=MONEY), Value(ZERO), output_field=MONEY)


def campaign_signings(*, today: date) -> QuerySet[Signing]:
    """Signings standing on ``today`` (not cancelled by then), with their origin campaign."""
    return signings_with_origin(Signing.objects.filter(standing_signing_q(computed_on=today)))


def campaigns_with_effect(campaigns: QuerySet[Campaign], *, today: date) -> QuerySet[Campaign]:
    """The campaigns annotated with their live measures (``fx_*``), in the same one query."""
    pk = OuterRef("pk")
    visits = Visit.objects.filter(campaign=pk, status=VisitStatus.CONFIRMED)
    signings = campaign_signings(today=today).filter(origin_campaign=pk)
    return campaigns.annotate(
        fx_registrations=_count(Registration.objects.filter(campaign=pk)),
        fx_visits=_count(visits),
        fx_valid_visits=_count(visits.filter(valid_visit_q())),
        fx_signings=_count(signings),
        fx_signed_amount=_sum(signings, "amount"),
        fx_spend=_sum(ChannelCost.objects.filter(campaign=pk), "amount"),
    )


def _per(amount: Decimal, count: int) -> Decimal | None:
    return to_money(amount / count) if count else None


def effect_figures(
    *,
    registrations: int,
    visits: int,
    valid_visits: int,
    signings: int,
    signed_amount: Decimal,
    spend: Decimal,
) -> dict:
    """The effect dict from its counted measures: cost per valid visit / signing and ROI
    (None where the divisor is 0)."""
    return {
        "registrations": registrations,
        "visits": visits,
        "valid_visits": valid_visits,
        "signings": signings,
        "signed_amount": to_money(signed_amount),
        "spend": to_money(spend),
        "cost_per_valid_visit": _per(spend, valid_visits),
        "cost_per_signing": _per(spend, signings),
        "roi": to_money(signed_amount / spend) if spend else None,
    }


def campaign_effect(campaign: Campaign, *, today: date) -> dict:
    """The effect a campaign shows: its frozen snapshot once closed, else live (from the
    ``fx_*`` annotations when the campaign came from ``campaigns_with_effect``)."""
    if campaign.effect_snapshot is not None:
        return effect_thawed(campaign.effect_snapshot)
    if not hasattr(campaign, "fx_spend"):
        campaign = campaigns_with_effect(Campaign.objects.filter(pk=campaign.pk), today=today).get()
    return effect_figures(
        **{name: getattr(campaign, f"fx_{name}") for name in (*COUNTS, "signed_amount", "spend")}
    )


def budget_overrun(campaign: Campaign, effect: dict) -> Decimal | None:
    """How far a campaign's spend has passed its budget; None while within it or when it has
    no budget (0). The same warning 费效 gives a project over its month's budget."""
    if not campaign.budget_amount or effect["spend"] <= campaign.budget_amount:
        return None
    return to_money(effect["spend"] - campaign.budget_amount)


def effect_frozen(effect: dict) -> dict:
    """The effect as JSON to store (money as decimal strings)."""
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in effect.items()}


def effect_thawed(snapshot: dict) -> dict:
    """A stored snapshot back as figures (money as Decimal)."""
    return {k: (Decimal(v) if k in AMOUNTS and v is not None else v) for k, v in snapshot.items()}


def campaign_days(campaign: Campaign) -> list[dict]:
    """Confirmed and valid visits naming the campaign per local day, over its dates and any
    day with such a visit outside them (the chart's x axis), in one query."""
    rows = (
        Visit.objects.filter(campaign=campaign, status=VisitStatus.CONFIRMED)
        .annotate(day=TruncDate("visited_at", tzinfo=SHANGHAI))
        .values("day")
        .annotate(visits=Count("pk"), valid=Count("pk", filter=Q(valid_visit_q())))
        .order_by("day")
        .values_list("day", "visits", "valid")
    )
    by_day = {day: (visits, valid) for day, visits, valid in rows}
    first = min([campaign.starts_on, *by_day])
    last = min(max([campaign.ends_on, *by_day]), first + timedelta(days=MAX_CHART_DAYS - 1))
    days = []
    day = first
    while day <= last:
        visits, valid = by_day.get(day, (0, 0))
        inside = campaign.starts_on <= day <= campaign.ends_on
        days.append({"day": day, "visits": visits, "valid_visits": valid, "inside": inside})
        day += timedelta(days=1)
    return days
