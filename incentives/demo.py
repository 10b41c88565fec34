"""The demo's incentives side, run by `seed_demo` after the sales activity (sales.demo):
the plan's rates for every property type, targets (company, team, marketer, partner) for
each month of the demo and the current quarter (split into its months), channel costs for
every month, budgets and campaigns (incentives.demo_marketing), and the months' statements
— the oldest paid, the next approved, last month's drafts waiting for the manager — each
computed as the 1st-of-the-month job would have.

It lives in `incentives` because that app sits above sales and partners and needs both."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from common.periods import SHANGHAI, Period, month_of, quarter_of, week_of
from common.roles import Role
from incentives.choices import CostCategory, StatementStatus, TargetMetric, TargetSubject
from incentives.demo_marketing import budgets_seed, campaigns_seed
from incentives.models import IncentivePlan, Statement
from incentives.selectors.plans import default_plan
from incentives.services.compute import period_compute
from incentives.services.costs import cost_record
from incentives.services.plans import (
    plan_create_default,
    plan_seed_exceptions,
    plan_update,
)
from incentives.services.statements import statement_mark_paid, statements_approve
from incentives.services.summary import ComputeSummary
from incentives.services.targets import target_create, target_split
from partners.models import Partner, TrainingSession
from sales.models import Project, Staff, Team

# What each subject is asked for in a month (a quarter asks for three months' worth).
COMPANY_MONTH = {
    TargetMetric.SIGNING_AMOUNT: Decimal("75000000"),
    TargetMetric.SIGNED_UNITS: Decimal("22"),
    TargetMetric.VALID_VISITS: Decimal("380"),
    TargetMetric.PAYMENTS: Decimal("28000000"),
    TargetMetric.REGISTRATIONS: Decimal("340"),
}
COMPANY_NEW_PARTNERS_PER_QUARTER = Decimal("2")
TEAM_MONTH = {  # by (project code, team name)
    ("xiecheng", "A组"): {"signing_amount": "15000000", "valid_visits": "140"},
    ("xiecheng", "B组"): {"signing_amount": "12000000", "valid_visits": "110"},
    ("jinxiu", "A组"): {"signing_amount": "35000000", "valid_visits": "100"},
}
PARTNER_MONTH = {
    "链家示例代理": {"signing_amount": "4000000", "registrations": "15"},
    "我爱我家示例": {"signing_amount": "3000000", "registrations": "10"},
}
# The seed's visit tasks (every marketer): 20 valid groups a month, 10 a week.
MONTHLY_VISIT_TASK, WEEKLY_VISIT_TASK = Decimal("20"), Decimal("10")
# Garden houses and villas are "set separately" (SPEC): the demo's manager has set them.
PLAN_NUMBERS = {
    "visit_incentive_garden_house": Decimal("30"),
    "visit_incentive_villa": Decimal("50"),
}
RATES = [
    {"project": None, "property_type": "high_rise", "mode": "per_unit", "value": Decimal("1000")},
    {
        "project": None,
        "property_type": "garden_house",
        "mode": "per_unit",
        "value": Decimal("1500"),
    },
    {"project": None, "property_type": "villa", "mode": "percent", "value": Decimal("0.20")},
]
# (category, project code or None, partner name or None, low, high, note) for a month's costs.
COSTS = [
    (CostCategory.PROMOTION, "xiecheng", None, 45_000, 75_000, "周末暖场活动与朋友圈广告"),
    (CostCategory.PROMOTION, "jinxiu", None, 70_000, 120_000, "样板间开放日及线上投放"),
    (CostCategory.PROMOTION, None, "链家示例代理", 10_000, 20_000, "门店带看激励"),
    (CostCategory.RECRUITMENT, None, None, 6_000, 15_000, "渠道招募宣传及资质核查"),
    (CostCategory.MANAGEMENT, None, None, 25_000, 32_000, "渠道部日常管理费用"),
]
TRAINING_COST = (3_000, 6_000, "培训场地与资料印制")


@dataclass(frozen=True)
class Months:
    """The demo's closed months (oldest first) and the current one."""

    closed: list[Period]
    current: Period

    @classmethod
    def of(cls, *, start: date, today: date) -> "Months":
        closed, month = [], month_of(start)
        while month.end < today and month != month_of(today):
            closed.append(month)
            month = month.next()
        return cls(closed=closed, current=month_of(today))

    @property
    def all(self) -> list[Period]:
        return [*self.closed, self.current]


def demo_plan_prepare() -> IncentivePlan:
    """The default plan (incentives 0008) pays the demo's projects; the seed's per-project
    exceptions are commission rates on it."""
    plan = default_plan() or plan_create_default(
        name="默认奖励方案", effective_from=date(2020, 1, 1), projects=[]
    )
    plan_seed_exceptions(plan=plan, projects=Project.objects.all())
    return plan


def _manager():
    return Staff.objects.select_related("user").get(role=Role.MANAGER).user


@transaction.atomic
def demo_incentives_seed(*, start: date, today: date, now: datetime, seed: int = 2026):
    """Plan rates, targets, costs, then the months' statements; returns the computes."""
    rng = random.Random(seed)
    manager = _manager()
    plan = demo_plan_prepare()
    exceptions = [
        {"project": r.project, "property_type": r.property_type, "mode": r.mode, "value": r.value}
        for r in plan.commission_rates.filter(project__isnull=False)
    ]
    plan_update(plan=plan, commission_rates=[*RATES, *exceptions], **PLAN_NUMBERS)
    months = Months.of(start=start, today=today)
    targets_seed(actor=manager, months=months, today=today)
    costs_seed(actor=manager, months=months, rng=rng)
    budgets_seed(actor=manager, months=months)
    campaigns_seed(actor=manager, months=months, seed=seed)
    return statements_seed(actor=manager, months=months, today=today, now=now)


# --- targets ----------------------------------------------------------------------------------
def _subjects() -> list[tuple[str, int | None, dict]]:
    """(subject type, id, monthly values by metric) for the company, teams and partners."""
    subjects = [(TargetSubject.COMPANY, None, COMPANY_MONTH)]
    for team in Team.objects.select_related("project").order_by("pk"):
        values = TEAM_MONTH.get((team.project.code, team.name), {})
        subjects.append((TargetSubject.TEAM, team.pk, values))
    for partner in Partner.objects.filter(name__in=PARTNER_MONTH).order_by("pk"):
        subjects.append((TargetSubject.PARTNER, partner.pk, PARTNER_MONTH[partner.name]))
    return subjects


def targets_seed(*, actor, months: Months, today: date) -> None:
    """The current quarter is set as a quarter and split into its months (the company's by
    days); months before it are set one by one, and so is a quarter they fully cover."""
    quarter = quarter_of(today)
    for subject_type, subject_id, values in _subjects():
        for metric, monthly in values.items():
            monthly = Decimal(monthly)
            subject = {"actor": actor, "metric": metric, "subject_type": subject_type}
            target = target_create(
                **subject, subject_id=subject_id, period=str(quarter), value=monthly * 3
            )
            by_days = subject_type == TargetSubject.COMPANY
            target_split(actor=actor, target=target, by_days=by_days)
            earlier = [m for m in months.closed if m.end < quarter.start]
            for month in earlier:
                target_create(**subject, subject_id=subject_id, period=str(month), value=monthly)
            for past in _whole_quarters(earlier):
                target_create(**subject, subject_id=subject_id, period=str(past), value=monthly * 3)
    target_create(
        actor=actor,
        metric=TargetMetric.NEW_PARTNERS,
        subject_type=TargetSubject.COMPANY,
        period=str(quarter),
        value=COMPANY_NEW_PARTNERS_PER_QUARTER,
    )
    weeks = [week_of(today).previous(), week_of(today)]
    for marketer in Staff.objects.filter(role=Role.MARKETER).order_by("pk"):
        task = {
            "actor": actor,
            "metric": TargetMetric.VALID_VISITS,
            "subject_type": TargetSubject.STAFF,
            "subject_id": marketer.pk,
        }
        for month in months.all:
            if month.end >= marketer.hired_on:
                target_create(**task, period=str(month), value=MONTHLY_VISIT_TASK)
        for week in weeks:
            target_create(**task, period=str(week), value=WEEKLY_VISIT_TASK)


def _whole_quarters(months: list[Period]) -> list[Period]:
    quarters = {quarter_of(m.start) for m in months}
    return sorted(
        (q for q in quarters if all(m in months for m in q.months())), key=lambda q: q.start
    )


# --- channel costs ----------------------------------------------------------------------------
def costs_seed(*, actor, months: Months, rng: random.Random) -> None:
    """Each month's spending by category, project and partner; the current month so far has
    its management costs and a first promotion bill."""
    projects = {p.code: p for p in Project.objects.all()}
    partners = {p.name: p for p in Partner.objects.all()}
    for month in months.all:
        rows = COSTS if month in months.closed else [COSTS[0], COSTS[-1]]
        for category, code, partner_name, low, high, note in rows:
            cost_record(
                actor=actor,
                category=category,
                period=str(month),
                amount=Decimal(rng.randrange(low, high, 100)),
                project=projects.get(code),
                partner=partners.get(partner_name),
                note=note,
            )
        held = TrainingSession.objects.filter(held_on__gte=month.start, held_on__lte=month.end)
        for session in held:
            cost_record(
                actor=actor,
                category=CostCategory.TRAINING,
                period=str(month),
                amount=Decimal(rng.randrange(TRAINING_COST[0], TRAINING_COST[1], 100)),
                note=f"{session.title}：{TRAINING_COST[2]}",
            )


# --- statements -------------------------------------------------------------------------------
def _job_time(month: Period) -> datetime:
    """When the 1st-of-the-month job computed a month: 02:00 on the next month's first day."""
    return datetime.combine(month.end + timedelta(days=1), time(2), tzinfo=SHANGHAI)


def statements_seed(*, actor, months: Months, today: date, now: datetime) -> list[ComputeSummary]:
    """Every closed month computed as its job did; the oldest approved and paid, the next
    approved (to be paid), the last one's drafts waiting for approval, then the ended weeks
    of the current month (their boards are frozen by the Monday job)."""
    summaries = []
    for index, month in enumerate(months.closed):
        last = index == len(months.closed) - 1
        summaries.append(period_compute(period=str(month), now=now if last else _job_time(month)))
        if last:
            break
        drafts = Statement.objects.filter(period=str(month), status=StatementStatus.DRAFT)
        statements_approve(actor=actor, statement_ids=list(drafts.values_list("pk", flat=True)))
        if index < len(months.closed) - 2:
            for statement in Statement.objects.filter(period=str(month)).order_by("pk"):
                statement_mark_paid(actor=actor, statement=statement)
    for week in months.current.weeks():
        if week.end < today:
            summaries.append(period_compute(period=str(week), now=now))
    return summaries
