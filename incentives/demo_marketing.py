"""The demo's channel marketing, run by `seed_demo` with the rest of the incentives side:
each month's budgets (the current month's 协成 promotion budget already overspent, so the 费效
page shows its warning), a campaign closed last month with its effect frozen, and one running
this month — each with some of its month's visits naming it and a cost spent on it."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from incentives.choices import CostCategory
from incentives.services.budgets import budget_set
from incentives.services.campaigns import campaign_finish
from incentives.services.costs import cost_record
from partners.models import Partner
from sales.choices import CampaignKind, VisitStatus
from sales.models import Project, Visit
from sales.services.campaigns import campaign_create, campaign_start
from sales.services.sources import visit_source_set

# (category, project code or None: the company, monthly budget)
BUDGETS = [
    (CostCategory.PROMOTION, "xiecheng", Decimal("60000")),
    (CostCategory.PROMOTION, "jinxiu", Decimal("100000")),
    (CostCategory.RECRUITMENT, None, Decimal("12000")),
    (CostCategory.TRAINING, None, Decimal("8000")),
    (CostCategory.MANAGEMENT, None, Decimal("30000")),
]
# This month 协成's promotion so far (45,000–75,000, sales demo) passes this on purpose.
CURRENT_XIECHENG_PROMOTION = Decimal("40000")


@dataclass(frozen=True)
class DemoCampaign:
    name: str
    kind: str
    project: str
    partner: str | None
    cost: Decimal
    visits: int


LAST_MONTH = DemoCampaign(
    "金秋样板间开放", CampaignKind.EVENT, "xiecheng", None, Decimal("18000"), 8
)
THIS_MONTH = DemoCampaign(
    "年末渠道冲刺", CampaignKind.PARTNER_INCENTIVE, "jinxiu", "链家示例代理", Decimal("12000"), 5
)


def budgets_seed(*, actor, months) -> None:
    """Every month's budgets by category, for the two projects and the company."""
    projects = {p.code: p for p in Project.objects.all()}
    for month in months.all:
        for category, code, amount in BUDGETS:
            if month == months.current and (category, code) == ("promotion", "xiecheng"):
                amount = CURRENT_XIECHENG_PROMOTION
            budget_set(
                actor=actor,
                month=str(month),
                category=category,
                amount=amount,
                project=projects.get(code),
            )


def _campaign_seed(*, actor, spec: DemoCampaign, starts_on: date, ends_on: date, rng) -> object:
    project = Project.objects.get(code=spec.project)
    partners = list(Partner.objects.filter(name=spec.partner)) if spec.partner else []
    campaign = campaign_create(
        actor=actor,
        name=spec.name,
        kind=spec.kind,
        projects=[project],
        partners=partners,
        starts_on=starts_on,
        ends_on=ends_on,
        budget_amount=spec.cost + Decimal("5000"),
        target_visits=spec.visits * 2,
        target_signings=1,
    )
    campaign_start(actor=actor, campaign=campaign)
    visits = list(
        Visit.objects.filter(
            project=project,
            status=VisitStatus.CONFIRMED,
            brought_marketer__isnull=False,
            visited_at__date__gte=starts_on,
            visited_at__date__lte=ends_on,
        ).order_by("visited_at", "pk")
    )
    for visit in rng.sample(visits, min(spec.visits, len(visits))):
        visit_source_set(actor=actor, visit=visit, source="campaign", campaign=campaign)
    cost_record(
        actor=actor,
        category=CostCategory.PROMOTION,
        period=starts_on.strftime("%Y-%m"),
        amount=spec.cost,
        project=project,
        campaign=campaign,
        note=spec.name,
    )
    return campaign


def campaigns_seed(*, actor, months, seed: int) -> None:
    """Last month's campaign (closed: its effect frozen) and this month's (running)."""
    rng = random.Random(seed + 17)  # its own stream: the rest of the demo stays as it was
    if months.closed:
        last = months.closed[-1]
        closed = _campaign_seed(
            actor=actor,
            spec=LAST_MONTH,
            starts_on=last.start + timedelta(days=7),
            ends_on=last.start + timedelta(days=20),
            rng=rng,
        )
        campaign_finish(actor=actor, campaign=closed)
    _campaign_seed(
        actor=actor,
        spec=THIS_MONTH,
        starts_on=months.current.start,
        ends_on=months.current.end,
        rng=rng,
    )
