"""A realistic demo company for `make run`: two projects (one of them 协成), three teams,
fifteen marketers, consultants, a secretary, a supervisor, a manager and a partner user."""

import contextlib
import logging
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from common.periods import SHANGHAI
from common.roles import Role
from partners.choices import CreditRating, PartnerKind, PartnerStatus
from partners.models import Partner, PartnerMember
from partners.services import partner_member_create
from partners.validators import credit_code_check_char
from sales.choices import StaffLevel, VisitStatus
from sales.models import Project, Staff, Team
from sales.services import staff_create
from sales.services.customers import registration_create
from sales.services.deals import mortgage_record, payment_record, signing_cancel, signing_record
from sales.services.visits import visit_record

logger = logging.getLogger(__name__)

DEMO_MARKER_CODE = "xiecheng"
MARKETER_NAMES = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨磊",
    "赵敏",
    "黄强",
    "周婷",
    "吴刚",
    "徐丽",
    "孙浩",
    "马超",
    "朱琳",
    "胡军",
]
LEVELS = [StaffLevel.SENIOR, StaffLevel.EXCELLENT] + [StaffLevel.REGULAR] * 3


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str


def demo_logins() -> list[DemoLogin]:
    """The logins the demo prints (marketers m01…m15 share the password)."""
    return [
        DemoLogin("manager", Role.MANAGER, "渠道经理 刘总"),
        DemoLogin("supervisor", Role.SUPERVISOR, "渠道主管 郑主管"),
        DemoLogin("secretary", Role.SECRETARY, "渠道秘书 何秘书"),
        DemoLogin("consultant1", Role.CONSULTANT, "置业顾问 林顾问"),
        DemoLogin("m01", Role.MARKETER, "行销 张伟 (m01…m15)"),
        DemoLogin("partner", Role.PARTNER, "链家示例代理"),
    ]


def demo_is_seeded() -> bool:
    return Project.objects.filter(code=DEMO_MARKER_CODE).exists()


@transaction.atomic
def demo_company_seed(*, password: str, today: date) -> bool:
    """Create the demo company once; returns False when it already exists."""
    if demo_is_seeded():
        return False
    actor = None  # the seed acts as the system, outside any role's scope
    staff_create(
        actor=actor,
        name="刘总",
        role=Role.MANAGER,
        hired_on=date(2020, 3, 1),
        username="manager",
        password=password,
    )

    xiecheng = Project.objects.create(name="协成", code=DEMO_MARKER_CODE, city="天津")
    jinxiu = Project.objects.create(
        name="锦绣华庭", code="jinxiu", city="北京", has_garden_house=True, has_villa=True
    )
    supervisor = staff_create(
        actor=actor,
        name="郑主管",
        role=Role.SUPERVISOR,
        hired_on=date(2021, 5, 10),
        username="supervisor",
        password=password,
    )
    teams = [
        Team.objects.create(name="A组", project=xiecheng, supervisor=supervisor),
        Team.objects.create(name="B组", project=xiecheng, supervisor=supervisor),
        Team.objects.create(name="A组", project=jinxiu, supervisor=supervisor),
    ]
    staff_create(
        actor=actor,
        name="何秘书",
        role=Role.SECRETARY,
        hired_on=date(2022, 2, 14),
        username="secretary",
        password=password,
    )
    for number, name in enumerate(["林顾问", "高顾问", "罗顾问", "梁顾问", "宋顾问"], start=1):
        staff_create(
            actor=actor,
            name=name,
            role=Role.CONSULTANT,
            team=teams[(number - 1) % 3],
            hired_on=date(2023, number, 1),
            username=f"consultant{number}",
            password=password,
        )
    marketers: list[Staff] = []
    for index, name in enumerate(MARKETER_NAMES):
        team = teams[index // 5]
        marketers.append(
            staff_create(
                actor=actor,
                name=name,
                role=Role.MARKETER,
                level=LEVELS[index % 5],
                team=team,
                hired_on=date(2024, 1 + index % 12, 1 + index),
                referred_by=marketers[index - 5] if index >= 10 else None,
                username=f"m{index + 1:02d}",
                password=password,
            )
        )
    for team, leader in zip(teams, marketers[::5], strict=True):
        team.leader = leader
        team.save(update_fields=["leader"])

    body = "91120116MA05K8XK3"
    partner = Partner.objects.create(
        name="链家示例代理",
        kind=PartnerKind.AGENCY,
        regions="天津, 北京",
        contact_name="孙经理",
        contact_phone="13900001234",
        credit_code=body + credit_code_check_char(body),
        credit_rating=CreditRating.A,
        tier=1,
        status=PartnerStatus.ACTIVE,
    )
    partner_member_create(partner=partner, username="partner", password=password)
    logger.info("demo company seeded on %s", today)
    return True


DEMO_CUSTOMER_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董"


@transaction.atomic
def demo_activity_seed(*, start: date, today: date, seed: int = 2026) -> int:
    """Two months of believable activity through the real services: registrations, visits
    (some repeats), signings with payments and mortgages, one 退房. Returns visits logged."""
    rng = random.Random(seed)
    secretary = Staff.objects.get(role=Role.SECRETARY).user
    partner_user = PartnerMember.objects.select_related("user").first().user
    marketers = list(Staff.objects.filter(role=Role.MARKETER).select_related("team__project"))
    consultants = list(Staff.objects.filter(role=Role.CONSULTANT))
    customers: list[tuple[Staff, str, str]] = []
    logged = 0
    day = start
    while day <= today:
        for person in marketers:
            for _n in range(rng.choice((0, 0, 1, 1, 1, 2))):
                phone, name = _demo_customer(rng, customers, person)
                if rng.random() < 0.3:
                    with contextlib.suppress(ValidationError):
                        registration_create(
                            actor=person.user,
                            project=person.team.project,
                            customer_name=name,
                            customer_phone=phone,
                            registered_at=_at(day - timedelta(days=rng.randint(1, 10)), 9),
                        )
                with contextlib.suppress(ValidationError):
                    visit_record(
                        actor=secretary,
                        project=person.team.project,
                        customer_name=name,
                        customer_phone=phone,
                        visited_at=_at(day, rng.randint(9, 18)),
                        property_type="high_rise",
                        marketer=person,
                        consultant=rng.choice(consultants),
                        status=VisitStatus.CONFIRMED,
                    )
                    logged += 1
        day += timedelta(days=1)
    _demo_partner_registrations(partner_user=partner_user, rng=rng, today=today)
    _demo_deals(secretary=secretary, customers=customers, rng=rng, start=start, today=today)
    return logged


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 15, tzinfo=SHANGHAI)


def _demo_customer(rng, customers, person) -> tuple[str, str]:
    if customers and rng.random() < 0.1:  # a repeat visit of a known customer
        _owner, phone, name = rng.choice(customers)
        return phone, name
    phone = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
    name = rng.choice(DEMO_CUSTOMER_NAMES) + rng.choice(("先生", "女士"))
    customers.append((person, phone, name))
    return phone, name


def _demo_partner_registrations(*, partner_user, rng, today: date) -> None:
    project = Project.objects.get(code=DEMO_MARKER_CODE)
    for n in range(6):
        with contextlib.suppress(ValidationError):
            registration_create(
                actor=partner_user,
                project=project,
                customer_name=f"渠道客户{n + 1}",
                customer_phone=f"1390000{rng.randint(0, 9999):04d}",
                registered_at=_at(today - timedelta(days=n * 3), 10),
            )


def _demo_deals(*, secretary, customers, rng, start: date, today: date) -> None:
    signed = []
    for person, phone, name in rng.sample(customers, k=min(40, len(customers))):
        on = start + timedelta(days=rng.randint(0, (today - start).days))
        amount = Decimal(rng.randrange(800_000, 3_200_000, 10_000))
        with contextlib.suppress(ValidationError):
            signed.append(
                signing_record(
                    actor=secretary,
                    project=person.team.project,
                    customer_name=name,
                    customer_phone=phone,
                    unit=f"{rng.randint(1, 12)}-{rng.randint(2, 33)}0{rng.randint(1, 4)}",
                    property_type="high_rise",
                    area=Decimal(rng.randrange(70, 180)),
                    amount=amount,
                    signed_on=on,
                )
            )
    for deal in signed[:25]:
        payment_record(
            actor=secretary,
            signing=deal,
            kind="down_payment",
            amount=(deal.amount * Decimal("0.3")).quantize(Decimal("0.01")),
            paid_on=min(deal.signed_on + timedelta(days=3), today),
        )
    for deal in signed[25:32]:
        mortgage_record(
            actor=secretary,
            signing=deal,
            bank=rng.choice(("建设银行", "工商银行")),
            amount=(deal.amount * Decimal("0.6")).quantize(Decimal("0.01")),
            applied_on=deal.signed_on,
        )
    if signed:
        signing_cancel(
            actor=secretary, signing=signed[-1], cancelled_on=today, reason="客户资金周转问题"
        )
