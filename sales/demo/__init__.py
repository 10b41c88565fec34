"""A realistic demo company for `make run`, written through the same services as the portal
and the API so the data obeys the rules.

- `org`: the company, its people and partners (`demo_company_seed`, the logins);
- `partners`: contracts, trainings, recruitment applications;
- `activity`: a quarter of registrations and visits; `deals`: 认购, 签约, 回款, 按揭, 退房;
- `appeals`: 申诉 open, upheld and not upheld;
- `pools`: the seeded names, phones, units and prices.

Targets, channel costs and the statements sit above sales (incentives.demo), which also
runs the `seed_demo` command."""

import random
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from common.roles import Role
from partners.choices import PartnerStatus
from partners.models import PartnerMember
from partners.services import partner_update
from sales.demo.activity import MARKETER_RATES, Channel, activity_seed, walk_ins_seed
from sales.demo.appeals import appeals_seed
from sales.demo.deals import cancellations_seed, deals_seed
from sales.demo.org import (
    DEMO_MARKER_CODE,
    DemoLogin,
    demo_company_seed,
    demo_is_seeded,
    demo_logins,
    demo_partners,
    demo_start,
)
from sales.demo.partners import applications_seed, contracts_seed, trainings_seed
from sales.demo.pools import Pools
from sales.models import Project, Staff
from sales.services.customers import registrations_expire

__all__ = [
    "DEMO_MARKER_CODE",
    "DemoActivity",
    "DemoLogin",
    "demo_activity_seed",
    "demo_company_seed",
    "demo_is_seeded",
    "demo_logins",
    "demo_start",
]
# Partners' visit groups a day, and where they bring them.
PARTNER_RATES = {"链家示例代理": 0.6, "我爱我家示例": 0.4, "房小二分销": 0.35}
PARTNER_PROJECTS = {"链家示例代理": None, "我爱我家示例": "jinxiu", "房小二分销": DEMO_MARKER_CODE}


@dataclass(frozen=True)
class DemoActivity:
    visits: int
    signings: int
    cancelled: int
    appeals: int


def _user(role: str):
    return Staff.objects.select_related("user").get(role=role).user


@transaction.atomic
def demo_activity_seed(*, start: date, today: date, now: datetime, seed: int = 2026):
    """From `start` to today: contracts, trainings and applications, then every day's
    registrations and visits, the deals that follow and a few 退房."""
    pools = Pools(rng=random.Random(seed))
    supervisor, secretary = _user(Role.SUPERVISOR), _user(Role.SECRETARY)
    partners = demo_partners()
    contracts = contracts_seed(actor=supervisor, partners=partners, start=start, today=today)
    trainings_seed(actor=supervisor, partners=partners, start=start, today=today)
    applications_seed(actor=supervisor)
    projects = list(Project.objects.order_by("pk"))
    marketers = Staff.objects.filter(role=Role.MARKETER).select_related("team__project", "user")
    channels = [
        Channel(
            rate=rate,
            projects=[person.team.project],
            marketer=person,
            registrar=person.user,
            active=(person.hired_on, today),
        )
        for person, rate in zip(marketers.order_by("user__username"), MARKETER_RATES, strict=True)
    ]
    for name, rate in PARTNER_RATES.items():
        partner = partners[name]
        member = PartnerMember.objects.filter(partner=partner).select_related("user").first()
        code = PARTNER_PROJECTS[name]
        channels.append(
            Channel(
                rate=rate,
                projects=[p for p in projects if code in (None, p.code)],
                partner=partner,
                registrar=member.user if member else secretary,
                active=(start, contracts.active_until[partner.pk]),
            )
        )
    log = activity_seed(
        secretary=secretary, channels=channels, start=start, today=today, now=now, pools=pools
    )
    walk_ins_seed(log=log, start=start, today=today)
    # The deals draw from a sequence of their own: how many groups came today so far (the
    # hour of seeding) must not change the quarter's deals, only today's visits.
    log.pools = Pools(rng=random.Random(seed + 1), phones=pools.phones)
    deals = deals_seed(log=log, today=today)
    cancelled = cancellations_seed(log=log, deals=deals, today=today)
    appeals = appeals_seed(manager=_user(Role.MANAGER), supervisor=supervisor)
    registrations_expire(today=today)  # what the 00:10 job has done every night
    partner_update(actor=supervisor, partner=partners["房小二分销"], status=PartnerStatus.SUSPENDED)
    return DemoActivity(
        visits=log.visits, signings=len(deals), cancelled=len(cancelled), appeals=appeals
    )
